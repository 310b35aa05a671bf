// RAII handles and checked primitives over the HDF5 C API (see h5.hpp).
//
// Why the property lists look the way they do: the run file is a
// reproducibility contract, so nothing that varies between two writes of the
// same data may reach the file. Object modification times are switched off on
// every group and dataset (and on the root group, via the file creation
// list), and the format bounds are fixed (V18..V110), so a library upgrade
// cannot silently change the encoding of the objects we write.

#include "output/h5.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>

#include <fmt/format.h>

#include "output/file_locking.hpp"

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

std::string attr_where(const Object& object, const std::string& name) {
    return fmt::format("{} (attribute '{}')", object.path, name);
}

Handle create_plist_with_order(hid_t property_class, const std::string& where) {
    Handle plist = property_list(property_class, where);
    check(H5Pset_obj_track_times(plist.id(), false), "H5Pset_obj_track_times", where);
    check(H5Pset_link_creation_order(plist.id(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
          "H5Pset_link_creation_order", where);
    return plist;
}

std::size_t point_count(hid_t space, const std::string& where) {
    const hssize_t points = H5Sget_simple_extent_npoints(space);
    if (points < 0) fail("H5Sget_simple_extent_npoints", where);
    return static_cast<std::size_t>(points);
}

// Reads `count` strings from an attribute (is_attr) or dataset, whether the
// file stores them variable-length (ours) or fixed-length (other writers, so
// a foreign file's `format` can still be named in the error message).
std::vector<std::string> read_string_data(hid_t object, bool is_attr, std::size_t count,
                                          const std::string& where) {
    std::vector<std::string> values(count);
    if (count == 0) return values;
    Handle file_type(
        check_id(is_attr ? H5Aget_type(object) : H5Dget_type(object), "get type", where), H5Tclose);
    if (H5Tget_class(file_type.id()) != H5T_STRING) {
        throw Error(fmt::format("{} does not hold strings", where));
    }
    Handle memory_type(
        check_id(H5Tget_native_type(file_type.id(), H5T_DIR_ASCEND), "H5Tget_native_type", where),
        H5Tclose);
    auto read = [&](void* buffer) {
        const herr_t status =
            is_attr ? H5Aread(object, memory_type.id(), buffer)
                    : H5Dread(object, memory_type.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer);
        check(status, is_attr ? "H5Aread" : "H5Dread", where);
    };
    if (check_tri(H5Tis_variable_str(file_type.id()), "H5Tis_variable_str", where)) {
        std::vector<char*> pointers(count, nullptr);
        read(pointers.data());
        for (std::size_t i = 0; i < count; ++i) {
            if (pointers[i] != nullptr) values[i] = pointers[i];
        }
        Handle space = simple_space({count}, {}, where);
        check(H5Dvlen_reclaim(memory_type.id(), space.id(), H5P_DEFAULT, pointers.data()),
              "H5Dvlen_reclaim", where);
        return values;
    }
    const std::size_t width = H5Tget_size(memory_type.id());
    if (width == 0) fail("H5Tget_size", where);
    std::vector<char> buffer(width * count);
    read(buffer.data());
    for (std::size_t i = 0; i < count; ++i) {
        const char* begin = buffer.data() + i * width;
        values[i].assign(begin, std::find(begin, begin + width, '\0'));
    }
    return values;
}

Handle open_attr(const Object& object, const std::string& name) {
    return {check_id(H5Aopen(object.id(), name.c_str(), H5P_DEFAULT), "H5Aopen",
                     attr_where(object, name)),
            H5Aclose};
}

std::size_t attr_points(const Handle& attr, const std::string& where) {
    Handle space(check_id(H5Aget_space(attr.id()), "H5Aget_space", where), H5Sclose);
    return point_count(space.id(), where);
}

// A numeric attribute holding exactly one integer, read as `memory_type`.
void read_int_attr(const Object& object, const std::string& name, hid_t memory_type, void* out) {
    const std::string where = attr_where(object, name);
    Handle attr = open_attr(object, name);
    Handle type(check_id(H5Aget_type(attr.id()), "H5Aget_type", where), H5Tclose);
    if (H5Tget_class(type.id()) != H5T_INTEGER || attr_points(attr, where) != 1) {
        throw Error(fmt::format("{} is not one integer", where));
    }
    check(H5Aread(attr.id(), memory_type, out), "H5Aread", where);
}

void write_attr(const Object& object, const std::string& name, hid_t file_type, hid_t memory_type,
                const Handle& space, const void* data) {
    const std::string where = attr_where(object, name);
    Handle attr(check_id(H5Acreate2(object.id(), name.c_str(), file_type, space.id(), H5P_DEFAULT,
                                    H5P_DEFAULT),
                         "H5Acreate2", where),
                H5Aclose);
    // HDF5 refuses a null buffer even for zero elements (an empty vector).
    if (data != nullptr) check(H5Awrite(attr.id(), memory_type, data), "H5Awrite", where);
    attr.close(where);
}

std::atomic<FileLocking> locking_mode{FileLocking::off};

// File locking guards files shared while open; ours never are (the writer
// owns its .tmp, readers see only complete, renamed files), and flock fails
// on NFS, Lustre and GPFS, so it is off unless asked for
// (file_locking.hpp).
Handle file_access_plist(const std::string& where) {
    Handle fapl = property_list(H5P_FILE_ACCESS, where);
    const FileLocking mode = locking_mode.load();
    check(H5Pset_file_locking(fapl.id(), mode != FileLocking::off, mode != FileLocking::on),
          "H5Pset_file_locking", where);
    return fapl;
}

// A file another process holds locked gives HDF5's "unable to lock file":
// say what it means and how to go on.
[[noreturn]] void fail_open(const char* operation, const std::string& file_path) {
    try {
        fail(operation, file_path);
    } catch (const Error& error) {
        const std::string text = error.what();
        if (text.find("unable to lock file") == std::string::npos) throw;
        throw Error(fmt::format(
            "{} (another program holds it open with an HDF5 file lock, or the file system "
            "refuses locks; wait for it to close the file, or pass --file-locking off, "
            "or set HDF5_USE_FILE_LOCKING=FALSE)",
            text));
    }
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

namespace {
constexpr const char* abandoned_name = "airace-abandoned-h5";
}  // namespace

void abandon_writes(hid_t object) noexcept {
    const hid_t file = H5Iget_file_id(object);  // the file's ID, one reference more
    if (file < 0) {
        H5Eclear2(H5E_DEFAULT);
        return;
    }
    unsigned intent = 0;
    void* vfd = nullptr;
    if (H5Fget_intent(file, &intent) >= 0 && (intent & H5F_ACC_RDWR) != 0 &&
        H5Fget_vfd_handle(file, H5P_DEFAULT, &vfd) >= 0 && vfd != nullptr) {
        const int fd = *static_cast<int*>(vfd);
        // Once per file: a second swap would lose what HDF5 wrote to the first.
        char target[256] = {};
        const std::string link = fmt::format("/proc/self/fd/{}", fd);
        const ssize_t length = ::readlink(link.c_str(), target, sizeof target - 1);
        const bool swapped =
            length > 0 && std::string(target, static_cast<std::size_t>(length)).find(abandoned_name) !=
                              std::string::npos;
        if (!swapped) {
            const int sink = ::memfd_create(abandoned_name, MFD_CLOEXEC);
            if (sink >= 0) {
                ::dup3(sink, fd, O_CLOEXEC);
                ::close(sink);
            }
        }
    }
    H5Fclose(file);  // drops the reference taken above; the file stays open
    H5Eclear2(H5E_DEFAULT);
}

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

Object create_file(const std::string& file_path) {
    silence_errors();
    // The file creation list also creates the root group.
    Handle fcpl = create_plist_with_order(H5P_FILE_CREATE, file_path);
    Handle fapl = file_access_plist(file_path);
    check(H5Pset_libver_bounds(fapl.id(), H5F_LIBVER_V18, H5F_LIBVER_V110), "H5Pset_libver_bounds",
          file_path);
    // SEMI: closing fails while an object is still open, instead of silently
    // deferring the close (and the last writes) past our fsync and rename.
    check(H5Pset_fclose_degree(fapl.id(), H5F_CLOSE_SEMI), "H5Pset_fclose_degree", file_path);
    const hid_t created = H5Fcreate(file_path.c_str(), H5F_ACC_TRUNC, fcpl.id(), fapl.id());
    if (created < 0) fail_open("H5Fcreate", file_path);
    Handle file(created, H5Fclose);
    return {std::move(file), file_path};
}

Object open_file_read_only(const std::string& file_path) {
    silence_errors();
    Handle fapl = file_access_plist(file_path);
    const hid_t opened = H5Fopen(file_path.c_str(), H5F_ACC_RDONLY, fapl.id());
    if (opened < 0) fail_open("H5Fopen", file_path);
    Handle file(opened, H5Fclose);
    return {std::move(file), file_path};
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

void set_attr_string(const Object& object, const std::string& name, const std::string& value) {
    const std::string where = attr_where(object, name);
    Handle type = vlen_string_type(where);
    const char* pointer = value.c_str();
    write_attr(object, name, type.id(), type.id(), scalar_space(where), &pointer);
}

void set_attr_strings(const Object& object, const std::string& name,
                      const std::vector<std::string>& values) {
    const std::string where = attr_where(object, name);
    Handle type = vlen_string_type(where);
    const std::vector<const char*> pointers = c_strings(values);
    write_attr(object, name, type.id(), type.id(), simple_space({values.size()}, {}, where),
               pointers.data());
}

void set_attr_int32(const Object& object, const std::string& name, std::int32_t value) {
    write_attr(object, name, H5T_STD_I32LE, H5T_NATIVE_INT32,
               scalar_space(attr_where(object, name)), &value);
}

void set_attr_uint64(const Object& object, const std::string& name, std::uint64_t value) {
    write_attr(object, name, H5T_STD_U64LE, H5T_NATIVE_UINT64,
               scalar_space(attr_where(object, name)), &value);
}

bool has_attr(const Object& object, const std::string& name) {
    return check_tri(H5Aexists(object.id(), name.c_str()), "H5Aexists", attr_where(object, name));
}

std::string attr_string(const Object& object, const std::string& name) {
    const std::string where = attr_where(object, name);
    Handle attr = open_attr(object, name);
    if (attr_points(attr, where) != 1) throw Error(fmt::format("{} is not one string", where));
    return read_string_data(attr.id(), true, 1, where).front();
}

std::vector<std::string> attr_strings(const Object& object, const std::string& name,
                                      std::size_t max_count) {
    const std::string where = attr_where(object, name);
    Handle attr = open_attr(object, name);
    const std::size_t count = attr_points(attr, where);
    if (count > max_count) {
        throw Error(fmt::format("{} holds {} strings, more than {}", where, count, max_count));
    }
    return read_string_data(attr.id(), true, count, where);
}

std::int64_t attr_int(const Object& object, const std::string& name) {
    std::int64_t value = 0;
    read_int_attr(object, name, H5T_NATIVE_INT64, &value);
    return value;
}

std::uint64_t attr_uint64(const Object& object, const std::string& name) {
    std::uint64_t value = 0;
    read_int_attr(object, name, H5T_NATIVE_UINT64, &value);
    return value;
}

std::vector<std::string> read_strings(const Object& dataset, std::size_t count) {
    Handle space(check_id(H5Dget_space(dataset.id()), "H5Dget_space", dataset.path), H5Sclose);
    const std::size_t points = point_count(space.id(), dataset.path);
    if (points != count) {
        throw Error(fmt::format("{} holds {} strings, expected {}", dataset.path, points, count));
    }
    return read_string_data(dataset.id(), false, count, dataset.path);
}

std::vector<const char*> c_strings(const std::vector<std::string>& values) {
    std::vector<const char*> pointers;
    pointers.reserve(values.size());
    for (const std::string& value : values) pointers.push_back(value.c_str());
    return pointers;
}

std::uint64_t storage_offset(const Object& dataset) {
    const haddr_t address = H5Dget_offset(dataset.id());
    if (address == HADDR_UNDEF) fail("H5Dget_offset", dataset.path);
    return static_cast<std::uint64_t>(address);
}

}  // namespace airace::h5

namespace airace {

void set_file_locking(FileLocking mode) { h5::locking_mode.store(mode); }

FileLocking file_locking() { return h5::locking_mode.load(); }

std::optional<FileLocking> parse_file_locking(const std::string& text) {
    std::string lower;
    for (const char c : text)
        lower += c == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower == "on" || lower == "true" || lower == "1") return FileLocking::on;
    if (lower == "off" || lower == "false" || lower == "0") return FileLocking::off;
    if (lower == "best-effort") return FileLocking::best_effort;
    return std::nullopt;
}

}  // namespace airace
