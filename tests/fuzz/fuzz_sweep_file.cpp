// Fuzz target: bytes -> a file -> read_sweep_file, as `airace inspect`,
// compare, fork and report read merged sweep and ensemble files. Every bad
// file must be a RunFileError; anything else escaping (a crash inside
// libhdf5, a huge allocation from a claimed shape, a hang) is a bug.
//
// Sweep files are sealed like run files, so mutated bytes mostly stop at the
// whole-file checksum: this target checks that the gate (signature,
// superblock, the checksum dataset's layout and offset) holds for any bytes;
// fuzz_sweep_file_sealed goes past it.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "output/sweep_file.hpp"
#include "base/errors.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::string path = airace::fuzz::temp_path("airace-fuzz-sweep-");
    if (!airace::fuzz::write_file(path, data, size)) return 0;
    airace::fuzz::expect_only<airace::RunFileError>([&] { airace::read_sweep_file(path); });
    std::remove(path.c_str());
    return 0;
}
