// `airace init NAME`: a new scenario file, NAME.yaml, that extends the
// baseline and lists a few commonly changed keys, commented out with the
// baseline's values, their units, ranges and meanings from the key registry.

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "cli_support.hpp"
#include "commands.hpp"
#include "config/config.hpp"
#include "config/config_yaml.hpp"
#include "base/errors.hpp"

#ifndef AIRACE_SOURCE_DIR
#define AIRACE_SOURCE_DIR ""
#endif

namespace fs = std::filesystem;

namespace airace::cli {
namespace {

// Shown commented out, grouped by section, in this order.
const std::vector<std::string> common_keys = {
    "scenario.seed",
    "time.end_year",
    "labs.count",
    "investors.count",
    "compute.hardware_improvement_per_year",
    "compute.electricity_usd_per_kwh",
    "data.stock_growth_per_year",
    "synthetic.mode",
    "regulators.us.base_stringency",
    "regulators.us.export_control_share",
};

struct InitArgs {
    std::string name;
    std::string extends;
    bool force = false;
};

// The baseline a new scenario extends: configs/baseline.yaml under the
// working directory, else in the source tree airace was built from, else
// where `cmake --install` put it (PREFIX/share/airace/configs).
std::string find_baseline() {
    std::vector<fs::path> candidates = {fs::path("configs") / "baseline.yaml"};
    if (*AIRACE_SOURCE_DIR != '\0')
        candidates.push_back(fs::path(AIRACE_SOURCE_DIR) / "configs" / "baseline.yaml");
    std::error_code error;
    const fs::path exe = fs::read_symlink("/proc/self/exe", error);
    if (!error)
        candidates.push_back(exe.parent_path().parent_path() / "share" / "airace" / "configs" /
                             "baseline.yaml");
    for (const fs::path& candidate : candidates)
        if (fs::is_regular_file(candidate, error)) return candidate.string();
    throw ConfigError("init: cannot find configs/baseline.yaml; name the scenario to extend with "
                      "--extends FILE");
}

// `extends:` is read relative to the extending file's folder.
std::string extends_path(const fs::path& target, const fs::path& base) {
    const fs::path folder = fs::absolute(target).parent_path();
    const fs::path relative = fs::absolute(base).lexically_normal().lexically_relative(folder);
    return relative.empty() ? fs::absolute(base).lexically_normal().string() : relative.string();
}

std::vector<std::string> split_path(const std::string& path) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (std::size_t dot = path.find('.'); dot != std::string::npos; dot = path.find('.', start)) {
        parts.push_back(path.substr(start, dot - start));
        start = dot + 1;
    }
    parts.push_back(path.substr(start));
    return parts;
}

std::string indent(std::size_t depth) { return std::string(2 * depth, ' '); }

// "#   count: 50     # agents; 1 .. 1e+07; number of labs", after the section
// lines ("# labs:") that the previous key's section (`section`) lacks.
std::string commented_key(const FieldSpec& spec, const ScenarioConfig& base, std::string& section) {
    std::vector<std::string> parts = split_path(spec.path);
    const std::string key = parts.back();
    parts.pop_back();
    const std::vector<std::string> previous = split_path(section);
    std::size_t same = 0;
    while (same < parts.size() && same < previous.size() && parts[same] == previous[same]) ++same;
    std::string out = same < parts.size() ? "\n" : "";
    for (std::size_t i = same; i < parts.size(); ++i) out += fmt::format("# {}{}:\n", indent(i), parts[i]);
    section = spec.path.substr(0, spec.path.rfind('.'));
    std::string range = "-";
    if (spec.type == FieldType::real || spec.type == FieldType::integer)
        range = fmt::format("{} .. {}", spec.min, spec.max);
    else if (spec.type == FieldType::choice)
        range = fmt::format("one of {}", fmt::join(spec.choices, ", "));
    const std::string value =
        fmt::format("{}{}: {}", indent(parts.size()), key, format_field_value(spec.get(base)));
    out += fmt::format("# {:<44} # {}{}; {}\n", value, spec.unit.empty() ? "" : spec.unit + "; ", range,
                       spec.doc);
    return out;
}

// A path YAML reads as it is, without quotes.
bool plain_path(const std::string& path) {
    return !path.empty() &&
           path.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./-") ==
               std::string::npos;
}

std::string scenario_text(const std::string& name, const std::string& extends,
                          const ScenarioConfig& base) {
    std::string out = fmt::format(
        "# {}: a scenario that extends the baseline (written by `airace init {}`).\n"
        "# Every key not given here keeps the baseline's value. Below, a few keys that\n"
        "# are often changed are shown commented out with the baseline's value, unit,\n"
        "# range and meaning: uncomment one and change its value. Every key: `airace keys`\n"
        "# or configs/README.md. Check the file with `airace validate {}.yaml`, run it\n"
        "# with `airace run {}.yaml`.\n"
        "extends: {}\n\n"
        "scenario:\n"
        "  name: {}\n"
        "  description: What this scenario asks (edit me).\n",
        name, name, name, name, plain_path(extends) ? extends : format_field_value(FieldValue(extends)), name);
    std::string section = "scenario";
    for (const std::string& key : common_keys)
        if (const std::optional<FieldSpec> spec = find_field(key)) out += commented_key(*spec, base, section);
    return out;
}

int command_init(const InitArgs& args) {
    const fs::path target = args.name.size() > 5 && args.name.substr(args.name.size() - 5) == ".yaml"
                                ? fs::path(args.name)
                                : fs::path(args.name + ".yaml");
    const std::string name = target.stem().string();
    if (fs::exists(target) && !args.force)
        throw ConfigError(fmt::format("{}: file exists; use --force to overwrite", target.string()));
    const fs::path folder = target.parent_path();
    if (!folder.empty() && !fs::is_directory(folder))
        throw ConfigError(fmt::format("{}: cannot write: directory {} does not exist", target.string(),
                                      folder.string()));
    const std::string base_file = args.extends.empty() ? find_baseline() : args.extends;
    const ScenarioConfig base = load_scenario(base_file);
    const std::string text = scenario_text(name, extends_path(target, base_file), base);
    // Checked before it is written: a name that is no identifier is refused here.
    load_scenario_text(text, target.string());
    const fs::path temporary = target.string() + ".tmp";
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        out << text;
        out.close();
        if (!out) throw RuntimeFailure(fmt::format("{}: cannot write", temporary.string()));
    }
    fs::rename(temporary, target);
    fmt::print("{}: new scenario '{}' extending {}; check it with: airace validate {}\n",
               target.string(), name, base_file, target.string());
    return exit_ok;
}

}  // namespace

void add_init_commands(CLI::App& app, Commands& commands) {
    auto args = std::make_shared<InitArgs>();
    auto* cmd = app.add_subcommand("init", "write NAME.yaml: a new scenario that extends the baseline");
    cmd->add_option("name", args->name, "scenario name; the file is NAME.yaml (a folder may lead it)")
        ->required();
    cmd->add_option("--extends", args->extends,
                    "scenario to extend (default: configs/baseline.yaml)");
    cmd->add_flag("--force", args->force, "overwrite an existing NAME.yaml");
    examples(cmd, {"airace init my_scenario && airace validate my_scenario.yaml",
                   "airace init scenarios/cheap_power --extends configs/baseline.yaml"});
    commands.push_back({cmd, [args] { return command_init(*args); }});
}

}  // namespace airace::cli
