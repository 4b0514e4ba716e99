//
// FilterCompiler.h
//
// Turns one property filter of the definitions into a PropertyFilter.
//

#ifndef PostHog_Flags_FilterCompiler_INCLUDED
#define PostHog_Flags_FilterCompiler_INCLUDED

#include "Poco/Dynamic/Var.h"
#include "Poco/JSON/Object.h"
#include "flags/FlagDefinitions.h"

namespace PostHog
{

class FilterCompiler
/// Reads a filter {key, value, operator, type, negation, dependency_chain} and prepares what
/// its operator compares: lower-cased and stringified texts, the number, the version or its
/// bounds, the date, the compiled pattern; a cohort filter gets the cohort's index, a flag
/// filter its dependency chain as indices. A value the operator cannot use is recorded in
/// PropertyFilter::unsupported (the filter is then undecidable locally).
{
public:
	explicit FilterCompiler(const FlagDefinitions& definitions);

	PropertyFilter compile(const Poco::Dynamic::Var& filter) const;

	static std::string answerKey(const Poco::Dynamic::Var& filter);
	/// What decides a property filter's answer for given properties: its key, operator and the
	/// value's JSON text (its type only picks the properties). Empty when filter is no object.

private:
	void compileProperty(const Poco::Dynamic::Var& value, PropertyFilter& out) const;
	void compileExact(const Value& value, PropertyFilter& out) const;
	void compileOrdered(const Value& value, PropertyFilter& out) const;
	void compileSemver(PropertyFilter& out) const;
	void compileCohort(const Poco::Dynamic::Var& value, PropertyFilter& out) const;
	void compileDependency(const Poco::JSON::Object& filter, const Poco::Dynamic::Var& value,
	                       PropertyFilter& out) const;

	const FlagDefinitions& _definitions;
};

} // namespace PostHog

#endif // PostHog_Flags_FilterCompiler_INCLUDED
