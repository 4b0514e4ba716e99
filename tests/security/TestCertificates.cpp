//
// TestCertificates.cpp
//

#include "TestCertificates.h"
#include "Poco/Exception.h"
#include "Poco/File.h"
#include "Poco/FileStream.h"
#include "Poco/Net/NetSSL.h"
#include "Poco/Net/SocketAddress.h"
#include "Poco/Path.h"
#include "Poco/Pipe.h"
#include "Poco/PipeStream.h"
#include "Poco/Process.h"
#include "Poco/StreamCopier.h"
#include "Poco/TemporaryFile.h"

namespace PostHogTest
{

TestCertificates& TestCertificates::instance()
{
	static TestCertificates certificates;
	return certificates;
}

TestCertificates::TestCertificates() : _dir(Poco::TemporaryFile::tempName() + "-certs")
{
	Poco::Net::initializeSSL();
	Poco::File(_dir).createDirectories();
	openssl({"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
	         keyFile("ca"), "-out", caFile(), "-days", "2", "-subj", "/CN=posthog-cpp test CA"});
	const std::string names = "DNS:localhost,DNS:capture.test,IP:127.0.0.1";
	issue("good", "/CN=localhost", names, 2);
	issue("expired", "/CN=localhost", names, -1);
	issue("other", "/CN=other.example", "DNS:other.example", 2);
	openssl({"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
	         keyFile("self"), "-out", certFile("self"), "-days", "2", "-subj", "/CN=localhost", "-addext",
	         "subjectAltName=" + names});
}

TestCertificates::~TestCertificates()
{
	try
	{
		Poco::File(_dir).remove(true);
	}
	catch (...)
	{
	}
}

void TestCertificates::issue(const std::string& name, const std::string& subject, const std::string& altNames,
                             int days) const
{
	std::string ext = _dir + "/" + name + ".ext";
	{
		Poco::FileOutputStream out(ext);
		out << "subjectAltName=" << altNames << "\n";
	}
	std::string csr = _dir + "/" + name + ".csr";
	openssl({"req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
	         keyFile(name), "-out", csr, "-subj", subject});
	openssl({"x509", "-req", "-in", csr, "-CA", caFile(), "-CAkey", keyFile("ca"), "-CAcreateserial", "-out",
	         certFile(name), "-days", std::to_string(days), "-extfile", ext});
}

void TestCertificates::openssl(const std::vector<std::string>& args) const
{
	Poco::Pipe out;
	Poco::Process::Args a(args.begin(), args.end());
	Poco::ProcessHandle handle = Poco::Process::launch("openssl", a, _dir, nullptr, &out, &out);
	Poco::PipeInputStream in(out);
	std::string text;
	Poco::StreamCopier::copyToString(in, text);
	int rc = handle.wait();
	if (rc != 0)
		throw Poco::RuntimeException("openssl " + args.front() + " failed (exit " + std::to_string(rc) +
		                             "): " + text);
}

std::string TestCertificates::caFile() const
{
	return certFile("ca");
}

std::string TestCertificates::certFile(const std::string& name) const
{
	return _dir + "/" + name + ".pem";
}

std::string TestCertificates::keyFile(const std::string& name) const
{
	return _dir + "/" + name + ".key";
}

Poco::Net::Context::Ptr TestCertificates::serverContext(const std::string& name) const
{
	return new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, keyFile(name), certFile(name), "",
	                              Poco::Net::Context::VERIFY_NONE, 9, false);
}

Poco::Net::SecureServerSocket TestCertificates::serverSocket(const std::string& name) const
{
	// Bound without SO_REUSEPORT, which Poco 1.11's SecureServerSocket(address) sets (see
	// LoopbackListener.h).
	Poco::Net::SecureServerSocket socket(serverContext(name));
	socket.bind(Poco::Net::SocketAddress("127.0.0.1", 0), true, false);
	socket.listen(64);
	return socket;
}

} // namespace PostHogTest
