#pragma once
// Crash-safe publication of the files output/ writes (run files, sweep
// files): each is built as PATH.tmp beside its target, closed and fsync'ed,
// then renamed into place and its folder fsync'ed, so a file under its final
// name is always complete (docs/output-schema.md, "Writing: tmp, fsync,
// rename"). No HDF5 here.

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

}  // namespace airace::publish
