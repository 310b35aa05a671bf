// A run file written while the run goes (see stream_writer.hpp).

#include "output/stream_writer.hpp"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <new>
#include <optional>
#include <span>
#include <stdexcept>
#include <system_error>
#include <utility>

#include <fmt/format.h>

#include "base/errors.hpp"
#include "base/parallel.hpp"
#include "output/checkpoint_io.hpp"
#include "output/chunk_queue.hpp"
#include "output/chunked.hpp"
#include "output/compression.hpp"
#include "output/h5.hpp"
#include "output/publish.hpp"
#include "output/integrity.hpp"
#include "output/run_layout.hpp"
#include "output/schema.hpp"
#include "output/storage.hpp"

namespace airace {

using namespace storage;

namespace {

// Table rows packed and compressed at once (a graph snapshot of tens of
// millions of edges is written in pieces of about this many raw bytes).
constexpr std::size_t table_window_bytes = 64u << 20;
// Below this many raw bytes, chunks are compressed on the calling thread.
constexpr std::size_t serial_compress_bytes = 256u << 10;

// A chunk on its way to the file: its raw bytes (a full chunk, fill beyond
// the dataset's extent), then its filtered bytes.
struct Chunk {
    hid_t dataset = H5I_INVALID_HID;
    const std::string* path = nullptr;
    std::vector<hsize_t> offset;
    std::vector<unsigned char> raw;
    std::size_t element_bytes = 0;
    std::vector<unsigned char> stored;
    // Raw bytes the chunk does not own (a matrix's band, laid out as the
    // chunk is), alive until the chunk is written; raw is empty then.
    std::span<const unsigned char> view = {};
    std::span<const unsigned char> bytes() const { return raw.empty() ? view : std::span(raw); }
};

// Compresses `chunks` on every core (on this thread when they are few:
// waking the workers for a step's few chunks costs more than it saves),
// then writes them in their order (the same bytes for any thread count).
void write_chunks(std::vector<Chunk>& chunks, std::uint64_t& stored_bytes) {
    if (chunks.empty()) return;
    const unsigned level = active_deflate_level();
    std::size_t raw = 0;
    for (const Chunk& c : chunks) raw += c.bytes().size();
    const std::size_t grain = raw < serial_compress_bytes ? chunks.size() : 1;
    parallel_for(chunks.size(), grain, [&](std::size_t begin, std::size_t end) {
        for (std::size_t k = begin; k < end; ++k) {
            Chunk& c = chunks[k];
            const std::span<const unsigned char> bytes = c.bytes();
            c.stored = shuffle_deflate(bytes.data(), bytes.size(), c.element_bytes, level);
            std::vector<unsigned char>().swap(c.raw);
        }
    });
    for (const Chunk& c : chunks) {
        h5::check(H5Dwrite_chunk(c.dataset, H5P_DEFAULT, 0, c.offset.data(), c.stored.size(), c.stored.data()),
                  "H5Dwrite_chunk", *c.path);
        stored_bytes += c.stored.size();
    }
    chunks.clear();
}

// A per-agent or market column: float64[rows, cols], appended a band of
// chunk_rows rows at a time.
struct MatrixOut {
    h5::Object dataset;  // closed when empty (contiguous, nothing to write)
    std::size_t rows = 0;
    std::size_t cols = 0;
    hsize_t chunk_rows = 0;
    hsize_t chunk_cols = 0;
    std::vector<double> band;  // chunk_rows x cols, zero where not yet filled
    std::size_t band_first = 0;
    std::size_t filled = 0;
    bool empty() const { return rows == 0 || cols == 0; }
};

// The chunks of `m`'s current band, for `dataset` (the file's or a copy's).
// A band one chunk wide is already laid out as its chunk: with `in_place`
// the chunk reads the band itself (its rows past the dataset's extent set
// to the fill value first), and the band must stay as it is until the
// chunk is written; otherwise each chunk is a copy.
void band_chunks(MatrixOut& m, hid_t dataset, const std::string& path, std::vector<Chunk>& out,
                 bool in_place = false) {
    const double fill = matrix_fill_value();
    constexpr std::size_t e = sizeof(double);
    if (in_place && m.chunk_cols == m.cols) {
        const std::size_t valid = std::min<std::size_t>(static_cast<std::size_t>(m.chunk_rows), m.rows - m.band_first);
        std::fill(m.band.begin() + static_cast<std::ptrdiff_t>(valid * m.cols), m.band.end(), fill);
        Chunk chunk{dataset, &path, {m.band_first, 0}, {}, e, {}};
        chunk.view = {reinterpret_cast<const unsigned char*>(m.band.data()), m.band.size() * e};
        out.push_back(std::move(chunk));
        return;
    }
    for (hsize_t c0 = 0; c0 < m.cols; c0 += m.chunk_cols) {
        Chunk chunk{dataset, &path, {m.band_first, c0}, {}, e, {}};
        chunk.raw.resize(static_cast<std::size_t>(m.chunk_rows * m.chunk_cols) * e);
        for (hsize_t r = 0; r < m.chunk_rows; ++r) {
            unsigned char* row = chunk.raw.data() + static_cast<std::size_t>(r * m.chunk_cols) * e;
            const hsize_t valid = m.band_first + r < m.rows ? std::min(m.chunk_cols, m.cols - c0) : 0;
            if (valid > 0)  // a band past the last row may be empty (data() null)
                std::memcpy(row, m.band.data() + static_cast<std::size_t>(r * m.cols + c0),
                            static_cast<std::size_t>(valid) * e);
            for (hsize_t c = valid; c < m.chunk_cols; ++c) std::memcpy(row + c * e, &fill, e);
        }
        out.push_back(std::move(chunk));
    }
}

void next_band(MatrixOut& m) {
    m.band_first += static_cast<std::size_t>(m.chunk_rows);
    m.filled = 0;
    // (the last band is not cleared: nothing reads it again)
    if (m.band_first < m.rows) std::fill(m.band.begin(), m.band.end(), 0.0);
}

// /events or /network/edges: extended a chunk of rows at a time; the rows
// of an incomplete chunk wait in `pending`, packed as the file stores them.
struct TableOut {
    h5::Object dataset;
    h5::CompoundTypes types;
    std::size_t row_bytes = 0;
    hsize_t chunk_rows = 0;
    std::size_t written = 0;  // rows in the file
    std::vector<unsigned char> pending;
    std::size_t chunk_bytes() const { return static_cast<std::size_t>(chunk_rows) * row_bytes; }
};

void set_extent(hid_t dataset, const std::string& path, std::size_t rows) {
    const hsize_t dims[1] = {rows};
    h5::check(H5Dset_extent(dataset, dims), "H5Dset_extent", path);
}

// The pending rows of `t` as its last, zero-filled chunk in `dataset`.
void table_tail(const TableOut& t, hid_t dataset, const std::string& path, std::vector<Chunk>& out) {
    if (t.pending.empty()) return;
    set_extent(dataset, path, t.written + t.pending.size() / t.row_bytes);
    Chunk chunk{dataset, &path, {t.written}, t.pending, t.row_bytes, {}};
    chunk.raw.resize(t.chunk_bytes(), 0);
    out.push_back(std::move(chunk));
}

h5::Object open_dataset_at(const h5::Object& file, const std::string& path) {
    return {{h5::check_id(H5Dopen2(file.id(), path.c_str(), H5P_DEFAULT), "H5Dopen2", path), H5Dclose},
            path};
}

// A contiguous 1-D dataset written when the run ends (storage::write_vector's).
void create_vector(const h5::Object& parent, const std::string& name, hid_t file_type, std::size_t size,
                   const std::string* units = nullptr) {
    const std::string where = h5::child_path(parent, name);
    h5::Object dataset = h5::create_dataset(parent, name, file_type, h5::simple_space({size}, {}, where),
                                            h5::dataset_create_plist(where));
    if (units != nullptr) h5::set_attr_string(dataset, "units", *units);
    dataset.handle.close(where);
}

void write_at(const h5::Object& file, const std::string& path, hid_t memory_type, std::size_t size,
              const void* data) {
    h5::Object dataset = open_dataset_at(file, path);
    if (size > 0)
        h5::check(H5Dwrite(dataset.id(), memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), "H5Dwrite", path);
    dataset.handle.close(path);
}

}  // namespace

struct RunFileStream::File {
    h5::Object file;
    h5::Object root;
    std::uint64_t checksum_offset = 0;
    std::size_t steps = 0;
    std::vector<MatrixOut> matrices;  // the kinds' columns, then the markets', in order
    TableOut events;
    TableOut edges;
    std::optional<h5::Object> checkpoints;
    std::vector<Chunk> chunks;
    std::vector<MatrixOut*> bands_written;  // row()'s, kept for its capacity
    std::uint64_t stored_bytes = 0;

    void add_matrix(const h5::Object& group, const Matrix& m) {
        MatrixOut out;
        out.rows = steps;
        out.cols = m.cols;
        out.dataset = create_matrix(group, m.name, m.units, out.rows, out.cols);
        if (out.empty()) {
            out.dataset.handle.close(out.dataset.path);
        } else {
            const std::vector<hsize_t> chunk = matrix_chunk(out.rows, out.cols);
            out.chunk_rows = chunk[0];
            out.chunk_cols = chunk[1];
            out.band.assign(static_cast<std::size_t>(out.chunk_rows) * out.cols, 0.0);
        }
        matrices.push_back(std::move(out));
    }

    void add_table(const h5::Object& parent, const std::string& name, h5::CompoundTypes types, TableOut& t) {
        t.row_bytes = H5Tget_size(types.file.id());
        if (t.row_bytes == 0) h5::fail("H5Tget_size", h5::child_path(parent, name));
        t.chunk_rows = table_chunk_rows(t.row_bytes, 0);
        t.dataset = create_table_chunked(parent, name, types, 0, t.chunk_rows);
        t.types = std::move(types);
    }

    // Appends `count` rows of `row_size` bytes, writing every full chunk:
    // the rows that complete the waiting chunk first, then whole chunks
    // packed straight from `rows` (in parallel, each into its own buffer, a
    // window at a time), and the rest waits for the next call.
    void append(TableOut& t, const unsigned char* rows, std::size_t count, std::size_t row_size) {
        const RowPacker packer(t.types, row_size, t.dataset.path);
        const auto chunk_rows = static_cast<std::size_t>(t.chunk_rows);
        const auto add_chunk = [&](std::vector<unsigned char> raw) {
            set_extent(t.dataset.id(), t.dataset.path, t.written + chunk_rows);
            chunks.push_back({t.dataset.id(), &t.dataset.path, {t.written}, std::move(raw), t.row_bytes, {}});
            t.written += chunk_rows;
        };
        std::size_t done = 0;
        if (!t.pending.empty()) {
            done = std::min(count, chunk_rows - t.pending.size() / t.row_bytes);
            packer.append(rows, done, t.pending);
            if (t.pending.size() == t.chunk_bytes()) add_chunk(std::exchange(t.pending, {}));
        }
        const std::size_t window = std::max<std::size_t>(table_window_bytes / t.chunk_bytes(), 1);
        while (count - done >= chunk_rows) {
            const std::size_t first = chunks.size();
            const std::size_t n = std::min(window, (count - done) / chunk_rows);
            for (std::size_t k = 0; k < n; ++k) add_chunk({});
            // The library converts on one thread only (RowPacker).
            parallel_for(n, packer.direct() ? 1 : n, [&](std::size_t begin, std::size_t end) {
                for (std::size_t k = begin; k < end; ++k) {
                    std::vector<unsigned char>& raw = chunks[first + k].raw;
                    raw.resize(t.chunk_bytes());
                    packer.pack(rows + (done + k * chunk_rows) * row_size, chunk_rows, raw.data());
                }
            });
            done += n * chunk_rows;
            write_chunks(chunks, stored_bytes);
        }
        packer.append(rows + done * row_size, count - done, t.pending);
        write_chunks(chunks, stored_bytes);
    }

    // What a run's end adds to `target` (this file, or a copy of it made at
    // a checkpoint): the rows still in memory, the small datasets and the
    // root's attributes. Only for this file do the bands advance (an
    // unfinished run's remaining rows are zero, as in a whole record).
    void complete(const h5::Object& target, const RunRecord& record, bool copy) {
        std::vector<h5::Object> opened;
        opened.reserve(matrices.size() + 2);
        const auto dataset_of = [&](const h5::Object& own) -> const h5::Object& {
            if (!copy) return own;
            opened.push_back(open_dataset_at(target, own.path));
            return opened.back();
        };
        for (MatrixOut& m : matrices) {
            if (m.empty() || m.band_first >= m.rows) continue;
            const h5::Object& dataset = dataset_of(m.dataset);
            if (copy) {
                if (m.filled > 0) band_chunks(m, dataset.id(), dataset.path, chunks);
                continue;
            }
            while (m.band_first < m.rows) {
                band_chunks(m, dataset.id(), dataset.path, chunks);
                next_band(m);
            }
        }
        for (TableOut* t : {&events, &edges}) {
            const h5::Object& dataset = dataset_of(t->dataset);
            table_tail(*t, dataset.id(), dataset.path, chunks);
        }
        write_chunks(chunks, stored_bytes);
        opened.clear();
        if (!copy) {
            for (TableOut* t : {&events, &edges}) {
                t->written += t->pending.size() / t->row_bytes;
                t->pending.clear();
            }
        }
        write_small(target, record);
    }

    void write_small(const h5::Object& target, const RunRecord& record) {
        if (record.time.size() != steps || record.hashes.size() != steps)
            throw h5::Error(fmt::format("internal error: {} steps but /time has {} and /hashes {} values", steps,
                                        record.time.size(), record.hashes.size()));
        {
            h5::Object dataset = open_dataset_at(target, "/config");
            h5::Handle type = h5::vlen_string_type("/config");
            const char* text = record.config_yaml.c_str();
            write_vlen_strings(dataset, type.id(), 1, &text);
            dataset.handle.close("/config");
        }
        write_at(target, "/time", H5T_NATIVE_DOUBLE, steps, record.time.data());
        for (const Series& series : record.aggregates)
            write_at(target, "/aggregates/" + series.name, H5T_NATIVE_DOUBLE, series.values.size(),
                     series.values.data());
        write_at(target, "/hashes", H5T_NATIVE_UINT64, steps, record.hashes.data());
        h5::Object target_root = h5::root_group(target);
        if (record.fork.is_fork) {
            ChunkQueue none;
            checkpoint_io::write(target_root, {}, record.fork, none);
        }
        run_layout::write_root_attributes(target_root, record.meta);
        target_root.handle.close("/");
    }

    // Closes every object, then the file.
    void close(const std::string& tmp) {
        for (MatrixOut& m : matrices) m.dataset.handle.close(m.dataset.path);
        events.dataset.handle.close(events.dataset.path);
        edges.dataset.handle.close(edges.dataset.path);
        if (checkpoints) checkpoints->handle.close(checkpoints->path);
        root.handle.close("/");
        file.handle.close(tmp);
    }
};

RunFileStream::RunFileStream(const std::string& path, bool force, Profiler* profiler)
    : path_(path), force_(force), profiler_(profiler) {
    directory_ = publish::target_folder(path, force, "run file");
    tmp_ = publish::create_tmp(path);
}

RunFileStream::~RunFileStream() {
    if (published_) return;
    if (file_ && file_->file.id() >= 0) h5::abandon_writes(file_->file.id());
    file_.reset();
    std::error_code ignored;
    std::filesystem::remove(tmp_, ignored);
}

template <class Work>
void RunFileStream::guarded(Work&& work) {
    try {
        h5::silence_errors();  // per thread: a writer thread may call (record/async_sink.hpp)
        work();
    } catch (const std::exception& error) {
        fail(error);
    }
}

void RunFileStream::fail(const std::exception& error) {
    if (file_ && file_->file.id() >= 0) h5::abandon_writes(file_->file.id());
    file_.reset();
    std::error_code ignored;
    std::filesystem::remove(tmp_, ignored);
    if (dynamic_cast<const RuntimeFailure*>(&error) || dynamic_cast<const ConfigError*>(&error) ||
        dynamic_cast<const std::bad_alloc*>(&error))
        throw;
    throw RuntimeFailure(fmt::format("cannot write run file {}: {}", path_, error.what()));
}

void RunFileStream::begin(const RunRecord& layout, std::size_t steps) {
    try {
        h5::silence_errors();
        file_ = std::make_unique<File>();
        File& f = *file_;
        f.steps = steps;
        f.file = h5::create_file(tmp_);
        f.root = h5::root_group(f.file);
        const h5::Object& root = f.root;
        f.checksum_offset = integrity::write_checksum_placeholder(root);
        {
            h5::Handle type = h5::vlen_string_type("/config");
            h5::Object config = h5::create_dataset(root, "config", type.id(), h5::scalar_space("/config"),
                                                   h5::dataset_create_plist("/config"));
            config.handle.close("/config");
        }
        create_vector(root, "time", H5T_IEEE_F64LE, steps);
        {
            h5::Object group = h5::create_group(root, "aggregates");
            for (const Series& series : layout.aggregates)
                create_vector(group, series.name, H5T_IEEE_F64LE, steps, &series.units);
        }
        for (const KindRecord& kind : layout.kinds) {
            h5::Object group = h5::create_group(root, kind.kind);
            if (kind.agents_total > kind.names.size()) h5::set_attr_uint64(group, "agents_total", kind.agents_total);
            {
                h5::Object statics = h5::create_group(group, "static");
                write_strings(statics, "name", kind.names);
                write_strings(statics, "region", kind.regions);
                write_strings(statics, "type", kind.types);
            }
            for (const Matrix& column : kind.columns) f.add_matrix(group, column);
        }
        {
            h5::Object group = h5::create_group(root, "markets");
            for (const MarketRecord& market : layout.markets) {
                h5::Object market_group = h5::create_group(group, market.market);
                h5::set_attr_strings(market_group, "labels", market.labels);
                for (const Matrix& column : market.columns) f.add_matrix(market_group, column);
            }
        }
        f.add_table(root, "events", schema::event_types(), f.events);
        h5::set_attr_strings(f.events.dataset, "types", layout.event_types);
        h5::set_attr_strings(f.events.dataset, "agent_kinds",
                             {schema::agent_kind_names.begin(), schema::agent_kind_names.end()});
        {
            h5::Object network = h5::create_group(root, "network");
            f.add_table(network, "edges", schema::edge_types(), f.edges);
            h5::set_attr_strings(f.edges.dataset, "types", layout.edge_types);
            if (layout.network_snapshots != "yearly")
                h5::set_attr_string(f.edges.dataset, "snapshots", layout.network_snapshots);
        }
        create_vector(root, "hashes", H5T_STD_U64LE, steps);
    } catch (const std::exception& error) {
        fail(error);
    }
}

void RunFileStream::row(std::size_t row, const RunRecord& current) {
    try {
        h5::silence_errors();
        File& f = *file_;
        std::size_t i = 0;
        // The bands this row completes: their chunks read them in place, so
        // they move on to their next rows once the chunks are written.
        std::vector<MatrixOut*>& complete = f.bands_written;
        complete.clear();
        const auto take = [&](const Matrix& column) {
            MatrixOut& m = f.matrices.at(i++);
            if (m.empty()) return;
            if (row != m.band_first + m.filled || row >= m.rows || column.cols != m.cols)
                throw h5::Error(fmt::format("internal error: row {} of {} out of order", row, m.dataset.path));
            std::memcpy(m.band.data() + m.filled * m.cols, column.values.data(), m.cols * sizeof(double));
            ++m.filled;
            if (m.filled == m.chunk_rows || row + 1 == m.rows) {
                band_chunks(m, m.dataset.id(), m.dataset.path, f.chunks, true);
                complete.push_back(&m);
            }
        };
        for (const KindRecord& kind : current.kinds)
            for (const Matrix& column : kind.columns) take(column);
        for (const MarketRecord& market : current.markets)
            for (const Matrix& column : market.columns) take(column);
        write_chunks(f.chunks, f.stored_bytes);
        for (MatrixOut* m : complete) next_band(*m);
    } catch (const std::exception& error) {
        fail(error);
    }
}

void RunFileStream::events(const std::vector<EventRow>& rows) {
    guarded([&] {
        file_->append(file_->events, reinterpret_cast<const unsigned char*>(rows.data()), rows.size(),
                      sizeof(EventRow));
    });
}

void RunFileStream::edges(std::span<const EdgeRow> rows) {
    guarded([&] {
        file_->append(file_->edges, reinterpret_cast<const unsigned char*>(rows.data()), rows.size(),
                      sizeof(EdgeRow));
    });
}

void RunFileStream::checkpoint(const Checkpoint& checkpoint) {
    try {
        h5::silence_errors();
        File& f = *file_;
        if (!f.checkpoints) f.checkpoints = h5::create_group(f.root, "checkpoints");
        {
            const ProfileScope scope(profiler_, "11 checkpoint / write to the run file");
            checkpoint_io::write_one(*f.checkpoints, checkpoint);
        }
        const ProfileScope scope(profiler_, "11 checkpoint / flush the run file");
        // At every checkpoint (not only when a partial file is wanted, so
        // that the file's bytes never depend on the clock): what is written
        // so far is a consistent file that write_partial can copy.
        h5::check(H5Fflush(f.file.id(), H5F_SCOPE_LOCAL), "H5Fflush", tmp_);
    } catch (const std::exception& error) {
        fail(error);
    }
}

void RunFileStream::write_partial(const RunRecord& so_far, const std::string& partial) {
    const std::string directory = publish::target_folder(partial, true, "run file");
    const std::string tmp = publish::create_tmp(partial);
    try {
        std::filesystem::copy_file(tmp_, tmp, std::filesystem::copy_options::overwrite_existing);
        {
            h5::Object copy = h5::open_file_read_write(tmp);
            file_->complete(copy, so_far, true);
            copy.handle.close(tmp);
        }
        run_layout::seal_and_publish(tmp, partial, directory, file_->checksum_offset, true, profiler_);
    } catch (const std::exception& error) {
        std::error_code ignored;
        std::filesystem::remove(tmp, ignored);
        if (dynamic_cast<const RuntimeFailure*>(&error) || dynamic_cast<const std::bad_alloc*>(&error)) throw;
        throw RuntimeFailure(fmt::format("cannot write run file {}: {}", partial, error.what()));
    }
}

void RunFileStream::publish(const RunRecord& record) {
    try {
        {
            const ProfileScope scope(profiler_, "13 write run file / last rows and small datasets");
            file_->complete(file_->root, record, false);
            file_->close(tmp_);
        }
        run_layout::seal_and_publish(tmp_, path_, directory_, file_->checksum_offset, force_, profiler_);
        published_ = true;
    } catch (const std::exception& error) {
        fail(error);
    }
}

std::uint64_t RunFileStream::stored_bytes() const { return file_ ? file_->stored_bytes : 0; }

}  // namespace airace
