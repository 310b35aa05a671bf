#pragma once
// Aggregates-only sweeps (`airace sweep --aggregates-only`; docs/sweeps.md
// "Aggregates only"): a run keeps its time axis and the sweep's metrics in
// memory instead of writing a run file, and its launcher writes many runs at
// once as a part, DIR/parts/<time>-<host>-<pid>-<n>.h5.
//
// A part is a merged sweep file (sweep_file.hpp, sealed like every airace
// file) holding only its runs' rows: design, status "complete", time and
// aggregates. Each launcher (the in-process one, every MPI worker, every
// Slurm array task) writes its own parts, so no file has two writers. A part
// is written every `flush_runs` runs or `flush_seconds` seconds and when the
// launcher ends, so a killed launcher loses at most that much work and
// --resume redoes exactly the runs that no part and no run file holds.
//
// `sweep merge` reads the parts with the run files: a run is complete when
// its run file is, or else when a part holds it; the merged file is then
// the same as if every run had written a run file, except that such runs
// have no /links entry and an empty /runs/file.

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "experiment/sweep.hpp"
#include "output/sweep_file.hpp"

namespace airace {

std::string sweep_parts_dir(const std::string& dir);  // DIR/parts

class PartWriter {
public:
    explicit PartWriter(const SweepJob& job, std::size_t flush_runs = 512, double flush_seconds = 60);
    PartWriter(const PartWriter&) = delete;
    PartWriter& operator=(const PartWriter&) = delete;
    // Keeps a finished run's series; writes a part when flush_runs runs or
    // flush_seconds have gathered. Safe to call from several threads. Never
    // throws: a part that cannot be written (a full disk) keeps its runs
    // gathered, to be tried again with the next part.
    void add(std::size_t index, std::shared_ptr<const RunSeries> series);
    // Writes what is gathered as one part (nothing when nothing is).
    // Throws RuntimeFailure, saying how many finished runs are not kept and
    // to resume, when it cannot.
    void flush();
    std::size_t parts_written() const { return written_; }

private:
    void write_locked();  // throws what writing the part threw
    const SweepJob& job_;
    std::size_t flush_runs_;
    double flush_seconds_;
    std::string prefix_;  // DIR/parts/<time>-<host>-<pid>-
    SweepRecord header_;
    std::mutex mutex_;
    std::vector<std::pair<std::size_t, std::shared_ptr<const RunSeries>>> pending_;
    std::chrono::steady_clock::time_point last_;
    std::size_t written_ = 0;
};

// What the parts of a sweep directory hold, per run index.
struct SweepParts {
    std::vector<SweepRecord> records;  // one per part, in name order
    struct Row {
        std::size_t part = 0, row = 0;
    };
    std::map<std::size_t, Row> complete;       // the last part's row of each complete run
    std::map<std::size_t, std::string> foreign;  // rows that are not the plan's run: why
    std::vector<std::filesystem::file_time_type> written;  // each part's modification time
    bool holds(std::size_t index) const { return complete.count(index) > 0; }
    // Holds it, and no DIR/runs/<id>.error newer than its part says that a
    // later attempt of the run failed (--force, --run-timeout).
    bool holds_current(const std::string& dir, const RunPlan& plan) const;
    // A complete run's time and metrics (by name; RunFileError naming the
    // part when one is missing).
    RunSeries series(std::size_t index, const std::vector<std::string>& metrics) const;
    // The aggregates the first part keeps (its metric list), empty if none.
    std::vector<std::string> metric_names() const;
};

// Reads DIR/parts/*.h5 in name order (a later part's row of a run replaces
// an earlier one's). A row is taken only when its run id, point, replicate,
// seed and swept values are the plan's. Throws RunFileError (exit 2) naming
// a damaged part, or one of another sweep (its base scenario is not DIR's),
// and saying how to redo its runs.
SweepParts read_sweep_parts(const std::string& dir, const std::vector<RunPlan>& plans);

}  // namespace airace
