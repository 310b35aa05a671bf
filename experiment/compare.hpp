#pragma once
// `airace compare A B`: two runs or two ensembles (or a parent and its fork)
// side by side (docs/analysis.md "Comparing two answers"). Every aggregate is
// compared step by step: the difference B - A and its standard error, the
// first date from which the two differ beyond noise, and how often each kind
// of event happened in each.
//
// Pairing. Two ensembles run on the same seeds are compared seed by seed
// (the runs of a seed share their random draws, so the noise they have in
// common cancels): the standard error is that of the per-seed differences.
// Otherwise each side's mean has its own standard error (sd / sqrt(n)) and
// the difference's is sqrt(se_A^2 + se_B^2); a single run has none, so two
// single runs (a parent and its fork) differ from the first step where any
// value differs at all.

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "output/sweep_file.hpp"
#include "record/record.hpp"

namespace airace {

// One side of a comparison: a run file, or an ensemble file with its runs.
struct CompareSide {
    std::string path;
    std::string kind;   // "run" or "ensemble"
    std::string label;  // the scenario's name, "(fork of P at Y)" for a fork
    std::vector<std::uint64_t> seeds;  // one per run (complete runs only)
    std::vector<double> time;
    std::vector<Series> metrics;  // values [runs * steps], row-major
    // Mean number of events of each type per run (event type name, count).
    std::vector<std::pair<std::string, double>> events;
    // False for an ensemble whose runs have no run files (an aggregates-only
    // sweep, docs/sweeps.md): its events are unknown, not zero.
    bool events_known = true;
    std::vector<EventRow> first_run_events;  // a run's own events (kind "run" only)
};

// Reads a run file or an ensemble file (a sweep file of design "ensemble");
// RunFileError (exit 2) for anything else, naming the file.
CompareSide read_compare_side(const std::string& path);

struct MetricComparison {
    std::string name, units;
    std::vector<double> a, b;          // [T] each side's mean
    std::vector<double> diff, se;      // [T] B - A and its standard error (0 for two single runs)
    double diverges = std::numeric_limits<double>::quiet_NaN();  // time at the end of the first step
                                                                  // from which they differ; NaN: never
};

struct EventComparison {
    std::string type;
    double a = 0, b = 0;  // mean count per run
};

struct Comparison {
    std::string pairing;   // "paired by seed", "independent ensembles", "single runs", ...
    std::size_t pairs = 0; // runs compared seed by seed (paired only)
    std::vector<double> time;
    std::vector<MetricComparison> metrics;  // the aggregates both sides have, in A's order
    std::vector<EventComparison> events;    // every event type either side has
    bool events_known = true;               // both sides keep their events
    // Two single runs: the first event (in file order) that differs, if any.
    bool events_differ = false;
    EventRow first_event_a, first_event_b;
    bool has_first_event_a = false, has_first_event_b = false;
};

struct CompareOptions {
    // A difference counts once it stays beyond noise (|B - A| > k SE) for
    // this many consecutive steps (or to the end of the run).
    int persist_steps = 4;
    double k = 2.0;
};

// RunFileError when the two sides' time axes differ.
Comparison compare_sides(const CompareSide& a, const CompareSide& b, const CompareOptions& options = {});

}  // namespace airace
