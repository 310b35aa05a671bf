// Sweeps under MPI: dynamic master/worker over the same plans as every other
// launcher (the ensemble pattern of FLAME GPU 2; docs/sweeps.md "Under MPI").
//
// Rank 0 is the master: it prepares the directory, decides which runs are
// still to do, and answers each worker's request with the next run index (or
// -1 to stop); a request carries the outcome of the worker's previous run, so
// status flows back to rank 0 with no extra message. Rank 0 runs no work
// itself when there are workers: it must answer requests promptly, and a
// 0.3 s run would make every other rank wait. It polls (MPI_Iprobe and a
// short sleep) rather than blocking, because Open MPI's blocking receive
// spins a core that a worker could use. Alone (mpirun -n 1, or a singleton),
// rank 0 runs everything in-process.
//
// A run that throws is caught by execute_run, written as its .error file and
// reported to rank 0 like any other outcome; nothing calls MPI_Abort, so one
// bad run never takes the job down. Run files are written by the worker that
// ran them, each to its own file: no parallel HDF5 (airace builds against the
// serial library; every file has one writer).
//
// Built only when CMake finds MPI (AIRACE_HAVE_MPI); otherwise --mpi explains
// how to enable it.

#include "experiment/sweep.hpp"

#include "base/errors.hpp"

#ifdef AIRACE_HAVE_MPI

#include <mpi.h>

#include <chrono>
#include <cstring>
#include <thread>

#include <fmt/format.h>

#include "base/parallel.hpp"
#include "experiment/sweep_parts.hpp"

namespace airace {
namespace {

constexpr int tag_request = 1;  // worker -> rank 0: last outcome + "give me work"
constexpr int tag_work = 2;     // rank 0 -> worker: a run index, or -1 for "stop"

class MpiSession {
public:
    MpiSession() {
        int initialized = 0;
        MPI_Initialized(&initialized);
        if (!initialized) {
            int provided = 0;  // only the main thread calls MPI; TBB threads never do
            MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
            owner_ = true;
        }
        MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
        MPI_Comm_size(MPI_COMM_WORLD, &size_);
    }
    ~MpiSession() {
        int finalized = 0;
        MPI_Finalized(&finalized);
        if (owner_ && !finalized) MPI_Finalize();
    }
    MpiSession(const MpiSession&) = delete;
    MpiSession& operator=(const MpiSession&) = delete;
    int rank() const { return rank_; }
    int size() const { return size_; }

private:
    bool owner_ = false;
    int rank_ = 0;
    int size_ = 1;
};

// Outcome message: int64 run index (-1: none yet), one byte ok, the error text.
std::vector<char> encode(std::int64_t index, bool ok, const std::string& error) {
    std::vector<char> bytes(sizeof index + 1 + error.size());
    std::memcpy(bytes.data(), &index, sizeof index);
    bytes[sizeof index] = ok ? 1 : 0;
    std::memcpy(bytes.data() + sizeof index + 1, error.data(), error.size());
    return bytes;
}

RunOutcome decode(const std::vector<char>& bytes, std::int64_t& index) {
    RunOutcome outcome;
    index = -1;
    if (bytes.size() < sizeof index + 1) return outcome;
    std::memcpy(&index, bytes.data(), sizeof index);
    outcome.index = index < 0 ? 0 : static_cast<std::size_t>(index);
    outcome.ok = bytes[sizeof index] != 0;
    outcome.error.assign(bytes.begin() + sizeof index + 1, bytes.end());
    return outcome;
}

SweepCounts serve(const MpiSession& mpi, const SweepJob& job, const std::vector<std::size_t>& todo,
                  SweepCounts counts, const SweepProgress& progress) {
    const auto start = std::chrono::steady_clock::now();
    std::size_t next = 0;
    int active = mpi.size() - 1;
    while (active > 0) {
        MPI_Status status;
        int arrived = 0;
        for (;;) {
            MPI_Iprobe(MPI_ANY_SOURCE, tag_request, MPI_COMM_WORLD, &arrived, &status);
            if (arrived) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
        int length = 0;
        MPI_Get_count(&status, MPI_BYTE, &length);
        std::vector<char> bytes(static_cast<std::size_t>(length));
        MPI_Recv(bytes.data(), length, MPI_BYTE, status.MPI_SOURCE, tag_request, MPI_COMM_WORLD,
                 MPI_STATUS_IGNORE);
        std::int64_t finished = -1;
        const RunOutcome outcome = decode(bytes, finished);
        if (finished >= 0) {
            ++(outcome.ok ? counts.done : counts.failed);
            if (!outcome.ok && outcome.index < job.plans.size()) counts.failed_ids.push_back(job.plans[outcome.index].id);
            counts.elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            if (progress) progress(counts);
        }
        const std::int64_t work = next < todo.size() ? static_cast<std::int64_t>(todo[next++]) : -1;
        MPI_Send(&work, 1, MPI_INT64_T, status.MPI_SOURCE, tag_work, MPI_COMM_WORLD);
        if (work < 0) --active;
    }
    counts.elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return counts;
}

// `parts` (--aggregates-only): this worker's own parts.
SweepCounts work(const SweepJob& job, const SweepOptions& options, PartWriter* parts) {
    SweepCounts mine;
    std::vector<char> message = encode(-1, false, {});
    for (;;) {
        MPI_Send(message.data(), static_cast<int>(message.size()), MPI_BYTE, 0, tag_request, MPI_COMM_WORLD);
        std::int64_t index = -1;
        MPI_Recv(&index, 1, MPI_INT64_T, 0, tag_work, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        if (index < 0) break;
        RunOutcome outcome;
        // The run's own parallelism stays within --jobs threads on this rank.
        parallel_each(1, options.jobs, [&](std::size_t) {
            outcome = execute_run(job, job.plans[static_cast<std::size_t>(index)], options);
        });
        if (outcome.series) parts->add(outcome.index, outcome.series);  // never throws
        ++(outcome.ok ? mine.done : mine.failed);
        message = encode(index, outcome.ok, outcome.error);
    }
    return mine;
}

}  // namespace

bool mpi_built() { return true; }

SweepCounts run_sweep_mpi(const SweepConfig& sweep, const std::string& dir, const SweepOptions& options,
                          const SweepProgress& progress, bool& is_root) {
    const MpiSession mpi;
    is_root = mpi.rank() == 0;
    // Every rank builds the same job; only rank 0 touches the manifest and
    // looks at which runs exist. A failure anywhere stops every rank here,
    // before any rank waits for a message that would never come.
    enum Failure { none = 0, bad_input = 1, runtime = 2 };
    int failure = none;
    std::string message;
    SweepJob job;
    SweepCounts counts;
    std::vector<std::size_t> todo;
    std::unique_ptr<publish::LockFile> lock;  // rank 0 holds the runs for the whole job
    std::unique_ptr<PartWriter> parts;        // a worker's parts (--aggregates-only)
    try {
        job = prepare_sweep(sweep, dir, is_root);
        if (is_root) {
            lock = lock_runs(job, select_runs(job.plans, options.selection), options.wait);
            todo = runs_to_do(job, options, counts.skipped);
            counts.to_run = todo.size();
            counts.selected = todo.size() + counts.skipped;
        } else if (options.aggregates_only && mpi.size() > 1) {
            parts = std::make_unique<PartWriter>(job);  // here, so a failure stops every rank
        }
    } catch (const ConfigError& error) {
        failure = bad_input;
        message = error.what();
    } catch (const RunFileError& error) {  // a damaged part: bad input, as for the in-process launcher
        failure = bad_input;
        message = error.what();
    } catch (const std::exception& error) {
        failure = runtime;
        message = error.what();
    }
    int worst = none;
    MPI_Allreduce(&failure, &worst, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    if (failure == bad_input) throw ConfigError(message);
    if (failure == runtime) throw RuntimeFailure(message);
    if (worst != none)
        throw RuntimeFailure(fmt::format("rank {}: stopping because another rank could not prepare the sweep",
                                         mpi.rank()));
    if (mpi.size() == 1) return run_sweep(job, options, progress);
    SweepCounts result;
    int lost = 0;  // finished runs a worker could not keep (its last part failed)
    std::string last_part_failure;
    if (is_root) {
        result = serve(mpi, job, todo, counts, progress);
    } else {
        result = work(job, options, parts.get());
        try {
            if (parts) parts->flush();
        } catch (const std::exception& error) {
            last_part_failure = error.what();
            lost = 1;
        }
    }
    // Every worker has written its last part before rank 0 returns (and
    // may merge them); every rank learns whether one could not.
    int any_lost = 0;
    MPI_Allreduce(&lost, &any_lost, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    if (!last_part_failure.empty())
        throw RuntimeFailure(fmt::format("rank {}: {}", mpi.rank(), last_part_failure));
    if (any_lost)
        throw RuntimeFailure("a worker could not write its last part of the aggregates-only sweep (its message "
                             "is above); its runs are missing: run the sweep again with --resume");
    return result;
}

}  // namespace airace

#else  // !AIRACE_HAVE_MPI

namespace airace {

bool mpi_built() { return false; }

SweepCounts run_sweep_mpi(const SweepConfig&, const std::string&, const SweepOptions&,
                          const SweepProgress&, bool& is_root) {
    is_root = true;
    throw ConfigError(
        "--mpi: this airace was built without MPI. Install Open MPI (apt-get install libopenmpi-dev "
        "openmpi-bin, or run tools/bootstrap), then reconfigure and rebuild (cmake -S . -B build && "
        "cmake --build build); or run the sweep in-process with --jobs N, or as a Slurm job array "
        "(airace sweep slurm)");
}

}  // namespace airace

#endif
