// Writes a RunRecord as a schema 1 run file.
//
// Two contracts shape this file. Crash safety: the file is built as
// PATH.tmp, closed, fsync'ed with its directory and only then renamed, so a
// killed writer never leaves a half-written file under the final name
// (HDF5 is not crash-safe, and H5Fflush does not reach the disk;
// docs/output-schema.md, "Writing: tmp, fsync, rename").
// Reproducibility: objects are written in one fixed order with fixed storage
// settings, so the same record gives the same bytes; sweeps and replays
// compare files, not just values.

#include "output/writer.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <set>
#include <system_error>

#include <fmt/format.h>

#include "output/h5.hpp"
#include "output/integrity.hpp"
#include "output/schema.hpp"
#include "output/storage.hpp"
#include "output/checkpoint_io.hpp"
#include "output/chunk_queue.hpp"
#include "base/errors.hpp"
#include "base/parallel.hpp"

namespace airace {
namespace storage {

// --- storage policy ----------------------------------------------------------

namespace {
Compression compression_mode = Compression::deflate;
}  // namespace

void set_compression(Compression mode) { compression_mode = mode; }
Compression compression() { return compression_mode; }
unsigned active_deflate_level() { return compression_mode == Compression::deflate ? deflate_level : 0; }

void compress(const h5::Handle& dcpl, const std::vector<hsize_t>& chunk, const std::string& where) {
    h5::check(H5Pset_chunk(dcpl.id(), static_cast<int>(chunk.size()), chunk.data()), "H5Pset_chunk",
              where);
    if (compression_mode == Compression::none) return;
    h5::check(H5Pset_shuffle(dcpl.id()), "H5Pset_shuffle", where);
    h5::check(H5Pset_deflate(dcpl.id(), deflate_level), "H5Pset_deflate", where);
}

// Writes `data` (memory type `memory_type`, skipped when empty) and closes.
void finish(h5::Object& dataset, hid_t memory_type, bool empty, const void* data) {
    if (!empty) {
        h5::check(H5Dwrite(dataset.id(), memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data),
                  "H5Dwrite", dataset.path);
    }
    dataset.handle.close(dataset.path);
}

void write_string_scalar(const h5::Object& parent, const std::string& name,
                         const std::string& text) {
    const std::string where = h5::child_path(parent, name);
    h5::Handle type = h5::vlen_string_type(where);
    h5::Object dataset = h5::create_dataset(parent, name, type.id(), h5::scalar_space(where),
                                            h5::dataset_create_plist(where));
    const char* pointer = text.c_str();
    finish(dataset, type.id(), false, &pointer);
}

void write_strings(const h5::Object& parent, const std::string& name,
                   const std::vector<std::string>& values) {
    const std::string where = h5::child_path(parent, name);
    h5::Handle type = h5::vlen_string_type(where);
    h5::Object dataset =
        h5::create_dataset(parent, name, type.id(), h5::simple_space({values.size()}, {}, where),
                           h5::dataset_create_plist(where));
    const std::vector<const char*> pointers = h5::c_strings(values);
    finish(dataset, type.id(), values.empty(), pointers.data());
}

// A 1-D contiguous dataset (small, read whole), with "units" when given.
void write_vector(const h5::Object& parent, const std::string& name, hid_t file_type,
                  hid_t memory_type, std::size_t size, const void* data,
                  const std::string* units) {
    const std::string where = h5::child_path(parent, name);
    h5::Object dataset =
        h5::create_dataset(parent, name, file_type, h5::simple_space({size}, {}, where),
                           h5::dataset_create_plist(where));
    if (units != nullptr) h5::set_attr_string(dataset, "units", *units);
    finish(dataset, memory_type, size == 0, data);
}

}  // namespace storage

using namespace storage;

namespace {

// Chunks of per-agent columns stay within HDF5's 1 MiB default chunk cache
// and well above the ~64 KiB where per-chunk overhead starts to dominate
// (storage.hpp). One row of 8192 float64 is 64 KiB: wider tables are split
// across columns so a single row still fits the cache.

// float64[rows, cols], chunked along rows, shuffle + deflate. A chunk cannot
// have a zero dimension, so an empty matrix is contiguous and unfiltered.
std::vector<hsize_t> matrix_chunk(const Matrix& matrix) {
    const hsize_t chunk_cols = std::min<hsize_t>(matrix.cols, max_chunk_cols);
    const hsize_t chunk_rows =
        std::clamp<hsize_t>(chunk_target_bytes / (sizeof(double) * chunk_cols), 1, matrix.rows);
    return {chunk_rows, chunk_cols};
}

bool is_empty(const Matrix& matrix) { return matrix.rows == 0 || matrix.cols == 0; }

// An explicit fill value: the part of an edge chunk beyond the extent is
// then defined bytes, not leftover memory, in every write.
constexpr double matrix_fill = std::numeric_limits<double>::quiet_NaN();

void queue_matrix(ChunkQueue& queue, const std::string& path, const Matrix& matrix) {
    if (is_empty(matrix)) return;
    std::vector<unsigned char> fill(sizeof(double));
    std::memcpy(fill.data(), &matrix_fill, sizeof(double));
    queue.add(path, matrix.values.data(), sizeof(double), {matrix.rows, matrix.cols},
              matrix_chunk(matrix), std::move(fill), active_deflate_level());
}

void write_matrix(const h5::Object& parent, const Matrix& matrix, ChunkQueue& queue) {
    const std::string where = h5::child_path(parent, matrix.name);
    const bool empty = is_empty(matrix);
    h5::Handle dcpl = h5::dataset_create_plist(where);
    if (!empty) {
        compress(dcpl, matrix_chunk(matrix), where);
        h5::check(H5Pset_fill_value(dcpl.id(), H5T_NATIVE_DOUBLE, &matrix_fill), "H5Pset_fill_value",
                  where);
    }
    h5::Object dataset =
        h5::create_dataset(parent, matrix.name, H5T_IEEE_F64LE,
                           h5::simple_space({matrix.rows, matrix.cols}, {}, where), dcpl);
    h5::set_attr_string(dataset, "units", matrix.units);
    if (!empty) queue.write_next(dataset);
    dataset.handle.close(dataset.path);
}

// A 1-D compound table, chunked with an unlimited dimension so that a table
// with no rows is still a valid chunked dataset; shuffle + deflate.
hsize_t table_chunk_rows(std::size_t row_bytes, std::size_t rows) {
    return std::clamp<hsize_t>(chunk_target_bytes / row_bytes, 1, std::max<hsize_t>(rows, 1));
}

h5::Object create_table(const h5::Object& parent, const std::string& name,
                        const h5::CompoundTypes& types, std::size_t rows) {
    const std::string where = h5::child_path(parent, name);
    const std::size_t row_bytes = H5Tget_size(types.file.id());
    if (row_bytes == 0) h5::fail("H5Tget_size", where);
    h5::Handle dcpl = h5::dataset_create_plist(where);
    compress(dcpl, {table_chunk_rows(row_bytes, rows)}, where);
    const std::vector<unsigned char> zero_row(row_bytes, 0);
    h5::check(H5Pset_fill_value(dcpl.id(), types.file.id(), zero_row.data()), "H5Pset_fill_value",
              where);
    return h5::create_dataset(parent, name, types.file.id(),
                              h5::simple_space({rows}, {H5S_UNLIMITED}, where), dcpl);
}

// Packs rows of a memory struct into the packed file type. When every member
// has the same representation in memory and in the file (little-endian
// integers and IEEE doubles on this machine: H5Tequal), packing is a copy of
// each member's bytes; otherwise the library converts (H5Tconvert), as
// H5Dwrite would.
template <class Row>
std::vector<unsigned char> pack_rows(const h5::CompoundTypes& types, const std::vector<Row>& rows,
                                     const std::string& path) {
    const std::size_t row_bytes = H5Tget_size(types.file.id());
    if (row_bytes == 0 || row_bytes > sizeof(Row)) h5::fail("H5Tget_size", path);
    struct Member {
        std::size_t file_offset;
        std::size_t memory_offset;
        std::size_t size;
    };
    std::vector<Member> members;
    bool plain = true;
    const int count = H5Tget_nmembers(types.file.id());
    if (count < 0) h5::fail("H5Tget_nmembers", path);
    for (int m = 0; m < count && plain; ++m) {
        const auto index = static_cast<unsigned>(m);
        char* name = H5Tget_member_name(types.file.id(), index);
        if (name == nullptr) h5::fail("H5Tget_member_name", path);
        const int memory_index = H5Tget_member_index(types.memory.id(), name);
        H5free_memory(name);
        if (memory_index < 0) h5::fail("H5Tget_member_index", path);
        const h5::Handle file_member(h5::check_id(H5Tget_member_type(types.file.id(), index),
                                                  "H5Tget_member_type", path), H5Tclose);
        const h5::Handle memory_member(
            h5::check_id(H5Tget_member_type(types.memory.id(), static_cast<unsigned>(memory_index)),
                         "H5Tget_member_type", path),
            H5Tclose);
        plain = h5::check_tri(H5Tequal(file_member.id(), memory_member.id()), "H5Tequal", path);
        members.push_back({H5Tget_member_offset(types.file.id(), index),
                           H5Tget_member_offset(types.memory.id(), static_cast<unsigned>(memory_index)),
                           H5Tget_size(file_member.id())});
    }
    if (plain) {
        std::vector<unsigned char> packed(rows.size() * row_bytes);
        const auto* source = reinterpret_cast<const unsigned char*>(rows.data());
        // Rows in parallel pieces (a final graph snapshot has tens of millions).
        parallel_for(rows.size(), 1 << 15, [&](std::size_t begin, std::size_t end) {
            for (std::size_t r = begin; r < end; ++r)
                for (const Member& m : members)
                    std::memcpy(packed.data() + r * row_bytes + m.file_offset,
                                source + r * sizeof(Row) + m.memory_offset, m.size);
        });
        return packed;
    }
    std::vector<unsigned char> bytes(rows.size() * sizeof(Row));
    std::memcpy(bytes.data(), rows.data(), bytes.size());
    // Every byte of a packed row is a member, so the background buffer the
    // conversion asks for does not show in the result.
    std::vector<unsigned char> background(bytes.size(), 0);
    h5::check(H5Tconvert(types.memory.id(), types.file.id(), rows.size(), bytes.data(),
                         background.data(), H5P_DEFAULT),
              "H5Tconvert", path);
    bytes.resize(rows.size() * row_bytes);
    return bytes;
}

// The rows of a table, packed as the file stores them, queued for compression.
template <class Row>
void queue_table(ChunkQueue& queue, const std::string& path, const h5::CompoundTypes& types,
                 const std::vector<Row>& rows) {
    if (rows.empty()) return;
    const std::size_t row_bytes = H5Tget_size(types.file.id());
    const unsigned char* packed = queue.keep(pack_rows(types, rows, path));
    queue.add(path, packed, row_bytes, {rows.size()}, {table_chunk_rows(row_bytes, rows.size())},
              std::vector<unsigned char>(row_bytes, 0), active_deflate_level());
}

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
}

// /file_checksum: a contiguous uint64 written as zero now and patched once
// the file is closed (integrity.hpp); returns the file offset of its value.
std::uint64_t write_checksum_placeholder(const h5::Object& root) {
    const std::string where = "/file_checksum";
    h5::Object dataset =
        h5::create_dataset(root, "file_checksum", H5T_STD_U64LE, h5::scalar_space(where),
                           h5::dataset_create_plist(where));
    const std::uint64_t zero = 0;
    h5::check(H5Dwrite(dataset.id(), H5T_NATIVE_UINT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, &zero),
              "H5Dwrite", where);
    const std::uint64_t offset = h5::storage_offset(dataset);
    dataset.handle.close(where);
    return offset;
}

// Returns the file offset of /file_checksum's value.
std::uint64_t write_layout(const h5::Object& root, const RunRecord& record, ChunkQueue& queue) {
    write_root_attributes(root, record.meta);
    const std::uint64_t checksum_offset = write_checksum_placeholder(root);
    write_string_scalar(root, "config", record.config_yaml);
    write_vector(root, "time", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, record.time.size(),
                 record.time.data());
    {
        h5::Object aggregates = h5::create_group(root, "aggregates");
        for (const Series& series : record.aggregates) {
            write_vector(aggregates, series.name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE,
                         series.values.size(), series.values.data(), &series.units);
        }
    }
    for (const KindRecord& kind : record.kinds) {
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
    {
        h5::Object markets = h5::create_group(root, "markets");
        for (const MarketRecord& market : record.markets) {
            h5::Object group = h5::create_group(markets, market.market);
            h5::set_attr_strings(group, "labels", market.labels);
            for (const Matrix& column : market.columns) write_matrix(group, column, queue);
        }
    }
    {
        const h5::CompoundTypes types = schema::event_types();
        h5::Object events = create_table(root, "events", types, record.events.size());
        h5::set_attr_strings(events, "types", record.event_types);
        h5::set_attr_strings(events, "agent_kinds",
                             {schema::agent_kind_names.begin(), schema::agent_kind_names.end()});
        if (!record.events.empty()) queue.write_next(events);
        events.handle.close(events.path);
    }
    {
        h5::Object network = h5::create_group(root, "network");
        const h5::CompoundTypes types = schema::edge_types();
        h5::Object edges = create_table(network, "edges", types, record.edges.size());
        h5::set_attr_strings(edges, "types", record.edge_types);
        // Only when not the default yearly snapshots (--network-snapshots).
        if (record.network_snapshots != "yearly")
            h5::set_attr_string(edges, "snapshots", record.network_snapshots);
        if (!record.edges.empty()) queue.write_next(edges);
        edges.handle.close(edges.path);
    }
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

// --- crash-safe publication ---------------------------------------------------

void sync_path(const std::string& path, bool directory) {
    const int fd = ::open(path.c_str(), (directory ? O_DIRECTORY : 0) | O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        throw RuntimeFailure(
            fmt::format("cannot open {} to sync it: {}", path, std::strerror(errno)));
    }
    // Some file systems cannot fsync a directory (EINVAL); the rename is then
    // as durable as they allow.
    if (::fsync(fd) != 0 && !(directory && errno == EINVAL)) {
        const int error = errno;
        ::close(fd);
        throw RuntimeFailure(fmt::format("cannot fsync {}: {}", path, std::strerror(error)));
    }
    ::close(fd);
}

// Without --force the final name must still be free at the moment of the
// rename (another sweep worker may have written it meanwhile).
void publish(const std::string& tmp, const std::string& path, bool force) {
    if (!force) {
        if (::renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, path.c_str(), RENAME_NOREPLACE) == 0) {
            return;
        }
        if (errno == EEXIST) {
            throw ConfigError(fmt::format("{} exists; use --force to overwrite", path));
        }
        if (errno != EINVAL && errno != ENOSYS) {
            throw RuntimeFailure(
                fmt::format("cannot rename {} to {}: {}", tmp, path, std::strerror(errno)));
        }
        // The file system has no RENAME_NOREPLACE: fall back to rename.
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0) {
        throw RuntimeFailure(
            fmt::format("cannot rename {} to {}: {}", tmp, path, std::strerror(errno)));
    }
}

}  // namespace

std::string library_hdf5_version() {
    try {
        return h5::library_version();
    } catch (const h5::Error& error) {
        throw RuntimeFailure(error.what());
    }
}

void write_run_file(const RunRecord& record, const std::string& path, bool force,
                    Profiler* profiler) {
    namespace fs = std::filesystem;
    std::error_code error;
    if (!force && fs::exists(fs::symlink_status(path, error))) {
        throw ConfigError(fmt::format("{} exists; use --force to overwrite", path));
    }
    const fs::path parent = fs::path(path).parent_path();
    const std::string directory = parent.empty() ? "." : parent.string();
    if (!fs::is_directory(directory, error)) {
        throw RuntimeFailure(
            fmt::format("cannot write run file {}: directory {} does not exist", path, directory));
    }
    try {
        check_record(record);
    } catch (const RecordError& bad) {
        throw RuntimeFailure(
            fmt::format("cannot write run file {}: inconsistent record: {}", path, bad.what()));
    }
    const std::string tmp = path + ".tmp";
    try {
        std::uint64_t checksum_offset = 0;
        {
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
            h5::Object file = h5::create_file(tmp);
            {
                h5::Object root = h5::root_group(file);
                checksum_offset = write_layout(root, record, queue);
                root.handle.close("/");
            }
            file.handle.close(tmp);
        }
        {
            const ProfileScope scope(profiler, "13 write run file / checksum and fsync");
            integrity::seal(tmp, checksum_offset);
        }
        const ProfileScope scope(profiler, "13 write run file / publish (rename, fsync)");
        sync_path(directory, true);
        publish(tmp, path, force);
        sync_path(directory, true);
    } catch (const h5::Error& failure) {
        fs::remove(tmp, error);
        throw RuntimeFailure(fmt::format("cannot write run file {}: {}", path, failure.what()));
    } catch (const ConfigError&) {
        fs::remove(tmp, error);
        throw;
    } catch (const RuntimeFailure&) {
        fs::remove(tmp, error);
        throw;
    } catch (const std::exception& failure) {  // plain I/O while sealing, memory
        fs::remove(tmp, error);
        throw RuntimeFailure(fmt::format("cannot write run file {}: {}", path, failure.what()));
    }
}

}  // namespace airace
