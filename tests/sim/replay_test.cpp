// Checkpoints, resume, fork and replay: a saved run can be continued and
// branched bitwise identically.

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iterator>

#include "fixtures/tiny_world.hpp"
#include "output/reader.hpp"
#include "base/errors.hpp"
#include "output/writer.hpp"
#include "record/record_compare.hpp"
#include "record/recorder.hpp"
#include "record/run.hpp"
#include "sim/state.hpp"
#include "sim/world.hpp"

using namespace airace;

namespace {

ScenarioConfig story() {
    ScenarioConfig config = testing::tiny_config(8);
    config.labs.count = 12;
    config.investors.count = 40;
    InfluencerConfig figure;
    figure.name = "figure";
    figure.stance = 1;
    figure.start_year = 2022;
    figure.weight = {0.3, 0.1, 0.0};
    config.influencers.push_back(figure);
    return config;
}

std::string file_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void require_same(const RunRecord& a, const RunRecord& b, int from, int to) {
    const auto difference = compare_records(a, b, from, to);
    if (difference) FAIL(difference->dataset << " at step " << difference->step << ": " << difference->detail);
}

}  // namespace

TEST_CASE("a checkpoint restores the world exactly", "[replay]") {
    const ScenarioConfig config = story();
    RunOptions half;
    half.stop_after = 12;
    const RunRecord partial = run(config, half);
    REQUIRE(partial.meta.status == "partial");
    REQUIRE_FALSE(partial.checkpoints.empty());
    World world = build_world(config, config.scenario.seed);
    restore_world(world, partial.checkpoints.back());
    const Checkpoint again = save_world(world);
    REQUIRE(again.columns.size() == partial.checkpoints.back().columns.size());
    for (std::size_t c = 0; c < again.columns.size(); ++c) {
        INFO(again.columns[c].name);
        CHECK(again.columns[c].whole == partial.checkpoints.back().columns[c].whole);
        CHECK(again.columns[c].real == partial.checkpoints.back().columns[c].real);
    }
}

TEST_CASE("the world hash covers the graph: one changed stake or equity scale changes it", "[replay]") {
    const ScenarioConfig config = story();
    RunOptions half;
    half.stop_after = 12;
    const RunRecord partial = run(config, half);
    World world = build_world(config, config.scenario.seed);
    restore_world(world, partial.checkpoints.back());
    REQUIRE(world.network.edge_count() > 0);
    const std::uint64_t before = world_hash(world);
    // The restored graph's incremental digest equals a recount.
    CHECK(world.network.edge_digest() == world.network.recompute_edge_digest());
    bool changed = false;
    for (std::uint32_t lab = 0; lab < world.labs.size() && !changed; ++lab)
        world.network.visit_in(AgentKind::lab, lab, EdgeType::equity,
                               [&](AgentKind, std::uint32_t, double&, double& stake) {
                                   if (!changed) stake = std::nextafter(stake, 1.0);
                                   changed = true;
                               });
    REQUIRE(changed);
    CHECK(world_hash(world) != before);
    // So does a lab's equity scale, all a round's dilution changes.
    const std::uint64_t undiluted = world_hash(world);
    CHECK(world.network.dilute_apart(0, 0.5) == 0);
    CHECK(world_hash(world) != undiluted);
}

TEST_CASE("run to N equals run to N/2, checkpoint, resume", "[replay]") {
    ::setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
    const ScenarioConfig config = story();
    const RunRecord whole = run(config);
    RunOptions first_half;
    first_half.stop_after = config.steps() / 2;
    const RunRecord partial = run(config, first_half);
    // Through a file, as after a crash.
    const std::string partial_file = testing::scratch_path("half.h5.partial");
    write_run_file(partial, partial_file, true);
    const RunRecord reread = read_run_file(partial_file);
    RunOptions second_half;
    second_half.resume_from = &reread;
    second_half.resume_step = reread.checkpoints.back().step;
    REQUIRE(second_half.resume_step == config.steps() / 2);
    const RunRecord resumed = run(config, second_half);
    REQUIRE(resumed.meta.status == "complete");
    require_same(whole, resumed, 0, config.steps());
    const std::string a = testing::scratch_path("whole.h5");
    const std::string b = testing::scratch_path("resumed.h5");
    write_run_file(whole, a, true);
    write_run_file(resumed, b, true);
    ::unsetenv("SOURCE_DATE_EPOCH");
    CHECK(file_bytes(a) == file_bytes(b));
}

TEST_CASE("a fork without changes equals its parent", "[replay]") {
    const ScenarioConfig config = story();
    const RunRecord parent = run(config);
    RunOptions options;
    options.switch_config = config;
    options.switch_step = 18;  // between checkpoints 16 and 20: re-simulates two steps
    options.resume_from = &parent;
    options.resume_step = 16;
    const RunRecord fork = run(config, options);
    require_same(parent, fork, 0, config.steps());
}

TEST_CASE("a fork with a change equals its parent before the fork and differs after", "[replay]") {
    const ScenarioConfig config = story();
    const RunRecord parent = run(config);
    ScenarioConfig changed = config;
    PolicyEventConfig cap;
    cap.year = 2020;  // dated before the fork: takes effect at the fork date
    cap.regulator = "us";
    cap.instrument = "training_cap_flop";
    cap.value = 1e22;
    changed.policy_events.push_back(cap);
    changed.influencers[0].stance = -1;
    RunOptions options;
    options.switch_config = changed;
    options.switch_step = 16;
    options.resume_from = &parent;
    options.resume_step = 16;
    const RunRecord fork = run(config, options);
    require_same(parent, fork, 0, 16);
    const auto difference = compare_records(parent, fork, 16, config.steps());
    REQUIRE(difference);
    CHECK(difference->step == 16);
    CHECK(fork.fork.is_fork);
    CHECK(fork.fork.fork_step == 16);
    // Replaying a fork from scratch (parent config, then the fork's) gives it again.
    RunOptions replay;
    replay.switch_config = changed;
    replay.switch_step = 16;
    require_same(fork, run(config, replay), 0, config.steps());
}

TEST_CASE("a fork may add an influencer, acting only from the fork date", "[replay]") {
    ScenarioConfig config = story();
    config.influencers.clear();
    const RunRecord parent = run(config);
    ScenarioConfig changed = config;
    InfluencerConfig figure;
    figure.name = "late";
    figure.stance = 1;
    figure.start_year = 2020;
    figure.weight = {0.6, 0, 0};
    changed.influencers.push_back(figure);
    RunOptions options;
    options.switch_config = changed;
    options.switch_step = 12;
    options.resume_from = &parent;
    options.resume_step = 12;
    const RunRecord fork = run(config, options);
    require_same(parent, fork, 0, 12);
    const Series* parent_us = parent.aggregate("stringency_us");
    const Series* fork_us = fork.aggregate("stringency_us");
    CHECK(fork_us->values[20] > parent_us->values[20] + 0.1);
}

TEST_CASE("keys that only shape the start cannot be changed by a fork", "[replay]") {
    CHECK(shapes_start_only("labs.count"));
    CHECK(shapes_start_only("labs.frontier.initial_cash_usd"));
    CHECK(shapes_start_only("regions.us.lab_share"));
    CHECK(shapes_start_only("regulators.eu.base_stringency"));
    CHECK_FALSE(shapes_start_only("regulators.eu.training_cap_flop"));
    CHECK_FALSE(shapes_start_only("regions.us.power_growth_per_year"));
    CHECK_FALSE(shapes_start_only("synthetic.mode"));
    ScenarioConfig a = story();
    ScenarioConfig b = a;
    b.labs.count = 13;
    CHECK(changed_start_only_key(a, b) == "labs.count");
}

TEST_CASE("a corrupted checkpoint is refused with a clear error", "[replay]") {
    const ScenarioConfig config = story();
    RunOptions options;
    options.stop_after = 8;
    RunRecord partial = run(config, options);
    for (StateColumn& column : partial.checkpoints.back().columns)
        if (column.name == "network/src") column.whole[0] = 1 << 30;
    World world = build_world(config, config.scenario.seed);
    CHECK_THROWS_AS(restore_world(world, partial.checkpoints.back()), RunFileError);
    partial.checkpoints.back().columns.pop_back();
    CHECK_THROWS_AS(restore_world(world, partial.checkpoints.back()), RunFileError);
}
