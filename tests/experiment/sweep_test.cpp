// experiment/sweep.cpp, experiment/sweep_merge.cpp and the sweep reader
// (config/sweep_yaml.cpp): sweep files are validated like scenarios; the runner
// records failures without stopping, --resume redoes only what is missing,
// and the merge stacks what the runs wrote.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "output/reader.hpp"
#include "output/sweep_file.hpp"
#include "base/errors.hpp"
#include "experiment/sweep.hpp"
#include "experiment/sweep_merge.hpp"
#include "fixtures/sweep_scratch.hpp"

using namespace airace;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;

namespace {

fs::path scratch(const std::string& name) { return testing::sweep_scratch("sweep", name); }

const std::string grid_sweep =
    "sweep:\n"
    "  name: tiny_grid\n"
    "  base: tiny.yaml\n"
    "  design: grid\n"
    "  seeds: [1, 2]\n"
    "  metrics: [frontier_capability, total_investment]\n"
    "  parameters:\n"
    "    - key: data.human_stock_tokens_2024\n"
    "      values: [1.0e14, 1.0e15]\n"
    "    - key: labs.frontier_count\n"
    "      values: [2, 7]\n";  // 7 > labs.count: those runs fail validation

SweepConfig sweep_in(const fs::path& dir, const std::string& text) {
    const std::string path = (dir / "sweep.yaml").string();
    std::ofstream(path) << text;
    return load_sweep(path);
}

std::string error_of(const std::string& text) {
    try {
        load_sweep_text(text, "s.yaml");
    } catch (const ConfigError& error) {
        return error.what();
    }
    return "no error";
}

}  // namespace

TEST_CASE("Sweep files are validated with file:line:col and the closest key", "[sim][sweep]") {
    CHECK_THAT(error_of("sweep:\n  name: x\n  bsae: b.yaml\n"), Contains("s.yaml:3:3: sweep.bsae: unknown key; did you mean 'base'?"));
    const std::string head = "sweep:\n  name: x\n  base: b.yaml\n  seeds: [1]\n  metrics: [frontier_capability]\n";
    CHECK_THAT(error_of(head + "  design: sobl\n"), Contains("did you mean 'sobol'"));
    CHECK_THAT(error_of(head + "  design: sobol\n  parameters:\n    - key: data.human_stok\n      range: [1, 2]\n"),
               Contains("sweep.samples: missing required key"));
    CHECK_THAT(error_of(head + "  design: lhs\n  samples: 4\n  parameters:\n    - key: data.human_stock\n      range: [1, 2]\n"),
               Contains("s.yaml:9:12: sweep.parameters.0.key: 'data.human_stock' is not a scenario key; did you mean 'data.human_stock_tokens_2024'?"));
    CHECK_THAT(error_of(head + "  design: lhs\n  samples: 4\n  parameters:\n    - key: data.open_share\n      range: [0.5, 2]\n"),
               Contains("s.yaml:10:20: data.open_share: expected a number in [0, 1]"));
    CHECK_THAT(error_of(head + "  design: grid\n  parameters:\n    - key: labs.count\n      range: [5, 9]\n"),
               Contains("needs sweep.levels"));
    CHECK_THAT(error_of(head + "  design: zip\n  parameters:\n    - key: labs.count\n      values: [5, 9]\n"
                               "    - key: data.open_share\n      values: [0.5]\n"),
               Contains("zip pairs"));
    CHECK_THAT(error_of(head + "  design: grid\n  parameters:\n    - key: time.end_year\n      values: [2030]\n"),
               Contains("cannot be swept"));
    CHECK_THAT(error_of(head + "  design: grid\n  replicates: 2\n  parameters:\n    - key: labs.count\n      values: [5]\n"),
               Contains("sweep.replicates: is 2 but seeds lists 1 seed(s)"));
    CHECK_THAT(error_of(head + "  design: lhs\n  samples: 4\n  parameters:\n    - key: labs.count\n      range: [0, 9]\n      scale: log\n"),
               Contains("labs.count: expected an integer in [1,"));
    CHECK_THAT(error_of(head + "  design: grid\n  parameters:\n    - key: synthetic.mode\n      values: [accumulate, replce]\n"),
               Contains("did you mean 'replace'"));
    CHECK_THAT(error_of("sweep:\n  name: data wall\n"), Contains("s.yaml:2:9: sweep.name: expected a short identifier"));
    CHECK_THAT(error_of("sweep:\n  name: x\n  name: y\n"), Contains("s.yaml:3:3: sweep.name: duplicate key (first given at line 2)"));
}

TEST_CASE("A sweep of a list item needs that item in the base scenario", "[sim][sweep]") {
    const fs::path dir = scratch("list_item");
    const SweepConfig sweep = sweep_in(dir, "sweep:\n  name: x\n  base: tiny.yaml\n  design: grid\n  seeds: [1]\n"
                                            "  metrics: [frontier_capability]\n  parameters:\n"
                                            "    - key: influencers.0.weight.us\n      values: [0.1, 0.5]\n");
    CHECK_THROWS_WITH(prepare_sweep(sweep, (dir / "out").string(), true),
                      Contains("sweep.parameters.0.key: 'influencers.0.weight.us' needs influencers item 0"));
}

TEST_CASE("A failing run is recorded and the others complete; resume redoes only what is missing",
          "[sim][sweep]") {
    const fs::path dir = scratch("resume");
    const std::string out = (dir / "out").string();
    const SweepJob job = prepare_sweep(sweep_in(dir, grid_sweep), out, true);
    REQUIRE(job.plans.size() == 8);
    CHECK(job.plans[3].id == "p00001-r1");
    CHECK(job.plans[3].overrides == std::vector<std::string>{"data.human_stock_tokens_2024=1.0e14", "labs.frontier_count=7"});
    SweepOptions options;
    options.jobs = 2;
    SweepCounts counts = run_sweep(job, options, {});
    CHECK(counts.done == 4);
    CHECK(counts.failed == 4);
    std::ifstream error_file(sweep_error_file(out, "p00001-r0"));
    std::string message((std::istreambuf_iterator<char>(error_file)), std::istreambuf_iterator<char>());
    CHECK_THAT(message, Contains("frontier_count (7) exceeds labs.count (5)"));
    CHECK(run_is_complete(out, job.plans[0]));
    CHECK_FALSE(fs::exists(sweep_run_file(out, "p00001-r0")));

    // Results are not overwritten without --resume or --force.
    CHECK_THROWS_WITH(run_sweep(job, options, {}), Contains("pass --resume"));

    // Lose one complete file, damage another: resume redoes those two and the
    // four failed runs (which fail again), and skips the two intact files.
    fs::remove(sweep_run_file(out, "p00000-r1"));
    std::ofstream(sweep_run_file(out, "p00002-r0"), std::ios::trunc) << "half a file";
    const auto untouched = fs::last_write_time(sweep_run_file(out, "p00000-r0"));
    options.resume = true;
    counts = run_sweep(job, options, {});
    CHECK(counts.skipped == 2);
    CHECK(counts.done == 2);
    CHECK(counts.failed == 4);
    CHECK(run_is_complete(out, job.plans[1]));
    CHECK(run_is_complete(out, job.plans[4]));
    CHECK(fs::last_write_time(sweep_run_file(out, "p00000-r0")) == untouched);

    // A shard owns the runs whose index % N == I.
    options.selection.shard = parse_shard("1/3");
    CHECK(select_runs(job.plans, options.selection) == std::vector<std::size_t>{1, 4, 7});
    CHECK_THROWS_WITH(parse_shard("3/3"), Contains("0 <= I < N"));

    const SweepRecord merged = merge_sweep(out, (dir / "sweep.h5").string(), {});
    CHECK(merged.count("complete") == 4);
    CHECK(merged.count("failed") == 4);
    CHECK(merged.files[0] == "out/runs/p00000-r0.h5");
    CHECK(merged.files[2].empty());
    REQUIRE(merged.aggregates.size() == 2);
    const std::size_t steps = merged.time.size();
    CHECK(steps == 8);
    CHECK(std::isfinite(merged.aggregates[0].values[0]));
    CHECK(std::isnan(merged.aggregates[0].values[2 * steps]));  // run 2 failed
    CHECK(merged.metric_year == 2021);
    CHECK(merged.sensitivity.empty());  // grid designs have no indices
}

TEST_CASE("A run file is its run only when its sweep attributes and seed are its design row", "[sim][sweep]") {
    const fs::path dir = scratch("identity");
    const std::string out = (dir / "out").string();
    std::string text = grid_sweep;
    text.replace(text.find("values: [2, 7]"), 14, "values: [2, 3]");  // every run valid
    const SweepJob job = prepare_sweep(sweep_in(dir, text), out, true);
    SweepOptions options;
    options.jobs = 2;
    options.checkpoint_every = 0;
    REQUIRE(run_sweep(job, options, {}).done == 8);
    const RunMetadata meta = read_run_metadata(sweep_run_file(out, "p00001-r0"));
    CHECK(meta.sweep.run_id == "p00001-r0");
    CHECK(meta.sweep.index == 2);
    CHECK(meta.sweep.point == 1);
    CHECK(meta.sweep.replicate == 0);
    CHECK(meta.sweep.values == job.plans[2].overrides);
    CHECK(identity_mismatch(meta, job.plans[2]).empty());
    CHECK_THAT(identity_mismatch(meta, job.plans[3]), Contains("it is run p00001-r0 (sweep_run_id), not p00001-r1"));
    RunMetadata other_seed = meta;
    other_seed.seed = 99;
    CHECK_THAT(identity_mismatch(other_seed, job.plans[2]), Contains("its seed 99 is not design.tsv's 1"));

    // A run file copied over another id: not complete for --resume, failed in a merge.
    fs::copy_file(sweep_run_file(out, "p00000-r0"), sweep_run_file(out, "p00001-r1"),
                  fs::copy_options::overwrite_existing);
    CHECK_FALSE(run_is_complete(out, job.plans[3]));
    const SweepRecord merged = merge_sweep(out, (dir / "sweep.h5").string(), {});
    CHECK(merged.count("complete") == 7);
    REQUIRE(merged.status[3] == "failed");
    CHECK_THAT(merged.errors[3], Contains("not this run of the sweep: it is run p00000-r0 (sweep_run_id)"));
    CHECK(merged.files[3].empty());
    options.resume = true;
    const SweepCounts counts = run_sweep(job, options, {});
    CHECK(counts.skipped == 7);
    CHECK(counts.done == 1);
    CHECK(run_is_complete(out, job.plans[3]));
}

TEST_CASE("A merged sweep file is sealed: a flipped byte or a crafted shape is refused", "[sim][sweep]") {
    const fs::path dir = scratch("sealed");
    const std::string out = (dir / "out").string();
    const SweepJob job = prepare_sweep(sweep_in(dir, grid_sweep), out, true);
    SweepOptions options;
    options.checkpoint_every = 0;
    run_sweep(job, options, {});
    const std::string path = (dir / "sweep.h5").string();
    write_sweep_file(merge_sweep(out, path, {}), path, false);
    const SweepRecord read = read_sweep_file(path);
    CHECK(read.count("complete") == 4);
    // Flip one byte near the end (raw data, which HDF5 does not checksum).
    const auto size = fs::file_size(path);
    for (const std::uintmax_t offset : {size / 2, size - 100, std::uintmax_t{200}}) {
        const std::string flipped = (dir / "flipped.h5").string();
        fs::copy_file(path, flipped, fs::copy_options::overwrite_existing);
        std::fstream file(flipped, std::ios::in | std::ios::out | std::ios::binary);
        file.seekg(static_cast<std::streamoff>(offset));
        const char byte = static_cast<char>(file.get());
        file.seekp(static_cast<std::streamoff>(offset));
        file.put(static_cast<char>(~byte));
        file.close();
        CHECK_THROWS_AS(read_sweep_file(flipped), RunFileError);
    }
}

TEST_CASE("The manifest refuses a directory started with another sweep file", "[sim][sweep]") {
    const fs::path dir = scratch("manifest");
    const std::string out = (dir / "out").string();
    prepare_sweep(sweep_in(dir, grid_sweep), out, true);
    std::string changed = grid_sweep;
    changed.replace(changed.find("seeds: [1, 2]"), 13, "seeds: [1, 3]");
    CHECK_THROWS_WITH(prepare_sweep(sweep_in(dir, changed), out, true), Contains("different sweep file"));
}

TEST_CASE("The Slurm script runs the same entry point per array task", "[sim][sweep]") {
    SlurmScriptOptions options{"/opt/airace", "/s/data wall.yaml", "/d/out", "data_wall", 16, 4, "01:00:00", "", default_checkpoint_every, false, ""};
    const std::string script = slurm_array_script(options);
    CHECK_THAT(script, Contains("#SBATCH --array=0-15\n"));
    CHECK_THAT(script, Contains("#SBATCH --cpus-per-task=4\n"));
    CHECK_THAT(script, Contains("#SBATCH --time=01:00:00\n"));
    CHECK_THAT(script, Contains("exec '/opt/airace' sweep '/s/data wall.yaml' -o '/d/out' "
                                "--shard \"${SLURM_ARRAY_TASK_ID}/16\" --resume --jobs \"${SLURM_CPUS_PER_TASK:-1}\""));
}

TEST_CASE("Every problem of a sweep file is reported at once", "[sim][sweep]") {
    const std::string error = error_of(
        "sweep:\n  name: bad name\n  base: b.yaml\n  design: gird\n  seeds: [1, 1]\n"
        "  metrics: [frontier_capability]\n  parameters:\n    - key: investors.hearding\n      values: [0.1]\n"
        "    - key: labs.count\n      range: [5, 2]\n");
    CHECK_THAT(error, Contains("s.yaml:2:9: sweep.name: expected a short identifier"));
    CHECK_THAT(error, Contains("s.yaml:4:11: sweep.design: expected one of"));
    CHECK_THAT(error, Contains("s.yaml:5:14: sweep.seeds.1: seed 1 is given twice"));
    CHECK_THAT(error, Contains("s.yaml:8:12: sweep.parameters.0.key"));
    CHECK_THAT(error, Contains("s.yaml:11:14: sweep.parameters.1.range: low (5) must be below high (2)"));
    CHECK(std::count(error.begin(), error.end(), '\n') == 4);
}
