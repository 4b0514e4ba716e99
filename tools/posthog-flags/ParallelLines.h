//
// ParallelLines.h
//
// Runs a piece of work for every line of a block on several threads.
//

#ifndef PostHogFlags_ParallelLines_INCLUDED
#define PostHogFlags_ParallelLines_INCLUDED

#include <cstddef>
#include <functional>

namespace PostHogFlags
{

class ParallelLines
/// Calls work(i) for every i below count on up to `threads` threads (the calling one included),
/// which take the indices in small chunks from a shared counter, and returns when every call
/// has returned. posthog-flags evaluates its input lines this way: the client's flag
/// evaluations take no lock, so they scale with the cores. One thread: plain calls, in order,
/// on the caller's thread.
{
public:
	explicit ParallelLines(int threads);

	void forEach(std::size_t count, const std::function<void(std::size_t)>& work) const;
	/// Rethrows the first exception a call threw, after every thread has stopped.

	int threads() const noexcept { return _threads; }

private:
	int _threads;
};

} // namespace PostHogFlags

#endif // PostHogFlags_ParallelLines_INCLUDED
