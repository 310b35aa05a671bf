#pragma once
// Whether run files are compressed, chosen once per process (`airace
// --compression`): deflate (the default: shuffle, then deflate at
// deflate_level; small files) or none (chunked and unfiltered: several times
// faster to write, several times larger; docs/performance.md). Either way
// every HDF5 reader reads the file. No hdf5.h here: tools/ sets the mode.

namespace airace::storage {

inline constexpr unsigned deflate_level = 1;

enum class Compression { deflate, none };
void set_compression(Compression mode);
Compression compression();
// The level chunks are deflated at: deflate_level, or 0 for none.
unsigned active_deflate_level();

}  // namespace airace::storage
