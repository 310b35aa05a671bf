#pragma once
// RunRecord: everything a run reports, in memory, independent of HDF5.
// The Recorder (record/recorder.cpp) fills it step by step; output/ writes it
// to a run file and reads it back. Layout mirrors the run file (schema 1 of
// docs/output-schema.md).

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/ids.hpp"
#include "sim/checkpoint.hpp"
#include "sim/events.hpp"

namespace airace {

inline constexpr const char* run_file_format = "airace-run";
inline constexpr int run_file_schema_version = 1;

// One time series: /aggregates/<name>, float64[T], attribute "units".
struct Series {
    std::string name;
    std::string units;
    std::vector<double> values;
};

// One per-agent or per-region column: float64[rows = T, cols = N], row-major.
struct Matrix {
    std::string name;
    std::string units;
    std::size_t rows = 0;
    std::size_t cols = 0;
    std::vector<double> values;
    double at(std::size_t row, std::size_t col) const { return values[row * cols + col]; }
};

// /<kind>/static/{name,region,type} and /<kind>/<column>.
struct KindRecord {
    std::string kind;  // "labs", "investors", ...
    std::vector<std::string> names;
    std::vector<std::string> regions;
    std::vector<std::string> types;
    std::vector<Matrix> columns;
    std::size_t agents_total = 0;  // > names.size() when only the first agents are recorded
};

// /markets/<market>/<column>, each [T, labels.size()]; attribute "labels" on
// the group names the columns (regions, or "world").
struct MarketRecord {
    std::string market;
    std::vector<std::string> labels;
    std::vector<Matrix> columns;
};

// A row of /network/edges: a yearly snapshot of the relationship graph.
// Kinds and types fit a byte and agent indexes 32 bits (no kind has more
// than 10^8 agents, config/schema_market_keys.cpp; the recorder checks
// both), so a row is 24 bytes here and 23 in the file: less to copy, shuffle
// and deflate at every snapshot (the stress world's last one has 20 million
// edges).
struct EdgeRow {
    std::int32_t step = 0;
    std::int32_t src = 0;
    std::int32_t dst = 0;
    std::int8_t src_kind = 0;
    std::int8_t dst_kind = 0;
    std::int8_t type = 0;  // indexes RunRecord::edge_types
    double weight = 0;
};

// What a fork file records about its parent (/fork).
struct ForkInfo {
    bool is_fork = false;
    std::string parent_file;
    std::string parent_sha256;      // of the parent file's bytes
    std::int32_t fork_step = 0;     // first step simulated with the fork's config
    std::string overrides;          // the changes: "scenario file PATH" (--scenario), then the --set assignments, one per line
    std::string parent_config_yaml; // the config of steps before fork_step
};

// Which run of a sweep (or ensemble) a run file is: root attributes
// sweep_run_id, sweep_index, sweep_point, sweep_replicate and sweep_values
// (docs/output-schema.md). `airace sweep --resume` and `sweep merge` check
// them (with the root attribute `seed`) against the run's row of design.tsv,
// so a run file copied over another id is not taken for it. An empty run_id:
// a run outside any sweep, written without these attributes.
struct SweepIdentity {
    std::string run_id;
    std::uint64_t index = 0, point = 0, replicate = 0;
    std::vector<std::string> values;  // the swept "key=value" assignments, in design column order
};

struct RunMetadata {
    std::string format = run_file_format;
    int schema_version = run_file_schema_version;
    std::string airace_version;
    std::string git_sha;
    std::string created_utc;   // ISO 8601; from SOURCE_DATE_EPOCH when set
    std::uint64_t seed = 0;
    std::string config_sha256;
    std::string status = "complete";
    std::string scenario_name;
    int start_year = 0;
    int steps = 0;
    int steps_per_year = 0;
    std::string hdf5_version;   // filled by the writer
    std::string tbb_version;
    std::string yaml_cpp_version;
    SweepIdentity sweep;        // sweep runs only
};

// How much of a run the record keeps (defaults: everything).
struct RecordOptions {
    // Per-agent columns and statics of each kind for its first this many
    // agents only (huge worlds: [T, N] float64 columns of a million
    // investors would not fit in memory).
    std::size_t max_agents = static_cast<std::size_t>(-1);
    // Snapshots of the relationship graph in /network/edges.
    enum class Snapshots { yearly, final, none };
    Snapshots network = Snapshots::yearly;
    // Streamed: a snapshot goes to the sink in batches of whole pieces of at
    // most this many rows (3 MB), so a graph of tens of millions of edges is
    // never held as rows all at once, and one batch's memory, touched once,
    // serves them all (docs/performance.md). The file is the same for any
    // batch size (a test checks it).
    std::size_t snapshot_batch_rows = std::size_t{1} << 17;
};

struct RunRecord {
    RunMetadata meta;
    std::string config_yaml;          // /config: the fully resolved scenario
    std::vector<double> time;         // /time: decimal year at the end of each step
    std::vector<Series> aggregates;   // /aggregates/*
    std::vector<KindRecord> kinds;    // /labs, /investors, ...
    std::vector<MarketRecord> markets;
    std::vector<std::string> event_types;
    std::vector<EventRow> events;
    std::vector<std::string> edge_types;
    std::vector<EdgeRow> edges;
    std::string network_snapshots = "yearly";  // or "final", "none" (RecordOptions)
    std::vector<std::uint64_t> hashes;  // /hashes: world hash after each step
    std::vector<Checkpoint> checkpoints;  // /checkpoints/step_<k>
    ForkInfo fork;                        // /fork (forks only)

    const Series* aggregate(const std::string& name) const;
    const KindRecord* kind(const std::string& name) const;
};

// The name of a Snapshots, as --network-snapshots and /network/edges'
// `snapshots` attribute write it ("yearly", "final", "none"), and back
// (nullopt for any other name).
inline const char* snapshots_name(RecordOptions::Snapshots snapshots) {
    switch (snapshots) {
        case RecordOptions::Snapshots::final: return "final";
        case RecordOptions::Snapshots::none: return "none";
        default: return "yearly";
    }
}
inline std::optional<RecordOptions::Snapshots> snapshots_named(const std::string& name) {
    for (const auto snapshots :
         {RecordOptions::Snapshots::yearly, RecordOptions::Snapshots::final, RecordOptions::Snapshots::none})
        if (name == snapshots_name(snapshots)) return snapshots;
    return std::nullopt;
}

// What a run file was recorded with (--network-snapshots, --record-agents),
// from its layout (read_run_layout): a replay or fork of it records the same.
inline RecordOptions recorded_options(const RunRecord& layout) {
    RecordOptions options;
    options.network = snapshots_named(layout.network_snapshots).value_or(RecordOptions::Snapshots::yearly);
    for (const KindRecord& kind : layout.kinds)
        if (kind.agents_total > 0 && !kind.columns.empty())  // only its first agents recorded
            options.max_agents = std::min(options.max_agents, kind.columns.front().cols);
    return options;
}

}  // namespace airace
