//
// RewriteWalk.cpp
//

#include "encoding/RewriteWalk.h"
#include "PostHog/PropertyRewriter.h"
#include "encoding/Encoding.h"

namespace PostHog
{

std::size_t RewriteWalk::run(std::string& buffer, PropertyRewriter& rewriter)
{
	RewriteWalk walk(buffer, rewriter);
	std::size_t removed = 0;
	walk.items(0, std::string::npos, true, 0, 0, 0, removed);
	return removed;
}

std::size_t RewriteWalk::items(std::size_t pos, std::size_t count, bool isObject, std::size_t keyPos,
                               std::size_t keyLength, unsigned depth, std::size_t& removed)
{
	// count is npos for the top level, which runs to the end of the buffer. value and replacement
	// are assigned before they are read (decodeValue, and the rewriter on Replace).
	Value value;
	Value replacement;
	for (std::size_t i = 0; count == std::string::npos ? pos < _buffer.size() : i < count; ++i)
	{
		std::size_t itemStart = pos;
		const char* base = _buffer.data();
		const char* p = base + pos;
		std::string_view key(base + keyPos, keyLength);
		if (isObject)
			p = Encoding::decodeKey(p, key);
		std::size_t valueStart = static_cast<std::size_t>(p - base);
		std::size_t valueEnd = static_cast<std::size_t>(Encoding::decodeValue(p, value) - base);
		switch (_rewriter.visit(key, value, depth, replacement))
		{
		case PropertyRewriter::Keep:
			pos = valueEnd;
			break;
		case PropertyRewriter::Descend:
			if (value.isArray() || value.isObject())
			{
				std::size_t childKeyPos = isObject ? static_cast<std::size_t>(key.data() - base) : keyPos;
				pos = descend(valueStart, value.isObject(), childKeyPos, key.size(), depth);
			}
			else
				pos = valueEnd;
			break;
		case PropertyRewriter::Replace:
			_scratch.clear();
			Encoding::putValue(_scratch, replacement);
			_buffer.replace(valueStart, valueEnd - valueStart, _scratch);
			pos = valueStart + _scratch.size();
			break;
		case PropertyRewriter::Remove:
			_buffer.erase(itemStart, valueEnd - itemStart);
			pos = itemStart;
			++removed;
			break;
		}
	}
	return pos;
}

std::size_t RewriteWalk::descend(std::size_t valueStart, bool childrenAreEntries, std::size_t keyPos,
                                 std::size_t keyLength, unsigned depth)
{
	std::uint64_t childCount;
	const char* base = _buffer.data();
	const char* children = Encoding::getVarint(base + valueStart + 1, childCount);
	std::size_t countPos = valueStart + 1;
	std::size_t childrenPos = static_cast<std::size_t>(children - base);
	std::size_t childRemoved = 0;
	std::size_t end = items(childrenPos, static_cast<std::size_t>(childCount), childrenAreEntries, keyPos,
	                        keyLength, depth + 1, childRemoved);
	if (childRemoved)
	{
		_scratch.clear();
		Encoding::putVarint(_scratch, childCount - childRemoved);
		std::size_t oldLength = childrenPos - countPos;
		_buffer.replace(countPos, oldLength, _scratch);
		end = end - oldLength + _scratch.size();
	}
	return end;
}

} // namespace PostHog
