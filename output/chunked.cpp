// Chunked matrices and compound tables of run files (see chunked.hpp).

#include "output/chunked.hpp"

#include <algorithm>
#include <cstring>
#include <limits>

#include "output/storage.hpp"
#include "base/parallel.hpp"

namespace airace::storage {
namespace {

// Chunks of per-agent columns stay within HDF5's 1 MiB default chunk cache
// and well above the ~64 KiB where per-chunk overhead starts to dominate
// (storage.hpp). One row of 8192 float64 is 64 KiB: wider tables are split
// across columns so a single row still fits the cache.

// float64[rows, cols], chunked along rows, shuffle + deflate. A chunk cannot
// have a zero dimension, so an empty matrix is contiguous and unfiltered.
std::vector<hsize_t> matrix_chunk_of(const Matrix& matrix) { return matrix_chunk(matrix.rows, matrix.cols); }

bool is_empty(const Matrix& matrix) { return matrix.rows == 0 || matrix.cols == 0; }

// An explicit fill value: the part of an edge chunk beyond the extent is
// then defined bytes, not leftover memory, in every write.
constexpr double matrix_fill = std::numeric_limits<double>::quiet_NaN();


using Member = RowMember;

// The members of the file type, in its order, with their places in the
// memory type. False, after the first member whose representation differs
// between the two (H5Tequal), when packing needs the library's conversion.
bool same_representation(const h5::CompoundTypes& types, const std::string& path,
                         std::vector<Member>& members) {
    const int count = H5Tget_nmembers(types.file.id());
    if (count < 0) h5::fail("H5Tget_nmembers", path);
    bool plain = true;
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
    return plain;
}

// One member of rows [begin, end): a copy of a size known when compiled
// (a load and a store, where a memcpy of a run-time size is a call per
// member and row).
template <std::size_t Size>
void copy_member(unsigned char* packed, const unsigned char* source, const Member& m, std::size_t begin,
                 std::size_t end, std::size_t row_size, std::size_t row_bytes) {
    for (std::size_t r = begin; r < end; ++r)
        std::memcpy(packed + r * row_bytes + m.file_offset, source + r * row_size + m.memory_offset, Size);
}

// Packing as a copy of each member's bytes into `packed` (count * row_bytes
// bytes), rows in parallel pieces (a final graph snapshot has tens of
// millions), member by member within a piece.
void copy_members(const std::vector<Member>& members, const void* rows, std::size_t count,
                  std::size_t row_size, std::size_t row_bytes, unsigned char* packed) {
    const auto* source = static_cast<const unsigned char*>(rows);
    parallel_for(count, 1 << 15, [&](std::size_t begin, std::size_t end) {
        for (const Member& m : members) {
            switch (m.size) {
                case 1: copy_member<1>(packed, source, m, begin, end, row_size, row_bytes); break;
                case 2: copy_member<2>(packed, source, m, begin, end, row_size, row_bytes); break;
                case 4: copy_member<4>(packed, source, m, begin, end, row_size, row_bytes); break;
                case 8: copy_member<8>(packed, source, m, begin, end, row_size, row_bytes); break;
                default:
                    for (std::size_t r = begin; r < end; ++r)
                        std::memcpy(packed + r * row_bytes + m.file_offset,
                                    source + r * row_size + m.memory_offset, m.size);
            }
        }
    });
}

// Packing by the library's conversion (H5Tconvert), as H5Dwrite would.
std::vector<unsigned char> convert_rows(const h5::CompoundTypes& types, const void* rows,
                                        std::size_t count, std::size_t row_size,
                                        std::size_t row_bytes, const std::string& path) {
    std::vector<unsigned char> bytes(count * row_size);
    std::memcpy(bytes.data(), rows, bytes.size());
    // Every byte of a packed row is a member, so the background buffer the
    // conversion asks for does not show in the result.
    std::vector<unsigned char> background(bytes.size(), 0);
    h5::check(H5Tconvert(types.memory.id(), types.file.id(), count, bytes.data(),
                         background.data(), H5P_DEFAULT),
              "H5Tconvert", path);
    bytes.resize(count * row_bytes);
    return bytes;
}

}  // namespace

std::vector<hsize_t> matrix_chunk(std::size_t rows, std::size_t cols) {
    const hsize_t chunk_cols = std::min<hsize_t>(cols, max_chunk_cols);
    const hsize_t chunk_rows =
        std::clamp<hsize_t>(chunk_target_bytes / (sizeof(double) * chunk_cols), 1, rows);
    return {chunk_rows, chunk_cols};
}

double matrix_fill_value() { return matrix_fill; }

hsize_t table_chunk_rows(std::size_t row_bytes, std::size_t rows) {
    const hsize_t full = std::max<hsize_t>(chunk_target_bytes / row_bytes, 1);
    return rows == 0 ? full : std::clamp<hsize_t>(full, 1, rows);
}

void queue_matrix(ChunkQueue& queue, const std::string& path, const Matrix& matrix) {
    if (is_empty(matrix)) return;
    std::vector<unsigned char> fill(sizeof(double));
    std::memcpy(fill.data(), &matrix_fill, sizeof(double));
    queue.add(path, matrix.values.data(), sizeof(double), {matrix.rows, matrix.cols},
              matrix_chunk_of(matrix), std::move(fill), active_deflate_level());
}

h5::Object create_matrix(const h5::Object& parent, const std::string& name, const std::string& units,
                         std::size_t rows, std::size_t cols) {
    const std::string where = h5::child_path(parent, name);
    const bool empty = rows == 0 || cols == 0;
    h5::Handle dcpl = h5::dataset_create_plist(where);
    if (!empty) {
        compress(dcpl, matrix_chunk(rows, cols), where);
        h5::check(H5Pset_fill_value(dcpl.id(), H5T_NATIVE_DOUBLE, &matrix_fill), "H5Pset_fill_value",
                  where);
    }
    h5::Object dataset =
        h5::create_dataset(parent, name, H5T_IEEE_F64LE, h5::simple_space({rows, cols}, {}, where), dcpl);
    h5::set_attr_string(dataset, "units", units);
    return dataset;
}

void write_matrix(const h5::Object& parent, const Matrix& matrix, ChunkQueue& queue) {
    h5::Object dataset = create_matrix(parent, matrix.name, matrix.units, matrix.rows, matrix.cols);
    write_chunked(dataset, is_empty(matrix), queue);
}

h5::Object create_table(const h5::Object& parent, const std::string& name,
                        const h5::CompoundTypes& types, std::size_t rows) {
    const std::size_t row_bytes = H5Tget_size(types.file.id());
    if (row_bytes == 0) h5::fail("H5Tget_size", h5::child_path(parent, name));
    return create_table_chunked(parent, name, types, rows, table_chunk_rows(row_bytes, std::max<std::size_t>(rows, 1)));
}

h5::Object create_table_chunked(const h5::Object& parent, const std::string& name,
                                const h5::CompoundTypes& types, std::size_t rows, hsize_t chunk_rows) {
    const std::string where = h5::child_path(parent, name);
    const std::size_t row_bytes = H5Tget_size(types.file.id());
    if (row_bytes == 0) h5::fail("H5Tget_size", where);
    h5::Handle dcpl = h5::dataset_create_plist(where);
    compress(dcpl, {chunk_rows}, where);
    const std::vector<unsigned char> zero_row(row_bytes, 0);
    h5::check(H5Pset_fill_value(dcpl.id(), types.file.id(), zero_row.data()), "H5Pset_fill_value",
              where);
    return h5::create_dataset(parent, name, types.file.id(),
                              h5::simple_space({rows}, {H5S_UNLIMITED}, where), dcpl);
}

void write_chunked(h5::Object& dataset, bool empty, ChunkQueue& queue) {
    if (!empty) queue.write_next(dataset);
    dataset.handle.close(dataset.path);
}

// When every member has the same representation in memory and in the file
// (little-endian integers and IEEE doubles on this machine), packing is a
// copy of each member's bytes; otherwise the library converts.
RowPacker::RowPacker(const h5::CompoundTypes& types, std::size_t row_size, const std::string& path)
    : types_(types), path_(path), row_size_(row_size), row_bytes_(H5Tget_size(types.file.id())) {
    if (row_bytes_ == 0 || row_bytes_ > row_size_) h5::fail("H5Tget_size", path_);
    direct_ = same_representation(types_, path_, members_);
}

void RowPacker::pack(const void* rows, std::size_t count, unsigned char* out) const {
    if (count == 0) return;
    if (direct_) return copy_members(members_, rows, count, row_size_, row_bytes_, out);
    const std::vector<unsigned char> converted = convert_rows(types_, rows, count, row_size_, row_bytes_, path_);
    std::memcpy(out, converted.data(), converted.size());
}

void RowPacker::append(const void* rows, std::size_t count, std::vector<unsigned char>& out) const {
    const std::size_t at = out.size();
    out.resize(at + count * row_bytes_);
    pack(rows, count, out.data() + at);
}

std::vector<unsigned char> pack_rows(const h5::CompoundTypes& types, const void* rows,
                                     std::size_t count, std::size_t row_size,
                                     const std::string& path) {
    std::vector<unsigned char> packed;
    RowPacker(types, row_size, path).append(rows, count, packed);
    return packed;
}

void queue_packed_rows(ChunkQueue& queue, const std::string& path, const h5::CompoundTypes& types,
                       std::vector<unsigned char> packed, std::size_t rows) {
    const std::size_t row_bytes = H5Tget_size(types.file.id());
    const unsigned char* data = queue.keep(std::move(packed));
    queue.add(path, data, row_bytes, {rows}, {table_chunk_rows(row_bytes, std::max<std::size_t>(rows, 1))},
              std::vector<unsigned char>(row_bytes, 0), active_deflate_level());
}

}  // namespace airace::storage
