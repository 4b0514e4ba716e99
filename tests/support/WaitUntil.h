//
// WaitUntil.h
//
// Polls a condition until it holds or a timeout passes.
//

#ifndef PostHogTest_WaitUntil_INCLUDED
#define PostHogTest_WaitUntil_INCLUDED

#include <functional>

namespace PostHogTest
{

bool waitUntil(const std::function<bool()>& condition, long timeoutMs);
/// Checks condition every 5 ms until it is true (returns true) or timeoutMs have passed
/// (returns false). For state another thread changes (the worker, a sender, a server); a test
/// asserts on the result, never on how long it took.

} // namespace PostHogTest

#endif // PostHogTest_WaitUntil_INCLUDED
