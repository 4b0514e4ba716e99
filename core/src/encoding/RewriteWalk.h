//
// RewriteWalk.h
//
// Properties::rewrite(): one pass over an encoded buffer that edits it in place.
//

#ifndef PostHog_RewriteWalk_INCLUDED
#define PostHog_RewriteWalk_INCLUDED

#include <cstddef>
#include <string>
#include <string_view>

namespace PostHog
{

class PropertyRewriter;

class RewriteWalk
/// Walks the entries of a Properties buffer (and, where the rewriter descends, the entries and
/// elements of nested objects and arrays) by offset, and applies each decision of the rewriter
/// where it is made: Keep moves on, Replace encodes the new value over the old one's bytes, Remove
/// erases the item, Descend walks its children and then fixes the container's count when some were
/// removed. Nothing is decoded or written twice; the bytes after an edit move once (an in-place
/// string replace or erase). Values handed to the rewriter are views into the buffer, valid for
/// that one visit.
{
public:
	static std::size_t run(std::string& buffer, PropertyRewriter& rewriter);
	/// Rewrites buffer (a sequence of entries) and returns the number of top-level entries removed.

private:
	RewriteWalk(std::string& buffer, PropertyRewriter& rewriter) : _buffer(buffer), _rewriter(rewriter) {}

	std::size_t items(std::size_t pos, std::size_t count, bool isObject, std::size_t keyPos,
	                  std::size_t keyLength, unsigned depth, std::size_t& removed);
	/// keyPos and keyLength locate, in the buffer, the key array elements are judged under. The
	/// key lies before every byte an edit of the elements touches, so its offset stays valid
	/// when an edit moves or reallocates the buffer.
	std::size_t descend(std::size_t valueStart, bool childrenAreEntries, std::size_t keyPos,
	                    std::size_t keyLength, unsigned depth);

	std::string& _buffer;
	PropertyRewriter& _rewriter;
	std::string _scratch;
};

} // namespace PostHog

#endif // PostHog_RewriteWalk_INCLUDED
