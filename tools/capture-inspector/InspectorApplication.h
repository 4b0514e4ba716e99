//
// InspectorApplication.h
//
// posthog-capture-inspector: a local PostHog capture endpoint that prints what it receives.
//

#ifndef PostHogInspector_InspectorApplication_INCLUDED
#define PostHogInspector_InspectorApplication_INCLUDED

#include "Poco/Util/Application.h"
#include <signal.h>
#include <string>

namespace PostHogInspector
{

class CaptureTally;

class InspectorApplication : public Poco::Util::Application
/// posthog-capture-inspector [--port N] [--port-file FILE] [--exit-after-idle MS] [--full]
///
/// Listens on 127.0.0.1 only (port 0, the default, picks a free one), prints
/// "listening on http://127.0.0.1:<port>" (and writes the port to --port-file, for scripts),
/// then every request and event it receives (see BatchHandler). It stops on SIGINT or SIGTERM,
/// or by itself once no request has arrived for --exit-after-idle milliseconds, and prints a
/// summary line (see CaptureTally) before it exits.
{
public:
	InspectorApplication();

protected:
	void defineOptions(Poco::Util::OptionSet& options) override;
	void handleOption(const std::string& name, const std::string& value) override;
	int main(const ArgVec& args) override;

private:
	void printHelp() const;
	void waitForStop(const sigset_t& signals, const CaptureTally& tally) const;
	/// Until SIGINT, SIGTERM, or --exit-after-idle milliseconds without a request.

	bool _help = false;
	bool _full = false;
	unsigned _port = 0;
	long _idleMs = 0;
	std::string _portFile;
};

} // namespace PostHogInspector

#endif // PostHogInspector_InspectorApplication_INCLUDED
