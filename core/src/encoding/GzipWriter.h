//
// GzipWriter.h
//
// gzip a string into a string with Poco's DeflatingOutputStream.
//

#ifndef PostHog_GzipWriter_INCLUDED
#define PostHog_GzipWriter_INCLUDED

#include <string>

namespace PostHog
{

class GzipWriter
{
public:
	static void compress(const std::string& parts0, const std::string& parts1, const std::string& parts2,
	    std::string& out, int level);
	/// out = gzip(parts0 + parts1 + parts2), without concatenating them first.
};

} // namespace PostHog

#endif // PostHog_GzipWriter_INCLUDED
