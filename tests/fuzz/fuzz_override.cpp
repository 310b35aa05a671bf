// Fuzz target: `--set` assignments -> apply_override, then the cross-field
// checks every scenario passes. Each line of the input is one assignment
// ("key.path=value"), applied in order to the defaults. Bad input must be a
// ConfigError; anything else escaping is a bug.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "config/config_yaml.hpp"
#include "base/errors.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text = airace::fuzz::text(data, size);
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start <= text.size() && lines.size() < 64) {
        const std::size_t end = text.find('\n', start);
        lines.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
        if (end == std::string::npos) break;
        start = end + 1;
    }
    airace::ScenarioConfig config = airace::default_scenario_config();
    config.scenario.name = "fuzz";
    for (const std::string& line : lines)
        airace::fuzz::expect_only<airace::ConfigError>([&] { airace::apply_override(config, line); });
    // The same assignments through the loader: overrides, then validation.
    airace::fuzz::expect_only<airace::ConfigError>(
        [&] { airace::load_scenario_text("scenario:\n  name: fuzz\n", "fuzz.yaml", lines); });
    return 0;
}
