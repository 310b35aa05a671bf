#pragma once
// HDF5-free entry points to the chunk writer (output/chunk_queue.hpp), for
// tests and benchmarks that must not include hdf5.h: write one float64
// dataset with the run files' storage policy (chunked, shuffle + deflate,
// NaN fill) either through H5Dwrite or through the queue of chunks filtered
// in parallel, read it back through HDF5's own filters, and the chunk order
// H5Dwrite would flush.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace airace::storage {

void write_float64_dataset(const std::string& path, const std::vector<std::uint64_t>& dims,
                           const std::vector<std::uint64_t>& chunk, const std::vector<double>& values,
                           bool through_queue);

// Dataset "/m" of such a file, read with H5Dread (HDF5 inflates it).
std::vector<double> read_float64_dataset(const std::string& path);

std::vector<std::size_t> flush_order(const std::vector<std::uint64_t>& dims,
                                     const std::vector<std::uint64_t>& chunk, std::size_t element_bytes);

}  // namespace airace::storage
