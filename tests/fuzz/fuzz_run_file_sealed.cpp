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
#include <stdexcept>
#include <string>

#include "output/h5.hpp"
#include "output/integrity.hpp"
#include "output/reader.hpp"
#include "base/errors.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::string path = airace::fuzz::temp_path("airace-fuzz-sealed-");
    if (!airace::fuzz::write_file(path, data, size)) return 0;
    // Where the checksum lives, found as the reader finds it.
    std::uint64_t offset = 0;
    bool found = false;
    airace::fuzz::expect_only<airace::h5::Error>([&] {
        const airace::h5::Object h5file = airace::h5::open_file_read_only(path);
        const airace::h5::Object root = airace::h5::root_group(h5file);
        if (airace::h5::has_link(root, "file_checksum")) {
            offset = airace::h5::storage_offset(airace::h5::open_dataset(root, "file_checksum"));
            found = true;
        }
    });
    if (found && offset <= size && size - offset >= 8)
        airace::fuzz::expect_only<std::runtime_error>([&] { airace::integrity::seal(path, offset); });
    airace::fuzz::expect_only<airace::RunFileError>([&] { airace::read_run_file(path); });
    std::remove(path.c_str());
    return 0;
}
