//
// Detector.cpp
//

#include "Detector.h"

namespace PostHog
{

Detector::~Detector() = default;

} // namespace PostHog
