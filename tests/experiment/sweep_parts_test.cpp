// experiment/sweep_parts.cpp: an aggregates-only sweep keeps each run's
// metrics in parts instead of run files, and its merged file is the merge
// of full run files for the same design (but for the links to them).

#include <catch2/catch.hpp>

#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "base/errors.hpp"
#include "experiment/compare.hpp"
#include "experiment/sweep.hpp"
#include "experiment/sweep_merge.hpp"
#include "fixtures/sweep_scratch.hpp"
#include "experiment/sweep_parts.hpp"
#include "output/sweep_file.hpp"

using namespace airace;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;

namespace {

fs::path scratch(const std::string& name) { return testing::sweep_scratch("sweep_parts", name); }

SweepJob job_in(const fs::path& dir, const std::string& text, const std::string& out) {
    const std::string path = (dir / "sweep.yaml").string();
    std::ofstream(path) << text;
    return prepare_sweep(load_sweep(path), out, true);
}

// Byte for byte (NaN rows and NaN indices included).
bool same_doubles(const std::vector<double>& a, const std::vector<double>& b) {
    return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0);
}

// Everything a merged file holds but the links to run files and the time
// it was made.
void check_same_merge(const SweepRecord& full, const SweepRecord& parts) {
    CHECK(parts.name == full.name);
    CHECK(parts.design == full.design);
    CHECK(parts.base_yaml == full.base_yaml);
    CHECK(parts.run_ids == full.run_ids);
    CHECK(parts.point == full.point);
    CHECK(parts.seed == full.seed);
    CHECK(parts.overrides == full.overrides);
    CHECK(same_doubles(parts.values, full.values));
    CHECK(parts.status == full.status);
    CHECK(parts.errors == full.errors);
    CHECK(parts.metric_year == full.metric_year);
    CHECK(same_doubles(parts.time, full.time));
    REQUIRE(parts.aggregates.size() == full.aggregates.size());
    for (std::size_t m = 0; m < full.aggregates.size(); ++m) {
        INFO(full.aggregates[m].name);
        CHECK(parts.aggregates[m].name == full.aggregates[m].name);
        CHECK(parts.aggregates[m].units == full.aggregates[m].units);
        CHECK(same_doubles(parts.aggregates[m].values, full.aggregates[m].values));
    }
    REQUIRE(parts.sensitivity.size() == full.sensitivity.size());
    for (std::size_t m = 0; m < full.sensitivity.size(); ++m) {
        REQUIRE(parts.sensitivity[m].indices.size() == full.sensitivity[m].indices.size());
        for (std::size_t i = 0; i < full.sensitivity[m].indices.size(); ++i)
            CHECK(same_doubles(parts.sensitivity[m].indices[i].second, full.sensitivity[m].indices[i].second));
    }
    REQUIRE(parts.ensemble.size() == full.ensemble.size());
    for (std::size_t m = 0; m < full.ensemble.size(); ++m) {
        CHECK(same_doubles(parts.ensemble[m].mean, full.ensemble[m].mean));
        CHECK(same_doubles(parts.ensemble[m].q95, full.ensemble[m].q95));
        CHECK(parts.ensemble[m].runs == full.ensemble[m].runs);
    }
}

// The same design run twice, with run files and aggregates only; both merged.
void check_both_ways(const fs::path& dir, const std::string& text, std::size_t expect_complete) {
    SweepOptions options;
    options.jobs = 2;
    options.checkpoint_every = 0;
    const SweepJob full = job_in(dir, text, (dir / "full").string());
    run_sweep(full, options, {});
    options.aggregates_only = true;
    const SweepJob lean = job_in(dir, text, (dir / "lean").string());
    run_sweep(lean, options, {});
    for (std::size_t i = 0; i < lean.plans.size(); ++i)
        CHECK_FALSE(fs::exists(sweep_run_file(lean.dir, lean.plans[i].id)));
    CHECK_FALSE(fs::is_empty(sweep_parts_dir(lean.dir)));

    const std::string full_out = (dir / "full.h5").string(), lean_out = (dir / "lean.h5").string();
    const SweepRecord a = merge_sweep(full.dir, full_out, {});
    const SweepRecord b = merge_sweep(lean.dir, lean_out, {});
    CHECK(a.count("complete") == expect_complete);
    check_same_merge(a, b);
    for (const std::string& file : b.files) CHECK(file.empty());  // no run file to link
    // And through the files, as `sweep merge` writes them.
    write_sweep_file(a, full_out, true);
    write_sweep_file(b, lean_out, true);
    check_same_merge(read_sweep_file(full_out), read_sweep_file(lean_out));
    if (a.design == "ensemble") {
        // compare: an ensemble without run files has unknown events, not none.
        CHECK(read_compare_side(full_out).events_known);
        CHECK_FALSE(read_compare_side(lean_out).events_known);
        const Comparison c = compare_sides(read_compare_side(full_out), read_compare_side(lean_out), {});
        CHECK_FALSE(c.events_known);
        CHECK(c.events.empty());
    }
}

const std::string sobol_sweep =
    "sweep:\n"
    "  name: tiny_sobol\n"
    "  base: tiny.yaml\n"
    "  design: sobol\n"
    "  samples: 4\n"
    "  seeds: [1, 2]\n"
    "  metrics: [frontier_capability, total_investment]\n"
    "  parameters:\n"
    "    - key: data.human_stock_tokens_2024\n"
    "      range: [1.0e14, 1.0e15]\n"
    "      scale: log\n"
    "    - key: investors.herding\n"
    "      range: [0.0, 0.8]\n";

}  // namespace

TEST_CASE("An aggregates-only sweep merges to what full run files merge to", "[sim][sweep]") {
    SECTION("sobol design: the same stacked metrics and indices") {
        check_both_ways(scratch("sobol"), sobol_sweep, 32);
    }
    SECTION("grid with failing runs: the same statuses and messages") {
        const std::string grid =
            "sweep:\n  name: tiny_grid\n  base: tiny.yaml\n  design: grid\n  seeds: [1]\n"
            "  metrics: [frontier_capability]\n  parameters:\n"
            "    - key: labs.frontier_count\n      values: [2, 7]\n";  // 7 > labs.count: fails
        check_both_ways(scratch("grid"), grid, 1);
    }
    SECTION("ensemble listing no metrics: every aggregate, in the run file's order, and the statistics") {
        const std::string ensemble =
            "sweep:\n  name: tiny_ensemble\n  base: tiny.yaml\n  design: ensemble\n  seeds: [1, 2, 3]\n";
        check_both_ways(scratch("ensemble"), ensemble, 3);
    }
}

TEST_CASE("Aggregates-only runs resume from their parts and kept runs write run files", "[sim][sweep]") {
    const fs::path dir = scratch("resume");
    const SweepJob job = job_in(dir, sobol_sweep, (dir / "out").string());
    SweepOptions options;
    options.jobs = 2;
    options.aggregates_only = true;
    options.keep_runs = parse_keep_runs("p00000-r1,5", job.plans);
    CHECK(options.keep_runs == std::set<std::size_t>{1, 5});
    CHECK_THROWS_WITH(parse_keep_runs("p00099-r0", job.plans),
                      Contains("--keep-runs: the sweep has no run 'p00099-r0'"));
    CHECK_THROWS_WITH(parse_keep_runs("32", job.plans), Contains("indices 0 to 31"));

    options.selection.shard = parse_shard("0/2");
    SweepCounts counts = run_sweep(job, options, {});
    CHECK(counts.done == 16);
    // Without --resume, results in parts are not overwritten.
    CHECK_THROWS_WITH(run_sweep(job, options, {}), Contains("pass --resume"));

    // The whole sweep with --resume: only the other shard runs.
    options.selection = {};
    options.resume = true;
    counts = run_sweep(job, options, {});
    CHECK(counts.skipped == 16);
    CHECK(counts.done == 16);
    CHECK(fs::exists(sweep_run_file(job.dir, "p00000-r1")));  // kept
    CHECK(fs::exists(sweep_run_file(job.dir, job.plans[5].id)));
    CHECK_FALSE(fs::exists(sweep_run_file(job.dir, "p00000-r0")));
    const SweepRecord merged = merge_sweep(job.dir, (dir / "sweep.h5").string(), {});
    CHECK(merged.count("complete") == 32);
    CHECK(merged.files[1] == "out/runs/p00000-r1.h5");
    CHECK(merged.files[0].empty());
    CHECK(merged.sensitivity.size() == 2);

    // A damaged part is refused, with how to redo its runs.
    std::vector<fs::path> parts;
    for (const auto& entry : fs::directory_iterator(sweep_parts_dir(job.dir))) parts.push_back(entry.path());
    REQUIRE(parts.size() == 2);
    std::ofstream(parts.front(), std::ios::trunc) << "not a part";
    CHECK_THROWS_WITH(merge_sweep(job.dir, (dir / "sweep.h5").string(), {}),
                      Contains("remove it and run the sweep again with --resume"));
    fs::remove(parts.front());
    const SweepRecord partial = merge_sweep(job.dir, (dir / "sweep.h5").string(), {});
    CHECK(partial.count("missing") > 0);
    counts = run_sweep(job, options, {});
    CHECK(counts.done == partial.count("missing"));
    CHECK(merge_sweep(job.dir, (dir / "sweep.h5").string(), {}).count("complete") == 32);

    // A later attempt that failed (an .error newer than the part) wins over
    // the part's result, in merge and in --resume.
    const RunPlan& redone = job.plans[2];
    REQUIRE_FALSE(fs::exists(sweep_run_file(job.dir, redone.id)));
    std::ofstream(sweep_error_file(job.dir, redone.id)) << "run timed out\n";
    fs::last_write_time(sweep_error_file(job.dir, redone.id), fs::file_time_type::clock::now() + std::chrono::hours(1));
    const SweepRecord failed = merge_sweep(job.dir, (dir / "sweep.h5").string(), {});
    CHECK(failed.status[2] == "failed");
    CHECK_THAT(failed.errors[2], Contains("run timed out"));
    counts = run_sweep(job, options, {});
    CHECK(counts.done == 1);
    CHECK_FALSE(fs::exists(sweep_error_file(job.dir, redone.id)));
    CHECK(merge_sweep(job.dir, (dir / "sweep.h5").string(), {}).count("complete") == 32);

    // A part of another sweep (another base scenario) is refused.
    const fs::path other_dir = scratch("resume_other");
    std::ofstream(other_dir / "tiny.yaml") << "scenario:\n  name: tiny\ntime:\n  end_year: 2022\n"
                                              "labs:\n  count: 6\n  frontier_count: 2\n";
    std::string other_text = sobol_sweep;
    const SweepJob other = job_in(other_dir, other_text, (other_dir / "out").string());
    SweepOptions one;
    one.aggregates_only = true;
    one.selection.index = 0;
    run_sweep(other, one, {});
    for (const auto& entry : fs::directory_iterator(sweep_parts_dir(other.dir)))
        fs::copy_file(entry.path(), fs::path(sweep_parts_dir(job.dir)) / ("z" + entry.path().filename().string()));
    CHECK_THROWS_WITH(merge_sweep(job.dir, (dir / "sweep.h5").string(), {}),
                      Contains("is a part of another sweep (its base scenario is not"));
}

TEST_CASE("A part is written every N runs and when the launcher ends", "[sim][sweep]") {
    const fs::path dir = scratch("flush");
    const SweepJob job = job_in(dir, sobol_sweep, (dir / "out").string());
    SweepOptions options;
    options.aggregates_only = true;
    PartWriter writer(job, 2, 1e9);
    for (std::size_t i = 0; i < 5; ++i) {
        RunOutcome outcome = execute_run(job, job.plans[i], options);
        REQUIRE(outcome.ok);
        REQUIRE(outcome.series);
        writer.add(outcome.index, outcome.series);
    }
    CHECK(writer.parts_written() == 2);
    writer.flush();
    CHECK(writer.parts_written() == 3);
    const SweepParts parts = read_sweep_parts(job.dir, job.plans);
    CHECK(parts.records.size() == 3);
    CHECK(parts.complete.size() == 5);
    CHECK(parts.holds(4));
    CHECK_FALSE(parts.holds(5));
    CHECK(parts.metric_names() == std::vector<std::string>{"frontier_capability", "total_investment"});
}

TEST_CASE("A launcher removes the temporary parts that dead launchers of its host left", "[sim][sweep]") {
    const fs::path dir = scratch("stale_tmps");
    const SweepJob job = job_in(dir, sobol_sweep, (dir / "out").string());
    const fs::path parts = sweep_parts_dir(job.dir);
    fs::create_directories(parts);
    char buffer[256] = {};
    ::gethostname(buffer, sizeof buffer - 1);
    std::string host = buffer;
    for (char& c : host)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '.') c = '_';
    // pid_max is at most 2^22: 99999999 is no process. This process is alive.
    const std::string dead = "20260101T000000.000000000Z-" + host + "-99999999-000000.h5.tmp.99999999.0badf00d";
    const std::string live = fmt::format("20260101T000000.000000000Z-{}-{}-000000.h5.tmp.{}.0badf00d", host,
                                         ::getpid(), ::getpid());
    const std::string elsewhere = "20260101T000000.000000000Z-another-host-99999999-000000.h5.tmp.99999999.1";
    for (const std::string& name : {dead, live, elsewhere}) std::ofstream(parts / name) << "half a part";
    PartWriter writer(job);
    CHECK_FALSE(fs::exists(parts / dead));
    CHECK(fs::exists(parts / live));
    CHECK(fs::exists(parts / elsewhere));
}
