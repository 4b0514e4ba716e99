//
// HotPathTest.cpp
//
// The fast paths tuned for throughput (docs/performance.md) against slow, obvious references:
// JsonWriter's pointer writers against Poco's JSON parser, GzipWriter against Poco's inflater,
// the sized initializer-list constructors against set()/add().
//

#include "Poco/InflatingStream.h"
#include "Poco/JSON/Object.h"
#include "Poco/JSON/Parser.h"
#include "Poco/Random.h"
#include "Poco/StreamCopier.h"
#include "PostHog/Array.h"
#include "PostHog/Message.h"
#include "PostHog/Properties.h"
#include "encoding/EventSerializer.h"
#include "encoding/GzipWriter.h"
#include "encoding/JsonWriter.h"
#include "encoding/PropertiesAccess.h"
#include "encoding/UuidGenerator.h"
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cppunit/extensions/HelperMacros.h>
#include <sstream>

using namespace PostHog;

namespace
{

std::string gunzip(const std::string& data)
{
	std::istringstream in(data);
	Poco::InflatingInputStream inflater(in, Poco::InflatingStreamBuf::STREAM_GZIP);
	std::string out;
	Poco::StreamCopier::copyToString(inflater, out);
	return out;
}

std::string parseString(const std::string& json)
{
	Poco::JSON::Parser parser;
	return parser.parse("[" + json + "]").extract<Poco::JSON::Array::Ptr>()->getElement<std::string>(0);
}

} // namespace

class HotPathTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(HotPathTest);
	CPPUNIT_TEST(testStringEscapingEveryPosition);
	CPPUNIT_TEST(testStringEscapingEveryLength);
	CPPUNIT_TEST(testRandomStringsRoundTrip);
	CPPUNIT_TEST(testInvalidUtf8Replaced);
	CPPUNIT_TEST(testDoublesMatchToChars);
	CPPUNIT_TEST(testEventJsonParsesBack);
	CPPUNIT_TEST(testEventJsonWithLongEscapedValues);
	CPPUNIT_TEST(testGzipRoundTripAndLevelSwitch);
	CPPUNIT_TEST(testGzipEmptyAndLarge);
	CPPUNIT_TEST(testInitializerListSizedExactly);
	CPPUNIT_TEST(testInitializerListDuplicateKeys);
	CPPUNIT_TEST(testArrayInitializerList);
	CPPUNIT_TEST_SUITE_END();

public:
	void testStringEscapingEveryPosition()
	{
		// Every special byte at every offset of a 20-byte string: the 8-byte scan must stop for it
		// wherever it sits.
		const std::string specials[] = {"\"",   "\\",       "\n",           "\x01",
		                                "\x1f", "\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80"};
		for (const auto& special : specials)
		{
			for (std::size_t at = 0; at <= 20; ++at)
			{
				std::string s(20, 'a');
				s.insert(at, special);
				std::string json;
				JsonWriter::appendString(json, s);
				CPPUNIT_ASSERT_EQUAL(s, parseString(json));
			}
		}
		std::string json;
		JsonWriter::appendString(json, "tab\there \"q\" back\\slash \x7f");
		CPPUNIT_ASSERT_EQUAL(std::string("\"tab\\there \\\"q\\\" back\\\\slash \x7f\""), json);
	}

	void testStringEscapingEveryLength()
	{
		// Plain strings of every length up to 24 are written as they are, and one special byte at
		// every offset of them is escaped: the short-string and overlapping-tail paths.
		const std::string specials[] = {"\"", "\\", "\t", "\x7f", "\xC3\xA9", "\xE2\x82\xAC"};
		for (std::size_t length = 0; length <= 24; ++length)
		{
			std::string plain;
			for (std::size_t i = 0; i < length; ++i)
				plain.push_back(static_cast<char>('a' + i % 26));
			std::string json;
			JsonWriter::appendString(json, plain);
			CPPUNIT_ASSERT_EQUAL("\"" + plain + "\"", json);
			for (const auto& special : specials)
			{
				for (std::size_t at = 0; at <= length; ++at)
				{
					std::string s = plain;
					s.insert(at, special);
					json.clear();
					JsonWriter::appendString(json, s);
					CPPUNIT_ASSERT_EQUAL(s, parseString(json));
				}
			}
		}
	}

	void testRandomStringsRoundTrip()
	{
		Poco::Random random;
		random.seed(42);
		for (int i = 0; i < 2000; ++i)
		{
			std::size_t length = random.next(200);
			std::string s;
			for (std::size_t j = 0; j < length; ++j)
			{
				// Mostly printable ASCII, some controls, quotes and backslashes (valid UTF-8 only).
				unsigned r = random.next(100);
				s.push_back(r < 5    ? static_cast<char>(random.next(32))
				            : r < 8  ? '"'
				            : r < 10 ? '\\'
				                     : static_cast<char>(32 + random.next(95)));
			}
			std::string json;
			JsonWriter::appendString(json, s);
			CPPUNIT_ASSERT_EQUAL(s, parseString(json));
		}
	}

	void testInvalidUtf8Replaced()
	{
		std::string json;
		JsonWriter::appendString(json, std::string("abcdefgh\xFFijklmnop\xC3", 18));
		CPPUNIT_ASSERT_EQUAL(std::string("\"abcdefgh\xEF\xBF\xBDijklmnop\xEF\xBF\xBD\""), json);
	}

	void testDoublesMatchToChars()
	{
		// The short-decimal fast path must write exactly what std::to_chars writes.
		auto check = [](double v)
		{
			char expected[64];
			auto r = std::to_chars(expected, expected + sizeof expected, v);
			std::string json;
			JsonWriter::appendDouble(json, v);
			CPPUNIT_ASSERT_EQUAL(std::string(expected, r.ptr), json);
		};
		const double fixed[] = {0.0,
		                        -0.0,
		                        1,
		                        -1,
		                        0.5,
		                        0.05,
		                        0.001,
		                        0.0001,
		                        0.1 + 0.2,
		                        10,
		                        100,
		                        1000,
		                        10000,
		                        100000,
		                        1e6,
		                        1e14,
		                        9.99e14,
		                        1e15,
		                        1e16,
		                        123456789012345.6,
		                        999999999999999.0,
		                        4.9,
		                        1898.81,
		                        3600,
		                        3600.5,
		                        1e-7,
		                        5e-324,
		                        1.7976931348623157e308,
		                        2.5e-3,
		                        0.125,
		                        1234.5678,
		                        12.34e10,
		                        -0.001,
		                        -1e5,
		                        0.010,
		                        1e21,
		                        120000,
		                        1200000.5};
		for (double v : fixed)
			check(v);
		Poco::Random random;
		random.seed(3);
		for (int i = 0; i < 200000; ++i)
		{
			double scale = std::pow(10.0, static_cast<int>(random.next(7)));
			double v = std::round(random.nextDouble() * 1e7) / scale * (random.nextBool() ? 1 : -1);
			check(v);
			check(random.nextDouble() * std::pow(10.0, static_cast<int>(random.next(40)) - 20));
		}
	}

	void testEventJsonParsesBack()
	{
		Message m(Message::Type::Capture, "movie played", "user_42",
		          Properties{{"title", "Am\xC3\xA9lie"},
		                     {"n", -7},
		                     {"big", 9007199254740993LL},
		                     {"x", 0.1},
		                     {"nan", std::nan("")},
		                     {"ok", true},
		                     {"none", nullptr},
		                     {"nested", Properties{{"a", Array{1, "two", 3.5, false}}}}});
		m.setUuid(UuidGenerator::next());
		m.setTimestamp(Poco::Timestamp::fromEpochTime(1700000000));
		std::string out = "[";
		EventSerializer::append(out, m, false);
		out += "]";
		Poco::JSON::Parser parser;
		auto event = parser.parse(out).extract<Poco::JSON::Array::Ptr>()->getObject(0);
		CPPUNIT_ASSERT_EQUAL(UuidGenerator::toString(m.uuid()), event->getValue<std::string>("uuid"));
		CPPUNIT_ASSERT_EQUAL(std::string("2023-11-14T22:13:20.000Z"),
		                     event->getValue<std::string>("timestamp"));
		auto p = event->getObject("properties");
		CPPUNIT_ASSERT_EQUAL(std::string("Am\xC3\xA9lie"), p->getValue<std::string>("title"));
		CPPUNIT_ASSERT_EQUAL(-7, p->getValue<int>("n"));
		CPPUNIT_ASSERT_EQUAL(Poco::Int64(9007199254740993LL), p->getValue<Poco::Int64>("big"));
		CPPUNIT_ASSERT_EQUAL(0.1, p->getValue<double>("x"));
		CPPUNIT_ASSERT(p->isNull("nan"));
		CPPUNIT_ASSERT(p->isNull("none"));
		CPPUNIT_ASSERT_EQUAL(std::string("two"),
		                     p->getObject("nested")->getArray("a")->getElement<std::string>(1));
		CPPUNIT_ASSERT_EQUAL(std::string("posthog-cpp"), p->getValue<std::string>("$lib"));
		CPPUNIT_ASSERT(p->getValue<bool>("$geoip_disable"));
		// The same bytes as the std::string writers produce for the properties.
		std::string props = m.properties().toJSON();
		CPPUNIT_ASSERT(out.find(props.substr(1, props.size() - 2)) != std::string::npos);
	}

	void testEventJsonWithLongEscapedValues()
	{
		// Worst-case expansion (every byte a control character) in every field that can carry it:
		// the room reserved per event must hold it.
		std::string controls(5000, '\x01');
		Message m(Message::Type::Capture, controls, controls,
		          Properties{{controls, controls}, {"a", Array{controls}}});
		m.setUuid(UuidGenerator::next());
		std::string out;
		EventSerializer::append(out, m, true);
		Poco::JSON::Parser parser;
		auto event = parser.parse(out).extract<Poco::JSON::Object::Ptr>();
		CPPUNIT_ASSERT_EQUAL(controls, event->getValue<std::string>("event"));
		CPPUNIT_ASSERT_EQUAL(controls, event->getValue<std::string>("distinct_id"));
		CPPUNIT_ASSERT_EQUAL(controls, event->getObject("properties")->getValue<std::string>(controls));
		// Five fields of 5000 \u0001 escapes each, and the two u of the "uuid" key.
		CPPUNIT_ASSERT_EQUAL(std::ptrdiff_t(5 * 5000 + 2), std::count(out.begin(), out.end(), 'u'));
	}

	void testGzipRoundTripAndLevelSwitch()
	{
		std::string a = "{\"api_key\":\"k\",\"batch\":[", c = "]}";
		std::string b;
		for (int i = 0; i < 3000; ++i)
			b += "{\"event\":\"e" + std::to_string(i) + "\"},";
		b.pop_back();
		std::string gz;
		for (int level : {1, 9, 9, 1, 6})
		{
			GzipWriter::compress(a, b, c, gz, level);
			CPPUNIT_ASSERT(gz.size() > 18 && static_cast<unsigned char>(gz[0]) == 0x1f &&
			               static_cast<unsigned char>(gz[1]) == 0x8b);
			CPPUNIT_ASSERT(gz.size() < b.size() / 4);
			CPPUNIT_ASSERT_EQUAL(a + b + c, gunzip(gz));
		}
	}

	void testGzipEmptyAndLarge()
	{
		std::string gz;
		GzipWriter::compress("", "", "", gz, 1);
		CPPUNIT_ASSERT_EQUAL(std::string(), gunzip(gz));
		// Incompressible input (worse than the bound's estimate is impossible, but random bytes
		// are the closest): 3 MB through the same thread's stream.
		Poco::Random random;
		random.seed(7);
		std::string noise(3 * 1024 * 1024, '\0');
		for (auto& ch : noise)
			ch = static_cast<char>(random.next(256));
		GzipWriter::compress("x", noise, "y", gz, 1);
		CPPUNIT_ASSERT("x" + noise + "y" == gunzip(gz));
	}

	void testInitializerListSizedExactly()
	{
		Properties p{{"movie_id", "tt1000013"},
		             {"rating", 4.9},
		             {"n", 3613},
		             {"premium", false},
		             {"device", Properties{{"os", "web"}, {"screen", Properties{{"w", 1920}, {"h", 1080}}}}},
		             {"genres", Array{"animation", "crime"}}};
		CPPUNIT_ASSERT_EQUAL(std::size_t(6), p.size());
		CPPUNIT_ASSERT_EQUAL(PostHog::PropertiesAccess::encoded(p).size(),
		                     PostHog::PropertiesAccess::encoded(p).capacity());
		Properties q;
		q.set("movie_id", "tt1000013").set("rating", 4.9).set("n", 3613).set("premium", false);
		q.set("device", Properties{{"os", "web"}, {"screen", Properties{{"w", 1920}, {"h", 1080}}}});
		q.set("genres", Array{"animation", "crime"});
		CPPUNIT_ASSERT(p == q);
		CPPUNIT_ASSERT_EQUAL(q.toJSON(), p.toJSON());
		CPPUNIT_ASSERT_EQUAL(
		    std::string("{\"movie_id\":\"tt1000013\",\"rating\":4.9,\"n\":3613,\"premium\":false,"
		                "\"device\":{\"os\":\"web\",\"screen\":{\"w\":1920,\"h\":1080}},"
		                "\"genres\":[\"animation\",\"crime\"]}"),
		    p.toJSON());
	}

	void testInitializerListDuplicateKeys()
	{
		Properties p{{"a", 1}, {"b", 2}, {"a", "three"}};
		CPPUNIT_ASSERT_EQUAL(std::size_t(2), p.size());
		CPPUNIT_ASSERT_EQUAL(std::string("{\"a\":\"three\",\"b\":2}"), p.toJSON());
	}

	void testArrayInitializerList()
	{
		Array a{1, -300, "x", 2.5, true, nullptr, Properties{{"k", "v"}}, Array{}};
		CPPUNIT_ASSERT_EQUAL(std::size_t(8), a.size());
		// One allocation of the exact size (libstdc++ never allocates less than 30 once past 15).
		CPPUNIT_ASSERT(PostHog::PropertiesAccess::encoded(a).capacity() <=
		               std::max<std::size_t>(PostHog::PropertiesAccess::encoded(a).size(), 30));
		CPPUNIT_ASSERT_EQUAL(std::string("[1,-300,\"x\",2.5,true,null,{\"k\":\"v\"},[]]"), a.toJSON());
		Array b;
		b.add(1).add(-300).add("x").add(2.5).add(true).add(nullptr).add(Properties{{"k", "v"}}).add(Array{});
		CPPUNIT_ASSERT(a == b);
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(HotPathTest);
