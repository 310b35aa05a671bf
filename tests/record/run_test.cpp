// record/run.cpp: a run whose caller exits next leaves its world to the
// process's exit (RunOptions::leave_world_to_exit) and records the same.

#include <catch2/catch.hpp>

#include <string>

#include "fixtures/tiny_world.hpp"
#include "record/record_compare.hpp"
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
    // Every dataset the same (hashes, time, aggregates, agents, events; NaN equals NaN).
    const auto difference = compare_records(freed, left, 0, freed.meta.steps);
    INFO((difference ? difference->dataset + " step " + std::to_string(difference->step) + ": " + difference->detail
                     : std::string("none")));
    CHECK_FALSE(difference);
    // Without the option nothing is left.
    (void)run(config);
    CHECK(worlds_left_to_exit() == before + 1);
}
