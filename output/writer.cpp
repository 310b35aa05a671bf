// Writes a RunRecord as a schema 1 run file.
//
// Two contracts shape this file. Crash safety: the file is built as
// PATH.tmp.<pid>.<random> (unique to this writer), closed, fsync'ed with its directory and only then renamed, so a
// killed writer never leaves a half-written file under the final name
// (HDF5 is not crash-safe, and H5Fflush does not reach the disk;
// docs/output-schema.md, "Writing: tmp, fsync, rename"; publish.hpp).
// Reproducibility: objects are written in one fixed order with fixed storage
// settings, so the same record gives the same bytes; sweeps and replays
// compare files, not just values. The chunked datasets are chunked.hpp's,
// the small contiguous ones storage.hpp's.

#include "output/writer.hpp"

#include <cstdint>
#include <filesystem>
#include <set>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

#include <fmt/format.h>

#include "output/checkpoint_io.hpp"
#include "output/chunk_queue.hpp"
#include "output/chunked.hpp"
#include "output/h5.hpp"
#include "output/integrity.hpp"
#include "output/sweep_identity.hpp"
#include "output/publish.hpp"
#include "output/run_layout.hpp"
#include "output/schema.hpp"
#include "output/storage.hpp"
#include "base/errors.hpp"

namespace airace {

using namespace storage;

namespace {

// --- the record must match the layout before anything is written -------------

class RecordError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Link names are one path component and unique within their group.
void check_names(const std::vector<std::string>& names, const std::string& group) {
    std::set<std::string> seen;
    for (const std::string& name : names) {
        if (name.empty() || name == "." || name.find('/') != std::string::npos) {
            throw RecordError(fmt::format("{} has an invalid object name '{}'", group, name));
        }
        if (!seen.insert(name).second) {
            throw RecordError(fmt::format("{} has two objects named '{}'", group, name));
        }
    }
}

void check_columns(const std::vector<Matrix>& columns, std::size_t rows, std::size_t cols,
                   const std::string& group) {
    std::vector<std::string> names;
    for (const Matrix& column : columns) {
        if (column.rows != rows || column.cols != cols || column.values.size() != rows * cols) {
            throw RecordError(fmt::format("{}/{} is [{}, {}] with {} values, expected [{}, {}]",
                                          group, column.name, column.rows, column.cols,
                                          column.values.size(), rows, cols));
        }
        names.push_back(column.name);
    }
    check_names(names, group);
}

void check_record(const RunRecord& record) {
    if (record.meta.steps < 0) throw RecordError("meta.steps is negative");
    const auto steps = static_cast<std::size_t>(record.meta.steps);
    if (record.time.size() != steps || record.hashes.size() != steps) {
        throw RecordError(fmt::format("steps is {} but /time has {} and /hashes {} values", steps,
                                      record.time.size(), record.hashes.size()));
    }
    std::vector<std::string> names;
    for (const Series& series : record.aggregates) {
        if (series.values.size() != steps) {
            throw RecordError(fmt::format("/aggregates/{} has {} values, expected {}", series.name,
                                          series.values.size(), steps));
        }
        names.push_back(series.name);
    }
    check_names(names, "/aggregates");
    names.clear();
    for (const KindRecord& kind : record.kinds) {
        const std::size_t agents = kind.names.size();
        if (kind.regions.size() != agents || kind.types.size() != agents) {
            throw RecordError(fmt::format("/{}/static has {} names, {} regions, {} types",
                                          kind.kind, agents, kind.regions.size(),
                                          kind.types.size()));
        }
        if (schema::is_reserved_root_name(kind.kind)) {
            throw RecordError(fmt::format("agent kind '{}' uses a reserved name", kind.kind));
        }
        check_columns(kind.columns, steps, agents, "/" + kind.kind);
        for (const Matrix& column : kind.columns) {
            if (column.name == "static") {
                throw RecordError("/" + kind.kind + " has a column 'static'");
            }
        }
        names.push_back(kind.kind);
    }
    check_names(names, "/");
    names.clear();
    for (const MarketRecord& market : record.markets) {
        check_columns(market.columns, steps, market.labels.size(), "/markets/" + market.market);
        names.push_back(market.market);
    }
    check_names(names, "/markets");
}

// --- layout, in the one fixed order of docs/output-schema.md ------------------

// /aggregates: one contiguous float64[steps] per series, with its units.
void write_aggregates(const h5::Object& root, const std::vector<Series>& aggregates) {
    h5::Object group = h5::create_group(root, "aggregates");
    for (const Series& series : aggregates) {
        write_vector(group, series.name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, series.values.size(),
                     series.values.data(), &series.units);
    }
}

// /<kind>: the agents' static strings, then a matrix per column.
void write_kind(const h5::Object& root, const KindRecord& kind, ChunkQueue& queue) {
    h5::Object group = h5::create_group(root, kind.kind);
    // Only when the run kept its first agents only (--record-agents).
    if (kind.agents_total > kind.names.size())
        h5::set_attr_uint64(group, "agents_total", kind.agents_total);
    {
        h5::Object statics = h5::create_group(group, "static");
        write_strings(statics, "name", kind.names);
        write_strings(statics, "region", kind.regions);
        write_strings(statics, "type", kind.types);
    }
    for (const Matrix& column : kind.columns) write_matrix(group, column, queue);
}

// /markets/<market>: its labels, then a matrix per column.
void write_markets(const h5::Object& root, const std::vector<MarketRecord>& markets,
                   ChunkQueue& queue) {
    h5::Object group = h5::create_group(root, "markets");
    for (const MarketRecord& market : markets) {
        h5::Object market_group = h5::create_group(group, market.market);
        h5::set_attr_strings(market_group, "labels", market.labels);
        for (const Matrix& column : market.columns) write_matrix(market_group, column, queue);
    }
}

void write_events(const h5::Object& root, const RunRecord& record, ChunkQueue& queue) {
    const h5::CompoundTypes types = schema::event_types();
    h5::Object events = create_table(root, "events", types, record.events.size());
    h5::set_attr_strings(events, "types", record.event_types);
    h5::set_attr_strings(events, "agent_kinds",
                         {schema::agent_kind_names.begin(), schema::agent_kind_names.end()});
    write_chunked(events, record.events.empty(), queue);
}

void write_network(const h5::Object& root, const RunRecord& record, ChunkQueue& queue) {
    h5::Object network = h5::create_group(root, "network");
    const h5::CompoundTypes types = schema::edge_types();
    h5::Object edges = create_table(network, "edges", types, record.edges.size());
    h5::set_attr_strings(edges, "types", record.edge_types);
    // Only when not the default yearly snapshots (--network-snapshots).
    if (record.network_snapshots != "yearly")
        h5::set_attr_string(edges, "snapshots", record.network_snapshots);
    write_chunked(edges, record.edges.empty(), queue);
}

// Returns the file offset of /file_checksum's value.
std::uint64_t write_layout(const h5::Object& root, const RunRecord& record, ChunkQueue& queue) {
    run_layout::write_root_attributes(root, record.meta);
    const std::uint64_t checksum_offset = integrity::write_checksum_placeholder(root);
    write_string_scalar(root, "config", record.config_yaml);
    write_vector(root, "time", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, record.time.size(),
                 record.time.data());
    write_aggregates(root, record.aggregates);
    for (const KindRecord& kind : record.kinds) write_kind(root, kind, queue);
    write_markets(root, record.markets, queue);
    write_events(root, record, queue);
    write_network(root, record, queue);
    write_vector(root, "hashes", H5T_STD_U64LE, H5T_NATIVE_UINT64, record.hashes.size(),
                 record.hashes.data());
    checkpoint_io::write(root, record.checkpoints, record.fork, queue);
    if (!queue.done()) throw h5::Error("internal error: queued chunks were not all written");
    return checksum_offset;
}

// Every chunked dataset of write_layout, in its order, for the queue.
void queue_layout(ChunkQueue& queue, const RunRecord& record) {
    for (const KindRecord& kind : record.kinds)
        for (const Matrix& column : kind.columns)
            queue_matrix(queue, "/" + kind.kind + "/" + column.name, column);
    for (const MarketRecord& market : record.markets)
        for (const Matrix& column : market.columns)
            queue_matrix(queue, "/markets/" + market.market + "/" + column.name, column);
    queue_table(queue, "/events", schema::event_types(), record.events);
    queue_table(queue, "/network/edges", schema::edge_types(), record.edges);
    checkpoint_io::queue(queue, record.checkpoints);
}

// Builds the run file at `tmp` and closes it (not yet sealed); returns the
// file offset of /file_checksum's value.
std::uint64_t write_tmp(const RunRecord& record, const std::string& tmp, Profiler* profiler) {
    const ProfileScope scope(profiler, "13 write run file / HDF5 layout and data");
    // Before the first HDF5 call (queue_layout converts the tables):
    // it must precede the library's initialisation (h5.cpp).
    h5::silence_errors();
    ChunkQueue queue;
    queue.set_profiler(profiler);
    {
        const ProfileScope queue_scope(profiler, "13 write run file / queue datasets");
        queue_layout(queue, record);
    }
    std::uint64_t checksum_offset = 0;
    h5::Object file = h5::create_file(tmp);
    {
        h5::Object root = h5::root_group(file);
        checksum_offset = write_layout(root, record, queue);
        root.handle.close("/");
    }
    file.handle.close(tmp);
    return checksum_offset;
}

}  // namespace

namespace run_layout {

void write_root_attributes(const h5::Object& root, const RunMetadata& meta) {
    h5::set_attr_string(root, "format", meta.format);
    h5::set_attr_int32(root, "schema_version", meta.schema_version);
    h5::set_attr_string(root, "airace_version", meta.airace_version);
    h5::set_attr_string(root, "git_sha", meta.git_sha);
    h5::set_attr_string(root, "created_utc", meta.created_utc);
    h5::set_attr_uint64(root, "seed", meta.seed);
    h5::set_attr_string(root, "config_sha256", meta.config_sha256);
    h5::set_attr_string(root, "status", meta.status);
    h5::set_attr_string(root, "scenario", meta.scenario_name);
    h5::set_attr_int32(root, "start_year", meta.start_year);
    h5::set_attr_int32(root, "steps", meta.steps);
    h5::set_attr_int32(root, "steps_per_year", meta.steps_per_year);
    h5::set_attr_string(root, "hdf5_version", h5::library_version());
    h5::set_attr_string(root, "tbb_version", meta.tbb_version);
    h5::set_attr_string(root, "yaml_cpp_version", meta.yaml_cpp_version);
    write_sweep_identity(root, meta.sweep);
}

void seal_and_publish(const std::string& tmp, const std::string& path, const std::string& directory,
                      std::uint64_t checksum_offset, bool force, Profiler* profiler) {
    {
        const ProfileScope scope(profiler, "13 write run file / checksum and fsync");
        integrity::seal(tmp, checksum_offset);
    }
    const ProfileScope scope(profiler, "13 write run file / publish (rename, fsync)");
    publish::sync_path(directory, true);
    publish::rename_into_place(tmp, path, force);
    publish::sync_path(directory, true);
}

}  // namespace run_layout

std::string library_hdf5_version() {
    try {
        return h5::library_version();
    } catch (const h5::Error& error) {
        throw RuntimeFailure(error.what());
    }
}

void write_run_file(const RunRecord& record, const std::string& path, bool force,
                    Profiler* profiler) {
    const std::string directory = publish::target_folder(path, force, "run file");
    try {
        check_record(record);
    } catch (const RecordError& bad) {
        throw RuntimeFailure(
            fmt::format("cannot write run file {}: inconsistent record: {}", path, bad.what()));
    }
    const std::string tmp = publish::create_tmp(path);
    std::error_code error;
    try {
        const std::uint64_t checksum_offset = write_tmp(record, tmp, profiler);
        run_layout::seal_and_publish(tmp, path, directory, checksum_offset, force, profiler);
    } catch (const h5::Error& failure) {
        std::filesystem::remove(tmp, error);
        throw RuntimeFailure(fmt::format("cannot write run file {}: {}", path, failure.what()));
    } catch (const ConfigError&) {
        std::filesystem::remove(tmp, error);
        throw;
    } catch (const RuntimeFailure&) {
        std::filesystem::remove(tmp, error);
        throw;
    } catch (const std::exception& failure) {  // plain I/O while sealing, memory
        std::filesystem::remove(tmp, error);
        throw RuntimeFailure(fmt::format("cannot write run file {}: {}", path, failure.what()));
    }
}

}  // namespace airace
