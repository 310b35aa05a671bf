#pragma once
// Reading scenario files and --set overrides into a validated ScenarioConfig.
// Only the config layer sees YAML: config_yaml.cpp, sweep_yaml.cpp and yaml_common.cpp
// include yaml-cpp; this header does not.

#include <string>
#include <vector>

#include "config/config.hpp"

namespace airace {

inline constexpr std::size_t max_scenario_bytes = 1 << 20;  // 1 MiB
inline constexpr int max_scenario_depth = 32;
// Values (mapping keys, values and list items; an alias counts each time it
// is used) a scenario or sweep file may hold.
inline constexpr std::size_t max_scenario_nodes = 200'000;
// Problems of one file reported at once (the rest are counted).
inline constexpr std::size_t max_reported_problems = 50;

// Loads, validates and applies overrides ("key.path=value", same validation).
// Throws ConfigError naming file:line:col, the key path, what was expected and
// the closest valid key for typos: every problem of the file (and of the
// overrides), one per line, not only the first.
ScenarioConfig load_scenario(const std::string& path,
                             const std::vector<std::string>& overrides = {});

// As load_scenario, from text; `source` names the text in messages.
ScenarioConfig load_scenario_text(const std::string& text, const std::string& source,
                                  const std::vector<std::string>& overrides = {});

// Applies one "key.path=value" override.
void apply_override(ScenarioConfig& config, const std::string& assignment);

// Reads a scenario or sweep file (`what` names it in messages): a regular
// file of at most max_scenario_bytes, read without ever waiting on a FIFO or
// reading a device forever. Returns false with `problem` set otherwise.
bool read_config_text(const std::string& path, const char* what, std::string& text,
                      std::string& problem);

}  // namespace airace
