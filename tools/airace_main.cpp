// airace command line (CLI11). Subcommands are thin drivers over the library:
// they parse, call load_scenario / run / write_run_file / read_run_file, and
// map typed exceptions to exit codes (ARCHITECTURE.md):
// 0 success, 1 runtime failure, 2 bad input, 3 replay mismatch.

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "output/inspect.hpp"
#include "output/reader.hpp"
#include "output/writer.hpp"
#include "progress.hpp"
#include "sim/config.hpp"
#include "sim/config_yaml.hpp"
#include "sim/errors.hpp"
#include "sim/run.hpp"
#include "sim/summary.hpp"

namespace fs = std::filesystem;
using namespace airace;

namespace {

constexpr int exit_ok = 0;
constexpr int exit_runtime = 1;
constexpr int exit_bad_input = 2;

struct RunArgs {
    std::string scenario;
    std::string output;
    std::vector<std::string> overrides;
    std::uint64_t seed = 0;
    int threads = 0;
    bool force = false;
    bool quiet = false;
    bool json = false;
};

std::string default_output(const ScenarioConfig& config, std::uint64_t seed) {
    return fmt::format("output/runs/{}-seed{}.h5", config.scenario.name, seed);
}

int command_run(const RunArgs& args, bool seed_given) {
    ScenarioConfig config = load_scenario(args.scenario, args.overrides);
    const std::uint64_t seed = seed_given ? args.seed : config.scenario.seed;
    std::string output = args.output;
    if (output.empty()) {
        output = default_output(config, seed);
        fs::create_directories(fs::path(output).parent_path());
    }
    // Refuse before spending time on the run.
    if (fs::exists(output) && !args.force)
        throw ConfigError(fmt::format("{}: file exists; use --force to overwrite", output));
    const fs::path parent = fs::path(output).parent_path();
    if (!parent.empty() && !fs::is_directory(parent))
        throw RuntimeFailure(fmt::format("{}: cannot write: directory {} does not exist", output,
                                         parent.string()));

    Progress progress(fmt::format("airace run {}", config.scenario.name), args.quiet);
    RunOptions options;
    options.seed = seed;
    options.threads = args.threads;
    options.progress = [&](int done, int total) { progress.update(done, total); };
    const RunRecord record = run(config, options);
    progress.finish();
    write_run_file(record, output, args.force);
    if (args.json) {
        fmt::print("{{\"run_file\":{},\"summary\":{}}}\n", json_string(output), summary_json(record));
    } else if (!args.quiet) {
        fmt::print("airace {} — scenario '{}', seed {}, {} steps from {}\n\n",
                   record.meta.airace_version, record.meta.scenario_name, record.meta.seed,
                   record.meta.steps, record.meta.start_year);
        fmt::print("{}", summary_table(record));
        fmt::print("\nrun file: {}\n", output);
    }
    return exit_ok;
}

int command_validate(const std::string& scenario, const std::vector<std::string>& overrides,
                     bool print) {
    const ScenarioConfig config = load_scenario(scenario, overrides);
    if (print) {
        fmt::print("{}", resolved_yaml(config));
    } else {
        fmt::print("{}: valid scenario '{}' ({} to {}, {} labs, {} investors)\n", scenario,
                   config.scenario.name, config.time.start_year, config.time.end_year,
                   config.labs.count, config.investors.count);
    }
    return exit_ok;
}

// Every dataset of a run file with shape and units, as Markdown (the
// "Columns" section of docs/output-schema.md).
std::string columns_markdown(const RunRecord& record) {
    std::string out = "| dataset | shape | units |\n|---|---|---|\n";
    for (const Series& s : record.aggregates)
        out += fmt::format("| `/aggregates/{}` | [T] | {} |\n", s.name, s.units);
    for (const KindRecord& kind : record.kinds)
        for (const Matrix& m : kind.columns)
            out += fmt::format("| `/{}/{}` | [T, {}] | {} |\n", kind.kind, m.name, kind.kind, m.units);
    for (const MarketRecord& market : record.markets)
        for (const Matrix& m : market.columns)
            out += fmt::format("| `/markets/{}/{}` | [T, {}] ({}) | {} |\n", market.market, m.name,
                               market.labels.size(), fmt::join(market.labels, ", "), m.units);
    out += fmt::format("\nEvent types (`/events` attribute `types`, by code): {}.\n\n",
                       fmt::join(record.event_types, ", "));
    out += fmt::format("Edge types (`/network/edges` attribute `types`, by code): {}.\n",
                       fmt::join(record.edge_types, ", "));
    return out;
}

int command_inspect(const std::string& path, bool json, bool columns) {
    const RunRecord record = read_run_file(path);
    if (columns) {
        fmt::print("{}", columns_markdown(record));
        return exit_ok;
    }
    fmt::print("{}", json ? inspect_json(record) + "\n" : inspect_text(record));
    return exit_ok;
}

// The key reference of configs/README.md, generated from the field registry.
int command_keys(bool markdown) {
    const ScenarioConfig defaults = default_scenario_config();
    if (markdown) {
        fmt::print("| key | type | default | range | unit | meaning |\n|---|---|---|---|---|---|\n");
    }
    const auto print = [&](const FieldSpec& spec, const std::string& path, std::string value) {
        std::string range = "-";
        if (spec.type == FieldType::real || spec.type == FieldType::integer)
            range = fmt::format("{} .. {}", spec.min, spec.max);
        if (spec.type == FieldType::choice) range = fmt::format("{}", fmt::join(spec.choices, ", "));
        if (spec.required) value = "(required)";
        if (markdown) {
            fmt::print("| `{}` | {} | {} | {} | {} | {} |\n", path, field_type_name(spec.type), value,
                       range, spec.unit.empty() ? "-" : spec.unit, spec.doc);
        } else {
            fmt::print("{} = {}  [{}]  {}\n", path, value, spec.unit, spec.doc);
        }
    };
    for (const FieldSpec& spec : scenario_fields())
        print(spec, spec.path, format_field_value(spec.get(defaults)));
    // List items: `influencers[].stance` stands for influencers.0.stance, ...
    for (const std::string& list : list_sections()) {
        ScenarioConfig with_item = defaults;
        const auto fields = list_item_fields(list, 0);
        for (const FieldSpec& spec : fields) spec.set(with_item, spec.get(with_item));
        const std::string prefix = list + ".0.";
        for (const FieldSpec& spec : fields)
            print(spec, list + "[]." + spec.path.substr(prefix.size()),
                  format_field_value(spec.get(with_item)));
    }
    return exit_ok;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"airace: an agent-based simulator of the AI industry's race for scale"};
    app.require_subcommand(1);
    app.set_version_flag("--version", std::string("airace ") + AIRACE_VERSION_STRING);

    RunArgs run_args;
    auto* run_cmd = app.add_subcommand("run", "run a scenario and write its run file (HDF5)");
    run_cmd->add_option("scenario", run_args.scenario, "scenario file (YAML)")->required();
    run_cmd->add_option("-o,--output", run_args.output,
                        "run file to write (default output/runs/NAME-seedSEED.h5)");
    run_cmd->add_option("--set", run_args.overrides, "override a key: key.path=value (repeatable)");
    auto* seed_opt = run_cmd->add_option("--seed", run_args.seed, "random seed (default: scenario.seed)");
    run_cmd->add_option("--threads", run_args.threads, "worker threads (default: all cores)")
        ->check(CLI::Range(0, 4096));
    run_cmd->add_flag("--force", run_args.force, "overwrite an existing run file");
    run_cmd->add_flag("--quiet", run_args.quiet, "no progress, no summary");
    run_cmd->add_flag("--json", run_args.json, "print the summary as JSON");

    std::string validate_file;
    std::vector<std::string> validate_overrides;
    bool validate_print = false;
    auto* validate_cmd = app.add_subcommand("validate", "check a scenario file");
    validate_cmd->add_option("scenario", validate_file, "scenario file (YAML)")->required();
    validate_cmd->add_option("--set", validate_overrides, "override a key: key.path=value");
    validate_cmd->add_flag("--print", validate_print, "print the fully resolved scenario");

    std::string inspect_file;
    bool inspect_json_flag = false;
    auto* inspect_cmd = app.add_subcommand("inspect", "summarise a run file");
    inspect_cmd->add_option("run_file", inspect_file, "run file (HDF5)")->required();
    inspect_cmd->add_flag("--json", inspect_json_flag, "machine-readable output");
    bool inspect_columns = false;
    inspect_cmd->add_flag("--columns", inspect_columns,
                          "list every dataset with shape and units (Markdown)");

    bool keys_markdown = false;
    auto* keys_cmd = app.add_subcommand("keys", "list every scenario key with default, range and unit");
    keys_cmd->add_flag("--markdown", keys_markdown, "as a Markdown table (configs/README.md)");

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& error) {
        const int code = app.exit(error);
        return code == 0 ? exit_ok : exit_bad_input;
    }

    try {
        if (*run_cmd) return command_run(run_args, seed_opt->count() > 0);
        if (*validate_cmd) return command_validate(validate_file, validate_overrides, validate_print);
        if (*inspect_cmd) return command_inspect(inspect_file, inspect_json_flag, inspect_columns);
        if (*keys_cmd) return command_keys(keys_markdown);
    } catch (const ConfigError& error) {
        fmt::print(stderr, "airace: error: {}\n", error.what());
        return exit_bad_input;
    } catch (const RunFileError& error) {
        fmt::print(stderr, "airace: error: {}\n", error.what());
        return exit_bad_input;
    } catch (const RuntimeFailure& error) {
        fmt::print(stderr, "airace: error: {}\n", error.what());
        return exit_runtime;
    } catch (const std::exception& error) {
        fmt::print(stderr, "airace: internal error: {}\n", error.what());
        return exit_runtime;
    }
    return exit_ok;
}
