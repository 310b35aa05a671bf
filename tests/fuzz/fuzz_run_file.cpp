// Fuzz target: bytes -> a file -> read_run_file, as `airace inspect`,
// replay and sweep --resume read files from elsewhere. Every bad file must be
// a RunFileError; anything else escaping (a crash inside libhdf5, a huge
// allocation from a claimed shape, a hang) is a bug.
//
// The reader checks the whole-file checksum before libhdf5 reads any string
// or array, so mutated bytes mostly stop there: this target checks that the
// gate itself (signature, superblock, the checksum dataset's layout and
// offset) holds for any bytes.

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "output/reader.hpp"
#include "base/errors.hpp"

namespace {

std::string temp_path() {
    const char* dir = std::getenv("TMPDIR");
    return std::string(dir != nullptr && *dir != '\0' ? dir : "/tmp") + "/airace-fuzz-" +
           std::to_string(::getpid()) + ".h5";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::string path = temp_path();
    std::FILE* file = std::fopen(path.c_str(), "wb");
    if (file == nullptr) return 0;
    const bool written = std::fwrite(data, 1, size, file) == size;
    if (std::fclose(file) != 0 || !written) return 0;
    try {
        airace::read_run_file(path);
    } catch (const airace::RunFileError&) {
    }
    try {
        airace::read_run_metadata(path);
    } catch (const airace::RunFileError&) {
    }
    std::remove(path.c_str());
    return 0;
}
