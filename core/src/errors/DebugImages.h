//
// DebugImages.h
//
// The $debug_images of an exception event: the loaded ELF objects its native frames are in.
//

#ifndef PostHog_DebugImages_INCLUDED
#define PostHog_DebugImages_INCLUDED

#include "PostHog/Array.h"
#include <cstddef>
#include <string>

namespace PostHog
{

class DebugImages
/// For the frames StackTrace::describe() made, one entry per distinct loaded object they point
/// into (by their image_addr) that has a GNU build id: type "elf", debug_id, code_id (the build
/// id in hex), image_addr (the load address, as in the frames), image_vmaddr, image_size,
/// code_file and arch, so PostHog can symbolicate the frames against the debug files uploaded
/// for that build id. An object without a build id has no authoritative debug id and is left
/// out, as are objects no frame points into.
{
public:
	static Array forFrames(const Array& frames);

	static std::string debugId(const unsigned char* buildId, std::size_t size);
	/// The debug id symbol uploads use for an ELF build id: its first 16 bytes (zero-padded) as a
	/// UUID, the first three fields byte-swapped on a little-endian target, lower-case text.
};

} // namespace PostHog

#endif // PostHog_DebugImages_INCLUDED
