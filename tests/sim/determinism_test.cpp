// The determinism contract: the same scenario and seed give identical results
// (and byte-identical run files) for any thread count and any number of
// concurrent runs.

#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <thread>

#include "fixtures/tiny_world.hpp"
#include "output/writer.hpp"
#include "record/run.hpp"

using namespace airace;

namespace {

void require_same(const RunRecord& a, const RunRecord& b) {
    REQUIRE(a.hashes == b.hashes);
    REQUIRE(a.time == b.time);
    REQUIRE(a.aggregates.size() == b.aggregates.size());
    for (std::size_t i = 0; i < a.aggregates.size(); ++i) {
        INFO(a.aggregates[i].name);
        const auto& x = a.aggregates[i].values;
        const auto& y = b.aggregates[i].values;
        REQUIRE(x.size() == y.size());
        for (std::size_t t = 0; t < x.size(); ++t)
            REQUIRE(((std::isnan(x[t]) && std::isnan(y[t])) || x[t] == y[t]));
    }
    REQUIRE(a.kinds.size() == b.kinds.size());
    for (std::size_t k = 0; k < a.kinds.size(); ++k)
        for (std::size_t c = 0; c < a.kinds[k].columns.size(); ++c) {
            INFO(a.kinds[k].kind << "/" << a.kinds[k].columns[c].name);
            REQUIRE(a.kinds[k].columns[c].values == b.kinds[k].columns[c].values);
        }
    REQUIRE(a.events.size() == b.events.size());
    for (std::size_t e = 0; e < a.events.size(); ++e) {
        REQUIRE(a.events[e].type == b.events[e].type);
        REQUIRE(a.events[e].agent == b.events[e].agent);
        REQUIRE(a.events[e].amount == b.events[e].amount);
    }
    REQUIRE(a.edges.size() == b.edges.size());
    for (std::size_t e = 0; e < a.edges.size(); ++e) REQUIRE(a.edges[e].weight == b.edges[e].weight);
}

RunRecord run_with(const ScenarioConfig& config, int threads) {
    RunOptions options;
    options.threads = threads;
    return run(config, options);
}

std::string file_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

TEST_CASE("results are identical with 1, 2 and 8 threads", "[determinism]") {
    ScenarioConfig config = testing::tiny_config(6);
    // Enough agents that parallel_for really splits the work.
    config.labs.count = 600;
    config.labs.frontier_count = 20;
    config.investors.count = 1200;
    const RunRecord one = run_with(config, 1);
    REQUIRE_FALSE(one.events.empty());
    require_same(one, run_with(config, 2));
    require_same(one, run_with(config, 8));
}

TEST_CASE("concurrent runs do not disturb each other", "[determinism]") {
    const ScenarioConfig config = testing::tiny_config(5);
    const RunRecord alone = run_with(config, 1);
    RunRecord first;
    RunRecord second;
    std::thread a([&] { first = run(config); });
    std::thread b([&] { second = run(config); });
    a.join();
    b.join();
    require_same(alone, first);
    require_same(alone, second);
}

TEST_CASE("a different seed gives a different run", "[determinism]") {
    const ScenarioConfig config = testing::tiny_config(4);
    RunOptions options;
    options.seed = 8;
    CHECK(run(config).hashes != run(config, options).hashes);
}

TEST_CASE("run files are byte-identical across thread counts", "[determinism]") {
    ::setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
    const ScenarioConfig config = testing::tiny_config(4);
    const std::string one = testing::scratch_path("threads1.h5");
    const std::string eight = testing::scratch_path("threads8.h5");
    write_run_file(run_with(config, 1), one, true);
    write_run_file(run_with(config, 8), eight, true);
    ::unsetenv("SOURCE_DATE_EPOCH");
    const std::string a = file_bytes(one);
    REQUIRE(a.size() > 1000);
    CHECK(a == file_bytes(eight));
}
