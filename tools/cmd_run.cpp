// `airace run`.

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "cli_support.hpp"
#include "commands.hpp"
#include "output/publish.hpp"
#include "output/reader.hpp"
#include "output/stream_writer.hpp"
#include "output/writer.hpp"
#include "progress.hpp"
#include "resource_guard.hpp"
#include "config/config.hpp"
#include "config/config_yaml.hpp"
#include "base/errors.hpp"
#include "base/parallel.hpp"
#include "base/profile.hpp"
#include "base/sha256.hpp"
#include "record/async_sink.hpp"
#include "record/run.hpp"
#include "record/summary.hpp"

namespace fs = std::filesystem;

namespace airace::cli {
namespace {

struct RunArgs {
    std::string scenario;
    std::string output;
    std::vector<std::string> overrides;
    std::uint64_t seed = 0;
    bool seed_given = false;
    int threads = 0;
    bool force = false;
    bool quiet = false;
    bool json = false;
    int checkpoint_every = default_checkpoint_every;
    bool resume = false;
    bool wait = false;
    bool profile = false;
    std::size_t record_agents = 0;  // 0: all
    std::string network_snapshots = "yearly";
    std::uint64_t seeds = 0;  // > 0: an ensemble (tools/cmd_ensemble.cpp)
    std::string runs_dir;
    std::uint64_t max_memory = 0;  // 0: the machine's available memory
    bool aggregates_only = false;  // with --seeds
};

int command_run_or_ensemble(const RunArgs& args);

// The crash-safe companion of a run file: the run so far, rewritten (tmp +
// fsync + rename) at every checkpoint and removed when the run completes.
std::string partial_path(const std::string& output) { return output + ".partial"; }

// -o, or output/runs/NAME-seedSEED.h5 (its folder created).
std::string output_path(const RunArgs& args, const ScenarioConfig& config, std::uint64_t seed) {
    if (!args.output.empty()) return args.output;
    std::string output = fmt::format("output/runs/{}-seed{}.h5", config.scenario.name, seed);
    fs::create_directories(fs::path(output).parent_path());
    return output;
}

// Refuses before spending time on the run: an existing file needs --force,
// and its folder must exist. True when --resume finds the run already
// complete, so there is nothing to do.
bool already_complete(const RunArgs& args, const std::string& output) {
    check_output_target(output);
    if (fs::exists(output) && !args.force) {
        if (args.resume && read_run_metadata(output).status == "complete") {
            if (!args.quiet) fmt::print("{}: already complete, nothing to resume\n", output);
            return true;
        }
        throw ConfigError(fmt::format("{}: file exists; use --force to overwrite", output));
    }
    const fs::path parent = fs::path(output).parent_path();
    if (!parent.empty() && !fs::is_directory(parent))
        throw RuntimeFailure(fmt::format("{}: cannot write: directory {} does not exist", output,
                                         parent.string()));
    return false;
}

// Rewriting the partial file costs a copy and an fsync of the run file so
// far: do it at a checkpoint only once a second has passed since the last
// one, and three times as long as the last copy took (a run file of many
// GB), so short runs pay nothing and long ones at most a quarter of their
// time (a resumed run is identical whichever checkpoint it resumes from).
// `last_partial`, `partial_took` and `stream` must outlive the run.
void keep_partial_file(RunOptions& options, const std::string& partial, RunFileStream& stream, AsyncSink* writer,
                       std::chrono::steady_clock::time_point& last_partial,
                       std::chrono::steady_clock::duration& partial_took) {
    options.want_checkpoint = [&last_partial, &partial_took] {
        const auto wait = std::max<std::chrono::steady_clock::duration>(std::chrono::seconds(1), 3 * partial_took);
        return std::chrono::steady_clock::now() - last_partial >= wait;
    };
    options.on_checkpoint = [&last_partial, &partial_took, &stream, writer, partial](const RunRecord& so_far) {
        const auto started = std::chrono::steady_clock::now();
        if (writer) writer->drain();  // the file as it stands at this checkpoint
        stream.write_partial(so_far, partial);
        last_partial = std::chrono::steady_clock::now();
        partial_took = last_partial - started;
    };
}

// --resume: continue from the last checkpoint of the interrupted run in
// `partial` (opened into `interrupted`, which must outlive the run; it is
// read step by step as the run goes, never whole).
void resume_from_partial(const RunArgs& args, const ScenarioConfig& config, const std::string& output,
                         const std::string& partial, std::unique_ptr<RunPrefix>& interrupted,
                         RunOptions& options) {
    interrupted = open_run_prefix(partial);
    const RunRecord& summary = interrupted->summary();
    if (summary.meta.config_sha256 != sha256_hex(resolved_yaml(config)))
        throw ConfigError(fmt::format(
            "{}: the interrupted run used another scenario, seed or --set values; rerun "
            "without --resume (or with the same inputs)",
            partial));
    if (summary.checkpoints.empty()) return;
    options.continue_from = interrupted.get();
    options.resume_step = summary.checkpoints.back().step;
    if (!args.quiet)
        fmt::print(stderr, "resuming {} from step {} of {}\n", output, options.resume_step,
                   config.steps());
}

// --profile: totals, then the profiler's table, on stderr.
void print_profile(const RunArgs& args, const ScenarioConfig& config, const RunRecord& record,
                   const Profiler& profiler, std::chrono::steady_clock::time_point started) {
    const double total =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::size_t agents = 0;
    for (const KindRecord& kind : record.kinds) agents += std::max(kind.agents_total, kind.names.size());
    fmt::print(stderr,
               "profile of airace run {}: {} steps, {} agents, {} threads, {:.3f} s in all, "
               "{:.3g} agent-steps/s, peak memory {:.1f} MiB\n{}",
               config.scenario.name, record.meta.steps, agents,
               args.threads > 0 ? args.threads : default_thread_count(), total,
               total > 0 ? static_cast<double>(agents) * record.meta.steps / total : 0.0,
               static_cast<double>(peak_rss_bytes()) / (1024.0 * 1024.0), profiler.report(total));
}

// The summary: JSON (--json), a table, or nothing (--quiet).
void print_summary(const RunArgs& args, const std::string& output, const RunRecord& record) {
    if (args.json) {
        fmt::print("{{\"run_file\":{},\"summary\":{}}}\n", json_string(output), summary_json(record));
    } else if (!args.quiet) {
        fmt::print("airace {} — scenario '{}', seed {}, {} steps from {}\n\n",
                   record.meta.airace_version, record.meta.scenario_name, record.meta.seed,
                   record.meta.steps, record.meta.start_year);
        fmt::print("{}", summary_table(record));
        fmt::print("\nrun file: {}\n", output);
    }
}

int command_run(const RunArgs& args) {
    const auto started = std::chrono::steady_clock::now();
    Profiler profiler;
    Profiler* profile = args.profile ? &profiler : nullptr;
    ProfileScope load_scope(profile, "0 load scenario");
    ScenarioConfig config = load_scenario(args.scenario, args.overrides);
    load_scope.stop();
    const std::uint64_t seed = args.seed_given ? args.seed : config.scenario.seed;
    const std::string output = output_path(args, config, seed);
    config.scenario.seed = seed;
    if (already_complete(args, output)) return exit_ok;
    // One writer per output path, from before the run until its file is
    // published; the lock holder owns whatever temporary files are left.
    const publish::PathLock lock(output, args.wait);
    if (already_complete(args, output)) return exit_ok;  // the writer we waited for may have written it
    publish::remove_stale_tmps(output);
    publish::remove_stale_tmps(partial_path(output));
    ResourceOptions resources;
    resources.checkpoint_every = args.checkpoint_every;
    if (args.record_agents > 0) resources.record.max_agents = args.record_agents;
    resources.record.network = *snapshots_named(args.network_snapshots);  // checked by the option
    check_resources(estimate_resources(config, resources), resources, args.max_memory, output, 1,
                    fmt::format("airace run {}", args.scenario));

    Progress progress(fmt::format("airace run {}", config.scenario.name), args.quiet);
    RunOptions options;
    options.seed = seed;
    options.threads = args.threads;
    options.progress = [&](int done, int total) { progress.update(done, total); };
    options.checkpoint_every = args.checkpoint_every;
    options.profiler = profile;
    options.leave_world_to_exit = true;  // the process ends after this run
    if (args.record_agents > 0) options.record.max_agents = args.record_agents;
    options.record.network = *snapshots_named(args.network_snapshots);  // checked by the option
    const std::string partial = partial_path(output);
    // The run file is written as the run goes (output/stream_writer.hpp).
    RunFileStream stream(output, args.force, profile);
    // On a writer thread when there is a second core, so that compressing
    // and writing overlap the next steps (the same bytes; not under
    // --profile, whose timers belong to one thread).
    std::optional<AsyncSink> writer;
    if (!profile && (args.threads > 1 || (args.threads <= 0 && default_thread_count() > 1)))
        writer.emplace(stream, async_sink_pending_bytes);
    options.sink = writer ? static_cast<RecordSink*>(&*writer) : &stream;
    auto last_partial = std::chrono::steady_clock::now();
    std::chrono::steady_clock::duration partial_took{};
    if (args.checkpoint_every > 0)
        keep_partial_file(options, partial, stream, writer ? &*writer : nullptr, last_partial, partial_took);
    std::unique_ptr<RunPrefix> interrupted;
    if (args.resume && fs::exists(partial))
        resume_from_partial(args, config, output, partial, interrupted, options);
    ProfileScope run_scope(profile, "run (steps, recording, checkpoints)");
    const RunRecord record = run(config, options);
    interrupted.reset();  // the partial file is closed before it is removed
    run_scope.stop();
    progress.finish();
    {
        const ProfileScope write_scope(profile, "13 write run file");
        if (writer) writer->drain();
        stream.publish(record);
    }
    std::error_code ignored;
    fs::remove(partial, ignored);
    if (profile) print_profile(args, config, record, profiler, started);
    print_summary(args, output, record);
    return exit_ok;
}

int command_run_or_ensemble(const RunArgs& args) {
    if (args.seeds == 0) {
        if (!args.runs_dir.empty()) throw ConfigError("--runs-dir applies to ensembles (--seeds N) only");
        if (args.aggregates_only)
            throw ConfigError("--aggregates-only applies to ensembles (--seeds N) only: one run keeps its run file");
        return command_run(args);
    }
    if (args.profile || args.record_agents > 0 || args.network_snapshots != "yearly")
        throw ConfigError("--profile, --record-agents and --network-snapshots apply to one run, not to "
                          "an ensemble (--seeds)");
    EnsembleArgs ensemble;
    ensemble.scenario = args.scenario;
    ensemble.output = args.output;
    ensemble.runs_dir = args.runs_dir;
    ensemble.overrides = args.overrides;
    ensemble.seed = args.seed;
    ensemble.seed_given = args.seed_given;
    ensemble.seeds = args.seeds;
    ensemble.threads = args.threads;
    ensemble.force = args.force;
    ensemble.resume = args.resume;
    ensemble.quiet = args.quiet;
    ensemble.json = args.json;
    ensemble.checkpoint_every = args.checkpoint_every;
    ensemble.max_memory = args.max_memory;
    ensemble.aggregates_only = args.aggregates_only;
    return command_ensemble(ensemble);
}

}  // namespace

void add_run_commands(CLI::App& app, Commands& commands) {
    auto run_args = std::make_shared<RunArgs>();
    auto* run_cmd = app.add_subcommand("run", "run a scenario and write its run file (HDF5)");
    run_cmd->add_option("scenario", run_args->scenario, "scenario file (YAML)")->required();
    run_cmd->add_option("-o,--output", run_args->output,
                        "run file to write (default output/runs/NAME-seedSEED.h5)");
    run_cmd->add_option("--set", run_args->overrides, "override a key: key.path=value (repeatable)");
    auto* seed_opt =
        run_cmd->add_option("--seed", run_args->seed, "random seed (default: scenario.seed)")
            ->transform(like_key("scenario.seed"));
    run_cmd->add_option("--threads", run_args->threads, "worker threads (default: all cores)")
        ->transform(number_in(1, max_threads, true));
    run_cmd->add_flag("--force", run_args->force, "overwrite an existing run file");
    run_cmd->add_flag("--quiet", run_args->quiet, "no progress, no summary");
    run_cmd->add_flag("--json", run_args->json, "print the summary as JSON");
    run_cmd
        ->add_option("--checkpoint-every", run_args->checkpoint_every,
                     "keep the world state every this many steps, for forks and resuming (0: never)")
        ->transform(number_in(0, 100000, true));
    run_cmd->add_flag("--resume", run_args->resume,
                      "continue an interrupted run from its last checkpoint (FILE.h5.partial)");
    run_cmd->add_flag("--wait", run_args->wait,
                      "when another airace is writing the same run file, wait for it to finish "
                      "(default: refuse, exit 2)");
    run_cmd->add_flag("--profile", run_args->profile,
                      "print the time spent per phase, market, recording and output to stderr");
    run_cmd
        ->add_option("--record-agents", run_args->record_agents,
                     "keep per-agent columns for the first N agents of each kind only (huge worlds; "
                     "default: all)")
        ->transform(number_in(1, static_cast<double>(std::size_t{1} << 40), true));
    run_cmd
        ->add_option("--network-snapshots", run_args->network_snapshots,
                     "snapshots of the relationship graph: yearly (default), final or none")
        ->check(CLI::IsMember({"yearly", "final", "none"}));
    add_max_memory_option(run_cmd, run_args->max_memory);
    run_cmd
        ->add_option("--seeds", run_args->seeds,
                     "run an ensemble: N runs, seeds SEED to SEED+N-1 (SEED: --seed or "
                     "scenario.seed), --threads of them at once, merged into one ensemble file")
        ->transform(number_in(0, 100000, true));
    run_cmd->add_option("--runs-dir", run_args->runs_dir,
                        "with --seeds: the folder for the runs' files (default: the output with .runs)");
    run_cmd->add_flag("--aggregates-only", run_args->aggregates_only,
                      "with --seeds: keep only the runs' aggregates (no run file per run; the ensemble's "
                      "events are then unknown to compare)");
    examples(run_cmd, {"airace run configs/baseline.yaml -o baseline.h5",
                       "airace run configs/baseline.yaml -o cheap.h5 --set "
                       "compute.hardware_improvement_per_year=1.6 --seed 7",
                       "airace run my_scenario.yaml --quiet --json",
                       "airace run configs/baseline.yaml --seeds 20 -o base.h5   # an ensemble"});
    commands.push_back({run_cmd, [run_args, seed_opt] {
                            run_args->seed_given = seed_opt->count() > 0;
                            return command_run_or_ensemble(*run_args);
                        }});
}

}  // namespace airace::cli
