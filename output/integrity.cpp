// The HDF5 side of whole-file integrity (integrity.hpp): placing the
// checksum in a file being written, finding and checking it in a file being
// read, and the size limit of every dataset read. Shared by run files
// (writer.cpp, reader.cpp) and merged sweep files (sweep_file.cpp).

#include "output/integrity.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cstring>

namespace airace::integrity {

std::size_t element_count(std::uintmax_t file_size, const std::vector<hsize_t>& dims,
                          std::size_t element_bytes, const std::string& where) {
    const std::uintmax_t max_bytes = file_size * max_compression_ratio + (1u << 20);
    std::uintmax_t bytes = element_bytes;
    for (const hsize_t dim : dims) {
        if (dim != 0 && bytes > max_bytes / dim) {
            throw Damaged(fmt::format("{} claims shape [{}], more than a file of {} bytes can hold",
                                      where, fmt::join(dims, ", "), file_size));
        }
        bytes *= dim;
    }
    return static_cast<std::size_t>(bytes / element_bytes);
}

namespace {

// A fixed-length, null-padded ASCII string type of `size` bytes: how the
// checksum's `algorithm` attribute is stored and read (kept in the object
// header, not in the global heap the checksum protects).
h5::Handle fixed_string_type(std::size_t size, const std::string& where) {
    h5::Handle type(h5::check_id(H5Tcopy(H5T_C_S1), "H5Tcopy", where), H5Tclose);
    h5::check(H5Tset_size(type.id(), size), "H5Tset_size", where);
    h5::check(H5Tset_strpad(type.id(), H5T_STR_NULLPAD), "H5Tset_strpad", where);
    return type;
}

}  // namespace

std::uint64_t write_checksum_placeholder(const h5::Object& root) {
    const std::string where = "/file_checksum";
    h5::Object dataset =
        h5::create_dataset(root, "file_checksum", H5T_STD_U64LE, h5::scalar_space(where),
                           h5::dataset_create_plist(where));
    const std::uint64_t zero = 0;
    h5::check(H5Dwrite(dataset.id(), H5T_NATIVE_UINT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, &zero),
              "H5Dwrite", where);
    const std::string name = checksum_name(written_checksum);  // NULLPAD: no terminator stored
    const h5::Handle type = fixed_string_type(name.size(), where);
    const h5::Handle space(h5::check_id(H5Screate(H5S_SCALAR), "H5Screate", where), H5Sclose);
    const h5::Handle attribute(
        h5::check_id(H5Acreate2(dataset.id(), "algorithm", type.id(), space.id(), H5P_DEFAULT, H5P_DEFAULT),
                     "H5Acreate2", where),
        H5Aclose);
    h5::check(H5Awrite(attribute.id(), type.id(), name.data()), "H5Awrite", where);
    const std::uint64_t offset = h5::storage_offset(dataset);
    dataset.handle.close(where);
    return offset;
}

Checksum checksum_algorithm(const h5::Object& dataset) {
    const htri_t exists = H5Aexists(dataset.id(), "algorithm");
    if (exists < 0) h5::fail("H5Aexists", dataset.path);
    if (exists == 0) return Checksum::fnv1a64;
    // Read without libhdf5's global heap (the checksum is not verified
    // yet): only a fixed-length string, of a size a name can have.
    const std::string where = dataset.path + " attribute algorithm";
    const h5::Handle attribute(h5::check_id(H5Aopen(dataset.id(), "algorithm", H5P_DEFAULT), "H5Aopen", where),
                               H5Aclose);
    const h5::Handle type(h5::check_id(H5Aget_type(attribute.id()), "H5Aget_type", where), H5Tclose);
    const h5::Handle space(h5::check_id(H5Aget_space(attribute.id()), "H5Aget_space", where), H5Sclose);
    const std::size_t size = H5Tget_size(type.id());
    if (H5Tget_class(type.id()) != H5T_STRING || H5Tis_variable_str(type.id()) != 0 || size == 0 ||
        size > 64 || H5Sget_simple_extent_type(space.id()) != H5S_SCALAR)
        throw Damaged("/file_checksum's algorithm is not a short fixed-length string");
    std::string name(size, '\0');
    h5::check(H5Aread(attribute.id(), fixed_string_type(size, where).id(), name.data()), "H5Aread", where);
    name.resize(std::strlen(name.c_str()));
    for (const Checksum known : {Checksum::fnv1a64, Checksum::xxh3_64})
        if (name == checksum_name(known)) return known;
    throw Damaged(fmt::format("/file_checksum's algorithm \"{}\" is not one this airace knows ({}, {}); "
                              "a newer airace wrote it, or it is damaged",
                              name, checksum_name(Checksum::xxh3_64), checksum_name(Checksum::fnv1a64)));
}

namespace {

// True when the dataset is a scalar, contiguous, little-endian uint64.
bool is_contiguous_u64(const h5::Object& dataset) {
    const h5::Handle space(h5::check_id(H5Dget_space(dataset.id()), "H5Dget_space", dataset.path),
                           H5Sclose);
    const h5::Handle type(h5::check_id(H5Dget_type(dataset.id()), "H5Dget_type", dataset.path),
                          H5Tclose);
    const h5::Handle dcpl(
        h5::check_id(H5Dget_create_plist(dataset.id()), "H5Dget_create_plist", dataset.path),
        H5Pclose);
    return H5Sget_simple_extent_ndims(space.id()) == 0 && H5Tequal(type.id(), H5T_STD_U64LE) > 0 &&
           H5Pget_layout(dcpl.id()) == H5D_CONTIGUOUS && H5Dget_storage_size(dataset.id()) == 8;
}

}  // namespace

bool verify_checksum(const h5::Object& root, const std::string& path, std::uintmax_t file_size) {
    if (!h5::has_link(root, "file_checksum")) return false;
    const h5::Object dataset = h5::open_dataset(root, "file_checksum");
    if (!is_contiguous_u64(dataset)) {
        throw Damaged("/file_checksum is not one contiguous little-endian uint64");
    }
    const std::uint64_t offset = h5::storage_offset(dataset);
    if (offset > file_size || file_size - offset < 8) {
        throw Damaged("/file_checksum lies outside the file");
    }
    const Checksum algorithm = checksum_algorithm(dataset);
    const std::uint64_t stored = read_le64(path, offset);
    const std::uint64_t computed = file_checksum(path, offset, algorithm);
    if (stored != computed) {
        throw Damaged(
            fmt::format("its bytes do not match /file_checksum ({}: stored {:016x}, computed {:016x})",
                        checksum_name(algorithm), stored, computed));
    }
    return true;
}

}  // namespace airace::integrity
