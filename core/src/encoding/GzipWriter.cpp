//
// GzipWriter.cpp
//

#include "encoding/GzipWriter.h"
#include "Poco/Exception.h"
#include <string>
#ifdef POSTHOG_HAVE_LIBDEFLATE
#include <libdeflate.h>
#else
#include <zlib.h>
#endif

namespace PostHog
{

namespace
{

// Why not Poco::DeflatingOutputStream: the stream copies every byte through its own buffer and a
// streambuf and sets up a fresh zlib state per batch, and gzip is the largest single cost of the
// worker. One reused z_stream per thread is faster, and libdeflate faster again with slightly
// smaller output (the comparison and its command are in docs/performance.md). libdeflate
// (Debian libdeflate-dev) is used when the build finds it, zlib otherwise.
//
// Both write into a per-thread staging buffer kept at its high-water size (growing a std::string
// zero-fills it every batch otherwise) and copy the compressed bytes out.
thread_local std::string staging;

#ifdef POSTHOG_HAVE_LIBDEFLATE

thread_local std::string joined; // libdeflate compresses one contiguous buffer

class Compressor
{
public:
	~Compressor()
	{
		if (_compressor)
			libdeflate_free_compressor(_compressor);
	}

	libdeflate_compressor* get(int level)
	{
		if (_level != level)
		{
			if (_compressor)
				libdeflate_free_compressor(_compressor);
			_compressor = libdeflate_alloc_compressor(level);
			if (!_compressor)
				throw Poco::IOException("libdeflate: cannot make a compressor of level " +
				                        std::to_string(level));
			_level = level;
		}
		return _compressor;
	}

private:
	libdeflate_compressor* _compressor = nullptr;
	int _level = 0;
};

thread_local Compressor compressor;

#else

class Deflater
{
public:
	~Deflater()
	{
		if (_level)
			deflateEnd(&_z);
	}

	z_stream& stream(int level)
	{
		if (_level != level)
		{
			if (_level)
				deflateEnd(&_z);
			_level = 0;
			_z = z_stream();
			// 15 + 16: a 32 KB window with the gzip wrapper; memLevel 8 is zlib's (and Poco's) default.
			if (deflateInit2(&_z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
				throw Poco::IOException("zlib: deflateInit2 failed at level " + std::to_string(level));
			_level = level;
		}
		else
		{
			deflateReset(&_z);
		}
		return _z;
	}

private:
	z_stream _z = z_stream();
	int _level = 0;
};

thread_local Deflater deflater;

void feed(z_stream& z, const std::string& in, int flush)
{
	z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
	z.avail_in = static_cast<uInt>(in.size());
	for (;;)
	{
		if (z.avail_out == 0)
		{
			std::size_t used = staging.size();
			staging.resize(used + used / 2 + 256);
			z.next_out = reinterpret_cast<Bytef*>(&staging[used]);
			z.avail_out = static_cast<uInt>(staging.size() - used);
		}
		int rc = deflate(&z, flush);
		if (rc == Z_STREAM_END)
			return;
		if (rc != Z_OK && rc != Z_BUF_ERROR)
			throw Poco::IOException("zlib: deflate failed (" + std::to_string(rc) + ")");
		if (z.avail_in == 0 && z.avail_out != 0 && flush == Z_NO_FLUSH)
			return;
	}
}

#endif

} // namespace

void GzipWriter::compress(const std::string& a, const std::string& b, const std::string& c, std::string& out,
                          int level)
{
	std::size_t inSize = a.size() + b.size() + c.size();
#ifdef POSTHOG_HAVE_LIBDEFLATE
	libdeflate_compressor* comp = compressor.get(level);
	joined.clear();
	joined.reserve(inSize);
	joined.append(a).append(b).append(c);
	std::size_t bound = libdeflate_gzip_compress_bound(comp, inSize);
	if (staging.size() < bound)
		staging.resize(bound);
	std::size_t n = libdeflate_gzip_compress(comp, joined.data(), inSize, &staging[0], staging.size());
	if (n == 0)
		throw Poco::IOException("libdeflate: the compressed data did not fit its bound");
	out.assign(staging.data(), n);
#else
	z_stream& z = deflater.stream(level);
	std::size_t bound = deflateBound(&z, static_cast<uLong>(inSize));
	if (staging.size() < bound)
		staging.resize(bound);
	z.next_out = reinterpret_cast<Bytef*>(&staging[0]);
	z.avail_out = static_cast<uInt>(staging.size());
	feed(z, a, Z_NO_FLUSH);
	feed(z, b, Z_NO_FLUSH);
	feed(z, c, Z_FINISH);
	out.assign(staging.data(), staging.size() - z.avail_out);
#endif
}

} // namespace PostHog
