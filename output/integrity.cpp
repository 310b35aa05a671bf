// The HDF5 side of whole-file integrity (integrity.hpp): placing the
// checksum in a file being written, finding and checking it in a file being
// read, and the size limit of every dataset read. Shared by run files
// (writer.cpp, reader.cpp) and merged sweep files (sweep_file.cpp).

#include "output/integrity.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

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
    const std::uint64_t stored = read_le64(path, offset);
    const std::uint64_t computed = file_checksum(path, offset);
    if (stored != computed) {
        throw Damaged(
            fmt::format("its bytes do not match /file_checksum (stored {:016x}, computed {:016x})",
                        stored, computed));
    }
    return true;
}

}  // namespace airace::integrity
