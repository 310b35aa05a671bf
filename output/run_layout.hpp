#pragma once
// Pieces of a run file's layout and publication shared by the writer of a
// whole record (writer.cpp) and the streamed writer (stream_writer.cpp):
// both write the same objects, in the same order of creation.

#include <cstdint>
#include <string>

#include "base/profile.hpp"
#include "output/h5.hpp"
#include "record/record.hpp"

namespace airace::run_layout {

// The root group's attributes, in their fixed order.
void write_root_attributes(const h5::Object& root, const RunMetadata& meta);
// Seals the closed file `tmp` (checksum at `checksum_offset`), fsyncs it and
// renames it to `path` (publish.hpp); `directory` is path's folder.
void seal_and_publish(const std::string& tmp, const std::string& path, const std::string& directory,
                      std::uint64_t checksum_offset, bool force, Profiler* profiler);

}  // namespace airace::run_layout
