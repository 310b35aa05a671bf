// sim/phases/train_and_release.cpp: research moves algorithmic efficiency
// (own research with diminishing returns, spill-overs toward the best lab);
// releases read their keys.

#include <cmath>
#include <vector>

#include <catch2/catch.hpp>

#include "fixtures/tiny_world.hpp"
#include "sim/phases/phases.hpp"
#include "sim/world.hpp"

using namespace airace;

namespace {

// A tiny world at its start under `algorithms`: frontier labs 0 and 1 at
// efficiency 1, start-ups at algorithms.initial_gap.
World research_world(const AlgorithmsConfig& algorithms) {
    ScenarioConfig config = testing::tiny_config();
    config.algorithms = algorithms;
    World world = build_world(config, 7);
    phase_environment(environment_io(world));
    return world;
}

// ln(efficiency) gained per year by each lab in one train-and-release step.
std::vector<double> log_gain_per_year(World& world) {
    const std::vector<double> before = world.labs.efficiency;
    phase_train_and_release(train_and_release_io(world));
    std::vector<double> gain(before.size());
    for (std::size_t i = 0; i < before.size(); ++i)
        gain[i] = std::log(world.labs.efficiency[i] / before[i]) / world.config.dt_years();
    return gain;
}

// Lab 0's own research rate theta X^lambda A^-phi at the start of the step,
// from its gain over the step (lab 0 leads: no spill-over): the step
// integrates d ln A/dt = g A^-phi exactly, A^phi rising by phi g dt.
double own_rate(World& world) {
    const double phi = world.config.algorithms.ideas_harder_exponent;
    const double dt = world.config.dt_years();
    const double gain = log_gain_per_year(world)[0] * dt;
    return std::expm1(phi * gain) / (phi * dt);
}

// Lab 0's own research rate with research spending rd_share of opex and no
// weight on compute (the input is proportional to the share).
double rate_at_share(double rd_share) {
    AlgorithmsConfig algorithms;
    algorithms.rd_share_of_opex = rd_share;
    algorithms.research_compute_weight = 0;
    World world = research_world(algorithms);
    return own_rate(world);
}

}  // namespace

TEST_CASE("no research input, no own progress: only spill-overs move a lab",
          "[sim][algorithms]") {
    AlgorithmsConfig algorithms;
    algorithms.rd_share_of_opex = 0;
    World world = research_world(algorithms);
    const double gap = -std::log(algorithms.initial_gap);
    const std::vector<double> gain = log_gain_per_year(world);
    CHECK(gain[0] == 0.0);  // a frontier lab, at the best efficiency: nothing to catch up
    const auto startup = static_cast<std::size_t>(world.config.labs.frontier_count);
    CHECK(gain[startup] == Approx(algorithms.diffusion_per_year * gap));
}

TEST_CASE("more research input, faster progress, with diminishing returns", "[sim][algorithms]") {
    const double base = rate_at_share(0.1);
    const double doubled = rate_at_share(0.2);
    REQUIRE(base > 0);
    CHECK(doubled > 1.2 * base);
    CHECK(doubled < 1.9 * base);  // doubling the input less than doubles the rate
    CHECK(doubled / base == Approx(std::pow(2.0, AlgorithmsConfig{}.parallelisation_penalty)));
}

TEST_CASE("research compute: a larger training scale speeds research", "[sim][algorithms]") {
    World small = research_world(AlgorithmsConfig{});
    World large = research_world(AlgorithmsConfig{});
    large.labs.model_flop[0] *= 100;
    CHECK(own_rate(large) > 2 * own_rate(small));
}

TEST_CASE("ideas get harder to find: the same input buys less progress at a higher efficiency",
          "[sim][algorithms]") {
    World low = research_world(AlgorithmsConfig{});
    World high = research_world(AlgorithmsConfig{});
    for (double& a : high.labs.efficiency) a *= 10;  // every lab, so the gaps are unchanged
    const double phi = AlgorithmsConfig{}.ideas_harder_exponent;
    CHECK(own_rate(high) == Approx(own_rate(low) * std::pow(10.0, -phi)));
}

TEST_CASE("spill-overs close a lab's gap to the best lab", "[sim][algorithms]") {
    AlgorithmsConfig algorithms;
    algorithms.rd_share_of_opex = 0;
    World world = research_world(algorithms);
    const auto startup = static_cast<std::size_t>(world.config.labs.frontier_count);
    const double gap_before = world.labs.efficiency[0] / world.labs.efficiency[startup];
    for (int s = 0; s < 8; ++s) phase_train_and_release(train_and_release_io(world));
    const double gap_after = world.labs.efficiency[0] / world.labs.efficiency[startup];
    CHECK(gap_after < std::pow(gap_before, 0.5));
    AlgorithmsConfig isolated = algorithms;
    isolated.diffusion_per_year = 0;
    World alone = research_world(isolated);
    for (int s = 0; s < 8; ++s) phase_train_and_release(train_and_release_io(alone));
    CHECK(alone.labs.efficiency[0] / alone.labs.efficiency[startup] == Approx(gap_before));
}

TEST_CASE("the field's frontier is the best active lab's efficiency", "[sim][algorithms]") {
    AlgorithmsConfig algorithms;
    algorithms.rd_share_of_opex = 0;
    World world = research_world(algorithms);
    world.labs.efficiency[1] = 8;  // lab 1 leads: lab 0 catches up toward it
    CHECK(best_efficiency(world.labs) == 8);
    const double rate = algorithms.diffusion_per_year;
    CHECK(log_gain_per_year(world)[0] == Approx(rate * std::log(8.0)));
    World closed = research_world(algorithms);
    closed.labs.efficiency[1] = 8;
    closed.labs.status[1] = LabStatus::bankrupt;  // a closed lab is no one's frontier
    CHECK(best_efficiency(closed.labs) == 1);
    CHECK(log_gain_per_year(closed)[0] == 0.0);
}

namespace {

struct Released {
    double synthetic_share;
    double collapse_penalty;
};

// Lab 0 releases a run of 1e28 FLOP with only 1e12 human tokens, filling the
// gap with synthetic data (accumulate mode).
Released release_short_of_data(const SyntheticConfig& synthetic) {
    ScenarioConfig config = testing::tiny_config();
    config.synthetic = synthetic;
    config.synthetic.mode = "accumulate";
    config.synthetic.start_year = 2000;
    World world = build_world(config, 7);
    phase_environment(environment_io(world));
    LabTable& labs = world.labs;
    labs.usable_tokens[0] = 1e12;
    labs.run_start_step[0] = 0;
    labs.run_target_flop[0] = 1e28;
    labs.run_done_flop[0] = 1e28;
    phase_train_and_release(train_and_release_io(world));
    REQUIRE(labs.model_flop[0] == 1e28);
    return {labs.model_synthetic_share[0], labs.collapse_penalty[0]};
}

}  // namespace

TEST_CASE("synthetic.max_generation_share: generation takes at most that share of a run",
          "[sim][synthetic]") {
    SyntheticConfig none;
    none.max_generation_share = 0;
    CHECK(release_short_of_data(none).synthetic_share == 0);
    CHECK(release_short_of_data(SyntheticConfig{}).synthetic_share > 0);
}

TEST_CASE("synthetic.accumulate_penalty_share: accumulating costs that share of a generation's "
          "penalty", "[sim][synthetic]") {
    SyntheticConfig free;
    free.accumulate_penalty_share = 0;
    SyntheticConfig dear;
    dear.accumulate_penalty_share = 1;
    const Released base = release_short_of_data(SyntheticConfig{});
    REQUIRE(base.synthetic_share > 0);
    CHECK(base.collapse_penalty ==
          Approx(0.25 * SyntheticConfig{}.collapse_penalty * base.synthetic_share));
    const Released at_free = release_short_of_data(free);
    CHECK(at_free.synthetic_share > 0);
    CHECK(at_free.collapse_penalty == 0);
    // At the full penalty of a generation synthetic data no longer pays.
    CHECK(release_short_of_data(dear).synthetic_share < base.synthetic_share);
}

namespace {

struct Trained {
    double kappa;
    double collapse_penalty;
    double synthetic_share;
};

// Lab 0 releases a run of `flop` with `usable` human tokens and a carried
// collapse penalty of `carried`, under `config`'s data and synthetic keys.
Trained release(ScenarioConfig config, double flop, double usable, double carried) {
    World world = build_world(config, 7);
    phase_environment(environment_io(world));
    LabTable& labs = world.labs;
    labs.usable_tokens[0] = usable;
    labs.collapse_penalty[0] = carried;
    labs.run_start_step[0] = 0;
    labs.run_target_flop[0] = flop;
    labs.run_done_flop[0] = flop;
    phase_train_and_release(train_and_release_io(world));
    REQUIRE(labs.model_flop[0] == flop);
    return {labs.model_kappa[0], labs.collapse_penalty[0], labs.model_synthetic_share[0]};
}

}  // namespace

TEST_CASE("data.quality_decay: a run that reaches deep into the stock gains less from it",
          "[sim][data]") {
    ScenarioConfig config = testing::tiny_config();
    config.synthetic.mode = "off";
    const World world = build_world(config, 7);
    const double half_stock = 0.5 * world.env.human_stock_tokens;
    config.data.quality_decay = 0;
    const double flat = release(config, 1e30, half_stock, 0).kappa;
    config.data.quality_decay = 2;
    const double steep = release(config, 1e30, half_stock, 0).kappa;
    CHECK(steep < flat - 0.05);
    // A run far from the wall uses the best tokens only: decay costs it nothing.
    config.data.quality_decay = 0;
    const double small_flat = release(config, 1e24, half_stock, 0).kappa;
    config.data.quality_decay = 2;
    CHECK(release(config, 1e24, half_stock, 0).kappa == Approx(small_flat));
}

TEST_CASE("synthetic.collapse_decay_per_generation: the carried penalty decays in a clean run, "
          "never resets", "[sim][synthetic]") {
    ScenarioConfig config = testing::tiny_config();
    config.synthetic.start_year = 2000;
    config.synthetic.collapse_decay_per_generation = 0.5;
    const Trained half = release(config, 1e24, 1e15, 0.2);  // ample data: no synthetic tokens
    CHECK(half.synthetic_share == 0);
    CHECK(half.collapse_penalty == Approx(0.1));
    const Trained clean = release(config, 1e24, 1e15, 0);
    CHECK(half.kappa < clean.kappa);  // the lab's model still bears the earlier generations
    config.synthetic.collapse_decay_per_generation = 1;
    CHECK(release(config, 1e24, 1e15, 0.2).collapse_penalty == 0);
}
