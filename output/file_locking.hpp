#pragma once
// HDF5 file locking, chosen once per process (`airace --file-locking`).
//
// HDF5 1.10 takes an flock() on every file it opens, so that a reader and a
// writer never see one file at once. airace does not need it: a run file is
// written under a temporary name of its own by one process (two writers of
// one path exclude each other through publish::PathLock, a lock file of
// their own) and only renamed into place when complete, so no one opens a
// file while it is being written. And flock fails on NFS, Lustre and GPFS
// mounts, where clusters keep their results
// (docs/reliability.md). So the default is off. `on` refuses a file that another
// program (h5py, HDFView) holds open for writing; `best-effort` locks where
// the file system can and goes on where it cannot. HDF5's own environment
// variable HDF5_USE_FILE_LOCKING (TRUE, FALSE, BEST_EFFORT) overrides the
// choice inside the library, as it does for every HDF5 program.
//
// No hdf5.h here: tools/ sets the mode, output/h5_files.cpp applies it.

#include <optional>
#include <string>

namespace airace {

enum class FileLocking { off, on, best_effort };

void set_file_locking(FileLocking mode);
FileLocking file_locking();

// "on", "off", "best-effort" (also TRUE/FALSE/BEST_EFFORT, any case);
// nullopt for anything else.
std::optional<FileLocking> parse_file_locking(const std::string& text);

}  // namespace airace
