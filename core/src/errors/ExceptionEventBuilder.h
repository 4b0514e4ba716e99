//
// ExceptionEventBuilder.h
//
// Turns a C++ exception (and what it wraps) into the properties of a $exception event.
//

#ifndef PostHog_ExceptionEventBuilder_INCLUDED
#define PostHog_ExceptionEventBuilder_INCLUDED

#include "PostHog/Array.h"
#include "PostHog/ExceptionCaptureOptions.h"
#include "PostHog/Properties.h"
#include <exception>
#include <string>
#include <vector>

namespace PostHog
{

class ExceptionEventBuilder
/// Builds $exception_list, outermost first, in the canonical producer format: every entry has a
/// type, a value and a mechanism with its exception_id; the outermost entry's mechanism carries
/// the capture boundary (type, handled, synthetic), and every entry reached from another one is
/// "chained" with source "cause" and the parent's exception_id. The chain is followed through
/// Poco::Exception::nested() and std::nested_exception (std::throw_with_nested); it stops at 50
/// entries and never visits an exception twice.
///
/// properties() adds the event-level fields: $exception_level (normalised), $exception_source and
/// $exception_fingerprint when given, and $exception_type / $exception_message of the outermost
/// entry. Reserved keys the caller put in its own properties are removed: only the typed options
/// set them.
{
public:
	struct Entry
	{
		std::string type;
		std::string value;
		int parent = -1;        /// index of the entry this one was reached from; -1 for the outermost
		bool synthetic = false; /// not a C++ exception (a type/message pair, a thrown int)
	};

	static constexpr std::size_t kMaxEntries = 50;

	void add(std::exception_ptr exception);
	void add(const std::exception& exception);
	void add(const std::string& type, const std::string& value, bool synthetic = true);
	/// Each adds one exception and everything it wraps. A type/value pair is synthetic (the SDK
	/// made an exception of something that was not one) unless the caller says otherwise, as for
	/// a fatal signal, which the canonical examples send as synthetic false.

	const std::vector<Entry>& entries() const noexcept { return _entries; }

	void setFrames(Array frames, bool synthetic)
	{
		_frames = std::move(frames);
		_syntheticFrames = synthetic;
	}
	/// The stack frames of the outermost entry; synthetic when they are the capturing thread's
	/// (StackTrace::capture), not the failure's own (a crash record's).

	void setDebugImages(Array images) { _debugImages = std::move(images); }
	/// $debug_images (see DebugImages); sent only when not empty.

	Array exceptionList(const ExceptionCaptureOptions& options) const;
	Properties properties(Properties caller, const ExceptionCaptureOptions& options) const;
	/// caller's properties with the reserved ones replaced by the exception's.

	static std::string normalizeLevel(const std::string& level);
	/// The canonical level for a native severity name, or "" when it is not one.

private:
	void walk(const std::exception& exception, int parent, std::vector<const void*>& seen);
	void addNonStandard(int parent);
	void addEntry(std::string type, std::string value, int parent, bool synthetic = false);

	std::vector<Entry> _entries;
	Array _frames;
	bool _syntheticFrames = false;
	Array _debugImages;
};

} // namespace PostHog

#endif // PostHog_ExceptionEventBuilder_INCLUDED
