//
// Explain.h
//
// A sink for the reasoning of a local evaluation, one line per condition tried.
//

#ifndef PostHog_Flags_Explain_INCLUDED
#define PostHog_Flags_Explain_INCLUDED

#include <functional>
#include <string>
#include <vector>

namespace PostHog
{

class Explain
/// Receives one line per flag decision and per condition LocalEvaluator tries, saying which
/// condition matched and why the others did not (what posthog-flags --explain prints). The
/// evaluator only builds these lines when a sink is given, so evaluations without one pay
/// nothing.
{
public:
	virtual ~Explain();

	virtual void line(const std::string& flagKey, const std::string& text) = 0;
	/// One line about the flag flagKey.
};

class ExplainLines : public Explain
/// Keeps every line as "<flag>: <text>", in order.
{
public:
	void line(const std::string& flagKey, const std::string& text) override;

	const std::vector<std::string>& lines() const noexcept { return _lines; }

private:
	std::vector<std::string> _lines;
};

class ExplainFunction : public Explain
/// Forwards every line to a function.
{
public:
	explicit ExplainFunction(std::function<void(const std::string&, const std::string&)> function);

	void line(const std::string& flagKey, const std::string& text) override;

private:
	std::function<void(const std::string&, const std::string&)> _function;
};

} // namespace PostHog

#endif // PostHog_Flags_Explain_INCLUDED
