//
// LogChannelTest.cpp
//
// PostHog::LogChannel configured the way an application configures Poco logging: a real
// Poco::Util::Application with a .properties file, and LoggingConfigurator alone.
//

#include "PostHog/LogChannel.h"
#include "LogsTestSupport.h"
#include "Poco/AutoPtr.h"
#include "Poco/FileStream.h"
#include "Poco/Logger.h"
#include "Poco/TemporaryFile.h"
#include "Poco/Util/Application.h"
#include "Poco/Util/LoggingConfigurator.h"
#include "Poco/Util/PropertyFileConfiguration.h"
#include "PostHog/ClientSubsystem.h"
#include "PostHog/Exceptions.h"
#include <cppunit/TestFixture.h>
#include <cppunit/extensions/HelperMacros.h>

using namespace PostHogTest;

namespace
{

class OrdersApp : public Poco::Util::Application
/// What a user writes: a subsystem line and a configuration file; main() just logs.
{
public:
	explicit OrdersApp(const std::string& properties) : _properties(properties)
	{
		addSubsystem(new PostHog::ClientSubsystem);
	}

protected:
	void initialize(Poco::Util::Application& self) override
	{
		loadConfiguration(_properties);
		Poco::Util::Application::initialize(self);
	}

	int main(const ArgVec&) override
	{
		Poco::Logger& orders = Poco::Logger::get("Orders");
		orders.information("order 42 placed");
		orders.warning("stock low for sku-7");
		orders.debug("below the logger's level: never reaches the channel");
		Poco::Logger::get("PostHog").warning("the client's own diagnostics stay out of PostHog Logs");
		return EXIT_OK;
	}

private:
	std::string _properties;
};

} // namespace

class LogChannelTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(LogChannelTest);
	CPPUNIT_TEST(testApplicationSendsPocoLogsByConfigurationAlone);
	CPPUNIT_TEST(testRecordsAfterShutdownAreDropped);
	CPPUNIT_TEST(testLoggingConfiguratorWithABoundClient);
	CPPUNIT_TEST(testPrioritiesMapToSeverities);
	CPPUNIT_TEST(testARecordNeverRecurses);
	CPPUNIT_TEST(testUnknownChannelPropertyIsRefused);
	CPPUNIT_TEST_SUITE_END();

public:
	void setUp() override { _h.reset(new LogsHarness); }
	void tearDown() override
	{
		Poco::Logger::root().setChannel(nullptr);
		Poco::Logger::get("Orders").setChannel(nullptr);
		_h.reset();
	}

	std::string writeProperties(const std::string& extra)
	{
		_file.reset(new Poco::TemporaryFile);
		_file->keepUntilExit();
		std::string path = _file->path() + ".properties";
		Poco::FileOutputStream out(path);
		out << "posthog.apiKey = " << LogsHarness::kApiKey << "\n"
		    << "posthog.host = " << _h->server.url() << "\n"
		    << "posthog.logs.flushInterval = 60000\n"
		    << "posthog.logs.serviceName = orders\n"
		    << "logging.loggers.root.channel = ph\n"
		    << "logging.loggers.root.level = information\n"
		    << "logging.channels.ph.class = PostHogLogChannel\n"
		    << extra;
		out.close();
		_paths.push_back(path);
		return path;
	}

	void testApplicationSendsPocoLogsByConfigurationAlone()
	{
		OrdersApp app(writeProperties(""));
		char name[] = "orders";
		char* argv[] = {name, nullptr};
		app.init(1, argv);
		CPPUNIT_ASSERT_EQUAL(int(Poco::Util::Application::EXIT_OK), app.run()); // uninitialize() flushes
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), _h->logs.errors().size());
		std::vector<Poco::JSON::Object::Ptr> orders;
		for (const auto& r : _h->logs.records())
		{
			CPPUNIT_ASSERT(
			    r->getObject("body")->getValue<std::string>("stringValue").find("own diagnostics") ==
			    std::string::npos);
			if (OtlpLogsEndpoint::stringAttribute(r, "logger.name") == "Orders")
				orders.push_back(r);
		}
		CPPUNIT_ASSERT_EQUAL(std::size_t(2), orders.size());
		CPPUNIT_ASSERT_EQUAL(std::string("order 42 placed"),
		                     orders[0]->getObject("body")->getValue<std::string>("stringValue"));
		CPPUNIT_ASSERT_EQUAL(9, orders[0]->getValue<int>("severityNumber"));
		CPPUNIT_ASSERT_EQUAL(13, orders[1]->getValue<int>("severityNumber"));
		CPPUNIT_ASSERT(!OtlpLogsEndpoint::attribute(orders[0], "thread.id").empty());
		CPPUNIT_ASSERT_EQUAL(std::string("orders"), _h->logs.resources().at(0)["service.name"]);
	}

	void testRecordsAfterShutdownAreDropped()
	{
		{
			OrdersApp app(writeProperties(""));
			char name[] = "orders";
			char* argv[] = {name, nullptr};
			app.init(1, argv);
			app.run();
		}
		std::size_t before = _h->logs.records().size();
		// The root logger still writes to the channel; no client is bound any more.
		CPPUNIT_ASSERT_NO_THROW(Poco::Logger::get("Orders").error("after the client is gone"));
		Poco::Thread::sleep(20);
		CPPUNIT_ASSERT_EQUAL(before, _h->logs.records().size());
	}

	void testLoggingConfiguratorWithABoundClient()
	{
		auto client = _h->client();
		PostHog::LogChannel::bindDefault(client.get());
		Poco::AutoPtr<Poco::Util::PropertyFileConfiguration> config(new Poco::Util::PropertyFileConfiguration(
		    writeProperties("logging.channels.ph.source = component\n")));
		Poco::Util::LoggingConfigurator().configure(config);
		Poco::Logger::get("Billing").error("card declined");
		PostHog::LogChannel::unbindDefault(client.get());
		client->flush();
		auto records = _h->logs.records();
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), records.size());
		CPPUNIT_ASSERT_EQUAL(std::string("Billing"),
		                     OtlpLogsEndpoint::stringAttribute(records[0], "component"));
		CPPUNIT_ASSERT_EQUAL(17, records[0]->getValue<int>("severityNumber"));
	}

	void testPrioritiesMapToSeverities()
	{
		using P = Poco::Message::Priority;
		const std::pair<P, int> expected[] = {
		    {Poco::Message::PRIO_FATAL, 21}, {Poco::Message::PRIO_CRITICAL, 21},
		    {Poco::Message::PRIO_ERROR, 17}, {Poco::Message::PRIO_WARNING, 13},
		    {Poco::Message::PRIO_NOTICE, 9}, {Poco::Message::PRIO_INFORMATION, 9},
		    {Poco::Message::PRIO_DEBUG, 5},  {Poco::Message::PRIO_TRACE, 1}};
		auto client = _h->client();
		Poco::AutoPtr<PostHog::LogChannel> channel(new PostHog::LogChannel(*client));
		for (const auto& e : expected)
			channel->log(Poco::Message("Mapping", "priority " + std::to_string(int(e.first)), e.first));
		client->flush();
		auto records = _h->logs.records();
		CPPUNIT_ASSERT_EQUAL(std::size_t(8), records.size());
		for (std::size_t i = 0; i < 8; ++i)
			CPPUNIT_ASSERT_EQUAL(expected[i].second, records[i]->getValue<int>("severityNumber"));
		channel->setProperty("minLevel", "warn");
		channel->log(Poco::Message("Mapping", "dropped by minLevel", Poco::Message::PRIO_INFORMATION));
		channel->setClient(nullptr);
		client->flush();
		CPPUNIT_ASSERT_EQUAL(std::size_t(8), _h->logs.records().size());
	}

	void testARecordNeverRecurses()
	{
		// The client reports the rate cap through the logger the channel is attached to, from
		// inside captureLog(): that report must not come back into the channel.
		auto client = _h->client({{"posthog.logs.rateLimit.maxLogs", "1"},
		                          {"posthog.logs.rateLimit.window", "600000"},
		                          {"posthog.logs.serviceName", "recursion"}});
		Poco::AutoPtr<PostHog::LogChannel> channel(new PostHog::LogChannel(*client));
		Poco::Logger::get("PostHog").setChannel(channel);
		Poco::Logger::get("Orders").setChannel(channel);
		Poco::Logger::get("Orders").information("one");
		Poco::Logger::get("Orders").information("two");
		Poco::Logger::get("Orders").information("three");
		Poco::Logger::get("PostHog").setChannel(nullptr);
		channel->setClient(nullptr);
		client->flush();
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), _h->logs.records().size());
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(2), client->statistics().logs.droppedByReason["rate_limited"]);
	}

	void testUnknownChannelPropertyIsRefused()
	{
		Poco::AutoPtr<PostHog::LogChannel> channel(new PostHog::LogChannel);
		CPPUNIT_ASSERT_THROW(channel->setProperty("colour", "red"), Poco::PropertyNotSupportedException);
		CPPUNIT_ASSERT_THROW(channel->setProperty("source", ""), PostHog::ConfigurationException);
	}

private:
	std::unique_ptr<LogsHarness> _h;
	std::unique_ptr<Poco::TemporaryFile> _file;
	std::vector<std::string> _paths;
};

CPPUNIT_TEST_SUITE_REGISTRATION(LogChannelTest);
