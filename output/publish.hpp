#pragma once
// Crash-safe publication of the files output/ writes (run files, sweep
// files): each is built under a temporary name unique to its writer
// (PATH.tmp.<pid>.<random>, created with O_EXCL) beside its target, closed
// and fsync'ed, then renamed into place and its folder fsync'ed, so a file
// under its final name is always complete and the rename is the only step
// that publishes it (docs/output-schema.md, "Writing: tmp, fsync, rename").
// Writers of one path exclude each other through an advisory lock
// (PathLock; sweeps lock their runs in DIR/sweep.lock). No HDF5 here.

#include <sys/types.h>

#include <memory>
#include <string>

namespace airace::publish {

// The checks a writer makes before any work; returns the folder PATH goes
// into ("." for a bare file name). Throws ConfigError "PATH exists; use
// --force to overwrite" when PATH exists and !force, RuntimeFailure "cannot
// write WHAT PATH: directory DIR does not exist" when the folder is missing.
std::string target_folder(const std::string& path, bool force, const std::string& what);

// fsync of a file, or of a folder (after a rename in it). RuntimeFailure
// when it cannot be opened or synced; a file system that cannot fsync a
// folder is taken at its word.
void sync_path(const std::string& path, bool directory);

// Renames `tmp` to `path`. Without `force` the final name must still be free
// at the moment of the rename (another sweep worker may have written it
// meanwhile): ConfigError "PATH exists; use --force to overwrite" when it is
// not. RuntimeFailure when the rename fails.
void rename_into_place(const std::string& tmp, const std::string& path, bool force);

// Creates an empty file PATH.tmp.<pid>.<random> (O_EXCL: never one another
// writer has) and returns its name. RuntimeFailure when it cannot.
std::string create_tmp(const std::string& path);

// Removes the temporary files a killed writer of PATH left (PATH.tmp and
// PATH.tmp.*). Only for a caller that holds PATH's lock (PathLock, or its
// run's range of a sweep's lock file), so no live writer owns them.
void remove_stale_tmps(const std::string& path);

// A file of POSIX record locks (fcntl: per process, released when the
// process ends however it ends; NFS locks them through its lock manager).
class LockFile {
public:
    explicit LockFile(const std::string& path);  // opens or creates; RuntimeFailure
    ~LockFile();
    LockFile(const LockFile&) = delete;
    LockFile& operator=(const LockFile&) = delete;
    // Write-locks bytes [start, start + length) (length 0: to the end).
    // Returns 0 once held, else the pid of a process holding part of it
    // (-1 when the file system does not say), and sets `held_from` (when
    // given) to where that part starts. `wait` blocks until it is free.
    long lock(off_t start, off_t length, bool wait, off_t* held_from = nullptr);
    int fd() const { return fd_; }
    const std::string& path() const { return path_; }

private:
    std::string path_;
    int fd_ = -1;
};

// The lock of one output path, held from before the work until the file is
// published: PATH.lock, removed on release. A second writer of PATH gets
// ConfigError "PATH is being written by another airace (pid N, ...)" or,
// with `wait`, waits for the first to finish.
class PathLock {
public:
    PathLock(const std::string& path, bool wait);
    ~PathLock();
    PathLock(const PathLock&) = delete;
    PathLock& operator=(const PathLock&) = delete;

private:
    std::string lock_path_;
    std::unique_ptr<LockFile> file_;  // closing any descriptor of it would release the lock
};

// "pid N" for a lock's holder, "a process whose id the file system does not
// give" for -1.
std::string describe_holder(long pid);

}  // namespace airace::publish
