// Conventions every command shares (tools/cli_support.hpp, docs/cli.md).

#include "cli_support.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "base/errors.hpp"
#include "commands.hpp"
#include "config/config.hpp"
#include "base/text.hpp"

namespace airace::cli {
namespace {

// The whole text as a finite number (an optional leading '+'), as scenario
// files read numbers; nullopt for anything else (nan, inf, hex, trailing text).
std::optional<double> whole_number(std::string text) {
    if (!text.empty() && text.front() == '+') text.erase(0, 1);
    if (text.empty()) return std::nullopt;
    double value = 0;
    const char* end = text.data() + text.size();
    const auto result = std::from_chars(text.data(), end, value);
    if (result.ec != std::errc() || result.ptr != end || !std::isfinite(value)) return std::nullopt;
    return value;
}

std::string range_text(double min, double max, bool integer) {
    return fmt::format("{} in [{}, {}]", integer ? "an integer" : "a number", min, max);
}

// The subcommands parsed so far: "airace sweep merge".
std::string command_path(CLI::App& app) {
    std::string path = "airace";
    CLI::App* at = &app;
    for (;;) {
        const std::vector<CLI::App*> parsed = at->get_subcommands();
        if (parsed.empty()) return path;
        at = parsed.front();
        path += " " + at->get_name();
    }
}

}  // namespace

CLI::Validator number_in(double min, double max, bool integer) {
    const std::string expected = range_text(min, max, integer);
    return CLI::Validator(
        [min, max, integer, expected](std::string& text) -> std::string {
            const std::optional<double> value = whole_number(text);
            if (!value || *value < min || *value > max ||
                (integer && *value != std::floor(*value)))
                return fmt::format("expected {}, got '{}'", expected, text);
            if (integer) text = fmt::format("{}", static_cast<std::int64_t>(*value));
            return std::string();
        },
        fmt::format("in [{}, {}]", min, max));
}

CLI::Validator like_key(const std::string& key) {
    const std::optional<FieldSpec> spec = find_field(key);
    if (!spec || (spec->type != FieldType::integer && spec->type != FieldType::real))
        throw std::logic_error("like_key: " + key + " is not a numeric scenario key");
    CLI::Validator check = number_in(spec->min, spec->max, spec->type == FieldType::integer);
    const std::string unit = spec->unit.empty() ? std::string() : " (" + spec->unit + ")";
    return CLI::Validator(
        [check, key](std::string& text) -> std::string {
            const std::string problem = check(text);
            return problem.empty() ? problem : fmt::format("{} (as the key {})", problem, key);
        },
        fmt::format("in [{}, {}]{}", spec->min, spec->max, unit));
}

void examples(CLI::App* command, std::initializer_list<const char*> lines) {
    std::string text = "\nExamples:\n";
    for (const char* line : lines) text += fmt::format("  {}\n", line);
    command->footer(text);
}

int report_parse_error(CLI::App& app, const CLI::ParseError& error) {
    const std::string name = error.get_name();
    if (name == "CallForHelp" || name == "CallForAllHelp" || name == "CallForVersion") {
        app.exit(error);  // CLI11 prints help (of the command asked) and the version
        return exit_ok;
    }
    const std::string path = command_path(app);
    // `airace frobnicate`: CLI11 says a subcommand is required; name the word.
    const std::vector<std::string> left = app.remaining();
    if (path == "airace" && name == "RequiredError" && !left.empty() && left.front().front() != '-') {
        std::vector<std::string> names;
        for (const CLI::App* sub : app.get_subcommands([](const CLI::App* a) { return !a->get_group().empty(); }))
            names.push_back(sub->get_name());
        const std::string near = closest_of(left.front(), names);
        print_error(fmt::format("unknown command '{}'{}; the commands are {} (see 'airace --help')", left.front(),
                                near.empty() ? "" : fmt::format(" (did you mean '{}'?)", near),
                                fmt::join(names, ", ")));
        return exit_bad_input;
    }
    print_error(fmt::format("{}: {} (see '{} --help')", path, error.what(), path));
    return exit_bad_input;
}

void print_error(const std::string& message) {
    std::size_t start = 0;
    while (start <= message.size()) {
        std::size_t end = message.find('\n', start);
        if (end == std::string::npos) end = message.size();
        if (end > start) fmt::print(stderr, "airace: error: {}\n", message.substr(start, end - start));
        start = end + 1;
    }
}

void check_output_target(const std::string& path) {
    std::error_code error;
    const auto status = std::filesystem::status(path, error);
    if (error || !std::filesystem::exists(status) || std::filesystem::is_regular_file(status)) return;
    const char* what = std::filesystem::is_directory(status) ? "a directory"
                       : std::filesystem::is_fifo(status)    ? "a FIFO"
                       : std::filesystem::is_socket(status)  ? "a socket"
                                                             : "a device or special file";
    throw ConfigError(fmt::format("{}: exists and is {}, not a file airace may replace; give another output path",
                                  path, what));
}

}  // namespace airace::cli
