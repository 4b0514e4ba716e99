//
// ClientError.cpp
//

#include "PostHog/ClientError.h"

namespace PostHog
{

const char* ClientError::kindName(Kind kind) noexcept
{
	switch (kind)
	{
	case InvalidInput:
		return "invalid_input";
	case QueueFull:
		return "queue_full";
	case TooLarge:
		return "too_large";
	case DeliveryFailed:
		return "delivery_failed";
	case Shutdown:
		return "shutdown";
	case StageError:
		return "stage_error";
	case Warning:
		return "warning";
	}
	return "warning";
}

} // namespace PostHog
