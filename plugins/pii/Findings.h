//
// Findings.h
//
// The matches of one string, without overlaps, in the order of the text.
//

#ifndef PostHog_Findings_INCLUDED
#define PostHog_Findings_INCLUDED

#include "PiiKind.h"
#include <algorithm>
#include <vector>

namespace PostHog
{

class Findings
/// Collects the matches of the detectors over one string. Detectors run in priority order;
/// a match that overlaps one already found is ignored, so the first detector to claim a span
/// owns it (a password inside a URL is a URL credential, not also an e-mail address).
///
/// A detector's matches go to a pending list (detectors scan left to right, so it stays
/// sorted) and commit() merges them in after the detector, so a string with thousands of
/// matches costs O(n log n), not O(n^2): add() checks the committed matches by binary search.
{
public:
	bool add(PiiKind kind, std::size_t begin, std::size_t end)
	/// Adds [begin, end) unless it is empty or overlaps an earlier match. Returns true if added.
	{
		if (end <= begin || overlapsCommitted(begin, end))
			return false;
		if (_pending.empty() || _pending.back().end <= begin)
		{
			_pending.push_back(Finding{kind, begin, end});
			return true;
		}
		// out of order within one detector (rare): a sorted insert
		auto it = std::lower_bound(_pending.begin(), _pending.end(), begin,
		                           [](const Finding& f, std::size_t b) { return f.end <= b; });
		if (it != _pending.end() && it->begin < end)
			return false;
		_pending.insert(it, Finding{kind, begin, end});
		return true;
	}

	void commit()
	/// Merges the pending matches into the committed ones (the scrubber calls it after each
	/// detector; items() sees committed matches only).
	{
		if (_pending.empty())
			return;
		if (_items.empty())
			_items.swap(_pending);
		else
		{
			_merged.clear();
			std::merge(_items.begin(), _items.end(), _pending.begin(), _pending.end(),
			           std::back_inserter(_merged),
			           [](const Finding& a, const Finding& b) { return a.begin < b.begin; });
			_items.swap(_merged);
		}
		_pending.clear();
	}

	void clear() noexcept
	{
		_items.clear();
		_pending.clear();
	}
	bool empty() const noexcept { return _items.empty() && _pending.empty(); }
	std::size_t size() const noexcept { return _items.size(); }
	const std::vector<Finding>& items() const noexcept { return _items; }

private:
	bool overlapsCommitted(std::size_t begin, std::size_t end) const noexcept
	{
		auto it = std::lower_bound(_items.begin(), _items.end(), begin,
		                           [](const Finding& f, std::size_t b) { return f.end <= b; });
		return it != _items.end() && it->begin < end;
	}

	std::vector<Finding> _items;   // committed: sorted by begin, disjoint
	std::vector<Finding> _pending; // the current detector's: sorted, disjoint
	std::vector<Finding> _merged;  // scratch of commit()
};

} // namespace PostHog

#endif // PostHog_Findings_INCLUDED
