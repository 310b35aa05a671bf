// record/run.cpp: a run whose caller exits next leaves its world to the
// process's exit (RunOptions::leave_world_to_exit) and records the same.

#include <catch2/catch.hpp>

#include <cmath>

#include "fixtures/tiny_world.hpp"
#include "record/run.hpp"

using namespace airace;
using airace::testing::tiny_config;

TEST_CASE("a run can leave its world to the process's exit, with the same record", "[run]") {
    const ScenarioConfig config = tiny_config(2);
    const RunRecord freed = run(config);
    const std::size_t before = worlds_left_to_exit();
    RunOptions options;
    options.leave_world_to_exit = true;
    const RunRecord left = run(config, options);
    CHECK(worlds_left_to_exit() == before + 1);  // not freed when run() returned
    CHECK(left.hashes == freed.hashes);
    CHECK(left.time == freed.time);
    REQUIRE(left.aggregates.size() == freed.aggregates.size());
    for (std::size_t i = 0; i < left.aggregates.size(); ++i) {
        INFO(left.aggregates[i].name);
        const auto& x = left.aggregates[i].values;
        const auto& y = freed.aggregates[i].values;
        REQUIRE(x.size() == y.size());
        for (std::size_t t = 0; t < x.size(); ++t) CHECK(((std::isnan(x[t]) && std::isnan(y[t])) || x[t] == y[t]));
    }
    // Without the option nothing is left.
    (void)run(config);
    CHECK(worlds_left_to_exit() == before + 1);
}
