// Files over the HDF5 C API (see h5.hpp): creating and opening them with
// the chosen file locking (file_locking.hpp), and abandoning the writes of
// a file whose write failed.

#include "output/h5.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <cctype>

#include <fmt/format.h>

#include "output/file_locking.hpp"

namespace airace::h5 {
namespace {

std::atomic<FileLocking> locking_mode{FileLocking::off};

// File locking guards files shared while open; ours never are (the writer
// owns its temporary file, readers see only complete, renamed files), and flock fails
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

Object open_file_read_write(const std::string& file_path) {
    silence_errors();
    Handle fapl = file_access_plist(file_path);
    check(H5Pset_libver_bounds(fapl.id(), H5F_LIBVER_V18, H5F_LIBVER_V110), "H5Pset_libver_bounds",
          file_path);
    check(H5Pset_fclose_degree(fapl.id(), H5F_CLOSE_SEMI), "H5Pset_fclose_degree", file_path);
    const hid_t opened = H5Fopen(file_path.c_str(), H5F_ACC_RDWR, fapl.id());
    if (opened < 0) fail_open("H5Fopen", file_path);
    Handle file(opened, H5Fclose);
    return {std::move(file), file_path};
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
