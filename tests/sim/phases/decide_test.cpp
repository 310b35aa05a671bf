// sim/phases/decide.cpp: a dormant lab slot attempts a founding round with a
// chance that rises with investors' mean sentiment
// (labs.entry_sentiment_elasticity) and is 0 at labs.entry_rate_per_year 0.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include "fixtures/tiny_world.hpp"
#include "sim/phases/phases.hpp"
#include "sim/world.hpp"

using namespace airace;

namespace {

// Founding rounds asked by a tiny world's dormant slots over `steps` steps of
// the decide phase with every investor's sentiment at `sentiment`.
int founding_attempts(double sentiment, double rate, int steps) {
    ScenarioConfig config = testing::tiny_config();
    config.labs.entry_rate_per_year = rate;
    World world = build_world(config, 7);
    phase_environment(environment_io(world));
    int attempts = 0;
    for (int s = 0; s < steps; ++s) {
        world.step = s;
        std::fill(world.investors.sentiment.begin(), world.investors.sentiment.end(), sentiment);
        phase_decide(decide_io(world));
        for (std::size_t i = 0; i < world.labs.size(); ++i) {
            if (!world.labs.dormant(i)) continue;
            if (world.messages.plans.intents[i].funding_request_usd > 0) ++attempts;
        }
    }
    return attempts;
}

}  // namespace

TEST_CASE("labs.entry_sentiment_elasticity: dormant slots attempt more founding rounds when "
          "investors are bullish", "[sim][decide][entry]") {
    const int steps = 8000;  // about 500 attempts at neutral sentiment: a sampling error near 4.5%
    const int bullish = founding_attempts(1.0, 0.25, steps);
    const int neutral = founding_attempts(0.0, 0.25, steps);
    const int bearish = founding_attempts(-1.0, 0.25, steps);
    CHECK(bullish > neutral);
    CHECK(neutral > bearish);
    // About the chance: the field's 0.25 e^s attempts a year shared among
    // the slots, each slot over 8000 quarters at 1 - exp(-0.25 e^s / 4 / slots).
    const auto slots = static_cast<double>(testing::tiny_config().labs.entrant_slots);
    CHECK(neutral == Approx(slots * steps * (1 - std::exp(-0.25 / 4 / slots))).epsilon(0.15));
    CHECK(bullish == Approx(slots * steps * (1 - std::exp(-0.25 * std::exp(1.0) / 4 / slots))).epsilon(0.15));
}

TEST_CASE("labs.entry_rate_per_year at 0: no slot ever asks", "[sim][decide][entry]") {
    CHECK(founding_attempts(3.0, 0.0, 100) == 0);
}
