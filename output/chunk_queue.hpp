#pragma once
// Compressed chunks of a file's chunked datasets, filtered in parallel and
// written in order with H5Dwrite_chunk.
//
// Why: shuffle + deflate is most of the time it takes to write a run file,
// and HDF5 runs its filter pipeline on the writing thread only (a
// thread-safe libhdf5 holds one global lock). The chunks do not depend on
// each other, so here they are filtered on every core first: shuffled and
// deflated exactly as HDF5 1.10's pipeline does (H5Zshuffle.c: byte planes
// of the element size; H5Zdeflate.c: compress2 at the dataset's level), from
// buffers laid out as the library would lay them out (full chunk, fill value
// beyond the extent, file byte order), and then handed to H5Dwrite_chunk in
// the chunk order H5Dwrite would flush them. The file is byte-identical to
// one written by H5Dwrite (tests/output/writer_test.cpp checks it against the
// library's own path).
//
// Use: the writer registers every chunked dataset in the order it will create
// them (add), then, while writing the layout, calls write_next for each.
// Compression runs in windows of ~64 MiB of raw data, so a huge run holds
// only a window of compressed chunks at a time.

#include <cstddef>
#include <string>
#include <vector>

#include "output/h5.hpp"
#include "base/profile.hpp"

namespace airace::storage {

class ChunkQueue {
public:
    // A chunked dataset of `dims` elements of `element_bytes` each, stored
    // row-major at `data` in the file's byte layout (the bytes must live
    // until its write_next), cut into `chunk` blocks; `fill` is the
    // dataset's fill value (element_bytes bytes). `level` as in
    // H5Pset_deflate, with shuffle before it (storage::compress); 0 for a
    // dataset without filters (--compression none).
    void add(std::string path, const void* data, std::size_t element_bytes,
             std::vector<hsize_t> dims, std::vector<hsize_t> chunk, std::vector<unsigned char> fill,
             unsigned level);
    // Keeps a buffer alive until the queue is destroyed (packed tables).
    const unsigned char* keep(std::vector<unsigned char> bytes);

    // Writes the chunks of the next registered dataset, which must be `dataset`.
    void write_next(const h5::Object& dataset);
    bool done() const { return next_ == datasets_.size(); }
    // Times the compression windows when set (--profile).
    void set_profiler(Profiler* profiler) { profiler_ = profiler; }
    // Raw and stored bytes so far (for profiles and benchmarks).
    std::size_t raw_bytes() const { return raw_bytes_; }
    std::size_t stored_bytes() const { return stored_bytes_; }

private:
    struct Dataset {
        std::string path;
        const unsigned char* data = nullptr;
        std::size_t element_bytes = 0;
        std::vector<hsize_t> dims;
        std::vector<hsize_t> chunk;
        std::vector<unsigned char> fill;
        unsigned level = 0;
        std::size_t first_chunk = 0;  // into chunks_
        std::size_t chunk_count = 0;
    };
    struct Chunk {
        std::size_t dataset = 0;
        std::vector<hsize_t> offset;  // element coordinates of its first element
        std::vector<unsigned char> stored;  // filtered bytes, empty until compressed
        bool ready = false;
    };
    void compress_window(std::size_t first_dataset);
    void filter(Chunk& chunk) const;

    std::vector<Dataset> datasets_;
    std::vector<Chunk> chunks_;
    std::vector<std::vector<unsigned char>> kept_;
    std::size_t next_ = 0;
    Profiler* profiler_ = nullptr;
    std::size_t raw_bytes_ = 0;
    std::size_t stored_bytes_ = 0;
};

// The order in which H5Dwrite of a whole chunked, filtered dataset hands its
// chunks to the file (linear chunk indices, row-major over the chunk grid):
// its chunk cache (1 MiB, 521 slots, w0 0.75: the library's defaults, which
// our files keep) takes chunks in row-major order, evicts a slot's previous
// occupant on a hash collision, prunes from the oldest end preferring
// completely written chunks (partial edge chunks wait), and flushes what is
// left oldest first when the dataset closes (H5Dchunk.c: H5D__chunk_lock,
// H5D__chunk_cache_prune, H5D__chunk_hash_val, H5D__chunk_dest).
std::vector<std::size_t> h5dwrite_flush_order(const std::vector<hsize_t>& dims,
                                              const std::vector<hsize_t>& chunk,
                                              std::size_t element_bytes);

// Shuffle (byte planes of `element_bytes`) then deflate at `level`, as
// HDF5's filters do to one chunk of `bytes` bytes.
std::vector<unsigned char> shuffle_deflate(const unsigned char* data, std::size_t bytes,
                                           std::size_t element_bytes, unsigned level);

}  // namespace airace::storage
