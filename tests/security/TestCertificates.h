//
// TestCertificates.h
//
// A throw-away CA and server certificates, made with the openssl command line at test time.
//

#ifndef PostHogTest_TestCertificates_INCLUDED
#define PostHogTest_TestCertificates_INCLUDED

#include "Poco/Net/Context.h"
#include "Poco/Net/SecureServerSocket.h"
#include <string>
#include <vector>

namespace PostHogTest
{

class TestCertificates
/// Made once per process in a temporary directory (removed at exit) by the openssl command-line
/// tool (Debian's), EC P-256 keys so it takes a fraction of a second:
///
///   ca       a CA the client can be told to trust (posthog.http.caFile = caFile())
///   good     signed by ca, for localhost, capture.test and 127.0.0.1, valid today
///   expired  signed by ca, same names, expired yesterday (x509 -req -days -1)
///   other    signed by ca, for other.example only
///   self     self-signed, for localhost, capture.test and 127.0.0.1
{
public:
	static TestCertificates& instance();
	/// Throws Poco::RuntimeException with openssl's output when a certificate cannot be made.

	std::string caFile() const;
	std::string certFile(const std::string& name) const;
	std::string keyFile(const std::string& name) const;
	const std::string& directory() const { return _dir; }

	Poco::Net::Context::Ptr serverContext(const std::string& name) const;
	/// A TLS server context presenting certificate name.

	Poco::Net::SecureServerSocket serverSocket(const std::string& name) const;
	/// A SecureServerSocket on 127.0.0.1 (a free port) presenting certificate name.

	~TestCertificates();

private:
	TestCertificates();
	void openssl(const std::vector<std::string>& args) const;
	void issue(const std::string& name, const std::string& subject, const std::string& altNames,
	           int days) const;

	std::string _dir;
};

} // namespace PostHogTest

#endif // PostHogTest_TestCertificates_INCLUDED
