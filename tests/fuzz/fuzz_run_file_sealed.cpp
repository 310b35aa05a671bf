// Fuzz target: bytes -> a file whose /file_checksum is recomputed -> the
// run-file reader. fuzz_run_file shows that damaged bytes stop at the
// checksum; this one seals each mutated file again first, so the reader's
// later checks (format, schema, every dataset's shape against `steps` and
// the file size before any allocation) and libhdf5's own parser see the
// damage, as they would for a file crafted on purpose. Crashes inside
// libhdf5 1.10 itself are possible here and are not airace's to fix, so this
// target is not part of `make fuzz`'s default set (docs/reliability.md); run
// it with `tools/fuzz/run run_file_sealed`.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "output/reader.hpp"
#include "base/errors.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::string path = airace::fuzz::temp_path("airace-fuzz-sealed-");
    if (!airace::fuzz::write_file(path, data, size)) return 0;
    airace::fuzz::reseal(path, size);
    airace::fuzz::expect_only<airace::RunFileError>([&] { airace::read_run_file(path); });
    std::remove(path.c_str());
    return 0;
}
