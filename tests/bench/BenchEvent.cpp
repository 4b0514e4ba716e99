//
// BenchEvent.cpp
//

#include "BenchEvent.h"
#include "PostHog/Array.h"
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

	out.distinctId = "user_" + std::to_string(u);
	std::string movieId = "tt" + std::to_string(1000000 + m);
	std::string appVersion = "5." + std::to_string(m % 20) + "." + std::to_string(u % 10);
	out.properties = PostHog::Properties{
	    {"movie_id", movieId},
	    {"title", kTitles[m & 7]},
	    {"duration_s", 3600 + static_cast<int>(m % 4000)},
	    {"position_s", position},
	    {"rating", rating},
	    {"is_premium", (u & 3) == 0},
	    {"device", PostHog::Properties{{"os", kOses[u & 3]},
	                                   {"app_version", appVersion},
	                                   {"screen", PostHog::Properties{{"w", 1920}, {"h", 1080}}}}},
	    {"genres", PostHog::Array{kGenres[m % 6], kGenres[(m + 1) % 6]}},
	};
}

} // namespace PostHogBench
