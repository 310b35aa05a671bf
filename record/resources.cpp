// The resource model of resources.hpp.

#include "record/resources.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include <fmt/format.h>

#include "record/async_sink.hpp"
#include "sim/kinds.hpp"

namespace airace {
namespace {

// Fitted constants (docs/performance.md, "Memory").
constexpr double base_bytes = 32.0 * (1 << 20);   // the process: libraries, HDF5, tables of the model
constexpr double state_overhead = 2.0;             // state columns x this: scratch, views, markets' working sets
// An edge in the graph: its in-list entry and properties, its index entry
// and holdings with the lists' spare room (sim/network.hpp), the scalable
// allocator's per-thread heaps and a step's buffers for new edges; fitted to
// the stress world's peak with the flags of docs/performance.md (3.1 GiB;
// 2.9 GiB since index entries and holders are packed and 2.7 GiB since the
// graphs hold vertices only for their targets' kinds, so it errs high).
constexpr double bytes_per_edge = 130.0;
constexpr double checkpoint_bytes_per_edge = 64.0; // an edge's columns in a checkpoint
constexpr double snapshot_bytes_per_edge = 48.0;   // an EdgeRow (24 bytes) and its packed row (23) while a snapshot is written
constexpr double file_edge_bytes = 14.0;           // a snapshot's row (23 bytes) after shuffle + deflate (the baseline's: 7.4)
constexpr double events_per_agent_step = 0.1;     // events a step per agent (baseline: 0.08)
constexpr double file_event_bytes = 15.0;          // an event's row (48 bytes) after shuffle + deflate
constexpr double file_base_bytes = 128.0 * 1024;   // metadata, statics, aggregates of a small run
constexpr double compressed_share = 0.5;           // float64 columns after shuffle + deflate
constexpr double window_bytes = 64.0 * (1 << 20);  // a table's packing and compression window
// Share of the investors' possible deals that leave a lasting equity edge
// (fitted to the baseline and the stress scenario).
constexpr double equity_edge_share = 0.25;
constexpr double chunk_target = 256.0 * 1024;

struct KindSize {
    double count = 0;
    double state_columns = 0;
    double recorded_columns = 0;
};

template <class Kind>
KindSize kind_size(const ScenarioConfig& config) {
    KindSize k;
    k.count = static_cast<double>(Kind::count(config));
    typename Kind::Table empty;
    Kind::Table::columns(empty, [&](const char*, const auto&) { k.state_columns += 1; });
    k.recorded_columns = static_cast<double>(Kind::recorded().size());
    return k;
}

// One chunk band of a [steps, cols] column (output/chunked.cpp's chunk
// shape): a band of rows of up to 256 KiB, one row when wider; counted
// twice (the band and its chunks on their way to the file).
double band_bytes(double steps, double cols) {
    if (cols <= 0 || steps <= 0) return 0;
    const double row = 8.0 * cols;
    const double rows = std::clamp(std::floor(chunk_target / (8.0 * std::min(cols, 8192.0))), 1.0, steps);
    return 2.0 * rows * row;
}

std::uint64_t to_bytes(double x) { return static_cast<std::uint64_t>(std::max(0.0, std::ceil(x))); }

}  // namespace

ResourceEstimate estimate_resources(const ScenarioConfig& config, const ResourceOptions& options) {
    std::vector<KindSize> kinds;
    WorldKinds::each([&](auto kind) { kinds.push_back(kind_size<decltype(kind)>(config)); });
    const double steps = static_cast<double>(config.steps());
    const double labs = static_cast<double>(LabKind::count(config));
    const double investors = static_cast<double>(InvestorKind::count(config));
    const double deals = std::max(0, config.investors.deals_per_step);
    // Equity: an investor holds at most one edge per lab; other edges
    // (compute contracts, data licences, ownership) a few per agent.
    double agents = 0;
    for (const KindSize& k : kinds) agents += k.count;
    const double equity = std::min(investors * labs, investors * deals * steps * equity_edge_share);
    const double edges = equity + 2.0 * agents;

    ResourceEstimate e;
    e.agents = to_bytes(agents);
    e.edges = to_bytes(edges);
    double state = 0, file = 0, record = 0;
    const double max_agents = static_cast<double>(options.record.max_agents);
    for (const KindSize& k : kinds) {
        state += k.count * k.state_columns * 8.0;
        const double cols = std::min(k.count, max_agents);
        record += k.recorded_columns * (options.streamed ? band_bytes(steps, cols) : steps * cols * 8.0);
        file += k.recorded_columns * steps * cols * 8.0 * compressed_share;
    }
    e.state_bytes = to_bytes(state * state_overhead);
    e.graph_bytes = to_bytes(edges * bytes_per_edge);

    const bool snapshots = options.record.network != RecordOptions::Snapshots::none;
    const double snapshot =
        snapshots ? (options.streamed ? std::min(edges, static_cast<double>(options.record.snapshot_batch_rows))
                                      : edges) *
                            snapshot_bytes_per_edge +
                        2.0 * std::min(edges * 40.0, window_bytes)
                  : 0;
    const double checkpoints = options.checkpoint_every > 0
                                   ? std::floor((steps - 1) / options.checkpoint_every)
                                   : 0;
    // A checkpoint while it is written: the saved state, its packed pools and
    // their compressed chunks (fitted to the stress scenario's peak).
    const double checkpoint = checkpoints > 0 ? 3.0 * (state + edges * checkpoint_bytes_per_edge) : 0;
    e.transient_bytes = to_bytes(std::max(snapshot, checkpoint));

    // The file: columns, graph snapshots (the graph grows about linearly,
    // so yearly snapshots hold half the final graph on average), checkpoints.
    const double years = std::max(1.0, steps / std::max(1, config.time.steps_per_year));
    const double snapshot_rows = options.record.network == RecordOptions::Snapshots::yearly ? edges * (years + 1) / 2
                                 : options.record.network == RecordOptions::Snapshots::final ? edges
                                                                                             : 0;
    // Kept whole: every snapshot and checkpoint stays in memory to the end.
    if (!options.streamed) record += snapshot_rows * snapshot_bytes_per_edge + checkpoints * checkpoint / 3.0;
    // Streamed: the copies waiting for the writer thread (record/async_sink.hpp).
    if (options.streamed) record += std::min(static_cast<double>(async_sink_pending_bytes), std::max(snapshot, checkpoint));
    // ... and the batches of snapshot rows it keeps for the next copies.
    if (options.streamed && snapshots)
        record += static_cast<double>(async_sink_spare_batches) *
                  std::min(edges, static_cast<double>(options.record.snapshot_batch_rows)) * snapshot_bytes_per_edge;
    e.record_bytes = to_bytes(record);
    e.peak_memory_bytes =
        to_bytes(base_bytes + static_cast<double>(e.state_bytes + e.graph_bytes + e.record_bytes) +
                 static_cast<double>(e.transient_bytes));
    file += snapshot_rows * file_edge_bytes;
    file += agents * steps * events_per_agent_step * file_event_bytes;
    file += checkpoints * (state + edges * checkpoint_bytes_per_edge) * compressed_share;
    e.file_bytes = to_bytes(file + file_base_bytes);
    return e;
}

std::string format_bytes(std::uint64_t bytes) {
    const double b = static_cast<double>(bytes);
    if (b >= double(1ull << 30)) return fmt::format("{:.1f} GiB", b / double(1ull << 30));
    if (b >= double(1 << 20)) return fmt::format("{:.0f} MiB", b / double(1 << 20));
    return fmt::format("{:.0f} KiB", b / 1024.0);
}

std::string resource_advice(const ResourceOptions& options) {
    std::vector<std::string> parts;
    if (options.record.max_agents == static_cast<std::size_t>(-1))
        parts.emplace_back("--record-agents N (per-agent columns for the first N agents only)");
    if (options.record.network == RecordOptions::Snapshots::yearly)
        parts.emplace_back("--network-snapshots final or none (graph snapshots)");
    if (options.checkpoint_every > 0) parts.emplace_back("--checkpoint-every 0 (no checkpoints)");
    parts.emplace_back("fewer agents (--set labs.count=..., investors.count=...)");
    return fmt::format("reduce it with {}", fmt::join(parts, ", "));
}

}  // namespace airace
