// Checked primitives over the HDF5 C API (see h5.hpp): errors, property
// lists, dataspaces and types, groups, datasets and links. Attributes and
// strings are in h5_attributes.cpp; files, file locking and abandoned
// writes in h5_files.cpp.
//
// Why the property lists look the way they do: the run file is a
// reproducibility contract, so nothing that varies between two writes of the
// same data may reach the file. Object modification times are switched off on
// every group and dataset (and on the root group, via the file creation
// list), and the format bounds are fixed (V18..V110, create_file), so a
// library upgrade cannot silently change the encoding of the objects we write.

#include "output/h5.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace airace::h5 {
namespace {

herr_t keep_innermost(unsigned n, const H5E_error2_t* error, void* data) {
    // Walking upward, entry 0 is where the failure was first detected: the
    // most specific reason ("unable to open file: ... errno = 2 ...").
    if (n == 0 && error != nullptr && error->desc != nullptr) {
        *static_cast<std::string*>(data) = error->desc;
    }
    return 0;
}

// HDF5's I/O errors are one long line of driver state ("file write failed:
// time = ..., filename = ..., errno = 28, error message = 'No space left on
// device', buf = 0x..., ..."); users need the first words and the system's
// reason: "file write failed: No space left on device (errno 28)".
std::string readable_reason(const std::string& reason) {
    const std::size_t message = reason.find("error message = '");
    if (message == std::string::npos) return reason;
    const std::size_t begin = message + 17;
    const std::size_t end = reason.find('\'', begin);
    std::string out = reason.substr(0, std::min({reason.find(':'), reason.find(','), message})) + ": " +
                      reason.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
    const std::size_t number = reason.find("errno = ");
    if (number != std::string::npos) {
        const std::size_t digits = reason.find_first_not_of("0123456789", number + 8);
        out += " (errno " + reason.substr(number + 8, digits - number - 8) + ")";
    }
    return out;
}

std::string innermost_reason() {
    std::string reason;
    if (H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, keep_innermost, &reason) < 0 || reason.empty()) {
        reason = "HDF5 reported no reason";
    }
    H5Eclear2(H5E_DEFAULT);
    return readable_reason(reason);
}

}  // namespace

void silence_errors() {
    // No HDF5 exit handler (this must come before the library initialises):
    // every file airace opens is closed by its Handle, and the handler's
    // only other work was to flush again a file whose writes had failed,
    // which crashed inside H5F__close_cb where the write failed with EFBIG
    // (a file size limit, which abandon_writes's in-memory file is also
    // subject to). Without it, such a process exits with its error code.
    static const bool no_exit_handler = (H5dont_atexit(), true);
    static_cast<void>(no_exit_handler);
    thread_local bool silenced = false;
    if (!silenced) {
        // Unchecked: if this fails, HDF5 prints its stack and we still throw.
        H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
        silenced = true;
    }
}

std::string library_version() {
    silence_errors();
    unsigned major = 0, minor = 0, release = 0;
    check(H5get_libversion(&major, &minor, &release), "H5get_libversion", "library");
    return fmt::format("{}.{}.{}", major, minor, release);
}

Error failure(const char* operation, const std::string& where) {
    return Error(fmt::format("{} failed at {}: {}", operation, where, innermost_reason()));
}

void fail(const char* operation, const std::string& where) { throw failure(operation, where); }

hid_t check_id(hid_t id, const char* operation, const std::string& where) {
    if (id < 0) fail(operation, where);
    return id;
}

void check(herr_t status, const char* operation, const std::string& where) {
    if (status < 0) fail(operation, where);
}

bool check_tri(htri_t status, const char* operation, const std::string& where) {
    if (status < 0) fail(operation, where);
    return status > 0;
}

std::string child_path(const Object& parent, const std::string& name) {
    return parent.path == "/" ? "/" + name : parent.path + "/" + name;
}

Handle property_list(hid_t property_class, const std::string& where) {
    return {check_id(H5Pcreate(property_class), "H5Pcreate", where), H5Pclose};
}

Handle simple_space(const std::vector<hsize_t>& dims, const std::vector<hsize_t>& max_dims,
                    const std::string& where) {
    const hsize_t* max_pointer = max_dims.empty() ? nullptr : max_dims.data();
    return {check_id(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), max_pointer),
                     "H5Screate_simple", where),
            H5Sclose};
}

Handle scalar_space(const std::string& where) {
    return {check_id(H5Screate(H5S_SCALAR), "H5Screate", where), H5Sclose};
}

Handle vlen_string_type(const std::string& where) {
    Handle type(check_id(H5Tcopy(H5T_C_S1), "H5Tcopy", where), H5Tclose);
    check(H5Tset_size(type.id(), H5T_VARIABLE), "H5Tset_size", where);
    check(H5Tset_cset(type.id(), H5T_CSET_UTF8), "H5Tset_cset", where);
    return type;
}

Handle dataset_create_plist(const std::string& where) {
    Handle dcpl = property_list(H5P_DATASET_CREATE, where);
    check(H5Pset_obj_track_times(dcpl.id(), false), "H5Pset_obj_track_times", where);
    return dcpl;
}

Object create_dataset(const Object& parent, const std::string& name, hid_t file_type,
                      const Handle& space, const Handle& dcpl) {
    std::string path = child_path(parent, name);
    Handle dataset(check_id(H5Dcreate2(parent.id(), name.c_str(), file_type, space.id(),
                                       H5P_DEFAULT, dcpl.id(), H5P_DEFAULT),
                            "H5Dcreate2", path),
                   H5Dclose);
    return {std::move(dataset), std::move(path)};
}

Handle create_plist_with_order(hid_t property_class, const std::string& where) {
    Handle plist = property_list(property_class, where);
    check(H5Pset_obj_track_times(plist.id(), false), "H5Pset_obj_track_times", where);
    check(H5Pset_link_creation_order(plist.id(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
          "H5Pset_link_creation_order", where);
    return plist;
}

Object root_group(const Object& file) {
    return {{check_id(H5Gopen2(file.id(), "/", H5P_DEFAULT), "H5Gopen2", "/"), H5Gclose}, "/"};
}

Object create_group(const Object& parent, const std::string& name) {
    std::string path = child_path(parent, name);
    Handle gcpl = create_plist_with_order(H5P_GROUP_CREATE, path);
    Handle group(
        check_id(H5Gcreate2(parent.id(), name.c_str(), H5P_DEFAULT, gcpl.id(), H5P_DEFAULT),
                 "H5Gcreate2", path),
        H5Gclose);
    return {std::move(group), std::move(path)};
}

Object open_group(const Object& parent, const std::string& name) {
    std::string path = child_path(parent, name);
    Handle group(check_id(H5Gopen2(parent.id(), name.c_str(), H5P_DEFAULT), "H5Gopen2", path),
                 H5Gclose);
    return {std::move(group), std::move(path)};
}

Object open_dataset(const Object& parent, const std::string& name) {
    std::string path = child_path(parent, name);
    Handle dataset(check_id(H5Dopen2(parent.id(), name.c_str(), H5P_DEFAULT), "H5Dopen2", path),
                   H5Dclose);
    return {std::move(dataset), std::move(path)};
}

bool has_link(const Object& parent, const std::string& name) {
    return check_tri(H5Lexists(parent.id(), name.c_str(), H5P_DEFAULT), "H5Lexists",
                     child_path(parent, name));
}

bool is_group(const Object& parent, const std::string& name) {
    H5O_info_t info{};
    check(H5Oget_info_by_name2(parent.id(), name.c_str(), &info, H5O_INFO_BASIC, H5P_DEFAULT),
          "H5Oget_info_by_name2", child_path(parent, name));
    return info.type == H5O_TYPE_GROUP;
}

std::vector<std::string> link_names(const Object& parent, std::size_t max_count) {
    H5G_info_t info{};
    check(H5Gget_info(parent.id(), &info), "H5Gget_info", parent.path);
    if (info.nlinks > max_count) {
        throw Error(
            fmt::format("{} holds {} objects, more than {}", parent.path, info.nlinks, max_count));
    }
    Handle gcpl(check_id(H5Gget_create_plist(parent.id()), "H5Gget_create_plist", parent.path),
                H5Pclose);
    unsigned order_flags = 0;
    check(H5Pget_link_creation_order(gcpl.id(), &order_flags), "H5Pget_link_creation_order",
          parent.path);
    const H5_index_t index =
        (order_flags & H5P_CRT_ORDER_INDEXED) != 0 ? H5_INDEX_CRT_ORDER : H5_INDEX_NAME;
    std::vector<std::string> names;
    for (hsize_t i = 0; i < info.nlinks; ++i) {
        const ssize_t length =
            H5Lget_name_by_idx(parent.id(), ".", index, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT);
        if (length < 0) fail("H5Lget_name_by_idx", parent.path);
        std::string name(static_cast<std::size_t>(length) + 1, '\0');
        if (H5Lget_name_by_idx(parent.id(), ".", index, H5_ITER_INC, i, name.data(), name.size(),
                               H5P_DEFAULT) < 0) {
            fail("H5Lget_name_by_idx", parent.path);
        }
        name.resize(static_cast<std::size_t>(length));
        names.push_back(std::move(name));
    }
    return names;
}

std::uint64_t storage_offset(const Object& dataset) {
    const haddr_t address = H5Dget_offset(dataset.id());
    if (address == HADDR_UNDEF) fail("H5Dget_offset", dataset.path);
    return static_cast<std::uint64_t>(address);
}

}  // namespace airace::h5
