//
// DeploymentMiddleware.h
//
// A custom enrichment stage: stamps every event with where it was recorded.
//

#ifndef Example_DeploymentMiddleware_INCLUDED
#define Example_DeploymentMiddleware_INCLUDED

#include "PostHog/Middleware.h"
#include <string>

namespace Example
{

class DeploymentMiddleware : public PostHog::Middleware
/// Adds to every event:
///     environment = <option environment>      ("production")
///     release     = <option release>          (when set)
///     $hostname   = the machine's name         (when option hostname = true)
/// without overwriting what the caller set. Fails open: an enrichment that goes wrong must
/// not lose the event.
{
public:
	std::string name() const override;
	const PostHog::OptionTable& options() const override;
	void configure(const Poco::Util::AbstractConfiguration& config) override;
	Result process(PostHog::Message& message) override;
	OnError defaultOnError() const override;

private:
	std::string _environment;
	std::string _release;
	std::string _hostname;
};

} // namespace Example

#endif // Example_DeploymentMiddleware_INCLUDED
