#pragma once
// Writes a RunRecord to a run file (HDF5, schema 1; docs/output-schema.md).
// The file appears under its final name only when complete: it is written as
// PATH.tmp.<pid>.<random> (unique to this writer) beside the target, closed, fsync'ed (file and directory), then
// renamed. The same record always gives a byte-identical file.

#include <string>

#include "base/profile.hpp"
#include "record/record.hpp"

namespace airace {

// Throws ConfigError "PATH exists; use --force to overwrite" before doing any
// work when PATH exists and !force; RuntimeFailure (naming the file and the
// dataset path) when writing fails, after removing its temporary file. The written
// hdf5_version attribute is the linked library's, not record.meta's.
// `profiler`, when given, times the parts of the write (--profile).
void write_run_file(const RunRecord& record, const std::string& path, bool force,
                    Profiler* profiler = nullptr);

// The linked HDF5 library's version, "1.10.8".
std::string library_hdf5_version();

}  // namespace airace
