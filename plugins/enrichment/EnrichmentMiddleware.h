//
// EnrichmentMiddleware.h
//
// The built-in enrichment stage (library PostHogEnrichment).
//

#ifndef PostHog_EnrichmentMiddleware_INCLUDED
#define PostHog_EnrichmentMiddleware_INCLUDED

#include "PostHog/Middleware.h"
#include "PostHog/Properties.h"
#include <memory>
#include <string>

namespace PostHog
{

class EnrichmentMiddleware : public Middleware
/// Adds properties to every message:
///
///   - static ones from the configuration: properties.<name> = <value> (sent as strings);
///   - from environment variables: env.<name> = <VARIABLE> (read once, at configure());
///   - facts about the host and process, each switchable: host_name, os_name, os_version,
///     os_arch, runtime ("C++/Poco 1.11.0"), process_id (off by default);
///   - app_version, when appVersion is set;
///   - the super properties an application sets in code (Client::registerProperties()).
///
/// What the caller set is never replaced unless overwrite is true. Among the stage's own
/// sources, super properties win over everything configured, which wins over host facts.
///
/// The key names are plain (no $): PostHog's $os and $os_version describe the device of the
/// person in its UI, and a server's OS would mislead those breakdowns.
///
/// Cost: everything but the super properties is computed once in configure() into one
/// encoded Properties, combined with each new snapshot of the super properties when it
/// appears; a message pays one merge (one scan of its keys, then a raw append) and a
/// snapshot read of the super properties (one short lock).
///
/// Fails open (defaultOnError() is Pass): a message it could not enrich still goes on.
{
public:
	EnrichmentMiddleware();
	~EnrichmentMiddleware() override;

	std::string name() const override;
	const OptionTable& options() const override;
	void attach(MiddlewareContext& context) override;
	void configure(const Poco::Util::AbstractConfiguration& config) override;
	Result process(Message& message) override;
	OnError defaultOnError() const override;

	const Properties& staticProperties() const noexcept { return _static; }
	/// What configure() computed (everything but the super properties).

	static std::string runtimeDescription();
	/// "C++/Poco <major>.<minor>.<patch>" of the Poco library running.

private:
	MiddlewareContext* _context = nullptr;
	Properties _static;
	Properties _combined;                           /// super properties + _static
	std::shared_ptr<const Properties> _combinedFor; /// the snapshot _combined was made from
	bool _superProperties = true;
	bool _overwrite = false;
};

} // namespace PostHog

#endif // PostHog_EnrichmentMiddleware_INCLUDED
