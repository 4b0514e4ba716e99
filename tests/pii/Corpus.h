//
// Corpus.h
//
// The labelled PII corpus in tests/pii/corpus/<set>/.
//

#ifndef PostHogTest_Corpus_INCLUDED
#define PostHogTest_Corpus_INCLUDED

#include <string>
#include <vector>

namespace PostHogTest
{

struct Corpus
/// One set (tuning or heldout) of the corpus:
///   positives.tsv       kind <TAB> key <TAB> value <TAB> pii (the part that must vanish)
///   negatives.tsv       category <TAB> key <TAB> value (must come out unchanged)
///   sensitive_keys.txt  key spellings whose value must be scrubbed whatever it is
///   ordinary_keys.txt   key names that must never be touched for their name
/// '#' starts a comment line; \n, \t and \\ are escapes in the TSV fields.
{
	struct Row
	{
		std::string label; // kind or category
		std::string key;
		std::string value;
		std::string pii;
	};

	std::vector<Row> positives;
	std::vector<Row> negatives;
	std::vector<std::string> sensitiveKeys;
	std::vector<std::string> ordinaryKeys;

	static Corpus load(const std::string& set);
	/// Reads $POSTHOG_SOURCE_DIR/tests/pii/corpus/<set> (the source tree of this file when the
	/// variable is unset). Throws Poco::FileNotFoundException / Poco::DataFormatException
	/// naming file and line.

	static std::string directory();
};

} // namespace PostHogTest

#endif // PostHogTest_Corpus_INCLUDED
