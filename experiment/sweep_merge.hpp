#pragma once
// `airace sweep merge DIR -o SWEEP.h5`: one file with the design, each run's
// status, the kept aggregates stacked [runs, T], external links to the run
// files and, for sobol and morris designs, sensitivity indices per metric.
//
// The design comes from DIR/sweep.yaml (a design is a pure function of the
// sweep file), so a merge needs no launcher state: it looks at which run
// files are complete, which runs left an .error file, and which are missing.
// Scalar outputs for the indices are each metric's value at the last step
// of sweep.metric_year (default: the last step), averaged over a point's
// replicates; a point with any replicate not complete (or NaN) is NaN and its
// base sample or trajectory is left out (sensitivity.hpp).

#include <cstddef>
#include <string>
#include <vector>

#include "experiment/sweep.hpp"
#include "output/sweep_file.hpp"

namespace airace {

struct MergeOptions {
    std::size_t resamples = 1000;  // bootstrap resamples for confidence intervals
    double confidence = 0.95;
};

// Throws ConfigError when DIR is not a sweep directory or metric_year lies
// outside the runs' years, RuntimeFailure when complete runs disagree on the
// time axis. `output` only places the links (relative to its folder).
SweepRecord merge_sweep(const std::string& dir, const std::string& output, const MergeOptions& options = {});

// The pieces of a merged file that a part of an aggregates-only sweep
// (sweep_parts.hpp) shares with it, so both are built the same way.
namespace merge_rows {
// Names, the design's settings, the parameters, and the resolved base
// scenario (DIR/base.yaml's text; `source` names it in messages) and its name.
SweepRecord sweep_header(const SweepConfig& sweep, const std::string& base_yaml, const std::string& source);
// The run's row of the design table.
void add_design_row(SweepRecord& r, const RunPlan& plan, const Design& design);
// One time axis for all: the first complete run's; a complete run on
// another axis becomes failed, with the reason.
void stack_time(SweepRecord& r, const std::vector<RunSeries>& series);
// Each metric as [runs, steps], NaN rows for runs that are not complete;
// series[i].metrics is in the order of `metrics`.
void stack_metrics(SweepRecord& r, const std::vector<RunSeries>& series, const std::vector<std::string>& metrics);
}  // namespace merge_rows

}  // namespace airace
