//
// GzipWriter.cpp
//

#include "GzipWriter.h"
#include "Poco/DeflatingStream.h"
#include <streambuf>

namespace PostHog
{

namespace
{

class StringBuf : public std::streambuf
/// Appends whatever is written to a std::string (no ostringstream copy at the end).
{
public:
	explicit StringBuf(std::string& out) : _out(out) {}

protected:
	int_type overflow(int_type c) override
	{
		if (c != traits_type::eof())
			_out.push_back(static_cast<char>(c));
		return c;
	}
	std::streamsize xsputn(const char* s, std::streamsize n) override
	{
		_out.append(s, static_cast<std::size_t>(n));
		return n;
	}

private:
	std::string& _out;
};

} // namespace

void GzipWriter::compress(const std::string& a, const std::string& b, const std::string& c, std::string& out, int level)
{
	out.clear();
	out.reserve((a.size() + b.size() + c.size()) / 4 + 64);
	StringBuf buf(out);
	std::ostream sink(&buf);
	Poco::DeflatingOutputStream gzip(sink, Poco::DeflatingStreamBuf::STREAM_GZIP, level);
	gzip.write(a.data(), static_cast<std::streamsize>(a.size()));
	gzip.write(b.data(), static_cast<std::streamsize>(b.size()));
	gzip.write(c.data(), static_cast<std::streamsize>(c.size()));
	gzip.close();
}

} // namespace PostHog
