//
// PropertyRewriter.cpp
//

#include "PostHog/PropertyRewriter.h"

namespace PostHog
{

PropertyRewriter::~PropertyRewriter() = default;

} // namespace PostHog
