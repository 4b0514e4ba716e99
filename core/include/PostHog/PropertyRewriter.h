//
// PropertyRewriter.h
//
// The visitor Properties::rewrite() calls to edit values in place (PII scrubbing and the like).
//

#ifndef PostHog_PropertyRewriter_INCLUDED
#define PostHog_PropertyRewriter_INCLUDED

#include "PostHog/PostHog.h"
#include "PostHog/Value.h"
#include <string_view>

namespace PostHog
{

class PostHog_API PropertyRewriter
/// Visits every value of a Properties object, recursively, and decides for each what becomes
/// of it. Properties::rewrite() edits the encoded buffer in place, so a rewrite that changes
/// nothing copies nothing.
{
public:
	enum Action
	{
		Keep,    /// leave the value as it is, and do not look inside it
		Descend, /// for arrays and objects: visit their elements; for scalars the same as Keep
		Replace, /// replace the value with the one stored in `replacement`
		Remove   /// remove the entry (or the array element)
	};

	virtual ~PropertyRewriter();

	virtual Action visit(std::string_view key, const Value& value, unsigned depth, Value& replacement) = 0;
	/// Called for every top-level entry (depth 0) and, when the visitor returns Descend for a
	/// container, for every entry or element inside it (depth + 1). For array elements, `key`
	/// is the key of the nearest enclosing object entry.
	///
	/// `key` and `value` point into the buffer being rewritten: do not keep them past the call.
	/// On Replace, `replacement` must point to data the visitor owns (a member string, say)
	/// that stays valid until the next call; it must not point into the Properties itself.
};

} // namespace PostHog

#endif // PostHog_PropertyRewriter_INCLUDED
