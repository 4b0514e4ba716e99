//
// Findings.h
//
// The matches of one string, without overlaps, in the order of the text.
//

#ifndef PostHog_Findings_INCLUDED
#define PostHog_Findings_INCLUDED

#include "PiiKind.h"
#include <vector>

namespace PostHog
{

class Findings
/// Collects the matches of the detectors over one string. Detectors run in priority order;
/// a match that overlaps one already found is ignored, so the first detector to claim a span
/// owns it (a password inside a URL is a URL credential, not also an e-mail address).
{
public:
	bool add(PiiKind kind, std::size_t begin, std::size_t end)
	/// Adds [begin, end) unless it is empty or overlaps an earlier match. Returns true if added.
	{
		if (end <= begin)
			return false;
		auto it = _items.begin();
		while (it != _items.end() && it->end <= begin)
			++it;
		if (it != _items.end() && it->begin < end)
			return false;
		_items.insert(it, Finding{kind, begin, end});
		return true;
	}

	bool overlaps(std::size_t begin, std::size_t end) const noexcept
	{
		for (const auto& f : _items)
		{
			if (f.begin < end && begin < f.end)
				return true;
		}
		return false;
	}

	void clear() noexcept { _items.clear(); }
	bool empty() const noexcept { return _items.empty(); }
	std::size_t size() const noexcept { return _items.size(); }
	const std::vector<Finding>& items() const noexcept { return _items; }

private:
	std::vector<Finding> _items; // sorted by begin, disjoint
};

} // namespace PostHog

#endif // PostHog_Findings_INCLUDED
