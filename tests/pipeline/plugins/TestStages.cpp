//
// TestStages.cpp
//
// Middleware classes for PipelineTest, exported from one plugin library.
//

#include "Poco/ClassLibrary.h"
#include "Poco/Exception.h"
#include "Poco/StringTokenizer.h"
#include "Poco/Util/AbstractConfiguration.h"
#include "PostHog/Array.h"
#include "PostHog/Middleware.h"

namespace
{

class TagMiddleware : public PostHog::Middleware
/// Appends its tag to the list property `property` (default "trail"), so a test reads the
/// order in which stages ran from the delivered event.
{
public:
	std::string name() const override { return "tag"; }

	const PostHog::OptionTable& options() const override
	{
		static const PostHog::OptionTable table = {
		    {"tag", PostHog::OptionSpec::String, "tag", "the word appended to the list"},
		    {"property", PostHog::OptionSpec::String, "trail", "the list property to append to"},
		    {"repeat", PostHog::OptionSpec::Int, "1", "how many times the tag is appended", 1, 5},
		    {"also", PostHog::OptionSpec::List, "", "more words appended after the tag"},
		};
		return table;
	}

	void configure(const Poco::Util::AbstractConfiguration& config) override
	{
		_tag = config.getString("tag");
		_property = config.getString("property");
		_repeat = config.getInt("repeat");
		Poco::StringTokenizer also(config.getString("also"), ",",
		                           Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY);
		_also.assign(also.begin(), also.end());
	}

	Result process(PostHog::Message& message) override
	{
		PostHog::Array list;
		PostHog::Value old = message.properties().get(_property);
		if (old.isArray())
		{
			for (const auto& element : old.elements())
				list.add(element);
		}
		for (int i = 0; i < _repeat; ++i)
			list.add(_tag);
		for (const auto& word : _also)
			list.add(word);
		message.properties().set(_property, list);
		return Result::pass();
	}

	OnError defaultOnError() const override { return OnError::Pass; }

private:
	std::string _tag;
	std::string _property;
	int _repeat = 1;
	std::vector<std::string> _also;
};

class ThrowingMiddleware : public PostHog::Middleware
/// Edits the message, then throws on it: a privacy-like stage that fails closed.
{
public:
	std::string name() const override { return "throwing"; }

	Result process(PostHog::Message& message) override
	{
		message.properties().set("half_done", true);
		throw Poco::IllegalStateException("test stage always throws");
	}

	OnError defaultOnError() const override { return OnError::Drop; }
};

class FailOpenThrowingMiddleware : public ThrowingMiddleware
/// The same, declared fail-open like an enrichment stage.
{
public:
	std::string name() const override { return "throwing-open"; }
	OnError defaultOnError() const override { return OnError::Pass; }
};

class DropMiddleware : public PostHog::Middleware
/// Drops the events named `event` (every event when empty) with the configured reason.
{
public:
	std::string name() const override { return "drop"; }

	const PostHog::OptionTable& options() const override
	{
		static const PostHog::OptionTable table = {
		    {"reason", PostHog::OptionSpec::String, "dropped by test", "the drop reason"},
		    {"event", PostHog::OptionSpec::String, "", "the event dropped (empty: all)"},
		};
		return table;
	}

	void configure(const Poco::Util::AbstractConfiguration& config) override
	{
		_reason = config.getString("reason");
		_event = config.getString("event");
	}

	Result process(PostHog::Message& message) override
	{
		if (_event.empty() || message.event() == _event)
			return Result::drop(_reason);
		return Result::pass();
	}

private:
	std::string _reason;
	std::string _event;
};

} // namespace

POCO_BEGIN_MANIFEST(PostHog::Middleware)
POCO_EXPORT_CLASS(TagMiddleware)
POCO_EXPORT_CLASS(ThrowingMiddleware)
POCO_EXPORT_CLASS(FailOpenThrowingMiddleware)
POCO_EXPORT_CLASS(DropMiddleware)
POCO_END_MANIFEST
