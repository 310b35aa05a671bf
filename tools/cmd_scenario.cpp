// `airace validate`, `airace keys`, `airace init`: commands about scenario
// files and the key registry they are checked against.

#include <algorithm>
#include <cmath>
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
#include "record/run.hpp"
#include "record/summary.hpp"
#include "resource_guard.hpp"

namespace airace::cli {
namespace {

struct ValidateArgs {
    std::string file;
    std::vector<std::string> overrides;
    bool print = false;
    bool json = false;
};

// The lines of a ConfigError (one problem each) as a JSON list.
std::string json_lines(const std::string& message) {
    std::vector<std::string> items;
    std::size_t start = 0;
    while (start < message.size()) {
        std::size_t end = message.find('\n', start);
        if (end == std::string::npos) end = message.size();
        if (end > start) items.push_back(json_string(message.substr(start, end - start)));
        start = end + 1;
    }
    return fmt::format("[{}]", fmt::join(items, ","));
}

int command_validate(const ValidateArgs& args) {
    ScenarioConfig config;
    try {
        config = load_scenario(args.file, args.overrides);
    } catch (const ConfigError& error) {
        // Scripts get the problems on stdout too; stderr and exit code 2 as always.
        if (args.json)
            fmt::print("{{\"file\":{},\"valid\":false,\"errors\":{}}}\n", json_string(args.file),
                       json_lines(error.what()));
        throw;
    }
    // The estimate of `airace run` with its default options.
    ResourceOptions resources;
    resources.checkpoint_every = default_checkpoint_every;
    const ResourceEstimate estimate = estimate_resources(config, resources);
    if (args.json) {
        fmt::print("{{\"file\":{},\"valid\":true,\"scenario\":{},\"start_year\":{},\"end_year\":{},"
                   "\"labs\":{},\"investors\":{},\"estimate\":{{\"peak_memory_bytes\":{},"
                   "\"file_bytes\":{},\"edges\":{}}},\"config_yaml\":{}}}\n",
                   json_string(args.file), json_string(config.scenario.name), config.time.start_year,
                   config.time.end_year, config.labs.count, config.investors.count,
                   estimate.peak_memory_bytes, estimate.file_bytes, estimate.edges,
                   json_string(resolved_yaml(config)));
    } else if (args.print) {
        fmt::print("{}", resolved_yaml(config));
    } else {
        fmt::print("{}: valid scenario '{}' ({} to {}, {} labs, {} investors)\n", args.file,
                   config.scenario.name, config.time.start_year, config.time.end_year,
                   config.labs.count, config.investors.count);
        fmt::print("{}", describe_estimate(estimate, resources));
    }
    return exit_ok;
}

// The widest a column of `airace keys` grows for its entries (characters).
constexpr std::size_t max_column_width = 24;

// One key of the registry as `airace keys` shows it.
struct KeyRow {
    const FieldSpec* spec = nullptr;
    std::string path;   // list items as `influencers[].stance`
    FieldValue value;   // the default
};

std::string range_text(const FieldSpec& spec) {
    if (spec.type == FieldType::real || spec.type == FieldType::integer)
        return fmt::format("{} .. {}", spec.min, spec.max);
    if (spec.type == FieldType::choice) return fmt::format("{}", fmt::join(spec.choices, ", "));
    return "-";
}

std::string default_text(const KeyRow& row) {
    return row.spec->required ? "(required)" : format_field_value(row.value);
}

// Every key with its default, list items (`influencers[].stance` stands for
// influencers.0.stance, ...) after the scalar keys. `items` keeps the specs alive.
std::vector<KeyRow> key_rows(std::vector<FieldSpec>& items) {
    const ScenarioConfig defaults = default_scenario_config();
    std::vector<KeyRow> rows;
    for (const FieldSpec& spec : scenario_fields()) rows.push_back({&spec, spec.path, spec.get(defaults)});
    std::vector<std::pair<std::string, FieldValue>> item_rows;
    for (const std::string& list : list_sections()) {
        ScenarioConfig with_item = defaults;
        const auto fields = list_item_fields(list, 0);
        for (const FieldSpec& spec : fields) spec.set(with_item, spec.get(with_item));
        const std::string prefix = list + ".0.";
        for (const FieldSpec& spec : fields) {
            items.push_back(spec);
            item_rows.emplace_back(list + "[]." + spec.path.substr(prefix.size()), spec.get(with_item));
        }
    }
    for (std::size_t i = 0; i < items.size(); ++i)
        rows.push_back({&items[i], item_rows[i].first, item_rows[i].second});
    return rows;
}

std::string json_value(const FieldValue& value) {
    if (const auto* real = std::get_if<double>(&value))
        return std::isfinite(*real) ? fmt::format("{}", *real) : "null";
    if (const auto* integer = std::get_if<std::int64_t>(&value)) return fmt::format("{}", *integer);
    if (const auto* flag = std::get_if<bool>(&value)) return *flag ? "true" : "false";
    return json_string(std::get<std::string>(value));
}

std::string json_type_name(FieldType type) {
    switch (type) {
        case FieldType::real: return "real";
        case FieldType::integer: return "integer";
        case FieldType::boolean: return "boolean";
        case FieldType::string: return "string";
        case FieldType::choice: return "choice";
    }
    return "value";
}

std::string key_json(const KeyRow& row) {
    const FieldSpec& spec = *row.spec;
    std::string range = "null";
    if (spec.type == FieldType::real || spec.type == FieldType::integer)
        range = fmt::format("[{},{}]", spec.min, spec.max);
    std::vector<std::string> choices;
    for (const std::string& choice : spec.choices) choices.push_back(json_string(choice));
    return fmt::format("{{\"key\":{},\"type\":{},\"default\":{},\"required\":{},\"range\":{},"
                       "\"choices\":[{}],\"unit\":{},\"start_only\":{},\"doc\":{}}}",
                       json_string(row.path), json_string(json_type_name(spec.type)),
                       spec.required ? "null" : json_value(row.value), spec.required, range,
                       fmt::join(choices, ","), json_string(spec.unit), spec.start_only,
                       json_string(spec.doc));
}

// The key reference: a table (key, default, range, unit, meaning), the
// Markdown table of configs/README.md, or JSON. Start-only keys (read only
// when the world is built) are marked: a fork cannot change them.
int command_keys(bool markdown, bool json) {
    std::vector<FieldSpec> items;
    const std::vector<KeyRow> rows = key_rows(items);
    if (json) {
        std::vector<std::string> objects;
        for (const KeyRow& row : rows) objects.push_back(key_json(row));
        fmt::print("{{\"keys\":[\n{}\n]}}\n", fmt::join(objects, ",\n"));
        return exit_ok;
    }
    if (markdown) {
        fmt::print("| key | type | default | range | unit | start-only | meaning |\n"
                   "|---|---|---|---|---|---|---|\n");
        for (const KeyRow& row : rows)
            fmt::print("| `{}` | {} | {} | {} | {} | {} | {} |\n", row.path,
                       field_type_name(row.spec->type), default_text(row), range_text(*row.spec),
                       row.spec->unit.empty() ? "-" : row.spec->unit,
                       row.spec->start_only ? "yes" : "", row.spec->doc);
        return exit_ok;
    }
    // Columns as wide as their widest entry, but a long list of choices or
    // a long default text only pushes its own row's meaning to the right.
    std::size_t key_width = 3, default_width = 7, range_width = 5, unit_width = 4;
    for (const KeyRow& row : rows) {
        key_width = std::max(key_width, row.path.size());
        default_width = std::max(default_width, std::min(default_text(row).size(), max_column_width));
        range_width = std::max(range_width, std::min(range_text(*row.spec).size(), max_column_width));
        unit_width = std::max(unit_width, std::min(row.spec->unit.size(), max_column_width));
    }
    const auto line = [&](const std::string& key, const std::string& value, const std::string& range,
                          const std::string& unit, const std::string& meaning) {
        fmt::print("{:<{}}  {:<{}}  {:<{}}  {:<{}}  {}\n", key, key_width, value, default_width, range,
                   range_width, unit, unit_width, meaning);
    };
    line("key", "default", "range", "unit", "meaning");
    for (const KeyRow& row : rows)
        line(row.path, default_text(row), range_text(*row.spec), row.spec->unit.empty() ? "-" : row.spec->unit,
             row.spec->doc + (row.spec->start_only ? " (start-only)" : ""));
    return exit_ok;
}

}  // namespace

void add_scenario_commands(CLI::App& app, Commands& commands) {
    auto validate_args = std::make_shared<ValidateArgs>();
    auto* validate_cmd = app.add_subcommand("validate", "check a scenario file");
    validate_cmd->add_option("scenario", validate_args->file, "scenario file (YAML)")->required();
    validate_cmd->add_option("--set", validate_args->overrides, "override a key: key.path=value");
    validate_cmd->add_flag("--print", validate_args->print, "print the fully resolved scenario");
    validate_cmd->add_flag("--json", validate_args->json,
                           "print {\"valid\": ..., \"errors\"|\"config_yaml\": ...} as JSON");
    examples(validate_cmd, {"airace validate my_scenario.yaml",
                            "airace validate configs/baseline.yaml --set labs.count=80 --print",
                            "airace validate my_scenario.yaml --json"});
    commands.push_back({validate_cmd, [validate_args] { return command_validate(*validate_args); }});

    auto markdown = std::make_shared<bool>(false);
    auto json = std::make_shared<bool>(false);
    auto* keys_cmd = app.add_subcommand(
        "keys", "list every scenario key with default, range, unit and meaning");
    keys_cmd->add_flag("--markdown", *markdown, "as a Markdown table (configs/README.md)");
    keys_cmd->add_flag("--json", *json, "as JSON: key, type, default, range, choices, unit, start_only");
    keys_cmd->get_option("--markdown")->excludes(keys_cmd->get_option("--json"));
    examples(keys_cmd, {"airace keys | grep labs.", "airace keys --markdown > keys.md",
                        "airace keys --json"});
    commands.push_back({keys_cmd, [markdown, json] { return command_keys(*markdown, *json); }});
}

}  // namespace airace::cli
