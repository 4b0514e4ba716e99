//
// ParallelLines.cpp
//

#include "ParallelLines.h"
#include "Poco/Thread.h"
#include <algorithm>
#include <atomic>
#include <exception>
#include <memory>
#include <mutex>
#include <vector>

namespace PostHogFlags
{

ParallelLines::ParallelLines(int threads) : _threads(std::max(1, threads)) {}

void ParallelLines::forEach(std::size_t count, const std::function<void(std::size_t)>& work) const
{
	const std::size_t threads = std::min<std::size_t>(static_cast<std::size_t>(_threads), count);
	if (threads <= 1)
	{
		for (std::size_t i = 0; i < count; ++i)
			work(i);
		return;
	}
	// Chunks of a few lines: one shared counter update per chunk, and no thread is left with a
	// long tail when the lines cost different amounts.
	const std::size_t chunk = std::max<std::size_t>(1, std::min<std::size_t>(16, count / (threads * 8)));
	std::atomic<std::size_t> next{0};
	std::mutex failureMutex;
	std::exception_ptr failure;
	auto drain = [&]()
	{
		try
		{
			for (std::size_t begin = next.fetch_add(chunk); begin < count; begin = next.fetch_add(chunk))
			{
				const std::size_t end = std::min(count, begin + chunk);
				for (std::size_t i = begin; i < end; ++i)
					work(i);
			}
		}
		catch (...)
		{
			std::lock_guard<std::mutex> lock(failureMutex);
			if (!failure)
				failure = std::current_exception();
			next.store(count);
		}
	};
	std::vector<std::unique_ptr<Poco::Thread>> helpers;
	for (std::size_t t = 1; t < threads; ++t)
	{
		helpers.push_back(std::make_unique<Poco::Thread>("posthog-flags"));
		helpers.back()->startFunc([&drain]
		                          { drain(); }); // an rvalue: Poco 1.11 cannot take an lvalue functor
	}
	drain();
	for (auto& helper : helpers)
		helper->join();
	if (failure)
		std::rethrow_exception(failure);
}

} // namespace PostHogFlags
