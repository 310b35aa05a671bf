// `airace replay` and `airace fork`: trusting and branching saved runs.
//
// replay rebuilds a run from the resolved config and seed stored in its file
// and compares it with the file (exit 3 at the first difference). fork
// continues a saved run from a checkpoint with changed keys: the world is the
// parent's until the fork date, then follows the new config.

#include <chrono>
#include <mutex>
#include <cmath>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "cli_support.hpp"
#include "commands.hpp"
#include "base/parallel.hpp"
#include "experiment/sweep.hpp"
#include "experiment/sweep_merge.hpp"
#include "output/sweep_file.hpp"
#include "output/reader.hpp"
#include "output/stream_writer.hpp"
#include "output/writer.hpp"
#include "progress.hpp"
#include "config/config_yaml.hpp"
#include "base/errors.hpp"
#include "base/sha256.hpp"
#include "record/record_compare.hpp"
#include "record/verify_sink.hpp"
#include "record/run.hpp"
#include "record/summary.hpp"

namespace airace::cli {
namespace {

// The simulator version that wrote a file must be this one, or the user
// says --force: a different model may legitimately give different results.
void check_model_version(const RunRecord& record, const std::string& path, bool force) {
    if (record.meta.airace_version == AIRACE_VERSION_STRING || force) return;
    throw ConfigError(fmt::format(
        "{} was written by airace {}; this is airace {}, whose model may differ. Use --force to "
        "run it anyway",
        path, record.meta.airace_version, AIRACE_VERSION_STRING));
}

ScenarioConfig stored_config(const std::string& text, const std::string& where) {
    return load_scenario_text(text, where);
}

// The checkpoint interval a file was written with (its first checkpoint).
int checkpoint_interval(const RunRecord& record) {
    return record.checkpoints.empty() ? 0 : record.checkpoints.front().step;
}

struct ReplayArgs {
    std::string file;
    std::string output;
    bool verify = false;
    bool force = false;
    int threads = 0;
    bool quiet = false;
    bool json = false;
};

// --json: {"run_file", "match", "steps_compared", "compared", "difference"}.
void print_replay_json(const ReplayArgs& args, int recorded,
                       const std::optional<RecordDifference>& difference, double year) {
    const std::string found =
        difference ? fmt::format("{{\"step\":{},\"year\":{:.2f},\"dataset\":{},\"detail\":{}}}",
                                 difference->step, year, json_string(difference->dataset),
                                 json_string(difference->detail))
                   : "null";
    fmt::print("{{\"run_file\":{},\"match\":{},\"steps_compared\":{},\"compared\":{},\"difference\":{}}}\n",
               json_string(args.file), !difference, recorded,
               json_string(args.verify ? "datasets" : "hashes"), found);
}

int command_replay(const ReplayArgs& args) {
    // The replay is streamed (to -o, or nowhere) and the file is read a step
    // at a time, so memory is the world's state plus a constant, whatever the
    // run's length: comparing world hashes needs the file's summary only;
    // --verify compares every dataset of each step as the replay makes it
    // (VerifySink), with the file's rows read as they are needed.
    std::unique_ptr<RunPrefix> file_rows;
    if (args.verify) file_rows = open_run_prefix(args.file);
    const RunRecord original = args.verify ? file_rows->summary() : read_run_summary(args.file);
    check_model_version(original, args.file, args.force);
    const int steps = original.meta.steps;
    RunOptions options;
    options.seed = original.meta.seed;
    options.threads = args.threads;
    options.checkpoint_every = checkpoint_interval(original);
    options.leave_world_to_exit = true;  // the process ends after this replay
    // The replay records what the file recorded (its snapshots and recorded
    // agents); one that only compares hashes records nothing.
    if (args.verify)
        options.record = recorded_options(file_rows->layout());
    else if (!args.output.empty())
        options.record = recorded_options(read_run_layout(args.file));
    else
        options.record.network = RecordOptions::Snapshots::none;
    ScenarioConfig config = stored_config(original.config_yaml, args.file + ":/config");
    if (original.fork.is_fork) {
        // A fork replays as the parent's config until the fork step.
        options.switch_config = config;
        options.switch_step = original.fork.fork_step;
        config = stored_config(original.fork.parent_config_yaml, args.file + ":/fork/parent_config");
    }
    int recorded = steps;
    if (original.meta.status != "complete") {
        recorded = original.checkpoints.empty() ? 0 : original.checkpoints.back().step;
        options.stop_after = recorded;
    }
    std::optional<RunFileStream> stream;
    DiscardSink discard;  // a replay that compares world hashes needs only them
    if (!args.output.empty()) stream.emplace(args.output, args.force);
    options.sink = stream ? static_cast<RecordSink*>(&*stream) : &discard;
    std::optional<VerifySink> verify;
    if (args.verify) {
        verify.emplace(*file_rows, recorded, stream ? &*stream : nullptr);
        options.sink = &*verify;
    }
    Progress progress(fmt::format("airace replay {}", args.file), args.quiet);
    options.progress = [&](int done, int total) { progress.update(done, total); };
    RunRecord replayed = run(config, options);
    progress.finish();
    replayed.fork = original.fork;
    // Hashes first: they find the first differing step; --verify then checks
    // every dataset.
    std::optional<RecordDifference> difference;
    if (args.verify) {
        difference = verify->difference(replayed);
    } else {
        for (int t = 0; t < recorded && !difference; ++t)
            if (original.hashes.at(static_cast<std::size_t>(t)) !=
                replayed.hashes.at(static_cast<std::size_t>(t)))
                difference = RecordDifference{"/hashes", t, "world hash differs"};
    }
    if (stream) stream->publish(replayed);
    const double year = difference ? original.meta.start_year + static_cast<double>(difference->step) /
                                                                   original.meta.steps_per_year
                                   : 0.0;
    if (args.json) print_replay_json(args, recorded, difference, year);
    if (difference) {
        fmt::print(stderr, "airace: error: replay of {} differs at step {} ({:.2f}) in {}: {}\n", args.file,
                   difference->step, year, difference->dataset, difference->detail);
        return exit_mismatch;
    }
    if (!args.quiet && !args.json)
        fmt::print("{}: replay matches the file for {} steps ({})\n", args.file, recorded,
                   args.verify ? "every dataset compared" : "world hash of every step compared");
    return exit_ok;
}

struct ForkArgs {
    std::string file;
    std::string at;
    std::string scenario;  // a scenario file whose configuration applies from the fork date
    std::vector<std::string> overrides;
    std::string output;
    bool force = false;
    int threads = 0;
    bool quiet = false;
    bool json = false;
};

// "2027" is the start of 2027; "2027.3" its third quarter (with quarterly
// steps; generally the n-th step of the year).
int fork_step(const std::string& at, const RunMetadata& meta) {
    const auto dot = at.find('.');
    int year = 0;
    int part = 1;
    try {
        std::size_t used = 0;
        year = std::stoi(at.substr(0, dot), &used);
        if (used != (dot == std::string::npos ? at.size() : dot)) throw std::invalid_argument(at);
        if (dot != std::string::npos) {
            part = std::stoi(at.substr(dot + 1), &used);
            if (used != at.size() - dot - 1) throw std::invalid_argument(at);
        }
    } catch (const std::exception&) {
        throw ConfigError(fmt::format("--at '{}': expected YEAR or YEAR.Q (e.g. 2027 or 2027.3)", at));
    }
    if (part < 1 || part > meta.steps_per_year)
        throw ConfigError(fmt::format("--at '{}': the part of the year must be 1 to {}", at,
                                      meta.steps_per_year));
    const int step = (year - meta.start_year) * meta.steps_per_year + part - 1;
    if (step <= 0 || step >= meta.steps)
        throw ConfigError(fmt::format("--at '{}': the run covers {} to {}; fork strictly inside it", at,
                                      meta.start_year,
                                      meta.start_year + meta.steps / meta.steps_per_year));
    return step;
}

// The config from the fork date: the parent's, or the scenario file's
// (validated as usual; the run keeps the parent's seed), with the fork's
// --set values, checked as a whole. A key that only shapes the start of a
// run cannot change at a fork.
ScenarioConfig forked_config(const ScenarioConfig& before, const std::string& scenario,
                             const std::vector<std::string>& overrides) {
    ScenarioConfig after = before;
    if (!scenario.empty()) {
        after = load_scenario(scenario, {});
        after.scenario.seed = before.scenario.seed;
    }
    for (const std::string& assignment : overrides) apply_override(after, assignment);
    for (const auto& problem : cross_field_problems(after))
        throw ConfigError(fmt::format("--set: {}: {}", problem.path, problem.message));
    if (const std::string key = changed_start_only_key(before, after); !key.empty())
        throw ConfigError(fmt::format(
            "{} {}: this key only shapes the start of a run (agent counts, initial values, "
            "traits), so a fork cannot change it{}",
            scenario.empty() ? "--set" : fmt::format("--scenario {}: key", scenario), key,
            key.find("base_stringency") != std::string::npos
                ? "; use a policy event with instrument 'stringency' instead"
                : ""));
    return after;
}

// Continue from the latest checkpoint at or before the fork step,
// re-simulating up to it with the parent's config; `prefix` is the parent,
// read step by step as the fork goes.
RunOptions fork_options(const ForkArgs& args, RunPrefix& prefix, const ScenarioConfig& after, int step) {
    const RunRecord& parent = prefix.summary();
    RunOptions options;
    options.seed = parent.meta.seed;
    options.threads = args.threads;
    options.checkpoint_every = checkpoint_interval(parent);
    options.switch_config = after;
    options.switch_step = step;
    for (const Checkpoint& c : parent.checkpoints)
        if (c.step <= step) options.resume_step = c.step;
    if (options.resume_step > 0) options.continue_from = &prefix;
    return options;
}

// The first step whose world hash differs from the parent's; -1 for none.
int first_difference(const RunRecord& fork, const RunRecord& parent) {
    for (std::size_t t = 0; t < fork.hashes.size(); ++t)
        if (fork.hashes[t] != parent.hashes[t]) return static_cast<int>(t);
    return -1;
}

void print_fork(const ForkArgs& args, const RunRecord& fork, int step, int resumed_from, int differs_from) {
    if (args.json) {
        fmt::print("{{\"run_file\":{},\"parent\":{},\"fork_step\":{},\"first_difference_step\":{},"
                   "\"summary\":{}}}\n",
                   json_string(args.output), json_string(args.file), step, differs_from,
                   summary_json(fork));
    } else if (!args.quiet) {
        fmt::print("fork of {} at step {} ({}), {} override(s); resumed from checkpoint {}\n",
                   args.file, step, args.at, args.overrides.size(), resumed_from > 0 ? resumed_from : 0);
        fmt::print("{}\n\n", differs_from < 0
                                 ? std::string("identical to the parent at every step")
                                 : fmt::format("identical to the parent before step {}, "
                                               "diverging from there",
                                               differs_from));
        fmt::print("{}", summary_table(fork));
        fmt::print("\nrun file: {}\n", args.output);
    }
}

// Forks one run file into `output`; returns the fork, the fork step, the
// checkpoint it resumed from and the first step that differs (-1: none).
struct ForkResult {
    RunRecord fork;
    int step = 0, resumed_from = 0, differs_from = -1;
};

// `plan`: the run of a forked ensemble this fork is (its sweep_* attributes).
ForkResult fork_run(const ForkArgs& args, const std::string& parent_file, const std::string& output,
                    bool quiet, const RunPlan* plan = nullptr) {
    // The parent's summary now, its rows, events and snapshots before the
    // checkpoint as the fork streams them into its own file: a fork holds
    // neither run whole.
    const std::unique_ptr<RunPrefix> prefix = open_run_prefix(parent_file);
    const RunRecord& parent = prefix->summary();
    check_model_version(parent, parent_file, args.force);
    if (parent.meta.status != "complete")
        throw ConfigError(fmt::format("{} is not a complete run (status '{}'); resume it first",
                                      parent_file, parent.meta.status));
    ForkResult result;
    result.step = fork_step(args.at, parent.meta);
    if (parent.fork.is_fork && result.step < parent.fork.fork_step)
        throw ConfigError(fmt::format(
            "{} is itself a fork from step {}; fork its parent ({}) for earlier dates", parent_file,
            parent.fork.fork_step, parent.fork.parent_file));
    const ScenarioConfig before = stored_config(parent.config_yaml, parent_file + ":/config");
    RunOptions options =
        fork_options(args, *prefix, forked_config(before, args.scenario, args.overrides), result.step);
    // The fork records what its parent recorded (snapshots, recorded agents):
    // its rows before the fork are the parent's.
    options.record = recorded_options(prefix->layout());
    RunFileStream stream(output, args.force);
    options.sink = &stream;
    Progress progress(fmt::format("airace fork {}", parent_file), quiet);
    options.progress = [&](int done, int total) { progress.update(done, total); };
    result.fork = run(before, options);
    progress.finish();
    result.fork.fork.parent_file = parent_file;
    result.fork.fork.parent_sha256 = sha256_file_hex(parent_file);
    std::vector<std::string> changes = args.overrides;
    if (!args.scenario.empty()) changes.insert(changes.begin(), "scenario file " + args.scenario);
    result.fork.fork.overrides = fmt::format("{}", fmt::join(changes, "\n"));
    if (plan != nullptr) result.fork.meta.sweep = sweep_identity(*plan);
    stream.publish(result.fork);
    result.resumed_from = options.resume_step;
    result.differs_from = first_difference(result.fork, parent);
    return result;
}

// An ensemble forks run by run (in parallel), into a new ensemble on the same
// seeds: `airace compare PARENT FORK` then compares them seed by seed.
int fork_ensemble(const ForkArgs& args) {
    const SweepRecord parent = read_sweep_file(args.file);
    if (parent.design != "ensemble")
        throw ConfigError(fmt::format("{} is a sweep of design '{}'; fork takes a run file or an ensemble",
                                      args.file, parent.design));
    const std::string dir = ensemble_runs_dir(args.output, "");
    const std::filesystem::path folder = std::filesystem::absolute(args.file).parent_path();
    std::vector<std::size_t> runs;
    for (std::size_t i = 0; i < parent.run_ids.size(); ++i)
        if (parent.status[i] == "complete") runs.push_back(i);
    if (runs.empty()) throw ConfigError(fmt::format("{}: the ensemble has no complete run to fork", args.file));
    for (std::size_t i : runs)
        if (parent.files[i].empty())
            throw ConfigError(fmt::format("{}: run {} has no run file to fork from (an aggregates-only run); run "
                                          "the ensemble's sweep again with --keep-runs for the runs to fork",
                                          args.file, parent.run_ids[i]));
    // The configuration from the fork date, from the ensemble's own resolved
    // base scenario: the new ensemble's base scenario (each run's fork checks
    // its own configuration again).
    const ScenarioConfig after =
        forked_config(stored_config(parent.base_yaml, args.file + ":/base"), args.scenario, args.overrides);
    const std::string name = after.scenario.name + "-fork";
    const std::string sweep_text = ensemble_sweep_text(
        name, fmt::format("{} forked at {} from {}", after.scenario.name, args.at, args.file), parent.seed);
    prepare_ensemble_dir(dir, resolved_yaml(after), sweep_text, args.force);
    // The new ensemble's runs, one per parent run in the same order (its seeds are the parent's).
    const SweepConfig sweep = load_sweep_text(sweep_text, (std::filesystem::path(dir) / "sweep.yaml").string());
    const std::vector<RunPlan> plans = plan_runs(sweep, build_design(sweep));
    for (std::size_t i : runs)
        if (i >= plans.size() || plans[i].id != parent.run_ids[i])
            throw ConfigError(fmt::format("{}: run {} is not run {} of its design; merge it again with `airace "
                                          "sweep merge`", args.file, parent.run_ids[i], i));
    SweepProgressPrinter printer(name, args.quiet || args.json);
    SweepCounts counts;
    counts.selected = counts.to_run = runs.size();
    std::mutex progress_mutex;
    const auto started = std::chrono::steady_clock::now();
    parallel_for(runs.size(), 1, [&](std::size_t b, std::size_t e) {
        for (std::size_t k = b; k < e; ++k) {
            const std::size_t i = runs[k];
            fork_run(args, (folder / parent.files[i]).string(),
                     (std::filesystem::path(dir) / "runs" / (parent.run_ids[i] + ".h5")).string(), true,
                     &plans[i]);
            const std::lock_guard<std::mutex> lock(progress_mutex);
            ++counts.done;
            counts.elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
            printer(counts);
        }
    });
    printer.finish();
    const SweepRecord merged = merge_sweep(dir, args.output, MergeOptions{});
    write_sweep_file(merged, args.output, true);
    if (args.json) {
        fmt::print("{{\"ensemble_file\":{},\"runs_dir\":{},\"parent\":{},\"runs\":{},\"complete\":{}}}\n",
                   json_string(args.output), json_string(dir), json_string(args.file), merged.run_ids.size(),
                   merged.count("complete"));
    } else if (!args.quiet) {
        fmt::print("forked {} run(s) of {} at {}{}: ensemble {} (run files in {}/runs/)\n"
                   "compare them seed by seed: airace compare {} {}\n",
                   runs.size(), args.file, args.at, args.scenario.empty() ? "" : " with " + args.scenario,
                   args.output, dir, args.file, args.output);
    }
    return exit_ok;
}

int command_fork(const ForkArgs& args) {
    check_output_target(args.output);
    if (std::filesystem::exists(args.output) && !args.force)
        throw ConfigError(fmt::format("{}: file exists; use --force to overwrite", args.output));
    if (file_format(args.file) == sweep_file_format) return fork_ensemble(args);
    const ForkResult result = fork_run(args, args.file, args.output, args.quiet);
    print_fork(args, result.fork, result.step, result.resumed_from, result.differs_from);
    return exit_ok;
}

}  // namespace

void add_replay_commands(CLI::App& app, Commands& commands) {
    auto replay = std::make_shared<ReplayArgs>();
    auto* replay_cmd =
        app.add_subcommand("replay", "rerun a run file from its stored config and seed and compare");
    replay_cmd->add_option("run_file", replay->file, "run file (HDF5)")->required();
    replay_cmd->add_flag("--verify", replay->verify, "compare every dataset, not only world hashes");
    replay_cmd->add_option("-o,--output", replay->output, "also write the replayed run here");
    replay_cmd->add_flag("--force", replay->force,
                         "replay a file of another airace version; overwrite the output");
    replay_cmd->add_option("--threads", replay->threads, "worker threads")
        ->transform(number_in(1, max_threads, true));
    replay_cmd->add_flag("--quiet", replay->quiet, "no progress, no message on success");
    replay_cmd->add_flag("--json", replay->json, "print the outcome (match, steps, first difference) as JSON");
    examples(replay_cmd, {"airace replay output/runs/baseline.h5", "airace replay run.h5 --verify --json"});
    commands.push_back({replay_cmd, [replay] { return command_replay(*replay); }});

    auto fork = std::make_shared<ForkArgs>();
    auto* fork_cmd = app.add_subcommand(
        "fork", "continue a saved run (or every run of an ensemble) from a date with changed keys or "
                "another scenario file (a counterfactual)");
    fork_cmd->add_option("run_file", fork->file,
                         "parent run file, or an ensemble file (each of its runs is forked)")->required();
    fork_cmd->add_option("--at", fork->at, "fork date: YEAR or YEAR.Q (quarter 1-4)")->required();
    fork_cmd->add_option("--scenario", fork->scenario,
                         "a scenario file (e.g. a policy that extends the parent's scenario) whose "
                         "configuration applies from the fork date; start-only keys must match the parent's");
    fork_cmd->add_option("--set", fork->overrides, "key.path=value applied from the fork date");
    fork_cmd->add_option("-o,--output", fork->output,
                         "fork run file to write (an ensemble file when forking an ensemble; its runs "
                         "go to OUTPUT with .runs)")->required();
    fork_cmd->add_flag("--force", fork->force, "overwrite; fork a file of another airace version");
    fork_cmd->add_option("--threads", fork->threads, "worker threads")
        ->transform(number_in(1, max_threads, true));
    fork_cmd->add_flag("--quiet", fork->quiet, "no progress, no summary");
    fork_cmd->add_flag("--json", fork->json, "print the summary as JSON");
    examples(fork_cmd, {"airace fork baseline.h5 --at 2027 --set regulators.us.training_cap_on=true -o cap.h5",
                        "airace fork baseline.h5 --at 2030.3 --set compute.electricity_usd_per_kwh=0.2 -o "
                        "power.h5 --json",
                        "airace fork base.h5 --at 2027 --scenario policy.yaml -o policy.h5   # base.h5: "
                        "an ensemble, forked run by run"});
    commands.push_back({fork_cmd, [fork] { return command_fork(*fork); }});
}

}  // namespace airace::cli
