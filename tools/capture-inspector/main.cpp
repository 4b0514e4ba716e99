//
// main.cpp
//

#include "InspectorApplication.h"
#include "Poco/AutoPtr.h"
#include "Poco/Exception.h"
#include <iostream>

int main(int argc, char** argv)
{
	Poco::AutoPtr<PostHogInspector::InspectorApplication> app = new PostHogInspector::InspectorApplication;
	try
	{
		app->init(argc, argv);
	}
	catch (Poco::Exception& e)
	{
		std::cerr << "posthog-capture-inspector: " << e.displayText() << " (see --help)" << std::endl;
		return 2;
	}
	return app->run();
}
