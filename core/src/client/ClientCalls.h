//
// ClientCalls.h
//
// Steps every Client call shares, for the files that implement Client's methods.
//

#ifndef PostHog_ClientCalls_INCLUDED
#define PostHog_ClientCalls_INCLUDED

#include "PostHog/EventOptions.h"
#include "PostHog/Message.h"

namespace PostHog
{

class ClientImpl;

namespace ClientCalls
{

bool stamp(ClientImpl& impl, Message& message, const EventOptions& options);
/// Sets the uuid (options.uuid or a new v7), the timestamp and the properties options carry
/// ($groups, $set, $set_once, $process_person_profile). False, after rejecting, on a bad uuid.

bool silenced(const ClientImpl& impl);
/// Opted out, or disabled by configuration: the call is a silent no-op.

const EventOptions& noOptions();
/// Default EventOptions.

} // namespace ClientCalls

} // namespace PostHog

#endif // PostHog_ClientCalls_INCLUDED
