//
// ValidationFindings.h
//
// The reasons one message failed validation.
//

#ifndef PostHog_ValidationFindings_INCLUDED
#define PostHog_ValidationFindings_INCLUDED

#include "ValidationMiddleware.h"
#include <string>
#include <vector>

namespace PostHog
{

class ValidationMiddleware::Findings
/// The reasons one message failed; in drop mode the first one ends the check.
{
public:
	explicit Findings(bool all) : _all(all) {}

	bool add(std::string reason, bool fatal = false)
	/// Records a reason. Returns true when the check should go on.
	{
		if (fatal && _fatal < 0)
			_fatal = static_cast<int>(_reasons.size());
		_reasons.push_back(std::move(reason));
		return _all;
	}

	bool empty() const noexcept { return _reasons.empty(); }
	bool fatal() const noexcept { return _fatal >= 0; }
	const std::vector<std::string>& reasons() const noexcept { return _reasons; }
	std::string dropReason() const { return _reasons[_fatal >= 0 ? static_cast<std::size_t>(_fatal) : 0]; }

private:
	bool _all;
	int _fatal = -1;
	std::vector<std::string> _reasons;
};

} // namespace PostHog

#endif // PostHog_ValidationFindings_INCLUDED
