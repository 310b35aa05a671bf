#pragma once
// SweepConfig: a parameter sweep as plain, validated data (configs/sweeps/,
// docs/sweeps.md). A sweep names a base scenario, the scenario keys to vary
// (each a range or a list), a design that turns them into points, replicates
// with explicit seeds and the /aggregates metrics to keep. Like scenarios,
// sweep files are read only by the config layer (config/sweep_yaml.cpp, with
// the helpers it shares with scenario files in config/yaml_common.cpp), with
// the same file:line:col messages and closest-key suggestions.
//
// Every run of a sweep is the base scenario plus "key=value" overrides
// applied by apply_override, so a swept value is validated exactly like a
// --set; the loader checks up front what it can without running anything:
// that each key exists (find_field), that values have the key's type and
// range, and that the design has what it needs.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "config/config.hpp"

namespace airace {

// ensemble: one point (the base scenario itself) run once per seed.
enum class DesignKind { grid, zip, lhs, sobol, morris, ensemble };
enum class ParameterScale { lin, log };

struct SweepParameter {
    std::string key;                 // scenario key path, e.g. "data.human_stock_tokens_2024"
    FieldType type = FieldType::real;  // the key's type in the field registry
    bool has_range = false;
    double low = 0;                  // range: [low, high] in the key's unit
    double high = 0;
    ParameterScale scale = ParameterScale::lin;
    // A list, as the text of each item ("0.3", "replace", "true"). Numeric
    // keys also get `numeric` (same order); other keys are addressed by index.
    std::vector<std::string> values;
    std::vector<double> numeric;
    int line = 0;                    // where the parameter is defined (1-based)
    int column = 0;

    bool categorical() const { return !has_range && numeric.size() != values.size(); }
};

struct SweepConfig {
    std::string source;       // the sweep file's path (or a name for text)
    std::string text;         // its bytes, copied into the sweep directory
    std::string name;
    std::string description;
    std::string base;         // base scenario path, resolved against the sweep file
    int base_line = 0;        // position of `base:` for messages
    int base_column = 0;
    DesignKind design = DesignKind::grid;
    std::size_t samples = 0;  // lhs: points; sobol: base samples N; morris: trajectories r
    std::size_t levels = 0;   // grid: points per range; morris: grid levels p (default 4)
    std::uint64_t design_seed = 1;
    std::vector<std::uint64_t> seeds;  // one per replicate
    std::vector<std::string> metrics;  // /aggregates names kept by merge (empty: every one)
    std::optional<int> metric_year;    // year whose last step gives scalar metrics
    std::vector<SweepParameter> parameters;
};

inline constexpr std::size_t max_sweep_runs = 10'000'000;

// Reads and validates a sweep file. Throws ConfigError naming file:line:col,
// the key path, what was expected and the closest valid key. Does not open
// the base scenario (the runner does, so `merge` works where it is missing).
SweepConfig load_sweep(const std::string& path);
SweepConfig load_sweep_text(const std::string& text, const std::string& source);

std::string design_name(DesignKind design);
std::string scale_name(ParameterScale scale);

}  // namespace airace
