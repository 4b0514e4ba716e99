//
// VarEncoder.h
//
// Poco::Dynamic::Var values into the compact encoding of Properties (see Encoding.h).
//

#ifndef PostHog_VarEncoder_INCLUDED
#define PostHog_VarEncoder_INCLUDED

#include <string>

namespace Poco
{
namespace Dynamic
{
class Var;
}
} // namespace Poco

namespace PostHog
{

class VarEncoder
/// Encodes what Poco's JSON parser and Poco::Dynamic produce (JSON objects and arrays, by value
/// or Ptr, Dynamic::Struct, vectors of Var, booleans, integers, doubles, strings) as one encoded
/// value, for Properties::fromVar(). Anything else is written as its string form.
{
public:
	static void encode(std::string& out, const Poco::Dynamic::Var& var, const std::string& key,
	                   unsigned depth, unsigned maxDepth);
	/// Appends the encoding of var found under key at depth. Throws InvalidMessageException when it
	/// nests deeper than maxDepth or holds a number that is not finite (the message names key).
};

} // namespace PostHog

#endif // PostHog_VarEncoder_INCLUDED
