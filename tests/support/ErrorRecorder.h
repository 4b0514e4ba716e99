//
// ErrorRecorder.h
//
// Collects what a client's error callback receives, for the tests.
//

#ifndef PostHogTest_ErrorRecorder_INCLUDED
#define PostHogTest_ErrorRecorder_INCLUDED

#include "Poco/Mutex.h"
#include "PostHog/ClientError.h"
#include "WaitUntil.h"
#include <functional>
#include <string>
#include <vector>

namespace PostHogTest
{

class ErrorRecorder
/// Give options.onError = recorder.callback(); every ClientError is kept, from any thread.
{
public:
	PostHog::ErrorCallback callback()
	{
		return [this](const PostHog::ClientError& e)
		{
			Poco::FastMutex::ScopedLock lock(_mutex);
			_errors.push_back(e);
		};
	}

	std::vector<PostHog::ClientError> all() const
	{
		Poco::FastMutex::ScopedLock lock(_mutex);
		return _errors;
	}

	std::vector<PostHog::ClientError> of(PostHog::ClientError::Kind kind) const
	{
		std::vector<PostHog::ClientError> out;
		for (const auto& e : all())
		{
			if (e.kind == kind)
				out.push_back(e);
		}
		return out;
	}

	std::size_t count(PostHog::ClientError::Kind kind) const { return of(kind).size(); }

	std::size_t events(PostHog::ClientError::Kind kind) const
	/// The sum of ClientError::events over the reports of one kind.
	{
		std::size_t n = 0;
		for (const auto& e : of(kind))
			n += e.events;
		return n;
	}

	std::size_t lostEvents() const
	/// The sum of ClientError::events over every report (what the client says it lost).
	{
		std::size_t n = 0;
		for (const auto& e : all())
			n += e.events;
		return n;
	}

	bool any(const std::function<bool(const PostHog::ClientError&)>& pred) const
	{
		for (const auto& e : all())
		{
			if (pred(e))
				return true;
		}
		return false;
	}

	bool mentions(const std::string& text) const
	{
		return any([&](const PostHog::ClientError& e) { return e.message.find(text) != std::string::npos; });
	}

	std::string text() const
	/// Every report as "kind: message", one a line (for assertion messages).
	{
		std::string out;
		for (const auto& e : all())
			out += std::string(PostHog::ClientError::kindName(e.kind)) + ": " + e.message + "\n";
		return out;
	}

	bool waitFor(PostHog::ClientError::Kind kind, std::size_t n, long timeoutMs) const
	/// Waits until n reports of kind arrived; false on timeout.
	{
		return waitUntil([&] { return count(kind) >= n; }, timeoutMs);
	}

	bool waitForLostEvents(std::size_t events, long timeoutMs) const
	/// Waits until the reports add up to at least events lost; false on timeout.
	{
		return waitUntil([&] { return lostEvents() >= events; }, timeoutMs);
	}

private:
	mutable Poco::FastMutex _mutex;
	std::vector<PostHog::ClientError> _errors;
};

} // namespace PostHogTest

#endif // PostHogTest_ErrorRecorder_INCLUDED
