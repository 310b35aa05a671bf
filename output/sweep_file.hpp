#pragma once
// The merged sweep file (HDF5, format "airace-sweep", schema 1;
// docs/sweeps.md "Merged file"), and the reads a merge needs from run files.
//
//   /                     attrs: format, schema_version, name, description, design, base,
//                         design_seed, samples, levels, metric_year, replicates, runs,
//                         complete, failed, missing, airace_version, created_utc
//   /sweep                the sweep file's text (scalar string)
//   /base                 the fully resolved base scenario (scalar string)
//   /design/run_id        string[R]        /design/point, group int64[R], step int32[R]
//   /design/replicate     int32[R]         /design/seed uint64[R]
//   /design/values        float64[R, k]    attrs keys (key paths), scales
//   /design/unit          float64[R, k]    position in the unit cube
//   /design/overrides     string[R]        the --set assignments of each run, one per line
//   /runs/status          string[R]        complete | failed | missing
//   /runs/error           string[R]        the run's error message ("" if none)
//   /runs/file            string[R]        run file relative to the sweep file ("" if none)
//   /time                 float64[T]
//   /aggregates/<metric>  float64[R, T]    attr units; NaN rows for runs not complete
//   /links/<run_id>       external link to the root of each complete run file
//   /sensitivity/<metric>/<index>  float64[k]  attrs method, parameters, metric_year,
//                         samples_used, confidence, resamples
//   /ensemble/<metric>/{mean,se,q05,median,q95}  float64[T], runs int32[T]  attr units
//                         (design "ensemble": statistics over the complete runs)
//   A part of an aggregates-only sweep has the root attribute part_of_runs
//   (the design's number of runs) and only its runs' rows.
// Like run files, it is written as NAME.tmp.<pid>.<random>, closed, fsync'ed and renamed.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "record/record.hpp"

namespace airace {

inline constexpr const char* sweep_file_format = "airace-sweep";
inline constexpr int sweep_file_schema_version = 1;

struct SweepIndexTable {
    std::string metric;
    std::string method;  // "sobol" or "morris"
    std::vector<std::pair<std::string, std::vector<double>>> indices;  // "S1" -> [k], ...
    std::uint64_t samples_used = 0;  // base samples (sobol) or trajectories (morris)
    double confidence = 0.95;
    std::uint64_t resamples = 0;
};

// An ensemble's statistics of one aggregate, per step, over the runs that
// are complete and finite there (design "ensemble"; docs/sweeps.md).
struct EnsembleSeries {
    std::string name, units;
    std::vector<double> mean, se, q05, median, q95;  // [T]; se: sd / sqrt(n), NaN below 2 runs
    std::vector<std::int32_t> runs;                  // [T]: n
};

struct SweepRecord {
    std::string name, description, design, sweep_text;
    std::string base, base_yaml;  // the base scenario's name and its resolved YAML
    std::string airace_version, created_utc;
    std::uint64_t design_seed = 0, samples = 0, levels = 0, replicates = 0;
    std::int32_t metric_year = 0;
    std::vector<std::string> keys, scales;  // one per parameter (k)
    // The design table: one row per run (R).
    std::vector<std::string> run_ids;
    std::vector<std::int64_t> point, group;
    std::vector<std::int32_t> step, replicate;
    std::vector<std::uint64_t> seed;
    std::vector<double> values, unit;  // [R * k], row-major
    std::vector<std::string> overrides;
    std::vector<std::string> status, errors, files;
    std::vector<double> time;
    std::vector<Series> aggregates;  // values [R * T], row-major
    std::vector<SweepIndexTable> sensitivity;
    std::vector<EnsembleSeries> ensemble;  // design "ensemble" only
    // A part of an aggregates-only sweep (experiment/sweep_parts.hpp) holds
    // some of the design's runs: their number in the whole design (root
    // attribute part_of_runs, written only then); 0: the file holds every run.
    std::uint64_t part_of_runs = 0;

    std::size_t count(const std::string& which) const;  // runs with that status
};

// Throws ConfigError when PATH exists and !force; RuntimeFailure naming the
// file and object when writing fails (its temporary file removed). Every file in
// `files` is checked to exist (relative to PATH's folder) before it is
// linked: a missing source would read silently as fill values.
void write_sweep_file(const SweepRecord& record, const std::string& path, bool force);

// Everything but the links; RunFileError (exit 2) for a file that is not an
// airace sweep file of this schema.
SweepRecord read_sweep_file(const std::string& path);

// The root "format" attribute: "airace-run", "airace-sweep", or "" for a
// file that is not HDF5, has none, or does not match its /file_checksum
// (checked first, so no string of a damaged file is read). Never throws for
// unreadable files.
std::string file_format(const std::string& path);

// What a merge takes from one run file: metadata (checked like
// read_run_metadata: checksum, format, schema), /time and some aggregates.
struct RunSeries {
    RunMetadata meta;
    std::vector<double> time;
    std::vector<Series> metrics;
};
RunSeries read_run_series(const std::string& path, const std::vector<std::string>& metrics);
// The names of a run file's /aggregates, in the file's (name) order.
std::vector<std::string> run_aggregate_names(const std::string& path);

// `airace inspect SWEEP.h5`: name, design, run counts, parameters, metrics
// at the metric year across complete runs, and sensitivity tables.
std::string inspect_sweep_text(const SweepRecord& record);
// The same as one JSON object (NaN as null): format, sweep, design, runs by
// status, time, parameters, metrics, sensitivity indices, failed runs.
std::string inspect_sweep_json(const SweepRecord& record);

}  // namespace airace
