// Fuzz target: bytes -> a file whose /file_checksum is recomputed ->
// read_sweep_file, then the text and JSON summaries of `airace inspect`.
// Sealing each mutated file again lets the damage reach the reader's later
// checks (format, schema, every dataset's shape, the size budget of all
// reads together, run statuses and points) and libhdf5's own parser, as a
// file crafted on purpose would. Hangs inside libhdf5 1.10 itself are found
// here within seconds (H5HG_read on a damaged global heap), so the target is
// not in make fuzz's default set; run it with tools/fuzz/run sweep_file_sealed.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "output/sweep_file.hpp"
#include "base/errors.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::string path = airace::fuzz::temp_path("airace-fuzz-sweep-sealed-");
    if (!airace::fuzz::write_file(path, data, size)) return 0;
    airace::fuzz::reseal(path, size);
    airace::fuzz::expect_only<airace::RunFileError>([&] {
        const airace::SweepRecord record = airace::read_sweep_file(path);
        (void)airace::inspect_sweep_text(record);
        (void)airace::inspect_sweep_json(record);
    });
    std::remove(path.c_str());
    return 0;
}
