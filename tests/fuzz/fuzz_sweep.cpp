// Fuzz target: sweep file text -> load_sweep_text (parser, limits, the sweep
// reader's checks). The base scenario is not opened by the loader. Bad input
// must be a ConfigError; anything else escaping is a bug.

#include <cstddef>
#include <cstdint>
#include <string>

#include "base/errors.hpp"
#include "config/sweep_config.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text = airace::fuzz::text(data, size);
    airace::fuzz::expect_only<airace::ConfigError>([&] {
        airace::load_sweep_text(text, AIRACE_SOURCE_DIR "/configs/sweeps/fuzz-input.yaml");
    });
    return 0;
}
