// sim/environment.cpp: the exogenous trends read their keys.

#include <catch2/catch.hpp>

#include <cmath>

#include "fixtures/tiny_world.hpp"
#include "sim/environment.hpp"

using namespace airace;

TEST_CASE("compute.external_demand_slowdown_year dates the slowdown of outside demand",
          "[sim][environment]") {
    ScenarioConfig config = testing::tiny_config(8);
    const std::int32_t step_2026 = 6 * config.time.steps_per_year;
    Environment late;
    update_environment(late, config, step_2026);
    config.compute.external_demand_slowdown_year = 2021;
    Environment early;
    update_environment(early, config, step_2026);
    // Growing at 2.2x a year until the slowdown: starting it three years
    // earlier leaves outside demand far lower by 2026.
    CHECK(early.external_demand_flop < 0.5 * late.external_demand_flop);
    // Before either slowdown year nothing differs.
    Environment start_late;
    Environment start_early;
    update_environment(start_early, config, 1);
    config.compute.external_demand_slowdown_year = 2024;
    update_environment(start_late, config, 1);
    CHECK(start_early.external_demand_flop == start_late.external_demand_flop);
}

TEST_CASE("compute.training_flop_gain_per_year: training FLOP per hardware FLOP, 1 in 2024",
          "[sim][environment]") {
    ScenarioConfig config = testing::tiny_config(12);
    const std::int32_t per_year = config.time.steps_per_year;
    Environment env;
    update_environment(env, config, 4 * per_year);  // 2024
    CHECK(env.training_flop_per_hardware_flop == Approx(1.0));
    update_environment(env, config, 0);  // 2020: four years before
    CHECK(env.training_flop_per_hardware_flop ==
          Approx(std::pow(config.compute.training_flop_gain_per_year, -4.0)));
    // It grows until its bound.
    config.compute.training_flop_gain_max = 2;
    update_environment(env, config, 10 * per_year);  // 2030: 1.35^6 > 2
    CHECK(env.training_flop_per_hardware_flop == Approx(2.0));
    config.compute.training_flop_gain_per_year = 1;
    update_environment(env, config, 0);
    CHECK(env.training_flop_per_hardware_flop == Approx(1.0));
}
