//
// EmbedTest.cpp
//
// PostHog::ClientSubsystem inside a real Poco::Util::Application, and the installed package
// used the way another project uses it: cmake --install, find_package(PostHog) with the
// subsystem, pkg-config, and the custom-plugin sample built out of tree.
//

#include "CaptureServer.h"
#include "Poco/Channel.h"
#include "Poco/Environment.h"
#include "Poco/File.h"
#include "Poco/FileStream.h"
#include "Poco/Logger.h"
#include "Poco/LoggingRegistry.h"
#include "Poco/Message.h"
#include "Poco/Path.h"
#include "Poco/PipeStream.h"
#include "Poco/Process.h"
#include "Poco/StreamCopier.h"
#include "Poco/StringTokenizer.h"
#include "Poco/TemporaryFile.h"
#include "Poco/Util/Application.h"
#include "Poco/Util/OptionException.h"
#include "PostHog/ClientSubsystem.h"
#include "PostHog/Exceptions.h"
#include "PostHog/Pipeline.h"
#include "TempDir.h"
#include <chrono>
#include <cppunit/extensions/HelperMacros.h>
#include <functional>
#include <iostream>

using namespace PostHog;
using PostHogTest::CaptureServer;
using PostHogTest::TempDir;

namespace
{

class RecordingChannel : public Poco::Channel
/// Keeps the text of every log message.
{
public:
	void log(const Poco::Message& message) override
	{
		Poco::FastMutex::ScopedLock lock(_mutex);
		_texts.push_back(message.getText());
	}
	std::string all() const
	{
		Poco::FastMutex::ScopedLock lock(_mutex);
		std::string out;
		for (const auto& t : _texts)
			out += t + "\n";
		return out;
	}

private:
	mutable Poco::FastMutex _mutex;
	std::vector<std::string> _texts;
};

class EmbedApp : public Poco::Util::Application
/// An application with the PostHog subsystem: loads an optional configuration file, logs to
/// the "EmbedTestApp" logger, runs body as main().
{
public:
	using Body = std::function<void(EmbedApp&)>;

	EmbedApp(Body body, std::string configFile = std::string(), ClientOptions codeOptions = ClientOptions())
	    : _body(std::move(body)), _configFile(std::move(configFile))
	{
		addSubsystem(new ClientSubsystem(std::move(codeOptions)));
	}

	Client& posthog() { return getSubsystem<ClientSubsystem>().client(); }

protected:
	void initialize(Application& self) override
	{
		if (!_configFile.empty())
			loadConfiguration(_configFile);
		// Poco's LoggingSubsystem (initialized first) configures logging from these keys and
		// sets the application logger; the client must log there.
		config().setString("logging.loggers.app.name", "EmbedTestApp");
		config().setString("logging.loggers.app.channel", "recording");
		config().setString("logging.loggers.app.level", "information");
		config().setString("application.logger", "EmbedTestApp");
		Application::initialize(self);
	}

	int main(const ArgVec&) override
	{
		_body(*this);
		return EXIT_OK;
	}

private:
	Body _body;
	std::string _configFile;
};

struct AppRun
{
	int exitCode = -1;
	std::string log;
};

AppRun runApp(std::vector<std::string> args, EmbedApp::Body body,
              const std::string& configFile = std::string(), ClientOptions codeOptions = ClientOptions())
{
	Poco::AutoPtr<RecordingChannel> channel = new RecordingChannel;
	Poco::LoggingRegistry::defaultRegistry().registerChannel("recording", channel);
	args.insert(args.begin(), "embedtest");
	AppRun result;
	{
		Poco::AutoPtr<EmbedApp> app = new EmbedApp(std::move(body), configFile, std::move(codeOptions));
		app->init(args);
		result.exitCode = app->run();
	}
	Poco::Logger::get("EmbedTestApp").setChannel(nullptr);
	Poco::LoggingRegistry::defaultRegistry().unregisterChannel("recording");
	result.log = channel->all();
	return result;
}

void assertContains(const std::string& text, const std::string& part)
{
	if (text.find(part) == std::string::npos)
		CPPUNIT_FAIL("'" + part + "' is missing from: " + text);
}

std::string writeFile(const std::string& path, const std::string& text)
{
	Poco::FileOutputStream out(path);
	out << text;
	out.close();
	return path;
}

std::string env(const std::string& name)
{
	if (!Poco::Environment::has(name))
		CPPUNIT_FAIL(name + " is not set: run this test through ctest");
	return Poco::Environment::get(name);
}

struct Ran
{
	int exitCode = -1;
	std::string output; // stdout and stderr
	double seconds = 0;
};

Ran runProcess(const std::string& command, const std::vector<std::string>& args,
               const Poco::Process::Env& environment = Poco::Process::Env())
{
	Poco::Pipe out;
	auto start = std::chrono::steady_clock::now();
	Poco::ProcessHandle handle = Poco::Process::launch(command, args, nullptr, &out, &out, environment);
	Poco::PipeInputStream stream(out);
	Ran ran;
	Poco::StreamCopier::copyToString(stream, ran.output);
	ran.exitCode = handle.wait();
	ran.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
	return ran;
}

Ran mustRun(const std::string& command, const std::vector<std::string>& args,
            const Poco::Process::Env& environment = Poco::Process::Env())
{
	Ran ran = runProcess(command, args, environment);
	if (ran.exitCode != 0)
	{
		std::string line = command;
		for (const auto& a : args)
			line += " " + a;
		CPPUNIT_FAIL(line + " exited " + std::to_string(ran.exitCode) + ":\n" + ran.output);
	}
	std::cerr << "  [" << Poco::Path(command).getFileName() << " " << (args.empty() ? "" : args[0]) << ": "
	          << static_cast<int>(ran.seconds * 10) / 10.0 << " s]" << std::flush;
	return ran;
}

std::vector<std::string> cmakeFlags()
{
	std::vector<std::string> flags{"-DCMAKE_CXX_COMPILER=" + env("POSTHOG_CXX_COMPILER")};
	std::string extra = env("POSTHOG_CXX_FLAGS");
	if (!extra.empty())
	{
		flags.push_back("-DCMAKE_CXX_FLAGS=" + extra);
		flags.push_back("-DCMAKE_EXE_LINKER_FLAGS=" + extra);
		flags.push_back("-DCMAKE_SHARED_LINKER_FLAGS=" + extra);
		flags.push_back("-DCMAKE_MODULE_LINKER_FLAGS=" + extra);
	}
	return flags;
}

} // namespace

class EmbedTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(EmbedTest);
	CPPUNIT_TEST(testSubsystemCapturesAndFlushesOnUninitialize);
	CPPUNIT_TEST(testOptionsOverrideTheConfigurationFile);
	CPPUNIT_TEST(testBadDefineOptionRefused);
	CPPUNIT_TEST(testMissingKeyDisablesWithAWarning);
	CPPUNIT_TEST(testDisableOption);
	CPPUNIT_TEST(testBadSettingFailsStartupClearly);
	CPPUNIT_TEST(testMisspeltKeyFailsStartupEvenWhenDisabled);
	CPPUNIT_TEST(testClientOutsideItsLifetime);
	CPPUNIT_TEST(testInstalledPackageFromOutside);
	CPPUNIT_TEST_SUITE_END();

public:
	void testSubsystemCapturesAndFlushesOnUninitialize()
	{
		CaptureServer server;
		std::size_t seenInMain = 99;
		AppRun run =
		    runApp({"--posthog-host=" + server.url(), "--posthog-api-key=phc_embed_key",
		            "--posthog-define=batch.interval=60000"},
		           [&](EmbedApp& app)
		           {
			           for (int i = 0; i < 3; ++i)
				           CPPUNIT_ASSERT(!app.posthog().capture("user-1", "app event", {{"n", i}}).empty());
			           CPPUNIT_ASSERT(app.posthog().identify("user-1", {{"email", "a@example.com"}}));
			           seenInMain = server.eventCount();
		           });
		CPPUNIT_ASSERT_EQUAL(0, run.exitCode);
		// Nothing was due while main ran (batch.interval 60 s, batch.size 100): uninitialize sent it.
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), seenInMain);
		auto events = server.events();
		CPPUNIT_ASSERT_EQUAL(std::size_t(4), events.size());
		CPPUNIT_ASSERT_EQUAL(std::string("app event"), events[0]->getValue<std::string>("event"));
		CPPUNIT_ASSERT_EQUAL(std::string("$identify"), events[3]->getValue<std::string>("event"));
		CPPUNIT_ASSERT_EQUAL(std::string("phc_embed_key"), server.requests()[0].apiKey);
		CPPUNIT_ASSERT(server.errors().empty());
		// The client logged through the application's logger.
		assertContains(run.log, "PostHog client started: host " + server.url());
	}

	void testOptionsOverrideTheConfigurationFile()
	{
		CaptureServer server;
		TempDir dir;
		// The file points at a dead host and tags with "file"; the command line wins.
		std::string file =
		    writeFile(dir.file("app.properties"), "posthog.apiKey = phc_from_file\n"
		                                          "posthog.host = http://127.0.0.1:9\n"
		                                          "posthog.batch.interval = 60000\n"
		                                          "posthog.pipeline.stages = tag\n"
		                                          "posthog.pipeline.tag.library = PostHogTestStages\n"
		                                          "posthog.pipeline.tag.class = TagMiddleware\n"
		                                          "posthog.pipeline.tag.tag = file\n");
		std::vector<ClientError> errors;
		ClientOptions code;
		code.onError = [&](const ClientError& e) { errors.push_back(e); };
		code.middleware.addFunction("in-code",
		                            [](Message& m)
		                            {
			                            m.properties().set("in_code", true);
			                            return true;
		                            });
		AppRun run = runApp(
		    {"--posthog-host=" + server.url(), "--posthog-define=pipeline.tag.tag=command-line",
		     "--posthog-define=posthog.pipeline.tag.repeat=2"},
		    [&](EmbedApp& app)
		    {
			    CPPUNIT_ASSERT_EQUAL(std::size_t(2), app.posthog().pipeline().size());
			    app.posthog().capture("user-1", "configured");
			    app.posthog().capture("", "rejected"); // reaches the error callback set in code
		    },
		    file, code);
		CPPUNIT_ASSERT_EQUAL(0, run.exitCode);
		auto events = server.events();
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), events.size());
		CPPUNIT_ASSERT_EQUAL(std::string("phc_from_file"), server.requests()[0].apiKey);
		auto props = events[0]->getObject("properties");
		auto trail = props->getArray("trail");
		CPPUNIT_ASSERT(trail);
		CPPUNIT_ASSERT_EQUAL(std::size_t(2), trail->size());
		CPPUNIT_ASSERT_EQUAL(std::string("command-line"), trail->getElement<std::string>(0));
		CPPUNIT_ASSERT(props->getValue<bool>("in_code"));
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), errors.size());
		CPPUNIT_ASSERT_EQUAL(ClientError::InvalidInput, errors[0].kind);
	}

	void testBadDefineOptionRefused()
	{
		Poco::AutoPtr<EmbedApp> app = new EmbedApp([](EmbedApp&) {});
		try
		{
			app->init(std::vector<std::string>{"embedtest", "--posthog-define=no-equals-sign"});
			CPPUNIT_FAIL("--posthog-define without '=' was accepted");
		}
		catch (Poco::Util::InvalidArgumentException& e)
		{
			assertContains(e.message(), "--posthog-define=no-equals-sign: expected <key>=<value>");
		}
	}

	void testMissingKeyDisablesWithAWarning()
	{
		bool ran = false;
		AppRun run = runApp({},
		                    [&](EmbedApp& app)
		                    {
			                    CPPUNIT_ASSERT(!app.posthog().isEnabled());
			                    CPPUNIT_ASSERT(app.posthog().capture("user-1", "nowhere").empty());
			                    CPPUNIT_ASSERT(app.posthog().flush() == Client::FlushResult::Delivered);
			                    ran = true;
		                    });
		CPPUNIT_ASSERT(ran);
		CPPUNIT_ASSERT_EQUAL(0, run.exitCode);
		assertContains(run.log, "PostHog is disabled: posthog.apiKey is not set");
	}

	void testDisableOption()
	{
		CaptureServer server;
		// A pipeline that cannot load is not even looked at when disabled.
		AppRun run = runApp({"--posthog-host=" + server.url(), "--posthog-api-key=phc_key",
		                     "--posthog-disable", "--posthog-define=pipeline.stages=ghost"},
		                    [&](EmbedApp& app)
		                    {
			                    CPPUNIT_ASSERT(!app.posthog().isEnabled());
			                    CPPUNIT_ASSERT(app.posthog().capture("user-1", "nowhere").empty());
		                    });
		CPPUNIT_ASSERT_EQUAL(0, run.exitCode);
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), server.requestCount());
		assertContains(run.log, "PostHog is disabled (posthog.enabled = false)");
	}

	void testBadSettingFailsStartupClearly()
	{
		bool ran = false;
		AppRun run = runApp({"--posthog-api-key=phc_key", "--posthog-define=batch.size=lots"},
		                    [&](EmbedApp&) { ran = true; });
		// Poco's Application::run() logs what initialize() threw and returns EX_CONFIG; main()
		// never runs.
		CPPUNIT_ASSERT(!ran);
		CPPUNIT_ASSERT_EQUAL(static_cast<int>(Poco::Util::Application::EXIT_CONFIG), run.exitCode);
		assertContains(run.log, "posthog.batch.size = 'lots' is not an integer between 1 and 100000");
	}

	void testMisspeltKeyFailsStartupEvenWhenDisabled()
	{
		bool ran = false;
		AppRun run =
		    runApp({"--posthog-disable", "--posthog-define=batch.sise=10"}, [&](EmbedApp&) { ran = true; });
		CPPUNIT_ASSERT(!ran);
		CPPUNIT_ASSERT_EQUAL(static_cast<int>(Poco::Util::Application::EXIT_CONFIG), run.exitCode);
		assertContains(run.log,
		               "posthog.batch.sise is not a configuration key; did you mean posthog.batch.size?");
	}

	void testClientOutsideItsLifetime()
	{
		Poco::AutoPtr<ClientSubsystem> subsystem = new ClientSubsystem;
		CPPUNIT_ASSERT(!subsystem->hasClient());
		CPPUNIT_ASSERT_THROW(subsystem->client(), Poco::IllegalStateException);
	}

	void testInstalledPackageFromOutside()
	{
		const std::string cmake = env("POSTHOG_CMAKE_COMMAND");
		const std::string source = env("POSTHOG_SOURCE_DIR");
		const std::string binary = env("POSTHOG_BINARY_DIR");
		const std::string libdir = env("POSTHOG_INSTALL_LIBDIR");
		TempDir tmp;
		const std::string prefix = tmp.file("prefix");
		const std::string libPath = prefix + "/" + libdir + "/";
		const std::string pluginDir = libPath + "posthog-cpp/plugins/";

		// 1. Install the build tree.
		mustRun(cmake, {"--install", binary, "--prefix", prefix});
		for (const std::string& f :
		     {prefix + "/include/PostHog/Client.h", prefix + "/include/PostHog/ClientSubsystem.h",
		      libPath + "libPostHogCore.so", libPath + "libPostHogCore.so.0",
		      libPath + "libPostHogCore.so." POSTHOG_VERSION_STRING,
		      libPath + "cmake/PostHog/PostHogConfig.cmake",
		      libPath + "cmake/PostHog/PostHogConfigVersion.cmake",
		      libPath + "cmake/PostHog/PostHogTargets.cmake", libPath + "cmake/PostHog/PostHogPlugin.cmake",
		      libPath + "pkgconfig/posthog-cpp.pc"})
		{
			if (!Poco::File(f).exists())
				CPPUNIT_FAIL("cmake --install did not install " + f);
		}
		// Test plugins stay in the build tree.
		CPPUNIT_ASSERT(!Poco::File(pluginDir + "libPostHogTestStages.so").exists());

		// 2. A program outside the tree: find_package(PostHog), ClientSubsystem.
		std::vector<std::string> configure{"-S", source + "/tests/embed/outside", "-B", tmp.file("outside"),
		                                   "-DCMAKE_PREFIX_PATH=" + prefix};
		for (const auto& f : cmakeFlags())
			configure.push_back(f);
		mustRun(cmake, configure);
		mustRun(cmake, {"--build", tmp.file("outside"), "-j2"});

		// 3. The custom-plugin sample, out of tree, installed into the same prefix.
		std::vector<std::string> plugin{"-S",
		                                source + "/samples/custom-plugin",
		                                "-B",
		                                tmp.file("plugin"),
		                                "-DCMAKE_PREFIX_PATH=" + prefix,
		                                "-DCMAKE_INSTALL_PREFIX=" + prefix};
		for (const auto& f : cmakeFlags())
			plugin.push_back(f);
		mustRun(cmake, plugin);
		mustRun(cmake, {"--build", tmp.file("plugin"), "-j2"});
		mustRun(cmake, {"--install", tmp.file("plugin")});
		CPPUNIT_ASSERT(Poco::File(pluginDir + "libExampleDeployment.so").exists());
		// The plugin's own test, built beside it with the installed PostHog/StageTester.h.
		Ran pluginTest = mustRun(tmp.file("plugin/DeploymentTest"), {});
		assertContains(pluginTest.output, "DeploymentTest: OK");
		// Installed plugins find libPostHogCore two folders up (<libdir>/posthog-cpp/plugins).
		for (const char* installed : {"libExampleDeployment.so", "libPostHogValidation.so"})
		{
			Ran dynamic = mustRun("/usr/bin/readelf", {"-d", pluginDir + installed});
			assertContains(dynamic.output, "[$ORIGIN/../..]");
		}

		// 4. Run it: plain, then with the sample's configuration (the plugin is found in the
		// installed plugin directory, located from the installed libPostHogCore).
		CaptureServer server;
		const std::string outside = tmp.file("outside/posthog-outside");
		Ran plain = mustRun(outside, {"--posthog-host=" + server.url(), "--posthog-api-key=phc_outside"});
		assertContains(plain.output, "core library: " + libPath + "libPostHogCore.so");
		assertContains(plain.output, "plugin directory: " + pluginDir);
		CPPUNIT_ASSERT(server.waitForEvents(1, 5000));
		Ran withPlugin =
		    mustRun(outside, {"--posthog-host=" + server.url(), "--posthog-api-key=phc_outside",
		                      "--config=" + source + "/samples/custom-plugin/custom-plugin.properties"});
		assertContains(withPlugin.output, "stage: deployment");
		CPPUNIT_ASSERT(server.waitForEvents(2, 5000));
		auto events = server.events();
		CPPUNIT_ASSERT_EQUAL(std::size_t(2), events.size());
		for (const auto& e : events)
		{
			CPPUNIT_ASSERT_EQUAL(std::string("outside event"), e->getValue<std::string>("event"));
			CPPUNIT_ASSERT_EQUAL(std::string("find_package"),
			                     e->getObject("properties")->getValue<std::string>("built_with"));
		}
		CPPUNIT_ASSERT(!events[0]->getObject("properties")->has("environment"));
		auto props = events[1]->getObject("properties");
		CPPUNIT_ASSERT_EQUAL(std::string("staging"), props->getValue<std::string>("environment"));
		CPPUNIT_ASSERT_EQUAL(std::string("2026.11.27"), props->getValue<std::string>("release"));
		CPPUNIT_ASSERT_EQUAL(Poco::Environment::nodeName(), props->getValue<std::string>("$hostname"));

		// 5. The installed posthog-send lists the installed plugins, the out-of-tree one included.
		Ran list = mustRun(prefix + "/bin/posthog-send", {"--list-plugins"});
		assertContains(list.output, "ExampleDeployment  (" + pluginDir + "libExampleDeployment.so)");
		assertContains(list.output, "class Example::DeploymentMiddleware");
		assertContains(list.output, "PostHogValidation  (" + pluginDir + "libPostHogValidation.so)");
		CPPUNIT_ASSERT(list.output.find("PostHogTestStages") == std::string::npos);

		// 6. pkg-config: the capture sample compiled by hand.
		Poco::Process::Env pcEnv{{"PKG_CONFIG_PATH", libPath + "pkgconfig"}};
		Ran flags = mustRun(env("POSTHOG_PKG_CONFIG"), {"--cflags", "--libs", "posthog-cpp"}, pcEnv);
		std::vector<std::string> compile{"-std=c++17", source + "/samples/capture/capture.cpp", "-o",
		                                 tmp.file("capture"), "-Wl,-rpath," + libPath};
		Poco::StringTokenizer tokens(flags.output + " " + env("POSTHOG_CXX_FLAGS"), " \n",
		                             Poco::StringTokenizer::TOK_TRIM |
		                                 Poco::StringTokenizer::TOK_IGNORE_EMPTY);
		for (const auto& t : tokens)
			compile.push_back(t);
		mustRun(env("POSTHOG_CXX_COMPILER"), compile);
		mustRun(tmp.file("capture"), {},
		        {{"POSTHOG_API_KEY", "phc_pkgconfig"}, {"POSTHOG_HOST", server.url()}});
		CPPUNIT_ASSERT(server.waitForEvents(3, 5000));
		CPPUNIT_ASSERT_EQUAL(std::string("movie played"), server.events()[2]->getValue<std::string>("event"));
		CPPUNIT_ASSERT_EQUAL(std::string("phc_pkgconfig"), server.requests().back().apiKey);
		CPPUNIT_ASSERT(server.errors().empty());
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(EmbedTest);
