// sim/phases/train_and_release.cpp: a released generation's realised kappa
// scatters around its expected kappa (scaling.generation_noise_sd); a model
// short of its expected gain is held back (labs.release_min_gain_share,
// labs.release_delay_quarters); a release far below expectation disappoints
// (labs.disappointing_shortfall_oom), and a disappointing frontier lowers
// investors' sentiment through the wow term; an entrant's first model starts
// its momentum.

#include <cmath>
#include <cstdint>
#include <numeric>
#include <optional>
#include <vector>

#include <catch2/catch.hpp>

#include "base/rng.hpp"
#include "fixtures/tiny_world.hpp"
#include "sim/phases/phases.hpp"
#include "sim/world.hpp"

using namespace airace;

namespace {

// Lab 0's run, this many times its deployed model's compute, is done.
constexpr double run_multiple = 100.0;

// A tiny world at its start whose lab 0 has just bought a run of
// run_multiple x its deployed model's compute, with all the data it wants
// (no data wall: its expected kappa is log10 of its effective compute).
World finished_run_world(const ScenarioConfig& config, std::uint64_t seed) {
    World world = build_world(config, seed);
    phase_environment(environment_io(world));
    LabTable& labs = world.labs;
    labs.usable_tokens[0] = 1e40;
    labs.run_start_step[0] = 0;
    labs.run_target_flop[0] = run_multiple * labs.model_flop[0];
    labs.run_done_flop[0] = labs.run_target_flop[0];
    return world;
}

ScenarioConfig noisy_config(double sd) {
    ScenarioConfig config = testing::tiny_config();
    config.scaling.generation_noise_sd = sd;
    return config;
}

// Lab 0's first draw at step 0 of a run of `seed`, in standard deviations.
double first_draw(std::uint64_t seed) {
    return standard_normal(RngKey{seed, 0, AgentKind::lab, 0, RngPurpose::generation}, 0);
}

// The first seed from 1 whose first draw for lab 0 satisfies `wanted`.
template <class Wanted>
std::uint64_t seed_where(Wanted wanted) {
    for (std::uint64_t seed = 1; seed < 1000; ++seed)
        if (wanted(first_draw(seed))) return seed;
    FAIL("no seed found");
    return 0;
}

std::size_t count_events(const World& world, EventType type) {
    std::size_t n = 0;
    for (const EventRow& row : world.events)
        if (row.type == static_cast<std::int32_t>(type)) ++n;
    return n;
}

// Lab 0's realised minus expected kappa after one train-and-release step, or
// nothing when it released nothing.
std::optional<double> release_surprise(const ScenarioConfig& config, std::uint64_t seed) {
    World world = finished_run_world(config, seed);
    phase_train_and_release(train_and_release_io(world));
    const LabTable& labs = world.labs;
    if (labs.held_until_step[0] >= 0) return std::nullopt;
    const double expected = std::log10(labs.model_efficiency[0] * labs.model_flop[0]);
    return labs.model_kappa[0] - expected;
}

double mean(const std::vector<double>& xs) {
    return std::accumulate(xs.begin(), xs.end(), 0.0) / static_cast<double>(xs.size());
}

}  // namespace

TEST_CASE("scaling.generation_noise_sd: at 0 every release has its expected kappa",
          "[sim][generations]") {
    for (std::uint64_t seed = 1; seed <= 20; ++seed) {
        World world = finished_run_world(noisy_config(0), seed);
        phase_train_and_release(train_and_release_io(world));
        const LabTable& labs = world.labs;
        REQUIRE(count_events(world, EventType::release) == 1);
        CHECK(labs.model_kappa[0] ==
              Approx(std::log10(labs.model_efficiency[0] * labs.model_flop[0])).epsilon(1e-9));
        CHECK(world.totals.generation_shortfall == Approx(0).margin(1e-9));
        CHECK(world.totals.generations_delayed == 0);
        CHECK(world.totals.generations_disappointing == 0);
    }
}

TEST_CASE("scaling.generation_noise_sd: realised kappa scatters around the expected one with "
          "that sd, mean zero", "[sim][generations]") {
    ScenarioConfig config = noisy_config(0.2);
    config.labs.release_delay_quarters = 0;  // release every draw
    std::vector<double> surprise;
    for (std::uint64_t seed = 1; seed <= 300; ++seed) {
        const std::optional<double> s = release_surprise(config, seed);
        REQUIRE(s.has_value());
        surprise.push_back(*s);
    }
    const double m = mean(surprise);
    double var = 0;
    for (double s : surprise) var += (s - m) * (s - m);
    const double sd = std::sqrt(var / static_cast<double>(surprise.size() - 1));
    CHECK(std::abs(m) < 3 * 0.2 / std::sqrt(300.0));
    CHECK(sd == Approx(0.2).epsilon(0.15));
}

TEST_CASE("labs.release_min_gain_share: a model short of its expected gain is held back, then "
          "tried again after labs.release_delay_quarters", "[sim][generations]") {
    ScenarioConfig config = noisy_config(1.0);
    // Expected gain 2 OOM: a draw below -1 sd realises less than half of it.
    const std::uint64_t seed = seed_where([](double z) { return z < -1.2; });
    World world = finished_run_world(config, seed);
    LabTable& labs = world.labs;
    const double deployed_flop = labs.model_flop[0];
    const double deployed_kappa = labs.model_kappa[0];
    phase_train_and_release(train_and_release_io(world));
    CHECK(count_events(world, EventType::generation_delayed) == 1);
    CHECK(count_events(world, EventType::release) == 0);
    CHECK(world.totals.generations_delayed == 1);
    CHECK(labs.model_flop[0] == deployed_flop);  // the deployed model stays
    CHECK(labs.model_kappa[0] == deployed_kappa);
    const std::int32_t delay = config.quarters_to_steps(config.labs.release_delay_quarters);
    REQUIRE(labs.held_until_step[0] == delay);
    CHECK(labs.run_start_step[0] == 0);                        // the run stays open ...
    CHECK(labs.run_target_flop[0] == labs.run_done_flop[0]);  // ... buying nothing more
    for (std::int32_t step = 1; step <= delay; ++step) {
        world.step = step;
        begin_step(begin_step_io(world));
        phase_train_and_release(train_and_release_io(world));
        if (step < delay) CHECK(labs.held_until_step[0] == delay);
    }
    CHECK(labs.held_until_step[0] == -1);  // tried again: released or abandoned, the run closed
    CHECK(labs.run_start_step[0] == -1);
    CHECK(count_events(world, EventType::generation_delayed) == 0);
    if (count_events(world, EventType::release) == 1)
        CHECK(labs.model_kappa[0] > deployed_kappa);
    else
        CHECK(labs.model_flop[0] == deployed_flop);

    // Without a delay, or without the share, the same draw is released at once.
    for (const auto& [share, quarters] : {std::pair{0.5, 0.0}, std::pair{0.0, 2.0}}) {
        ScenarioConfig eager = config;
        eager.labs.release_min_gain_share = share;
        eager.labs.release_delay_quarters = quarters;
        World now = finished_run_world(eager, seed);
        phase_train_and_release(train_and_release_io(now));
        CHECK(count_events(now, EventType::generation_delayed) == 0);
        CHECK(count_events(now, EventType::release) == 1);
    }
}

TEST_CASE("labs.disappointing_shortfall_oom: a release that far below its expected kappa "
          "disappoints, and the shortfall is counted", "[sim][generations]") {
    ScenarioConfig config = noisy_config(1.0);
    config.labs.release_delay_quarters = 0;
    const std::uint64_t low = seed_where([](double z) { return z < -0.5; });
    World world = finished_run_world(config, low);
    phase_train_and_release(train_and_release_io(world));
    REQUIRE(count_events(world, EventType::release) == 1);
    CHECK(count_events(world, EventType::generation_disappointing) == 1);
    CHECK(world.totals.generations_disappointing == 1);
    CHECK(world.totals.generation_shortfall == Approx(-first_draw(low)));

    const std::uint64_t high = seed_where([](double z) { return z > -0.2; });
    World fine = finished_run_world(config, high);
    phase_train_and_release(train_and_release_io(fine));
    REQUIRE(count_events(fine, EventType::release) == 1);
    CHECK(count_events(fine, EventType::generation_disappointing) == 0);
    CHECK(fine.totals.generation_shortfall == Approx(-first_draw(high)));
}

TEST_CASE("a disappointing frontier generation lowers investors' sentiment (wow below "
          "expectation)", "[sim][generations][investors]") {
    // Lab 0's run of 100x its compute puts it at the frontier either way.
    const std::uint64_t seed = seed_where([](double z) { return z < -1.0; });
    auto sentiment_after = [seed](double sd, double& frontier) {
        ScenarioConfig config = noisy_config(sd);
        config.labs.release_delay_quarters = 0;
        World world = finished_run_world(config, seed);
        phase_train_and_release(train_and_release_io(world));
        phase_account(account_io(world));
        frontier = world.frontier_kappa;
        return mean(world.investors.sentiment);
    };
    double expected_frontier = 0;
    double disappointing_frontier = 0;
    const double as_expected = sentiment_after(0, expected_frontier);
    const double disappointed = sentiment_after(1.0, disappointing_frontier);
    REQUIRE(disappointing_frontier < expected_frontier - 1.0);
    CHECK(disappointed < as_expected);
}

TEST_CASE("an entrant's first model is where its momentum counts from", "[sim][release][entry]") {
    World world = build_world(noisy_config(0.2), 7);
    phase_environment(environment_io(world));
    LabTable& labs = world.labs;
    const auto slot = static_cast<std::size_t>(world.config.labs.count);
    enter_lab(labs, world.config, slot, field_efficiency(labs), 1e9, 0);
    labs.usable_tokens[slot] = 1e40;
    labs.run_start_step[slot] = 0;
    labs.run_target_flop[slot] = 1e24;
    labs.run_done_flop[slot] = 1e24;
    CHECK(labs.kappa_year_ago(slot, world.step) == 0);
    phase_train_and_release(train_and_release_io(world));
    REQUIRE(labs.has_model(slot));
    CHECK(labs.model_kappa[slot] > 20);
    // Its year-ago capability is its first model's, not the nothing before it.
    for (std::int32_t step = 0; step < 4; ++step)
        CHECK(labs.kappa_year_ago(slot, step) == labs.model_kappa[slot]);
    CHECK(count_events(world, EventType::generation_delayed) == 0);
}
