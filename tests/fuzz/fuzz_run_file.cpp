// Fuzz target: bytes -> a file -> read_run_file, as `airace inspect`,
// replay and sweep --resume read files from elsewhere. Every bad file must be
// a RunFileError; anything else escaping (a crash inside libhdf5, a huge
// allocation from a claimed shape, a hang) is a bug.
//
// The reader checks the whole-file checksum before libhdf5 reads any string
// or array, so mutated bytes mostly stop there: this target checks that the
// gate itself (signature, superblock, the checksum dataset's layout and
// offset) holds for any bytes.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "output/reader.hpp"
#include "base/errors.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::string path = airace::fuzz::temp_path("airace-fuzz-");
    if (!airace::fuzz::write_file(path, data, size)) return 0;
    airace::fuzz::expect_only<airace::RunFileError>([&] { airace::read_run_file(path); });
    airace::fuzz::expect_only<airace::RunFileError>([&] { airace::read_run_metadata(path); });
    std::remove(path.c_str());
    return 0;
}
