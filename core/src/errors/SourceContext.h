//
// SourceContext.h
//
// The source lines around a stack frame's line.
//

#ifndef PostHog_SourceContext_INCLUDED
#define PostHog_SourceContext_INCLUDED

#include "PostHog/Properties.h"
#include <memory>
#include <string>
#include <vector>

namespace PostHog
{

class SourceContext
/// Adds context_line (the frame's own line), pre_context and post_context (up to `window` lines
/// before and after it, in file order) to a frame whose file and line DWARF gave, when that
/// source file can be read on this machine. Files are read once and kept (a few dozen, each at
/// most kMaxFileBytes; lines cut at kMaxLineBytes), so repeated captures read no file.
/// Thread-safe. A file that cannot be read leaves the frame as it was.
{
public:
	static constexpr std::size_t kMaxFileBytes = 4 * 1024 * 1024;
	static constexpr std::size_t kMaxLineBytes = 500;
	static constexpr std::size_t kMaxFiles = 64;

	static void attach(Properties& frame, const std::string& path, int lineno, int window);

private:
	using Lines = std::vector<std::string>;
	static std::shared_ptr<const Lines> lines(const std::string& path);
	/// The file's lines (null when it cannot be read or is too large), from the cache.
	static std::shared_ptr<const Lines> read(const std::string& path);
};

} // namespace PostHog

#endif // PostHog_SourceContext_INCLUDED
