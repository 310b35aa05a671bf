// Fuzz target: bytes -> a file sealed again -> read_run_file -> a run resumed
// from its last checkpoint for one step, as `airace run --resume`, `airace
// fork` and `airace sweep --resume` restore worlds from files written
// elsewhere. A checkpoint whose columns disagree with the world built from
// the stored configuration must end in one of airace's errors (exit code 2
// or 1), never a crash, an out-of-bounds read or a hang.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "fuzz_input.hpp"
#include "fuzz_resume.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::string path = airace::fuzz::temp_path("airace-fuzz-checkpoint-");
    if (!airace::fuzz::write_file(path, data, size)) return 0;
    airace::fuzz::reseal(path, size);
    airace::fuzz::read_and_resume(path);
    std::remove(path.c_str());
    return 0;
}
