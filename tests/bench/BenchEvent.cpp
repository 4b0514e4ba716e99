//
// BenchEvent.cpp
//

#include "BenchEvent.h"
#include "PostHog/Array.h"
#include <charconv>
#include <cmath>

namespace PostHogBench
{

namespace
{

const char* const kTitles[] = {"The Matrix",    "Spirited Away", "Heat", "Alien",
                               "Am\xC3\xA9lie", "Arrival",       "Up",   "Drive"};
const char* const kGenres[] = {"sci-fi", "animation", "crime", "horror", "comedy", "drama"};
const char* const kOses[] = {"ios", "android", "web", "tvos"};

double jsRound(double x)
/// Math.round for x >= 0: the nearest integer, halves up. floor(x + 0.5) is not it (the sum
/// rounds for x just below a half); x - floor(x) is exact.
{
	double f = std::floor(x);
	return x - f >= 0.5 ? f + 1 : f;
}

} // namespace

const char* const BenchEvent::kEventName = "movie played";

void BenchEvent::make(Mulberry32& r, unsigned users, BenchEvent& out)
{
	unsigned u = static_cast<unsigned>(std::floor(r.next() * users));
	unsigned m = static_cast<unsigned>(std::floor(r.next() * 5000));
	double position = jsRound(r.next() * 360000) / 100;
	double rating = jsRound(r.next() * 50) / 10;

	// Strings formatted into stack buffers and the constant screen object built once: what an
	// application that cares would write (std::to_string and + made this 570 -> 463 ns, posthog-microbench).
	static const PostHog::Properties screen{{"w", 1920}, {"h", 1080}};
	char id[24] = "user_";
	char* end = std::to_chars(id + 5, id + sizeof id, u).ptr;
	out.distinctId.assign(id, static_cast<std::size_t>(end - id));
	char movieId[16] = "tt";
	char* movieEnd = std::to_chars(movieId + 2, movieId + sizeof movieId, 1000000 + m).ptr;
	char version[24] = "5.";
	char* v = std::to_chars(version + 2, version + sizeof version, m % 20).ptr;
	*v++ = '.';
	v = std::to_chars(v, version + sizeof version, u % 10).ptr;
	out.properties = PostHog::Properties{
	    {"movie_id", std::string_view(movieId, static_cast<std::size_t>(movieEnd - movieId))},
	    {"title", kTitles[m & 7]},
	    {"duration_s", 3600 + static_cast<int>(m % 4000)},
	    {"position_s", position},
	    {"rating", rating},
	    {"is_premium", (u & 3) == 0},
	    {"device", PostHog::Properties{{"os", kOses[u & 3]},
	                                   {"app_version",
	                                    std::string_view(version, static_cast<std::size_t>(v - version))},
	                                   {"screen", screen}}},
	    {"genres", PostHog::Array{kGenres[m % 6], kGenres[(m + 1) % 6]}},
	};
}

} // namespace PostHogBench
