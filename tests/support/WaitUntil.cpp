//
// WaitUntil.cpp
//

#include "WaitUntil.h"
#include "Poco/Thread.h"
#include "Poco/Timestamp.h"

namespace PostHogTest
{

bool waitUntil(const std::function<bool()>& condition, long timeoutMs)
{
	Poco::Timestamp start;
	while (!condition())
	{
		if (start.elapsed() / 1000 > timeoutMs)
			return false;
		Poco::Thread::sleep(5);
	}
	return true;
}

} // namespace PostHogTest
