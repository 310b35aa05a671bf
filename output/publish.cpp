// Crash-safe publication (see publish.hpp). HDF5 is not crash-safe and
// H5Fflush does not reach the disk, so the writers build a complete file
// under a temporary name and only then make it visible.

#include "output/publish.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>
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

std::string create_tmp(const std::string& path) {
    // Not the model's random numbers: only a name no other writer can guess.
    static thread_local std::random_device device;
    for (int attempt = 0;; ++attempt) {
        const std::string tmp = fmt::format("{}.tmp.{}.{:08x}", path, ::getpid(), device());
        const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (fd >= 0) {
            ::close(fd);
            return tmp;
        }
        if (errno != EEXIST || attempt >= 100)
            throw RuntimeFailure(fmt::format("cannot create {}: {}", tmp, std::strerror(errno)));
    }
}

void remove_stale_tmps(const std::string& path) {
    namespace fs = std::filesystem;
    const fs::path target(path);
    const fs::path parent = target.parent_path().empty() ? fs::path(".") : target.parent_path();
    const std::string prefix = target.filename().string() + ".tmp";
    std::error_code error;
    for (fs::directory_iterator it(parent, error), end; !error && it != end; it.increment(error)) {
        const std::string name = it->path().filename().string();
        if (name == prefix || name.rfind(prefix + ".", 0) == 0) {
            std::error_code ignored;
            fs::remove(it->path(), ignored);
        }
    }
}

std::string describe_holder(long pid) {
    return pid > 0 ? fmt::format("pid {}", pid) : "a process whose id the file system does not give";
}

LockFile::LockFile(const std::string& path) : path_(path) {
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0)
        throw RuntimeFailure(fmt::format("cannot open lock file {}: {}", path, std::strerror(errno)));
}

LockFile::~LockFile() {
    if (fd_ >= 0) ::close(fd_);
}

long LockFile::lock(off_t start, off_t length, bool wait, off_t* held_from) {
    struct flock request = {};
    request.l_type = F_WRLCK;
    request.l_whence = SEEK_SET;
    request.l_start = start;
    request.l_len = length;
    while (::fcntl(fd_, wait ? F_SETLKW : F_SETLK, &request) != 0) {
        if (errno == EINTR) continue;
        if (errno != EACCES && errno != EAGAIN)
            throw RuntimeFailure(fmt::format("cannot lock {}: {}", path_, std::strerror(errno)));
        struct flock holder = request;
        if (::fcntl(fd_, F_GETLK, &holder) != 0) return -1;
        if (holder.l_type == F_UNLCK) continue;  // released meanwhile: try again
        if (held_from != nullptr) *held_from = std::max(holder.l_start, start);
        return holder.l_pid > 0 ? holder.l_pid : -1;
    }
    return 0;
}

PathLock::PathLock(const std::string& path, bool wait) : lock_path_(path + ".lock") {
    // The lock file is removed on release, so a writer that locked a file
    // just removed holds nothing: it checks that the name still leads to
    // the file it locked, and starts again when not.
    for (;;) {
        auto file = std::make_unique<LockFile>(lock_path_);
        const long holder = file->lock(0, 0, wait);
        if (holder != 0)
            throw ConfigError(fmt::format(
                "{} is being written by another airace ({}; lock {}); wait for it to finish, or "
                "pass --wait to start when it has",
                path, describe_holder(holder), lock_path_));
        struct stat locked = {};
        struct stat named = {};
        if (::fstat(file->fd(), &locked) == 0 && ::stat(lock_path_.c_str(), &named) == 0 &&
            locked.st_ino == named.st_ino && locked.st_dev == named.st_dev) {
            file_ = std::move(file);
            return;
        }
    }
}

PathLock::~PathLock() {
    ::unlink(lock_path_.c_str());  // before the lock goes with the descriptor
}

}  // namespace airace::publish
