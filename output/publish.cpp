// Crash-safe publication (see publish.hpp). HDF5 is not crash-safe and
// H5Fflush does not reach the disk, so the writers build a complete file
// under a temporary name and only then make it visible.

#include "output/publish.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <system_error>

#include <fmt/format.h>

#include "base/errors.hpp"

namespace airace::publish {

std::string target_folder(const std::string& path, bool force, const std::string& what) {
    namespace fs = std::filesystem;
    std::error_code error;
    if (!force && fs::exists(fs::symlink_status(path, error))) {
        throw ConfigError(fmt::format("{} exists; use --force to overwrite", path));
    }
    const fs::path parent = fs::path(path).parent_path();
    const std::string directory = parent.empty() ? "." : parent.string();
    if (!fs::is_directory(directory, error)) {
        throw RuntimeFailure(
            fmt::format("cannot write {} {}: directory {} does not exist", what, path, directory));
    }
    return directory;
}

void sync_path(const std::string& path, bool directory) {
    const int fd = ::open(path.c_str(), (directory ? O_DIRECTORY : 0) | O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        throw RuntimeFailure(
            fmt::format("cannot open {} to sync it: {}", path, std::strerror(errno)));
    }
    // Some file systems cannot fsync a directory (EINVAL); the rename is then
    // as durable as they allow.
    if (::fsync(fd) != 0 && !(directory && errno == EINVAL)) {
        const int error = errno;
        ::close(fd);
        throw RuntimeFailure(fmt::format("cannot fsync {}: {}", path, std::strerror(error)));
    }
    ::close(fd);
}

void rename_into_place(const std::string& tmp, const std::string& path, bool force) {
    if (!force) {
        if (::renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, path.c_str(), RENAME_NOREPLACE) == 0) {
            return;
        }
        if (errno == EEXIST) {
            throw ConfigError(fmt::format("{} exists; use --force to overwrite", path));
        }
        if (errno != EINVAL && errno != ENOSYS) {
            throw RuntimeFailure(
                fmt::format("cannot rename {} to {}: {}", tmp, path, std::strerror(errno)));
        }
        // The file system has no RENAME_NOREPLACE: fall back to rename.
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0) {
        throw RuntimeFailure(
            fmt::format("cannot rename {} to {}: {}", tmp, path, std::strerror(errno)));
    }
}

}  // namespace airace::publish
