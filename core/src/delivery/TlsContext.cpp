//
// TlsContext.cpp
//

#include "delivery/TlsContext.h"
#include "Poco/File.h"
#include "Poco/Net/InvalidCertificateHandler.h"
#include "Poco/Net/RejectCertificateHandler.h"
#include "Poco/Net/SSLManager.h"
#include "Poco/Net/VerificationErrorArgs.h"
#include "Poco/URI.h"
#include "PostHog/ClientOptions.h"
#include "PostHog/Exceptions.h"
#include <mutex>

namespace PostHog
{

namespace
{

std::once_flag sslInitOnce;

// The verify callback runs synchronously inside the handshake, on the thread that sends.
thread_local std::string tlsFailure;

void initializeSsl()
{
	std::call_once(sslInitOnce,
	               []
	               {
		               Poco::Net::initializeSSL();
		               // Poco's default handler for invalid certificates asks on standard input
		               // whether to accept them: install one that refuses instead.
		               Poco::SharedPtr<Poco::Net::InvalidCertificateHandler> reject =
		                   new Poco::Net::RejectCertificateHandler(false);
		               Poco::Net::Context::Ptr ctx =
		                   new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", "",
		                                          Poco::Net::Context::VERIFY_STRICT, 9, true);
		               Poco::Net::SSLManager::instance().initializeClient(nullptr, reject, ctx);
	               });
}

class RecordingRejectHandler : public Poco::Net::InvalidCertificateHandler
/// Refuses every invalid certificate (never asks) and remembers why in tlsFailure.
{
public:
	RecordingRejectHandler() : Poco::Net::InvalidCertificateHandler(false) {}

	void onInvalidCertificate(const void*, Poco::Net::VerificationErrorArgs& args) override
	{
		args.setIgnoreError(false);
		if (tlsFailure.find(args.errorMessage()) != std::string::npos)
			return;
		if (!tlsFailure.empty())
			tlsFailure += "; ";
		tlsFailure += args.errorMessage() + " (certificate '" + args.certificate().subjectName() +
		              "', chain depth " + std::to_string(args.errorDepth()) + ")";
	}
};

} // namespace

Poco::Net::Context::Ptr TlsContext::make(const ClientOptions& options)
{
	Poco::URI uri(options.host);
	if (uri.getScheme() != "https")
		return Poco::Net::Context::Ptr();
	initializeSsl();
	if (!options.caFile.empty() && !Poco::File(options.caFile).exists())
		throw ConfigurationException("posthog.http.caFile = '" + options.caFile + "' does not exist");
	auto mode = options.verifyTls ? Poco::Net::Context::VERIFY_STRICT : Poco::Net::Context::VERIFY_NONE;
	Poco::Net::Context::Ptr context;
	try
	{
		context = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", options.caFile, mode, 9,
		                                 options.caFile.empty());
	}
	catch (Poco::Exception& e)
	{
		throw ConfigurationException("posthog.http.caFile = '" + options.caFile +
		                             "' could not be loaded as PEM certificates (" + e.displayText() + ")");
	}
	context->setInvalidCertificateHandler(new RecordingRejectHandler);
	return context;
}

void TlsContext::clearFailure()
{
	tlsFailure.clear();
}

const std::string& TlsContext::failure()
{
	return tlsFailure;
}

} // namespace PostHog
