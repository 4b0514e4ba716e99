//
// Transport.cpp
//

#include "delivery/Transport.h"

namespace PostHog
{

Transport::~Transport() = default;

} // namespace PostHog
