#pragma once
// Reads run files (HDF5, schema 1; docs/output-schema.md) back into memory.
// Every failure is a RunFileError (exit code 2) whose message names the file:
// missing, not HDF5, foreign (format != "airace-run"), another schema
// version, or damaged (shapes that disagree with the `steps` attribute,
// unreadable objects). Shapes are checked before anything is allocated.

#include <memory>
#include <string>
#include <vector>

#include "output/inspect.hpp"
#include "record/record.hpp"
#include "record/run_prefix.hpp"

namespace airace {

// The whole file; write_run_file then read_run_file gives back the record
// (with meta.hdf5_version set to the version of the library that wrote it).
RunRecord read_run_file(const std::string& path);

// The run's summary: metadata, /config, /time, /aggregates, /hashes, the
// fork's record and each checkpoint's step, not the per-agent and market
// columns, events, graph snapshots or checkpoint states (a replay that only
// compares world hashes holds no more than this of the file).
RunRecord read_run_summary(const std::string& path);

// The run file as what a continued run (resume, fork) takes from it
// (record/run_prefix.hpp): the summary now, the rest read as it is asked
// for, so the run it continues is never held whole. Every failure, then or
// later, is a RunFileError naming the file.
std::unique_ptr<RunPrefix> open_run_prefix(const std::string& path);

// The summary and the layout of everything else: each kind's and market's
// columns with their names, units and shapes (checked) but no values, no
// statics, the event and edge type names but no rows (`inspect --columns`).
RunRecord read_run_layout(const std::string& path);

// What `airace inspect` shows (output/inspect.hpp): the summary, the agents
// recorded per kind (from the statics' shapes) and the events counted by
// type, a block of rows at a time: constant memory for a run of any size.
RunOverview read_run_overview(const std::string& path);

// Only the root attributes (cheap: for sweeps, --resume and inspect).
RunMetadata read_run_metadata(const std::string& path);

// One /aggregates/<name> series, float64[steps].
std::vector<double> read_aggregate(const std::string& path, const std::string& name);

}  // namespace airace
