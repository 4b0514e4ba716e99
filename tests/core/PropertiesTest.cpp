//
// PropertiesTest.cpp
//
// The compact property store: building, lookup, replacement, removal, rewrite, conversions.
//

#include "PostHog/Properties.h"
#include "Poco/JSON/Parser.h"
#include "PostHog/Array.h"
#include "PostHog/Exceptions.h"
#include "PostHog/PropertyRewriter.h"
#include "encoding/PropertiesAccess.h"
#include <cppunit/extensions/HelperMacros.h>

using namespace PostHog;

class PropertiesTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(PropertiesTest);
	CPPUNIT_TEST(testBuildAndRead);
	CPPUNIT_TEST(testReplaceKeepsOrder);
	CPPUNIT_TEST(testRemove);
	CPPUNIT_TEST(testNested);
	CPPUNIT_TEST(testSetFromOwnValue);
	CPPUNIT_TEST(testToJson);
	CPPUNIT_TEST(testFromVarRoundTrip);
	CPPUNIT_TEST(testFromVarRejectsNonObject);
	CPPUNIT_TEST(testFromVarDepthLimit);
	CPPUNIT_TEST(testRewriteReplaceAndRemoveNested);
	CPPUNIT_TEST(testRewriteNoChangeKeepsBytes);
	CPPUNIT_TEST(testMerge);
	CPPUNIT_TEST(testNumbers);
	CPPUNIT_TEST_SUITE_END();

public:
	void testBuildAndRead()
	{
		Properties p{{"plan", "pro"}, {"seats", 3}, {"trial", false}, {"score", 2.5}, {"none", nullptr}};
		CPPUNIT_ASSERT_EQUAL(std::size_t(5), p.size());
		CPPUNIT_ASSERT(p.get("plan").getString() == "pro");
		CPPUNIT_ASSERT_EQUAL(Poco::Int64(3), static_cast<Poco::Int64>(p.get("seats").getInt()));
		CPPUNIT_ASSERT_EQUAL(false, p.get("trial").getBool());
		CPPUNIT_ASSERT_EQUAL(2.5, p.get("score").getDouble());
		CPPUNIT_ASSERT(p.get("none").isNull());
		CPPUNIT_ASSERT(p.has("none"));
		CPPUNIT_ASSERT(!p.has("missing"));
		CPPUNIT_ASSERT(p.get("missing").isNull());
		CPPUNIT_ASSERT_THROW(p.get("plan").getInt(), Poco::BadCastException);
	}

	void testReplaceKeepsOrder()
	{
		Properties p{{"a", 1}, {"b", "two"}, {"c", 3}};
		p.set("b", "a much longer string than before");
		CPPUNIT_ASSERT_EQUAL(std::size_t(3), p.size());
		CPPUNIT_ASSERT_EQUAL(std::string("{\"a\":1,\"b\":\"a much longer string than before\",\"c\":3}"),
		                     p.toJSON());
		CPPUNIT_ASSERT(!p.setIfAbsent("a", 9));
		CPPUNIT_ASSERT(p.setIfAbsent("d", 4));
		CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), static_cast<Poco::Int64>(p.get("a").getInt()));
	}

	void testRemove()
	{
		Properties p{{"a", 1}, {"b", 2}, {"c", 3}};
		CPPUNIT_ASSERT(p.remove("b"));
		CPPUNIT_ASSERT(!p.remove("b"));
		CPPUNIT_ASSERT_EQUAL(std::string("{\"a\":1,\"c\":3}"), p.toJSON());
		CPPUNIT_ASSERT_EQUAL(std::size_t(2), p.size());
	}

	void testNested()
	{
		Properties device{{"os", "ios"}, {"screen", Properties{{"w", 1920}, {"h", 1080}}}};
		Properties p{{"device", device}, {"genres", Array{"drama", "crime"}}};
		CPPUNIT_ASSERT_EQUAL(std::string("{\"device\":{\"os\":\"ios\",\"screen\":{\"w\":1920,\"h\":1080}},"
		                                 "\"genres\":[\"drama\",\"crime\"]}"),
		                     p.toJSON());
		Value d = p.get("device");
		CPPUNIT_ASSERT(d.isObject());
		CPPUNIT_ASSERT_EQUAL(std::size_t(2), d.size());
		CPPUNIT_ASSERT_EQUAL(Poco::Int64(1080), static_cast<Poco::Int64>(d["screen"]["h"].getInt()));
		std::vector<std::string> genres;
		for (const Value& v : p.get("genres").elements())
			genres.emplace_back(v.getString());
		CPPUNIT_ASSERT_EQUAL(std::size_t(2), genres.size());
		CPPUNIT_ASSERT_EQUAL(std::string("crime"), genres[1]);
	}

	void testSetFromOwnValue()
	{
		Properties p{{"a", "some string value that is long"}, {"b", 1}};
		p.set("c", p.get("a"));
		p.set("b", p.get("a"));
		CPPUNIT_ASSERT(p.get("c").getString() == "some string value that is long");
		CPPUNIT_ASSERT(p.get("b").getString() == "some string value that is long");
	}

	void testToJson()
	{
		Properties p{{"quote", "a\"b\\c\n\x01"}, {"utf8", "Am\xC3\xA9lie"}, {"bad", "x\xFFy"}};
		CPPUNIT_ASSERT_EQUAL(std::string("{\"quote\":\"a\\\"b\\\\c\\n\\u0001\",\"utf8\":\"Am\xC3\xA9lie\","
		                                 "\"bad\":\"x\xEF\xBF\xBDy\"}"),
		                     p.toJSON());
		Poco::JSON::Parser parser;
		CPPUNIT_ASSERT_NO_THROW(parser.parse(p.toJSON()));
	}

	void testFromVarRoundTrip()
	{
		std::string json =
		    "{\"s\":\"x\",\"i\":-42,\"big\":18446744073709551615,\"d\":0.25,\"t\":true,\"n\":null,"
		    "\"o\":{\"k\":[1,2,{\"z\":\"w\"}]}}";
		Poco::JSON::Parser parser;
		Properties p = Properties::fromVar(parser.parse(json));
		CPPUNIT_ASSERT_EQUAL(std::size_t(7), p.size());
		CPPUNIT_ASSERT_EQUAL(Poco::Int64(-42), static_cast<Poco::Int64>(p.get("i").getInt()));
		CPPUNIT_ASSERT(p.get("big").isDouble());
		CPPUNIT_ASSERT(p.get("o")["k"].isArray());
		Properties again = Properties::fromVar(p.toObject());
		CPPUNIT_ASSERT(again == p);
	}

	void testFromVarRejectsNonObject()
	{
		Poco::JSON::Parser parser;
		CPPUNIT_ASSERT_THROW(Properties::fromVar(parser.parse("[1,2]")), InvalidMessageException);
		CPPUNIT_ASSERT_THROW(Properties::fromVar(Poco::Dynamic::Var("text")), InvalidMessageException);
	}

	void testFromVarDepthLimit()
	{
		std::string deep;
		for (int i = 0; i < 10; ++i)
			deep += "{\"a\":";
		deep += "1";
		for (int i = 0; i < 10; ++i)
			deep += "}";
		Poco::JSON::Parser parser;
		CPPUNIT_ASSERT_NO_THROW(Properties::fromVar(parser.parse(deep), 10));
		CPPUNIT_ASSERT_THROW(Properties::fromVar(parser.parse(deep), 5), InvalidMessageException);
	}

	class Scrubber : public PropertyRewriter
	{
	public:
		std::string marker = "[REDACTED]";
		Action visit(std::string_view key, const Value& value, unsigned, Value& replacement) override
		{
			if (key == "drop")
				return Remove;
			if (value.isArray() || value.isObject())
				return Descend;
			if (value.isString() && value.getString().find('@') != std::string_view::npos)
			{
				replacement = Value(marker);
				return Replace;
			}
			return Keep;
		}
	};

	void testRewriteReplaceAndRemoveNested()
	{
		Properties p{
		    {"email", "a@b.c"},
		    {"keep", 1},
		    {"nested", Properties{{"drop", 1},
		                          {"list", Array{"x@y.z", "fine", Properties{{"drop", 2}, {"m", "q@r.s"}}}}}},
		    {"drop", "gone"}};
		Scrubber s;
		p.rewrite(s);
		CPPUNIT_ASSERT_EQUAL(std::size_t(3), p.size());
		CPPUNIT_ASSERT_EQUAL(
		    std::string("{\"email\":\"[REDACTED]\",\"keep\":1,\"nested\":{\"list\":[\"[REDACTED]\",\"fine\","
		                "{\"m\":\"[REDACTED]\"}]}}"),
		    p.toJSON());
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), p.get("nested").size());
	}

	void testRewriteNoChangeKeepsBytes()
	{
		Properties p{{"a", "plain"}, {"n", Properties{{"b", Array{1, 2}}}}};
		std::string before = PostHog::PropertiesAccess::encoded(p);
		Scrubber s;
		p.rewrite(s);
		CPPUNIT_ASSERT(before == PostHog::PropertiesAccess::encoded(p));
	}

	void testMerge()
	{
		Properties a{{"x", 1}, {"y", 2}};
		Properties b{{"y", 20}, {"z", 30}};
		Properties keep = a;
		keep.merge(b, false);
		CPPUNIT_ASSERT_EQUAL(std::string("{\"x\":1,\"y\":2,\"z\":30}"), keep.toJSON());
		a.merge(b, true);
		CPPUNIT_ASSERT_EQUAL(std::string("{\"x\":1,\"y\":20,\"z\":30}"), a.toJSON());
		// runs of new entries between keys already present, nested values among them
		Properties c{{"x", 1}, {"y", 2}};
		c.merge(Properties{{"p1", 1},
		                   {"y", 9},
		                   {"p2", Properties{{"n", Array{1, 2}}}},
		                   {"p3", "three"},
		                   {"x", 9},
		                   {"p4", 4.5}},
		        false);
		CPPUNIT_ASSERT_EQUAL(
		    std::string("{\"x\":1,\"y\":2,\"p1\":1,\"p2\":{\"n\":[1,2]},\"p3\":\"three\",\"p4\":4.5}"),
		    c.toJSON());
		CPPUNIT_ASSERT_EQUAL(std::size_t(6), c.size());
		CPPUNIT_ASSERT(c.get("p3").getString() == "three");
	}

	void testNumbers()
	{
		Properties p{{"min", static_cast<long long>(INT64_MIN)},
		             {"max", static_cast<long long>(INT64_MAX)},
		             {"nan", std::nan("")},
		             {"tenth", 0.1},
		             {"big", 1e300}};
		CPPUNIT_ASSERT_EQUAL(
		    std::string("{\"min\":-9223372036854775808,\"max\":9223372036854775807,\"nan\":null,"
		                "\"tenth\":0.1,\"big\":1e+300}"),
		    p.toJSON());
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(PropertiesTest);
