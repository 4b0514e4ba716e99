//
// TestMain.cpp
//
// The driver of every test executable: runs the suites registered in the default registry
// (or only the test named on the command line, e.g. "ClientTest::testFlush"); --list prints the
// name of every registered test, one a line, and runs nothing.
//

#include <cppunit/BriefTestProgressListener.h>
#include <cppunit/CompilerOutputter.h>
#include <cppunit/TestResult.h>
#include <cppunit/TestResultCollector.h>
#include <cppunit/TestRunner.h>
#include <cppunit/extensions/TestFactoryRegistry.h>
#include <iostream>
#include <memory>
#include <string>

namespace
{

void list(CppUnit::Test* test)
{
	if (test->getChildTestCount() == 0)
	{
		std::cout << test->getName() << "\n";
		return;
	}
	for (int i = 0; i < test->getChildTestCount(); ++i)
		list(test->getChildTestAt(i));
}

} // namespace

int main(int argc, char** argv)
{
	if (argc > 1 && std::string(argv[1]) == "--list")
	{
		std::unique_ptr<CppUnit::Test> all(CppUnit::TestFactoryRegistry::getRegistry().makeTest());
		list(all.get());
		return 0;
	}
	CppUnit::TestResult controller;
	CppUnit::TestResultCollector result;
	controller.addListener(&result);
	CppUnit::BriefTestProgressListener progress;
	controller.addListener(&progress);

	CppUnit::TestRunner runner;
	runner.addTest(CppUnit::TestFactoryRegistry::getRegistry().makeTest());
	try
	{
		runner.run(controller, argc > 1 ? argv[1] : "");
	}
	catch (std::invalid_argument& e)
	{
		std::cerr << "no test named '" << (argc > 1 ? argv[1] : "") << "': " << e.what() << std::endl;
		return 2;
	}
	CppUnit::CompilerOutputter outputter(&result, std::cerr);
	outputter.write();
	return result.wasSuccessful() ? 0 : 1;
}
