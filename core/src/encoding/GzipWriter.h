//
// GzipWriter.h
//
// gzip a request body into a string with libdeflate, or zlib when the build lacks it.
//

#ifndef PostHog_GzipWriter_INCLUDED
#define PostHog_GzipWriter_INCLUDED

#include <string>

namespace PostHog
{

class GzipWriter
/// Compresses each request body for Content-Encoding: gzip, at posthog.http.gzipLevel. One
/// compressor and one staging buffer per thread, reused from batch to batch (see
/// GzipWriter.cpp for why not Poco::DeflatingOutputStream).
{
public:
	static void compress(const std::string& parts0, const std::string& parts1, const std::string& parts2,
	                     std::string& out, int level);
	/// out = gzip(parts0 + parts1 + parts2), without concatenating them first.
};

} // namespace PostHog

#endif // PostHog_GzipWriter_INCLUDED
