// The storage policy of output/'s writers (storage.hpp, compression.hpp):
// chunking with shuffle + deflate, or none (--compression none), and the
// small contiguous datasets that are written whole.

#include "output/storage.hpp"

#include <algorithm>

namespace airace::storage {

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

void write_vlen_strings(const h5::Object& dataset, hid_t memory_type, std::size_t count, const void* data) {
    // A conversion of variable-length strings makes libhdf5 1.10 calloc a
    // background buffer of its whole type-conversion buffer (1 MiB by
    // default) for every write: a megabyte of fresh pages to zero for a
    // handful of strings (a tenth of a baseline run's CPU went there). The
    // buffer is sized to the strings here.
    if (count == 0) return;
    const std::size_t per_string = std::max(H5Tget_size(memory_type), sizeof(hvl_t));
    const h5::Handle transfer(h5::check_id(H5Pcreate(H5P_DATASET_XFER), "H5Pcreate", dataset.path), H5Pclose);
    // At most 64 Ki strings a pass (1 MiB): libhdf5 converts a long list
    // in passes of what the buffer holds, as with its default.
    h5::check(H5Pset_buffer(transfer.id(), std::clamp<std::size_t>(count, 16, 1 << 16) * per_string, nullptr,
                            nullptr),
              "H5Pset_buffer", dataset.path);
    h5::check(H5Dwrite(dataset.id(), memory_type, H5S_ALL, H5S_ALL, transfer.id(), data), "H5Dwrite",
              dataset.path);
}

namespace {

// Writes `count` variable-length strings and closes.
void finish_strings(h5::Object& dataset, hid_t memory_type, std::size_t count, const void* data) {
    write_vlen_strings(dataset, memory_type, count, data);
    dataset.handle.close(dataset.path);
}

}  // namespace

void write_string_scalar(const h5::Object& parent, const std::string& name,
                         const std::string& text) {
    const std::string where = h5::child_path(parent, name);
    h5::Handle type = h5::vlen_string_type(where);
    h5::Object dataset = h5::create_dataset(parent, name, type.id(), h5::scalar_space(where),
                                            h5::dataset_create_plist(where));
    const char* pointer = text.c_str();
    finish_strings(dataset, type.id(), 1, &pointer);
}

void write_strings(const h5::Object& parent, const std::string& name,
                   const std::vector<std::string>& values) {
    const std::string where = h5::child_path(parent, name);
    h5::Handle type = h5::vlen_string_type(where);
    h5::Object dataset =
        h5::create_dataset(parent, name, type.id(), h5::simple_space({values.size()}, {}, where),
                           h5::dataset_create_plist(where));
    const std::vector<const char*> pointers = h5::c_strings(values);
    finish_strings(dataset, type.id(), values.size(), pointers.data());
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

}  // namespace airace::storage
