// `airace sweep`, `airace sweep merge`, `airace sweep slurm` (docs/sweeps.md).
// Thin drivers over experiment/sweep.hpp: every launcher (in-process, MPI, Slurm
// array task) is this same entry point with different options.

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "cli_support.hpp"
#include "commands.hpp"
#include "progress.hpp"
#include "resource_guard.hpp"
#include "config/config_yaml.hpp"
#include "output/sweep_file.hpp"
#include "base/errors.hpp"
#include "experiment/sweep.hpp"
#include "config/sweep_config.hpp"
#include "experiment/sweep_merge.hpp"
#include "record/summary.hpp"

namespace fs = std::filesystem;

namespace airace::cli {
namespace {

struct SweepArgs {
    std::string file;
    std::string dir;
    int jobs = 1;
    bool resume = false;
    bool force = false;
    bool mpi = false;
    bool quiet = false;
    std::size_t index = 0;
    std::string shard;
    double run_timeout_s = 0;
    int checkpoint_every = default_checkpoint_every;
    bool json = false;
    bool wait = false;
    std::uint64_t max_memory = 0;
    bool aggregates_only = false;
    std::string keep_runs;
};

// The outcome on stdout: two lines, or one JSON object (--json).
void print_sweep_counts(const SweepArgs& args, const SweepConfig& sweep, const SweepCounts& counts) {
    const double rate = counts.elapsed_s > 0 ? static_cast<double>(counts.done + counts.failed) / counts.elapsed_s : 0;
    if (args.json) {
        std::vector<std::string> failed;
        for (const std::string& id : counts.failed_ids) failed.push_back(json_string(id));
        fmt::print("{{\"sweep\":{},\"dir\":{},\"selected\":{},\"done\":{},\"failed\":{},\"skipped\":{},"
                   "\"elapsed_s\":{},\"failed_ids\":[{}]}}\n",
                   json_string(sweep.name), json_string(args.dir), counts.selected, counts.done, counts.failed,
                   counts.skipped, counts.elapsed_s, fmt::join(failed, ","));
        return;
    }
    fmt::print("sweep {}: {} run(s) selected: {} done, {} failed, {} already complete; {:.1f} s, {:.2f} runs/s\n",
               sweep.name, counts.selected, counts.done, counts.failed, counts.skipped, counts.elapsed_s, rate);
    if (args.aggregates_only)
        fmt::print("aggregates: {}/parts/   merge with: airace sweep merge {} -o {}/sweep.h5\n", args.dir, args.dir,
                   args.dir);
    else
        fmt::print("run files: {}/runs/   merge with: airace sweep merge {} -o {}/sweep.h5\n", args.dir, args.dir,
                   args.dir);
}

// An aggregates-only launcher that ran the whole sweep merges it at once:
// its results are the parts, and the merged file is what it is for.
void merge_after_sweep(const SweepArgs& args) {
    const std::string output = (fs::path(args.dir) / "sweep.h5").string();
    const SweepRecord record = merge_sweep(args.dir, output, MergeOptions{});
    write_sweep_file(record, output, true);
    if (!args.json)
        fmt::print("merged sweep {}: {} runs ({} complete, {} failed, {} missing) into {}\n", record.name,
                   record.run_ids.size(), record.count("complete"), record.count("failed"), record.count("missing"),
                   output);
}

int command_sweep(const SweepArgs& args, bool index_given) {
    if (args.file.empty())
        throw ConfigError("sweep: give a sweep file (airace sweep SWEEP.yaml -o DIR), or use "
                          "`airace sweep merge` or `airace sweep slurm`; see airace sweep --help");
    if (args.dir.empty()) throw ConfigError("sweep: -o DIR is required: the folder for the sweep's run files");
    const SweepConfig sweep = load_sweep(args.file);
    SweepOptions options;
    options.jobs = args.jobs;
    options.resume = args.resume;
    options.force = args.force;
    options.run_timeout_s = args.run_timeout_s;
    options.checkpoint_every = args.checkpoint_every;
    options.wait = args.wait;
    if (index_given) options.selection.index = args.index;
    if (!args.shard.empty()) options.selection.shard = parse_shard(args.shard);
    options.aggregates_only = args.aggregates_only;
    if (!args.keep_runs.empty()) {
        if (!args.aggregates_only)
            throw ConfigError("sweep: --keep-runs goes with --aggregates-only (without it every run keeps its run file)");
        options.keep_runs = parse_keep_runs(args.keep_runs, plan_runs(sweep, build_design(sweep)));
    }
    SweepProgressPrinter printer(sweep.name, args.quiet);
    const SweepProgress progress = [&printer](const SweepCounts& counts) { printer(counts); };
    bool is_root = true;
    SweepCounts counts;
    if (args.mpi) {
        counts = run_sweep_mpi(sweep, args.dir, options, progress, is_root);
    } else {
        // The base scenario's runs, --jobs at once (a design that raises
        // agent counts makes some runs larger than this).
        ResourceOptions resources;
        resources.checkpoint_every = args.aggregates_only ? 0 : args.checkpoint_every;
        resources.streamed = false;
        check_resources(estimate_resources(load_scenario(sweep.base, {}), resources), resources, args.max_memory,
                        args.dir + "/runs/x.h5", static_cast<std::uint64_t>(std::max(args.jobs, 1)),
                        fmt::format("sweep {}", sweep.name));
        const SweepJob job = prepare_sweep(sweep, args.dir, true);
        counts = run_sweep(job, options, progress);
    }
    printer.finish();
    if (!is_root) return exit_ok;  // rank 0 reports for the whole job
    print_sweep_counts(args, sweep, counts);
    if (args.aggregates_only && !index_given && args.shard.empty()) merge_after_sweep(args);
    if (counts.failed == 0) return exit_ok;
    std::string shown;
    for (std::size_t i = 0; i < counts.failed_ids.size() && i < 10; ++i) shown += " " + counts.failed_ids[i];
    fmt::print(stderr, "airace: error: {} run(s) failed:{}{} (messages in {}/runs/<id>.error; fix and rerun "
               "with --resume to redo only those)\n",
               counts.failed, shown, counts.failed_ids.size() > 10 ? " ..." : "", args.dir);
    return exit_runtime;
}

struct MergeArgs {
    std::string dir;
    std::string output;
    bool force = false;
    std::size_t resamples = 1000;
    bool json = false;
};

int command_merge(const MergeArgs& args) {
    check_output_target(args.output);
    if (fs::exists(args.output) && !args.force)
        throw ConfigError(fmt::format("{} exists; use --force to overwrite", args.output));
    MergeOptions options;
    options.resamples = args.resamples;
    const SweepRecord record = merge_sweep(args.dir, args.output, options);
    write_sweep_file(record, args.output, args.force);
    if (args.json) {
        fmt::print("{{\"sweep_file\":{},\"sweep\":{},\"runs\":{},\"complete\":{},\"failed\":{},\"missing\":{}}}\n",
                   json_string(args.output), json_string(record.name), record.run_ids.size(),
                   record.count("complete"), record.count("failed"), record.count("missing"));
        return exit_ok;
    }
    fmt::print("merged sweep {}: {} runs ({} complete, {} failed, {} missing) into {}\n", record.name,
               record.run_ids.size(), record.count("complete"), record.count("failed"), record.count("missing"),
               args.output);
    return exit_ok;
}

struct SlurmArgs {
    std::string file;
    std::string dir;
    std::size_t tasks = 0;
    int cpus = 1;
    std::string time;
    std::string partition;
    int checkpoint_every = default_checkpoint_every;
    bool aggregates_only = false;
    std::string keep_runs;
};

int command_slurm(const SlurmArgs& args) {
    const SweepConfig sweep = load_sweep(args.file);
    SlurmScriptOptions options;
    options.airace = fs::read_symlink("/proc/self/exe").string();
    options.sweep_file = fs::absolute(args.file).lexically_normal().string();
    options.dir = fs::absolute(args.dir).lexically_normal().string();
    options.name = sweep.name;
    options.cpus_per_task = args.cpus;
    options.time_limit = args.time;
    options.partition = args.partition;
    options.checkpoint_every = args.checkpoint_every;
    options.aggregates_only = args.aggregates_only;
    options.keep_runs = args.keep_runs;
    if (!args.keep_runs.empty() && !args.aggregates_only)
        throw ConfigError("sweep slurm: --keep-runs goes with --aggregates-only");
    if (!args.keep_runs.empty()) parse_keep_runs(args.keep_runs, plan_runs(sweep, build_design(sweep)));
    check_slurm_options(options);  // before DIR is made: a refused value leaves nothing behind
    // Prepared now, so a bad base or list key shows here and not in N job logs.
    const SweepJob job = prepare_sweep(sweep, args.dir, true);
    fs::create_directories(fs::path(args.dir) / "slurm");  // Slurm does not create --output folders
    options.tasks = args.tasks > 0 ? args.tasks : std::min<std::size_t>(job.plans.size(), 100);
    fmt::print("{}", slurm_array_script(options));
    return exit_ok;
}

}  // namespace

void add_sweep_commands(CLI::App& app, Commands& commands) {
    auto args = std::make_shared<SweepArgs>();
    auto* sweep = app.add_subcommand("sweep", "run a parameter sweep: one run file per design point and seed");
    sweep->require_subcommand(0, 1);
    sweep->add_option("sweep_file", args->file, "sweep file (YAML; see configs/sweeps/)");
    sweep->add_option("-o,--output", args->dir, "sweep directory (run files go to DIR/runs/)");
    add_max_memory_option(sweep, args->max_memory);
    sweep->add_option("--jobs", args->jobs, "runs at once (in-process); threads per rank with --mpi")
        ->transform(number_in(1, max_threads, true));
    sweep->add_flag("--resume", args->resume, "skip runs whose run file is complete");
    sweep->add_flag("--force", args->force, "redo every selected run, overwriting results");
    sweep->add_flag("--mpi", args->mpi, "run under mpirun: rank 0 hands out runs to the other ranks");
    sweep->add_flag("--quiet", args->quiet, "no progress lines");
    sweep->add_flag("--json", args->json, "print the outcome (runs done, failed, skipped) as JSON");
    sweep->add_flag("--wait", args->wait,
                    "when another launcher is running some of the selected runs in DIR, wait for it "
                    "(default: refuse, exit 2)");
    sweep->add_option("--run-timeout", args->run_timeout_s,
                      "fail a run still going after this many seconds (checked between steps; 0: none)")
        ->transform(number_in(0, 1.0e9, false));
    sweep->add_option("--checkpoint-every", args->checkpoint_every,
                      "checkpoints in each run file, as for airace run (default 4: a year; 0: none, "
                      "faster when the runs will not be forked)")
        ->transform(number_in(0, 1000000, true));
    sweep->add_flag("--aggregates-only", args->aggregates_only,
                    "keep only what the merge needs (the sweep's metrics): no run file per run, results in "
                    "DIR/parts/, merged into DIR/sweep.h5 when the whole sweep ran here");
    sweep->add_option("--keep-runs", args->keep_runs,
                      "with --aggregates-only: runs that still write a full run file (ids or indices, e.g. "
                      "p00000-r0,17)");
    auto* index = sweep->add_option("--index", args->index, "run only the run with this index (0-based)")
                      ->transform(number_in(0, max_count, true));
    auto* shard = sweep->add_option("--shard", args->shard, "run only the runs whose index % N == I (I/N)");
    index->excludes(shard);
    examples(sweep, {"airace sweep configs/sweeps/regulation.yaml -o out/regulation --jobs 4",
                     "airace sweep configs/sweeps/regulation.yaml -o out/regulation --resume --json",
                     "airace sweep configs/sweeps/assumptions.yaml -o out/assumptions --jobs 8 --aggregates-only "
                     "--keep-runs p00000-r0",
                     "airace sweep merge out/regulation -o out/regulation/sweep.h5",
                     "airace sweep slurm configs/sweeps/regulation.yaml -o /scratch/regulation --tasks 50 "
                     "> job.sbatch"});

    auto merge_args = std::make_shared<MergeArgs>();
    auto* merge = sweep->add_subcommand("merge", "merge a sweep directory into one sweep file (HDF5)");
    merge->add_option("dir", merge_args->dir, "sweep directory")->required();
    merge->add_option("-o,--output", merge_args->output, "sweep file to write")->required();
    merge->add_flag("--force", merge_args->force, "overwrite an existing sweep file");
    merge->add_option("--resamples", merge_args->resamples, "bootstrap resamples for confidence intervals")
        ->transform(number_in(0, 1000000, true));
    merge->add_flag("--json", merge_args->json, "print the merged file's run counts as JSON");
    examples(merge, {"airace sweep merge out/regulation -o out/regulation/sweep.h5",
                     "airace sweep merge out/regulation -o sweep.h5 --force --resamples 2000 --json"});

    auto slurm_args = std::make_shared<SlurmArgs>();
    auto* slurm = sweep->add_subcommand("slurm", "print a Slurm job-array script that runs the sweep");
    slurm->add_option("sweep_file", slurm_args->file, "sweep file (YAML)")->required();
    slurm->add_option("-o,--output", slurm_args->dir, "sweep directory")->required();
    slurm->add_option("--tasks", slurm_args->tasks, "array tasks (default: runs, at most 100)")
        ->transform(number_in(1, 1000000, true));
    slurm->add_option("--cpus-per-task", slurm_args->cpus, "CPUs per task: runs at once in each task")
        ->transform(number_in(1, max_threads, true));
    slurm->add_option("--time", slurm_args->time, "time limit per task (HH:MM:SS)");
    slurm->add_option("--checkpoint-every", slurm_args->checkpoint_every,
                      "checkpoints in each run file, passed on to every task's sweep (default 4; 0: none)")
        ->transform(number_in(0, 1000000, true));
    slurm->add_option("--partition", slurm_args->partition, "Slurm partition");
    slurm->add_flag("--aggregates-only", slurm_args->aggregates_only,
                    "passed on: each task keeps only the sweep's metrics, in DIR/parts/");
    slurm->add_option("--keep-runs", slurm_args->keep_runs,
                      "passed on with --aggregates-only: runs that still write a full run file");
    examples(slurm, {"airace sweep slurm configs/sweeps/regulation.yaml -o /scratch/regulation > job.sbatch "
                     "&& sbatch job.sbatch",
                     "airace sweep slurm SWEEP.yaml -o DIR --tasks 20 --cpus-per-task 8 --time 02:00:00"});

    // Subcommands first: main runs the first parsed command, and `sweep` is
    // parsed too when `sweep merge` is.
    commands.push_back({merge, [merge_args] { return command_merge(*merge_args); }});
    commands.push_back({slurm, [slurm_args] { return command_slurm(*slurm_args); }});
    commands.push_back({sweep, [args, index] { return command_sweep(*args, index->count() > 0); }});
}

}  // namespace airace::cli
