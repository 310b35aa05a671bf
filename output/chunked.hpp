#pragma once
// The chunked datasets of a run file: float64 matrices (per-agent and market
// columns, [steps, agents or labels]) and compound tables (/events,
// /network/edges). Each is registered with the ChunkQueue first (queue_*),
// in the order the writer will create them, and then created and handed its
// compressed chunks (write_matrix; create_table, then write_chunked).

#include <cstddef>
#include <string>
#include <vector>

#include "output/chunk_queue.hpp"
#include "output/h5.hpp"
#include "record/record.hpp"

namespace airace::storage {

// The chunk of a float64[rows, cols] matrix: a band of whole rows of up to
// chunk_target_bytes, a row split across columns when wider.
std::vector<hsize_t> matrix_chunk(std::size_t rows, std::size_t cols);
// The matrix's dataset (with its units), its chunks not yet written; an
// empty one is contiguous and unfiltered.
h5::Object create_matrix(const h5::Object& parent, const std::string& name, const std::string& units,
                         std::size_t rows, std::size_t cols);
// The fill value of matrices (NaN), beyond the extent of edge chunks.
double matrix_fill_value();
// Rows per chunk of a table of rows of `row_bytes` bytes, `rows` in all; a
// streamed table, whose length is not known when it is created, passes
// `rows` = 0 and gets a full chunk_target_bytes chunk.
hsize_t table_chunk_rows(std::size_t row_bytes, std::size_t rows);
// A table like create_table's, extensible, with `chunk_rows` rows per chunk.
h5::Object create_table_chunked(const h5::Object& parent, const std::string& name,
                                const h5::CompoundTypes& types, std::size_t rows, hsize_t chunk_rows);

// Nothing for an empty matrix (it is written contiguous and unfiltered).
void queue_matrix(ChunkQueue& queue, const std::string& path, const Matrix& matrix);
void write_matrix(const h5::Object& parent, const Matrix& matrix, ChunkQueue& queue);

// A 1-D table of `rows` rows of `types.file`, chunked with an unlimited
// dimension (so that a table with no rows is still a valid chunked dataset),
// zero-filled, shuffle + deflate. Its rows come from the queue: write_chunked.
h5::Object create_table(const h5::Object& parent, const std::string& name,
                        const h5::CompoundTypes& types, std::size_t rows);

// Writes the queued chunks of `dataset` (unless it is empty) and closes it.
void write_chunked(h5::Object& dataset, bool empty, ChunkQueue& queue);

// Where one member of a compound row lies in the file and in memory.
struct RowMember {
    std::size_t file_offset;
    std::size_t memory_offset;
    std::size_t size;
};

// Packs rows of a memory struct of `row_size` bytes as the file type of
// `types` stores them. It asks the library about the two types when it is
// made, on the caller's thread. When direct() (every member has the same
// representation in memory and in the file), pack() is a copy of each
// member's bytes and may run on several threads at once; otherwise it
// converts with the library (H5Tconvert) and must stay on one thread.
class RowPacker {
public:
    RowPacker(const h5::CompoundTypes& types, std::size_t row_size, const std::string& path);
    bool direct() const { return direct_; }
    std::size_t row_bytes() const { return row_bytes_; }
    // `count` rows at `rows` into `out` (count * row_bytes() bytes).
    void pack(const void* rows, std::size_t count, unsigned char* out) const;
    // The same, appended to `out`.
    void append(const void* rows, std::size_t count, std::vector<unsigned char>& out) const;

private:
    const h5::CompoundTypes& types_;
    const std::string& path_;
    std::size_t row_size_ = 0;
    std::size_t row_bytes_ = 0;
    std::vector<RowMember> members_;
    bool direct_ = false;
};

// `count` rows of a memory struct of `row_size` bytes at `rows`, packed as
// the file type of `types` stores them.
std::vector<unsigned char> pack_rows(const h5::CompoundTypes& types, const void* rows,
                                     std::size_t count, std::size_t row_size,
                                     const std::string& path);
// Registers packed rows (kept by the queue) as the table at `path`.
void queue_packed_rows(ChunkQueue& queue, const std::string& path, const h5::CompoundTypes& types,
                       std::vector<unsigned char> packed, std::size_t rows);

// The rows of a table, packed as the file stores them, queued for
// compression (nothing for an empty table).
template <class Row>
void queue_table(ChunkQueue& queue, const std::string& path, const h5::CompoundTypes& types,
                 const std::vector<Row>& rows) {
    if (rows.empty()) return;
    queue_packed_rows(queue, path, types, pack_rows(types, rows.data(), rows.size(), sizeof(Row), path),
                      rows.size());
}

}  // namespace airace::storage
