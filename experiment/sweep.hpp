#pragma once
// Sweep runner: a thin driver that turns a SweepConfig into RunPlans and calls
// run() for each (docs/sweeps.md). It never reaches into a step.
//
// A sweep directory DIR holds:
//   DIR/sweep.yaml    the sweep file as given (merge reads the design from it)
//   DIR/base.yaml     the fully resolved base scenario (guards against a base
//                     that changed between launches)
//   DIR/design.tsv    one line per run: index, id, point, replicate, seed, values
//   DIR/runs/<id>.h5  one run file per run (written under a unique temporary
//                     name, fsync'ed, renamed)
//   DIR/runs/<id>.error  the error message of a run that failed
//   DIR/parts/*.h5    --aggregates-only: the kept aggregates of many runs at
//                     once, each part written by the launcher that ran them
//                     (sweep_parts.hpp); merge reads them like run files
//   DIR/sweep.lock    record locks: byte I is held by the launcher running run I
// Every launcher (in-process, MPI ranks, Slurm array tasks) uses the same
// plans and ids, so with --resume any of them fills exactly the gaps.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "config/config.hpp"
#include "output/publish.hpp"
#include "output/sweep_file.hpp"
#include "record/run.hpp"
#include "config/sweep_config.hpp"
#include "experiment/sweep_design.hpp"

namespace airace {

struct RunPlan {
    std::size_t index = 0;     // position in the sweep: point * replicates + replicate
    std::string id;            // stable, "p00012-r1"
    std::size_t point = 0;     // row of the design
    std::size_t replicate = 0;
    std::uint64_t seed = 0;    // sweep.seeds[replicate]: common random numbers across points
    std::vector<std::string> overrides;  // "key=value", applied like --set
};

std::string run_id(std::size_t point, std::size_t replicate);
std::vector<RunPlan> plan_runs(const SweepConfig& sweep, const Design& design);

std::string sweep_run_file(const std::string& dir, const std::string& id);    // DIR/runs/<id>.h5
std::string sweep_error_file(const std::string& dir, const std::string& id);  // DIR/runs/<id>.error

// Which runs a launcher owns: all, one (--index I), or a shard (--shard I/N:
// the runs whose index % N == I).
struct RunSelection {
    std::optional<std::size_t> index;
    std::optional<std::pair<std::size_t, std::size_t>> shard;  // (I, N)
};
// Parses "I/N" (0 <= I < N); throws ConfigError naming --shard.
std::pair<std::size_t, std::size_t> parse_shard(const std::string& text);
std::vector<std::size_t> select_runs(const std::vector<RunPlan>& plans, const RunSelection& selection);

// A sweep ready to run in a directory: its design, plans and base scenario.
struct SweepJob {
    SweepConfig sweep;
    Design design;
    std::vector<RunPlan> plans;
    std::string base_text;  // the base scenario file, read once
    ScenarioConfig base;
    std::string dir;
};

// Reads the base scenario (ConfigError naming sweep.base if it cannot be
// read or a swept list item does not exist in it), builds the design and
// plans, creates DIR/runs and, when `write_manifest`, writes or checks the
// manifest: a DIR started with another sweep file or base is refused.
SweepJob prepare_sweep(const SweepConfig& sweep, const std::string& dir, bool write_manifest);

struct SweepOptions {
    int jobs = 1;          // in-process: runs at once; MPI: threads per rank
    bool resume = false;   // skip runs whose file is complete
    bool force = false;    // redo every selected run
    RunSelection selection;
    // A run still going after this many seconds fails (its .error says so)
    // and the sweep goes on; 0: no limit. Checked between steps, so a run
    // stops within one step of the limit.
    double run_timeout_s = 0;
    // Checkpoints in each run file, as `airace run --checkpoint-every`
    // (default a year; 0: none, for faster sweeps whose runs are not forked).
    int checkpoint_every = default_checkpoint_every;
    // When another launcher holds some of the selected runs: wait for it
    // (true) or refuse (false, ConfigError naming its pid).
    bool wait = false;
    // Keep only what a merge needs (the sweep's metrics, or every aggregate
    // for an ensemble that lists none): no run file per run; the launcher
    // writes them in parts, DIR/parts/*.h5 (sweep_parts.hpp).
    bool aggregates_only = false;
    // With aggregates_only: the runs (by index) that still get a full run
    // file in DIR/runs/ (--keep-runs).
    std::set<std::size_t> keep_runs;
};

// "--keep-runs" values: run ids ("p00003-r1") or indices ("17"), separated
// by commas; ConfigError naming --keep-runs for one the sweep does not have.
std::set<std::size_t> parse_keep_runs(const std::string& text, const std::vector<RunPlan>& plans);

// Locks the selected runs in DIR/sweep.lock (byte I for run I) for as long
// as the returned lock lives, so two launchers never run the same run while
// shards of one sweep run side by side. ConfigError naming the holder's pid
// when one is held and !wait.
std::unique_ptr<publish::LockFile> lock_runs(const SweepJob& job, const std::vector<std::size_t>& selected,
                                             bool wait);

// The selected runs still to do. Without --resume or --force, existing
// results are refused (ConfigError) rather than silently overwritten.
std::vector<std::size_t> runs_to_do(const SweepJob& job, const SweepOptions& options,
                                    std::size_t& skipped);

// The identity a plan's run file carries (root attributes sweep_*).
SweepIdentity sweep_identity(const RunPlan& plan);
// "" when a run file's metadata is the plan's run (run id, index, point,
// replicate, swept values and seed: its row of design.tsv); otherwise what
// differs, e.g. "it is run p00003-r0 (sweep_run_id), not p00001-r0".
std::string identity_mismatch(const RunMetadata& meta, const RunPlan& plan);

// True when the plan's DIR/runs/<id>.h5 is a readable run file with status
// "complete" whose identity is the plan's (a file copied over another id is
// not complete: --resume runs it again).
bool run_is_complete(const std::string& dir, const RunPlan& plan);

struct RunOutcome {
    std::size_t index = 0;
    bool ok = false;
    std::string error;  // the exception's message when !ok
    // aggregates_only and not a kept run: the run's time axis and kept
    // metrics, to go into a part (no run file was written).
    std::shared_ptr<const RunSeries> series;
};

// The metrics a sweep keeps from a run: sweep.metrics, or every aggregate
// in the run's (and run file's) order when the sweep lists none.
RunSeries kept_series(const RunRecord& record, const SweepConfig& sweep);

// Runs one plan and writes its run file, or its .error file when anything
// fails (bad override, run failure, I/O, more than options.run_timeout_s
// seconds when that is > 0). Never throws.
RunOutcome execute_run(const SweepJob& job, const RunPlan& plan, const SweepOptions& options = {});

struct SweepCounts {
    std::size_t selected = 0;  // runs this launcher owns
    std::size_t skipped = 0;   // already complete (--resume)
    std::size_t to_run = 0;
    std::size_t done = 0;      // finished and written
    std::size_t failed = 0;
    double elapsed_s = 0;
    std::vector<std::string> failed_ids;  // in the order they finished
};
using SweepProgress = std::function<void(const SweepCounts&)>;

// "sweep data_wall: 12 done, 1 failed, 27 remaining, 3.10 runs/s, ~9 s left"
std::string progress_line(const std::string& name, const SweepCounts& counts);

// In-process: options.jobs runs at once (oneTBB), each run's results
// independent of how many run beside it. `progress` is called (serialised)
// after each run.
SweepCounts run_sweep(const SweepJob& job, const SweepOptions& options, const SweepProgress& progress);

// Under mpirun (experiment/sweep_mpi.cpp): rank 0 hands out run indices to ranks
// that ask and collects outcomes; it runs none itself unless it is alone.
// Returns the totals on rank 0 and this rank's share elsewhere; `is_root`
// says which. Throws ConfigError explaining how to enable MPI when airace was
// built without it.
SweepCounts run_sweep_mpi(const SweepConfig& sweep, const std::string& dir,
                          const SweepOptions& options, const SweepProgress& progress, bool& is_root);
bool mpi_built();

// A Slurm job-array script that runs the sweep as `tasks` array tasks, each
// `airace sweep SWEEP -o DIR --shard $SLURM_ARRAY_TASK_ID/tasks --resume`.
struct SlurmScriptOptions {
    std::string airace;      // absolute path of the airace binary
    std::string sweep_file;  // absolute
    std::string dir;         // absolute
    std::string name;
    std::size_t tasks = 1;
    int cpus_per_task = 1;
    std::string time_limit;  // "HH:MM:SS", empty: the partition's default
    std::string partition;   // empty: the default partition
    int checkpoint_every = default_checkpoint_every;  // passed on to each task's sweep
    bool aggregates_only = false;  // passed on: --aggregates-only
    std::string keep_runs;         // passed on: --keep-runs (ids and indices only)
};
// ConfigError (exit 2) for a value the script cannot hold safely: any
// control character, a '"' or '\' in the directory (#SBATCH lines quote it),
// a --time that is not a Slurm time, a --partition that is not names.
void check_slurm_options(const SlurmScriptOptions& options);
// Checks the options (check_slurm_options), then writes the script: paths
// shell-quoted in commands and comments, the --output path in double quotes.
std::string slurm_array_script(const SlurmScriptOptions& options);

}  // namespace airace
