// check_finite: a non-finite value stops the run at the step that made it,
// named by table, column and agent (sim/finite_check.hpp).

#include <catch2/catch.hpp>

#include <limits>

#include "fixtures/tiny_world.hpp"
#include "base/errors.hpp"
#include "sim/finite_check.hpp"
#include "record/run.hpp"
#include "sim/step.hpp"
#include "sim/world.hpp"

using namespace airace;
using Catch::Matchers::Contains;

TEST_CASE("a healthy world passes the finite check after every step", "[finite]") {
    World world = build_world(testing::tiny_config(2), 7);
    for (int s = 0; s < world.config.steps(); ++s) {
        step(world);
        CHECK_NOTHROW(check_finite(world));
    }
}

TEST_CASE("a NaN in an agent column names the step, table, column and agent", "[finite]") {
    World world = build_world(testing::tiny_config(2), 7);
    step(world);
    world.labs.cash_usd[3] = std::numeric_limits<double>::quiet_NaN();
    REQUIRE_THROWS_AS(check_finite(world), RuntimeFailure);
    REQUIRE_THROWS_WITH(check_finite(world),
                        Contains("step 1 (year") && Contains("labs.cash_usd of agent 3 ('") &&
                            Contains("is nan"));
}

TEST_CASE("an infinity in a ring column names the agent and the entry", "[finite]") {
    World world = build_world(testing::tiny_config(2), 7);
    step(world);
    // kappa_history holds 4 values per lab: entry 6 is lab 1's third.
    world.labs.kappa_history[6] = std::numeric_limits<double>::infinity();
    REQUIRE_THROWS_WITH(check_finite(world),
                        Contains("labs.kappa_history of agent 1") && Contains("entry 2") &&
                            Contains("is inf"));
}

TEST_CASE("an overflowing growth rate stops the run where it overflows", "[finite]") {
    ScenarioConfig config = testing::tiny_config(180);  // 2020-2200
    // Beyond what a scenario file may set (config built in code): 100x a
    // year passes 1.8e308 long before 2200; the check must still stop it.
    config.product.addressable_growth_per_year = 100;
    RunOptions options;
    options.checkpoint_every = 0;
    // The error names the step where the first value gave out (the revenue
    // pool, or what is computed from it, turns inf or nan).
    REQUIRE_THROWS_AS(run(config, options), RuntimeFailure);
    REQUIRE_THROWS_WITH(run(config, options),
                        Contains("step ") && (Contains(" is inf") || Contains(" is -nan") ||
                                              Contains(" is nan")));
}
