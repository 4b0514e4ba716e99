//
// Corpus.cpp
//

#include "Corpus.h"
#include "Poco/Environment.h"
#include "Poco/Exception.h"
#include "Poco/Path.h"
#include "Poco/String.h"
#include <fstream>

namespace PostHogTest
{

namespace
{

std::string unescape(const std::string& s)
{
	std::string out;
	for (std::size_t i = 0; i < s.size(); ++i)
	{
		if (s[i] == '\\' && i + 1 < s.size())
		{
			char c = s[++i];
			out += c == 'n' ? '\n' : c == 't' ? '\t' : c;
		}
		else
			out += s[i];
	}
	return out;
}

std::vector<std::string> lines(const std::string& path)
{
	std::ifstream in(path);
	if (!in)
		throw Poco::FileNotFoundException("cannot read corpus file " + path);
	std::vector<std::string> out;
	std::string line;
	while (std::getline(in, line))
	{
		if (line.empty() || line[0] == '#')
			continue;
		out.push_back(line);
	}
	return out;
}

std::vector<Corpus::Row> rows(const std::string& path, std::size_t minFields)
{
	std::vector<Corpus::Row> out;
	std::size_t n = 0;
	for (const auto& line : lines(path))
	{
		++n;
		std::vector<std::string> f;
		std::size_t b = 0;
		for (std::size_t e; (e = line.find('\t', b)) != std::string::npos; b = e + 1)
			f.push_back(unescape(line.substr(b, e - b)));
		f.push_back(unescape(line.substr(b)));
		if (f.size() < minFields)
			throw Poco::DataFormatException(path + ": data line " + std::to_string(n) + " has " +
			                                std::to_string(f.size()) + " fields, needs " +
			                                std::to_string(minFields));
		Corpus::Row row{f[0], f[1], f[2], f.size() > 3 && !f[3].empty() ? f[3] : f[2]};
		out.push_back(row);
	}
	return out;
}

} // namespace

std::string Corpus::directory()
{
	std::string root = Poco::Environment::get("POSTHOG_SOURCE_DIR", "");
	if (root.empty())
		return Poco::Path(__FILE__).parent().toString() + "corpus";
	return root + "/tests/pii/corpus";
}

Corpus Corpus::load(const std::string& set)
{
	std::string dir = directory() + "/" + set;
	Corpus c;
	c.positives = rows(dir + "/positives.tsv", 3);
	c.negatives = rows(dir + "/negatives.tsv", 3);
	for (const auto& l : lines(dir + "/sensitive_keys.txt"))
		c.sensitiveKeys.push_back(Poco::trim(l));
	for (const auto& l : lines(dir + "/ordinary_keys.txt"))
		c.ordinaryKeys.push_back(Poco::trim(l));
	return c;
}

} // namespace PostHogTest
