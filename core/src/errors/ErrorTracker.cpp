//
// ErrorTracker.cpp
//

#include "errors/ErrorTracker.h"
#include "Poco/DirectoryIterator.h"
#include "Poco/File.h"
#include "Poco/Logger.h"
#include "Poco/Path.h"
#include "PostHog/Client.h"
#include "errors/CrashHandler.h"
#include "errors/CrashRecord.h"
#include "errors/ExceptionEventBuilder.h"
#include "errors/ExceptionOptions.h"

namespace PostHog
{

ErrorTracker::ErrorTracker(Client& client, const ClientOptions& options)
    : _client(client), _crashDir(ExceptionOptions::resolveCrashDir(options)),
      _rateLimit(options.exceptionRateLimit), _autocapture(options.exceptionAutocapture && options.enabled)
{
	if (!_autocapture)
		return;
	try
	{
		Poco::File(_crashDir).createDirectories();
	}
	catch (Poco::Exception& e)
	{
		Poco::Logger::get(options.loggerName)
		    .warning("posthog.exceptions.crashDir '" + _crashDir + "' cannot be created (" + e.displayText() +
		             "): crashes will not be recorded");
	}
	CrashHandler::install(_crashDir);
	CrashHandler::setTarget(this);
	sendPendingCrashes();
}

ErrorTracker::~ErrorTracker()
{
	CrashHandler::clearTarget(this);
}

bool ErrorTracker::allow(const std::string& type)
{
	if (_rateLimit <= 0)
		return true;
	Poco::FastMutex::ScopedLock lock(_mutex);
	auto& window = _windows[type];
	if (window.first.isElapsed(60 * Poco::Timestamp::resolution()))
	{
		window.first.update();
		window.second = 0;
	}
	return window.second++ < _rateLimit;
}

void ErrorTracker::captureTerminate(std::exception_ptr exception)
{
	ExceptionCaptureOptions options;
	options.level = "fatal";
	options.handled = false;
	options.mechanismType = "onuncaughtexception";
	options.source = "cpp.std_terminate";
	if (exception)
		_client.captureException(exception, std::string(), Properties(), options);
	else
		_client.captureException("std::terminate", "terminate called without an active exception",
		                         std::string(), Properties(), options);
	_client.flush(Poco::Timespan(2, 0));
}

void ErrorTracker::captureEscaped(const std::exception& exception)
{
	ExceptionCaptureOptions options;
	options.handled = false;
	options.mechanismType = "onuncaughtexception";
	options.source = "poco.error_handler";
	_client.captureException(exception, std::string(), Properties(), options);
}

int ErrorTracker::sendPendingCrashes()
{
	std::vector<std::string> files;
	try
	{
		for (Poco::DirectoryIterator it(_crashDir), end; it != end; ++it)
		{
			const std::string& name = it.name();
			std::string ext = CrashRecord::kExtension;
			if (name.size() > ext.size() && name.compare(name.size() - ext.size(), ext.size(), ext) == 0)
				files.push_back(it.path().toString());
		}
	}
	catch (Poco::Exception&)
	{
		return 0;
	}
	int sent = 0;
	for (const std::string& file : files)
	{
		CrashRecord record;
		std::string uuid;
		if (!CrashRecord::read(file, record, uuid))
		{
			removeRecord(file); // not a crash record we can send: never retried
			continue;
		}
		// The uuid comes from the record itself: a record sent again after a start that could not
		// deliver it is the same event, which PostHog keeps once.
		ExceptionCaptureOptions options;
		options.level = "fatal";
		options.handled = false;
		options.mechanismType = "signal";
		options.source = "cpp.signal_handler";
		options.uuid = uuid;
		options.personless = true;
		if (record.timeMicros > 0)
			options.timestamp = Poco::Timestamp(record.timeMicros);
		ExceptionEventBuilder builder;
		builder.add(CrashRecord::signalName(record.signal), CrashRecord::signalDescription(record.signal),
		            false);
		builder.setFrames(record.frames(), false); // the crashed thread's own stack
		if (!_client.captureBuiltException(builder, uuid, Properties(), options).empty())
		{
			Poco::FastMutex::ScopedLock lock(_mutex);
			_unconfirmed.push_back(file);
			++sent;
		}
	}
	return sent;
}

void ErrorTracker::delivered()
{
	std::vector<std::string> files;
	{
		Poco::FastMutex::ScopedLock lock(_mutex);
		files.swap(_unconfirmed);
	}
	for (const std::string& file : files)
		removeRecord(file);
}

void ErrorTracker::removeRecord(const std::string& file)
{
	try
	{
		Poco::File(file).remove();
	}
	catch (Poco::Exception&)
	{
	}
}

} // namespace PostHog
