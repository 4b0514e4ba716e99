//
// PiiMiddlewareTest.cpp
//
// The pii plugin's modes, options and structural rules, through the real libPostHogPii.so.
//

#include "PiiStage.h"
#include "PluginDocs.h"
#include "Poco/DigestEngine.h"
#include "Poco/Environment.h"
#include "Poco/FileStream.h"
#include "Poco/HMACEngine.h"
#include "Poco/NumberFormatter.h"
#include "Poco/SHA2Engine.h"
#include "Poco/String.h"
#include "Poco/Timestamp.h"
#include "PostHog/Array.h"
#include "PostHog/Middleware.h"
#include "PostHog/PluginLibrary.h"
#include "encoding/PropertiesAccess.h"
#include <cmath>
#include <cppunit/extensions/HelperMacros.h>
#include <memory>

using PostHog::Array;
using PostHog::Message;
using PostHog::Properties;
using PostHog::Value;
using PostHogTest::PiiStage;

namespace
{

// An HMAC-SHA256 computed independently of the plugin, to check its hash mode against.
class Sha256 : public Poco::SHA2Engine
{
public:
	enum
	{
		BLOCK_SIZE = 64,
		DIGEST_SIZE = 32
	};
};

std::string hmacHex(const std::string& key, const std::string& data)
{
	Poco::HMACEngine<Sha256> hmac(key);
	hmac.update(data);
	return Poco::DigestEngine::digestToHex(hmac.digest());
}

std::string str(const Properties& p, const std::string& key)
{
	Value v = p.get(key);
	return v.isString() ? std::string(v.getString()) : v.toJSON();
}

} // namespace

class PiiMiddlewareTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(PiiMiddlewareTest);
	CPPUNIT_TEST(testRedactReplacesOnlyTheMatch);
	CPPUNIT_TEST(testHashIsKeyedStableAndNormalised);
	CPPUNIT_TEST(testRemoveDropsTheProperty);
	CPPUNIT_TEST(testPerKindModes);
	CPPUNIT_TEST(testAllowList);
	CPPUNIT_TEST(testNestedObjectsAndArrays);
	CPPUNIT_TEST(testSensitiveKeysWhateverTheValue);
	CPPUNIT_TEST(testExtraSensitiveKeys);
	CPPUNIT_TEST(testPostHogKeys);
	CPPUNIT_TEST(testUrlKeepsTheUrl);
	CPPUNIT_TEST(testAssignmentsInText);
	CPPUNIT_TEST(testCardStoredAsInteger);
	CPPUNIT_TEST(testVersionKeysKeepDottedQuads);
	CPPUNIT_TEST(testDefaultRegion);
	CPPUNIT_TEST(testCleanEventUnchanged);
	CPPUNIT_TEST(testFailsClosedOnTooDeepNesting);
	CPPUNIT_TEST(testConfigurationErrors);
	CPPUNIT_TEST(testOptionsDocumented);
	CPPUNIT_TEST(testLargeInputsStayLinear);
	CPPUNIT_TEST(testRepeatedKeysAndValuesJudgedAlike);
	CPPUNIT_TEST_SUITE_END();

public:
	void testRedactReplacesOnlyTheMatch()
	{
		PiiStage stage;
		Properties out = stage.scrub(Properties{
		    {"note", "mail a.b@example.com or call +44 20 7946 0958 today"}, {"plan", "pro"}, {"seats", 3}});
		CPPUNIT_ASSERT_EQUAL(std::string("mail [REDACTED:email] or call [REDACTED:phone] today"),
		                     str(out, "note"));
		CPPUNIT_ASSERT_EQUAL(std::string("pro"), str(out, "plan"));
		CPPUNIT_ASSERT(out.get("seats") == Value(3));
	}

	void testHashIsKeyedStableAndNormalised()
	{
		PiiStage a(PiiStage::Options{{"mode", "hash"}, {"hashKey", "k1-secret"}});
		PiiStage b(PiiStage::Options{{"mode", "hash"}, {"hashKey", "k1-secret"}});
		PiiStage other(PiiStage::Options{{"mode", "hash"}, {"hashKey", "k2-secret"}});
		std::string expected = "email:" + hmacHex("k1-secret", "jane@example.com");
		Properties in{{"email", "Jane@Example.com"}};
		CPPUNIT_ASSERT_EQUAL(expected, str(a.scrub(in), "email"));
		CPPUNIT_ASSERT_EQUAL(expected, str(a.scrub(in), "email")); // stable
		CPPUNIT_ASSERT_EQUAL(expected, str(b.scrub(in), "email")); // across instances
		CPPUNIT_ASSERT_EQUAL(expected,
		                     str(a.scrub(Properties{{"email", "jane@example.com"}}), "email")); // case
		CPPUNIT_ASSERT(str(other.scrub(in), "email") != expected);                              // keyed
		CPPUNIT_ASSERT_EQUAL(64 + 6, static_cast<int>(expected.size()));
		// phones hash by their digits, so two spellings join
		std::string p1 = str(a.scrub(Properties{{"t", "+1 (415) 555-2671"}}), "t");
		std::string p2 = str(a.scrub(Properties{{"t", "+1-415-555-2671"}}), "t");
		CPPUNIT_ASSERT_EQUAL(std::string("phone:") + hmacHex("k1-secret", "14155552671"), p1);
		CPPUNIT_ASSERT_EQUAL(p1, p2);
		// sensitive keys hash the whole value
		CPPUNIT_ASSERT_EQUAL("sensitive_key:" + hmacHex("k1-secret", "hunter2"),
		                     str(a.scrub(Properties{{"password", "hunter2"}}), "password"));
	}

	void testRemoveDropsTheProperty()
	{
		PiiStage stage(PiiStage::Options{{"mode", "remove"}});
		Properties out = stage.scrub(Properties{{"contact", "x@example.com"},
		                                        {"plan", "pro"},
		                                        {"list", Array{"ok", "call 415-555-2671", "fine"}},
		                                        {"password", "p"}});
		CPPUNIT_ASSERT(!out.has("contact"));
		CPPUNIT_ASSERT(!out.has("password"));
		CPPUNIT_ASSERT_EQUAL(std::string("pro"), str(out, "plan"));
		CPPUNIT_ASSERT_EQUAL(std::string("[\"ok\",\"fine\"]"), out.get("list").toJSON());
		CPPUNIT_ASSERT_EQUAL(std::size_t(2), out.size());
	}

	void testPerKindModes()
	{
		PiiStage stage(PiiStage::Options{{"mode", "redact"},
		                                 {"phoneMode", "off"},
		                                 {"ipMode", "remove"},
		                                 {"cardMode", "hash"},
		                                 {"hashKey", "k"}});
		Properties out = stage.scrub(Properties{
		    {"a", "a@example.com 415-555-2671"}, {"b", "from 203.0.113.9"}, {"c", "4111 1111 1111 1111"}});
		CPPUNIT_ASSERT_EQUAL(std::string("[REDACTED:email] 415-555-2671"), str(out, "a"));
		CPPUNIT_ASSERT(!out.has("b"));
		CPPUNIT_ASSERT_EQUAL("card:" + hmacHex("k", "4111111111111111"), str(out, "c"));
	}

	void testAllowList()
	{
		PiiStage stage(PiiStage::Options{{"allowKeys", "support_email, $ip"}});
		Properties out = stage.scrub(Properties{{"support_email", "help@example.com"},
		                                        {"$ip", "203.0.113.9"},
		                                        {"user_email", "me@example.com"},
		                                        {"nested", Properties{{"support_email", "x@example.com"}}}});
		CPPUNIT_ASSERT_EQUAL(std::string("help@example.com"), str(out, "support_email"));
		CPPUNIT_ASSERT_EQUAL(std::string("203.0.113.9"), str(out, "$ip"));
		CPPUNIT_ASSERT_EQUAL(std::string("[REDACTED:email]"), str(out, "user_email"));
		CPPUNIT_ASSERT_EQUAL(std::string("{\"support_email\":\"x@example.com\"}"),
		                     out.get("nested").toJSON());
		// the default allow-list keeps PostHog's machine keys, and $ip is scrubbed without it
		PiiStage plain;
		Properties out2 = plain.scrub(Properties{{"$lib_version", "1.2.3.4"}, {"$ip", "203.0.113.9"}});
		CPPUNIT_ASSERT_EQUAL(std::string("1.2.3.4"), str(out2, "$lib_version"));
		CPPUNIT_ASSERT_EQUAL(std::string("[REDACTED:ip]"), str(out2, "$ip"));
	}

	void testNestedObjectsAndArrays()
	{
		PiiStage stage;
		Properties in{{"user", Properties{{"contact", Properties{{"mail", "deep@example.com"}}},
		                                  {"phones", Array{"+49 30 1234567", "n/a"}}}},
		              {"items", Array{Properties{{"password", "x"}, {"name", "ok"}}, Array{"203.0.113.9"}}}};
		Properties out = stage.scrub(in);
		CPPUNIT_ASSERT_EQUAL(
		    std::string("{\"user\":{\"contact\":{\"mail\":\"[REDACTED:email]\"},\"phones\":[\"["
		                "REDACTED:phone]\",\"n/a\"]},\"items\":[{\"password\":\"[REDACTED:"
		                "sensitive_key]\",\"name\":\"ok\"},[\"[REDACTED:ip]\"]]}"),
		    out.toJSON());
	}

	void testSensitiveKeysWhateverTheValue()
	{
		PiiStage stage;
		Properties out = stage.scrub(Properties{{"pin", 1234},
		                                        {"credentials", Properties{{"user", "u"}, {"pass", "p"}}},
		                                        {"apiKey", Array{"a", "b"}},
		                                        {"Authorization", "Basic dXNlcjpwYXNz"},
		                                        {"token", nullptr},
		                                        {"password", ""},
		                                        {"tokens_used", 1234},
		                                        {"author", "Jane"}});
		const std::string r = "[REDACTED:sensitive_key]";
		CPPUNIT_ASSERT_EQUAL(r, str(out, "pin"));
		CPPUNIT_ASSERT_EQUAL(r, str(out, "credentials"));
		CPPUNIT_ASSERT_EQUAL(r, str(out, "apiKey"));
		CPPUNIT_ASSERT_EQUAL(r, str(out, "Authorization"));
		CPPUNIT_ASSERT(out.get("token").isNull() && out.has("token")); // nothing to hide
		CPPUNIT_ASSERT_EQUAL(std::string(""), str(out, "password"));
		CPPUNIT_ASSERT(out.get("tokens_used") == Value(1234));
		CPPUNIT_ASSERT_EQUAL(std::string("Jane"), str(out, "author"));
		PiiStage remove(PiiStage::Options{{"keyMode", "remove"}});
		Properties out2 = remove.scrub(Properties{{"api_key", "x"}, {"plan", "pro"}});
		CPPUNIT_ASSERT(!out2.has("api_key") && out2.has("plan"));
	}

	void testExtraSensitiveKeys()
	{
		PiiStage stage(PiiStage::Options{{"sensitiveKeys", "loyalty_number, DOB"}});
		Properties out = stage.scrub(
		    Properties{{"loyaltyNumber", "A-77"}, {"customer_dob", "1990-01-01"}, {"loyalty_tier", "gold"}});
		CPPUNIT_ASSERT_EQUAL(std::string("[REDACTED:sensitive_key]"), str(out, "loyaltyNumber"));
		CPPUNIT_ASSERT_EQUAL(std::string("[REDACTED:sensitive_key]"), str(out, "customer_dob"));
		CPPUNIT_ASSERT_EQUAL(std::string("gold"), str(out, "loyalty_tier"));
	}

	void testPostHogKeys()
	{
		// $-keys are never sensitive by name, but their values are scanned
		PiiStage stage;
		Properties out =
		    stage.scrub(Properties{{"$token", "plain-project-value"},
		                           {"$set", Properties{{"email", "p@example.com"}, {"password", "x"}}},
		                           {"$referrer", "https://a.example.com/?api_key=s3cr3t"},
		                           {"$session_id", "019f0c5e-1234-7abc-8def-0123456789ab"}});
		CPPUNIT_ASSERT_EQUAL(std::string("plain-project-value"), str(out, "$token"));
		CPPUNIT_ASSERT_EQUAL(
		    std::string("{\"email\":\"[REDACTED:email]\",\"password\":\"[REDACTED:sensitive_key]\"}"),
		    out.get("$set").toJSON());
		CPPUNIT_ASSERT_EQUAL(std::string("https://a.example.com/?api_key=[REDACTED:url]"),
		                     str(out, "$referrer"));
		CPPUNIT_ASSERT_EQUAL(std::string("019f0c5e-1234-7abc-8def-0123456789ab"), str(out, "$session_id"));
	}

	void testUrlKeepsTheUrl()
	{
		PiiStage stage;
		Properties out = stage.scrub(Properties{
		    {"$current_url", "https://app.example.com/cb?tokens=3&access_token=abc.def&lang=en#id_token=xyz"},
		    {"dsn", "postgres://admin:hunter22@db.example.com:5432/app"},
		    {"page", "https://example.com/?author=bob&keyboard=us"}});
		CPPUNIT_ASSERT_EQUAL(
		    std::string("https://app.example.com/"
		                "cb?tokens=3&access_token=[REDACTED:url]&lang=en#id_token=[REDACTED:url]"),
		    str(out, "$current_url"));
		CPPUNIT_ASSERT_EQUAL(std::string("postgres://admin:[REDACTED:url]@db.example.com:5432/app"),
		                     str(out, "dsn"));
		CPPUNIT_ASSERT_EQUAL(std::string("https://example.com/?author=bob&keyboard=us"), str(out, "page"));
	}

	void testAssignmentsInText()
	{
		PiiStage stage;
		Properties out =
		    stage.scrub(Properties{{"log", "user=bob password: hunter2 AWS_SECRET=wJalr/K7MD max_tokens=9"},
		                           {"body", "{\"api_key\": \"q8Ztr4Kx9Lm\", \"author\": \"jane\"}"},
		                           {"ssn", "x"},
		                           {"note", "ssn: 078-05-1120"}});
		CPPUNIT_ASSERT_EQUAL(
		    std::string("user=bob password: [REDACTED:secret] AWS_SECRET=[REDACTED:secret] max_tokens=9"),
		    str(out, "log"));
		CPPUNIT_ASSERT_EQUAL(std::string("{\"api_key\": \"[REDACTED:secret]\", \"author\": \"jane\"}"),
		                     str(out, "body"));
		// a typed detector keeps its kind
		CPPUNIT_ASSERT_EQUAL(std::string("ssn: [REDACTED:ssn]"), str(out, "note"));
	}

	void testCardStoredAsInteger()
	{
		PiiStage stage;
		Properties out = stage.scrub(
		    Properties{{"n", 4111111111111111LL}, {"ts", 1709648551123LL}, {"bad", 4111111111111112LL}});
		CPPUNIT_ASSERT_EQUAL(std::string("[REDACTED:card]"), str(out, "n"));
		CPPUNIT_ASSERT(out.get("ts") == Value(1709648551123LL));
		CPPUNIT_ASSERT(out.get("bad") == Value(4111111111111112LL));
	}

	void testVersionKeysKeepDottedQuads()
	{
		PiiStage stage;
		Properties out = stage.scrub(Properties{{"app_version", "1.2.3.4"},
		                                        {"buildNumber", "10.0.0.1"},
		                                        {"client", "1.2.3.4"},
		                                        {"ua", "Mozilla/5.0 Chrome/120.0.0.0 Safari/537.36"}});
		CPPUNIT_ASSERT_EQUAL(std::string("1.2.3.4"), str(out, "app_version"));
		CPPUNIT_ASSERT_EQUAL(std::string("10.0.0.1"), str(out, "buildNumber"));
		CPPUNIT_ASSERT_EQUAL(std::string("[REDACTED:ip]"), str(out, "client"));
		CPPUNIT_ASSERT_EQUAL(std::string("Mozilla/5.0 Chrome/120.0.0.0 Safari/537.36"), str(out, "ua"));
	}

	void testDefaultRegion()
	{
		Properties in{{"a", "020 7946 0958"}, {"b", "(415) 555-2671"}, {"c", "+44 20 7946 0958"}};
		Properties us = PiiStage().scrub(in);
		CPPUNIT_ASSERT_EQUAL(std::string("020 7946 0958"), str(us, "a"));
		CPPUNIT_ASSERT_EQUAL(std::string("[REDACTED:phone]"), str(us, "b"));
		CPPUNIT_ASSERT_EQUAL(std::string("[REDACTED:phone]"), str(us, "c"));
		const char* national[][2] = {{"FR", "01 23 45 67 89"}, {"DE", "030 12345678"},
		                             {"AU", "0412 345 678"},   {"JP", "03-1234-5678"},
		                             {"IN", "098765 43210"},   {"NL", "020-123 4567"}};
		for (const auto& n : national)
		{
			Properties out =
			    PiiStage(PiiStage::Options{{"defaultRegion", n[0]}}).scrub(Properties{{"t", n[1]}});
			CPPUNIT_ASSERT_EQUAL_MESSAGE(n[0], std::string("[REDACTED:phone]"), str(out, "t"));
		}
		Properties gb = PiiStage(PiiStage::Options{{"defaultRegion", "gb"}}).scrub(in);
		CPPUNIT_ASSERT_EQUAL(std::string("[REDACTED:phone]"), str(gb, "a"));
		CPPUNIT_ASSERT_EQUAL(std::string("[REDACTED:phone]"), str(gb, "c"));
	}

	void testCleanEventUnchanged()
	{
		PiiStage stage;
		Properties in{{"$current_url", "https://app.example.com/project/1/insights?insight=TRENDS"},
		              {"$browser", "Chrome"},
		              {"order", "ORD-2024-000123"},
		              {"id", "550e8400-e29b-41d4-a716-446655440000"},
		              {"price", "$1,299.99"},
		              {"sha", "9fceb02d0ae598e95dc970b74767f19372d61af8"},
		              {"img", "logo@2x.png"},
		              {"when", "2024-03-05T14:22:31.123+05:30"},
		              {"n", 4111111111111112LL}};
		Properties out = stage.scrub(in);
		CPPUNIT_ASSERT(out == in);
		CPPUNIT_ASSERT_EQUAL(PostHog::PropertiesAccess::encoded(in), PostHog::PropertiesAccess::encoded(out));
	}

	void testRepeatedKeysAndValuesJudgedAlike()
	{
		// The stage remembers what it decided about keys and clean values; the answers must stay
		// those of a fresh stage however often keys and values repeat, and whatever evicts them
		// (thousands of distinct keys and values pass between the repeats).
		PiiStage stage;
		auto check = [&stage](int round)
		{
			Properties out =
			    stage.scrub(Properties{{"plan", "pro"},
			                           {"note", "mail a.b@example.com today"},
			                           {"password", "hunter2"},
			                           {"$lib", "x@example.com"},
			                           {"tags", Array{"clean text here", "call +44 20 7946 0958"}},
			                           {"client", "1.2.3.4"},
			                           {"app_version", "1.2.3.4"}});
			std::string at = " (round " + std::to_string(round) + ")";
			CPPUNIT_ASSERT_EQUAL_MESSAGE(at, std::string("pro"), str(out, "plan"));
			CPPUNIT_ASSERT_EQUAL_MESSAGE(at, std::string("mail [REDACTED:email] today"), str(out, "note"));
			CPPUNIT_ASSERT_EQUAL_MESSAGE(at, std::string("[REDACTED:sensitive_key]"), str(out, "password"));
			CPPUNIT_ASSERT_EQUAL_MESSAGE(at, std::string("x@example.com"), str(out, "$lib"));
			CPPUNIT_ASSERT_EQUAL_MESSAGE(at, std::string("[\"clean text here\",\"call [REDACTED:phone]\"]"),
			                             out.get("tags").toJSON());
			CPPUNIT_ASSERT_EQUAL_MESSAGE(at, std::string("[REDACTED:ip]"), str(out, "client"));
			CPPUNIT_ASSERT_EQUAL_MESSAGE(at, std::string("1.2.3.4"), str(out, "app_version"));
		};
		for (int round = 0; round < 3; ++round)
		{
			check(round);
			for (int i = 0; i < 3000; ++i)
			{
				std::string n = std::to_string(round * 3000 + i);
				Properties out =
				    stage.scrub(Properties{{"k" + n, "value " + n}, {"db" + n + "_password", "t"}});
				CPPUNIT_ASSERT_EQUAL(std::string("value ") + n, str(out, "k" + n));
				CPPUNIT_ASSERT_EQUAL(std::string("[REDACTED:sensitive_key]"),
				                     str(out, "db" + n + "_password"));
			}
			// a key first seen clean, then holding personal data
			CPPUNIT_ASSERT_EQUAL(std::string("[REDACTED:email]"),
			                     str(stage.scrub(Properties{{"plan", "z@example.com"}}), "plan"));
		}
	}

	void testFailsClosedOnTooDeepNesting()
	{
		PiiStage stage(PiiStage::Options{{"maxDepth", "2"}});
		Message ok(Message::Type::Capture, "e", "u",
		           Properties{{"a", Properties{{"b", Properties{{"c", "x"}}}}}});
		CPPUNIT_ASSERT(stage.run(ok).passed);
		Message deep(Message::Type::Capture, "e", "u",
		             Properties{{"a", Properties{{"b", Properties{{"c", Array{"x@example.com"}}}}}}});
		PostHog::Pipeline::Outcome outcome = stage.run(deep);
		CPPUNIT_ASSERT(!outcome.passed);
		CPPUNIT_ASSERT_EQUAL(std::string("pii"), outcome.droppedBy);
		CPPUNIT_ASSERT(outcome.reason.find("nests deeper than 2") != std::string::npos);
		auto stats = stage.pipeline().statistics();
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), stats.at(0).errors);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), stats.at(0).dropped);
	}

	void testConfigurationErrors()
	{
		std::string e = PiiStage::buildError({{"emailMode", "hash"}});
		CPPUNIT_ASSERT_MESSAGE(e, e.find("hashKey") != std::string::npos &&
		                              e.find("'pii'") != std::string::npos);
		e = PiiStage::buildError({{"defaultRegion", "XX"}});
		CPPUNIT_ASSERT_MESSAGE(e, e.find("defaultRegion") != std::string::npos &&
		                              e.find("XX") != std::string::npos);
		e = PiiStage::buildError({{"phoneMode", "scramble"}});
		CPPUNIT_ASSERT_MESSAGE(e, e.find("phoneMode") != std::string::npos &&
		                              e.find("scramble") != std::string::npos);
		e = PiiStage::buildError({{"maxDepth", "0"}});
		CPPUNIT_ASSERT_MESSAGE(e, e.find("maxDepth") != std::string::npos);
		CPPUNIT_ASSERT_EQUAL(std::string(), PiiStage::buildError({{"mode", "hash"}, {"hashKey", "k"}}));
	}

	void testOptionsDocumented()
	{
		// README.md, section pii, shows every option exactly as the plugin declares it.
		PostHog::PluginLibrary plugin("PostHogPii");
		std::vector<std::string> rows;
		{
			std::unique_ptr<PostHog::Middleware> stage = plugin.create("PiiMiddleware");
			CPPUNIT_ASSERT(stage->defaultOnError() == PostHog::Middleware::OnError::Drop);
			for (const auto& spec : stage->options())
				rows.push_back(PostHogTest::PluginDocs::optionRow(spec));
		}
		CPPUNIT_ASSERT_EQUAL(std::size_t(16), rows.size());
		std::string missing = PostHogTest::PluginDocs::missingRows("pii", rows);
		CPPUNIT_ASSERT_MESSAGE("README.md, section pii, lacks:\n" + missing, missing.empty());
	}

	void testLargeInputsStayLinear()
	{
		// Hundreds of kilobytes of dense or pathological matches: every detector stays linear
		// (findings merge per detector, PEM and URL scans skip what they consumed). A quadratic
		// scan of these takes minutes; the bound is generous for a loaded CI machine.
		std::string mixed, pem, urls, digits;
		for (int i = 0; i < 20000; ++i)
		{
			mixed += "10.0." + std::to_string(i % 250) + "." + std::to_string(i % 200 + 1) + " u" +
			         std::to_string(i) + "@example.com ";
			pem += "-----BEGIN RSA PRIVATE KEY-----";
			urls += "a://b";
			digits += "+1 415 555 2671 4111-1111-1111-1111 ";
		}
		PiiStage stage;
		Poco::Timestamp start;
		Properties out =
		    stage.scrub(Properties{{"mixed", mixed}, {"pem", pem}, {"urls", urls}, {"digits", digits}});
		double seconds = static_cast<double>(start.elapsed()) / 1e6;
		CPPUNIT_ASSERT_MESSAGE(std::to_string(seconds) + " s", seconds < 5.0);
		std::string m = str(out, "mixed");
		std::size_t ips = 0, emails = 0;
		for (std::size_t p = m.find("[REDACTED:ip]"); p != std::string::npos;
		     p = m.find("[REDACTED:ip]", p + 1))
			++ips;
		for (std::size_t p = m.find("[REDACTED:email]"); p != std::string::npos;
		     p = m.find("[REDACTED:email]", p + 1))
			++emails;
		CPPUNIT_ASSERT_EQUAL(std::size_t(20000), ips);
		CPPUNIT_ASSERT_EQUAL(std::size_t(20000), emails);
		CPPUNIT_ASSERT_EQUAL(std::string("[REDACTED:secret]"), str(out, "pem"));
		CPPUNIT_ASSERT(str(out, "digits").find("4111") == std::string::npos);
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(PiiMiddlewareTest);
