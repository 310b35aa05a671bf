// Fuzz target: scenario text -> load_scenario_text (parser, limits, walker,
// validation, `extends:`). Every bad input must be a ConfigError; anything
// else escaping (another exception, a crash, a hang, a sanitizer report) is
// a bug. The text is named as a file in configs/scenarios/ so that seeds
// taken from there resolve `extends: ../baseline.yaml` as in real use.

#include <cstddef>
#include <cstdint>
#include <string>

#include "config/config_yaml.hpp"
#include "base/errors.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text = airace::fuzz::text(data, size);
    airace::fuzz::expect_only<airace::ConfigError>([&] {
        airace::load_scenario_text(text, AIRACE_SOURCE_DIR "/configs/scenarios/fuzz-input.yaml");
    });
    return 0;
}
