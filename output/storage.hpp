#pragma once
// Storage helpers shared by the writers of output/ (run files, checkpoints):
// one storage policy (chunk sizes, shuffle + deflate) and checked writes.

#include <string>
#include <vector>

#include "output/compression.hpp"
#include "output/h5.hpp"

namespace airace::storage {

// Chunks stay within HDF5's 1 MiB default chunk cache and well above the
// ~64 KiB where per-chunk overhead starts to dominate (docs/output-schema.md,
// "Storage").
inline constexpr std::size_t chunk_target_bytes = 256 * 1024;
inline constexpr hsize_t max_chunk_cols = 8192;

void compress(const h5::Handle& dcpl, const std::vector<hsize_t>& chunk, const std::string& where);
// Writes `data` (memory type `memory_type`, skipped when empty) and closes.
void finish(h5::Object& dataset, hid_t memory_type, bool empty, const void* data);
// H5Dwrite of `count` variable-length strings (`memory_type`, a vlen string
// type) to the whole of `dataset`, with a conversion buffer sized to them.
void write_vlen_strings(const h5::Object& dataset, hid_t memory_type, std::size_t count, const void* data);
void write_string_scalar(const h5::Object& parent, const std::string& name, const std::string& text);
void write_strings(const h5::Object& parent, const std::string& name,
                   const std::vector<std::string>& values);
// A 1-D contiguous dataset (small, read whole), with "units" when given.
void write_vector(const h5::Object& parent, const std::string& name, hid_t file_type,
                  hid_t memory_type, std::size_t size, const void* data,
                  const std::string* units = nullptr);

}  // namespace airace::storage
