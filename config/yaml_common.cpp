// The YAML helpers shared by scenario and sweep files (config/yaml_common.hpp).
//
// yaml-cpp 0.7 accepts duplicate keys (last wins) and reports missing keys and
// bad conversions without positions, so the readers walk every mapping
// themselves: each key is checked against the field registry, each value is
// converted by our own strict parsers, and every message carries
// file:line:col (1-based) and the key path. Size and nesting depth are capped
// before yaml-cpp sees the text, since deep nesting has overflowed its stack.

#include "config/yaml_common.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>
#include <vector>

#include <fmt/ranges.h>

#include "base/errors.hpp"
#include "base/text.hpp"
#include "config/config_yaml.hpp"

namespace airace::yaml_detail {
namespace {

std::string range_text(const FieldSpec& spec) {
    return fmt::format("[{}, {}]", spec.min, spec.max);
}

std::string unit_suffix(const FieldSpec& spec) {
    return spec.unit.empty() ? std::string() : fmt::format(" ({})", spec.unit);
}

}  // namespace

Location location_of(const std::string& source, const YAML::Mark& mark) {
    if (mark.is_null()) return {source, 0, 0};
    return {source, mark.line + 1, mark.column + 1};
}

[[noreturn]] void fail(const Location& where, const std::string& key, const std::string& what) {
    if (key.empty()) throw ConfigError(fmt::format("{}: {}", where.text(), what));
    throw ConfigError(fmt::format("{}: {}: {}", where.text(), key, what));
}

[[noreturn]] void throw_problems(const std::vector<std::string>& errors) {
    std::vector<std::string> shown(errors.begin(),
                                   errors.begin() + static_cast<std::ptrdiff_t>(std::min(
                                                        errors.size(), max_reported_problems)));
    if (errors.size() > shown.size())
        shown.push_back(fmt::format("... and {} more problem(s)", errors.size() - shown.size()));
    throw ConfigError(fmt::format("{}", fmt::join(shown, "\n")));
}

std::string node_kind(const YAML::Node& node) {
    switch (node.Type()) {
        case YAML::NodeType::Null: return "nothing (null)";
        case YAML::NodeType::Scalar: return fmt::format("'{}'", node.Scalar());
        case YAML::NodeType::Sequence: return "a list";
        case YAML::NodeType::Map: return "a mapping";
        case YAML::NodeType::Undefined: return "nothing";
    }
    return "something else";
}

bool parse_real(const std::string& text, double& out) {
    std::string t = text;
    if (!t.empty() && t.front() == '+') t.erase(0, 1);
    if (t.empty()) return false;
    const char* begin = t.data();
    const char* end = t.data() + t.size();
    const auto result = std::from_chars(begin, end, out);
    return result.ec == std::errc() && result.ptr == end && std::isfinite(out);
}


FieldValue convert_scalar(const FieldSpec& spec, const std::string& text, bool is_scalar,
                          const std::string& shown, const Location& where) {
    const auto expected = [&] {
        if (spec.type == FieldType::real || spec.type == FieldType::integer)
            return fmt::format("expected {} in {}{}, got {}", field_type_name(spec.type),
                               range_text(spec), unit_suffix(spec), shown);
        return fmt::format("expected {}, got {}", field_type_name(spec.type), shown);
    };
    if (!is_scalar) fail(where, spec.path, expected());
    switch (spec.type) {
        case FieldType::real: {
            double value = 0;
            if (!parse_real(text, value)) fail(where, spec.path, expected());
            if (value < spec.min || value > spec.max) fail(where, spec.path, expected());
            return value;
        }
        case FieldType::integer: {
            double value = 0;
            if (!parse_real(text, value) || value != std::floor(value))
                fail(where, spec.path, expected());
            if (value < spec.min || value > spec.max) fail(where, spec.path, expected());
            return static_cast<std::int64_t>(value);
        }
        case FieldType::boolean: {
            if (text == "true") return true;
            if (text == "false") return false;
            fail(where, spec.path, expected());
        }
        case FieldType::string: return text;
        case FieldType::choice: {
            for (const auto& option : spec.choices)
                if (text == option) return text;
            const std::string near = closest_of(text, spec.choices);
            fail(where, spec.path,
                 fmt::format("expected one of {}, got {}{}", fmt::join(spec.choices, ", "), shown,
                             near.empty() ? "" : fmt::format("; did you mean '{}'?", near)));
        }
    }
    fail(where, spec.path, expected());
}

std::string suggestion(const std::string& path) {
    std::vector<std::string> candidates = list_sections();
    candidates.push_back("extends");
    std::set<std::string> sections;
    for (const auto& spec : scenario_fields()) {
        candidates.push_back(spec.path);
        for (std::size_t dot = spec.path.find('.'); dot != std::string::npos;
             dot = spec.path.find('.', dot + 1))
            sections.insert(spec.path.substr(0, dot));
    }
    candidates.insert(candidates.end(), sections.begin(), sections.end());
    std::string best = closest_of(path, candidates);
    if (best.empty()) best = closest_field(path);
    if (best.empty()) return " (see configs/README.md for every key)";
    return fmt::format("; did you mean '{}'?", best);
}

namespace {

// Rejects inputs that could exhaust yaml-cpp's stack before parsing.
void check_limits(const std::string& text, const std::string& source) {
    if (text.size() > max_scenario_bytes)
        fail({source}, "",
             fmt::format("file is {} bytes; scenario files are limited to {} bytes", text.size(),
                         max_scenario_bytes));
    int bracket_depth = 0;
    int line = 1;
    int column = 0;
    int indentation = 0;
    bool at_line_start = true;
    for (char ch : text) {
        ++column;
        if (ch == '\n') {
            ++line;
            column = 0;
            indentation = 0;
            at_line_start = true;
            continue;
        }
        if (at_line_start && (ch == ' ' || ch == '-')) {
            ++indentation;
        } else {
            at_line_start = false;
        }
        if (ch == '[' || ch == '{') ++bracket_depth;
        if (ch == ']' || ch == '}') bracket_depth = std::max(0, bracket_depth - 1);
        if (bracket_depth > max_scenario_depth || indentation > 4 * max_scenario_depth)
            fail({source, line, column}, "",
                 fmt::format("nesting deeper than {} levels is not allowed in a scenario",
                             max_scenario_depth));
    }
}

// Caps the nodes a walk of the parsed document can visit. yaml-cpp keeps an
// alias as a second reference to its anchor's node, so a few lines of nested
// aliases ("billion laughs") stand for an exponential number of nodes: any
// walk over them, ours included, would never end. This walk counts every
// visit (an alias each time it is used) and stops at the cap, so it costs at
// most max_scenario_nodes steps whatever the document.
void check_node_count(const YAML::Node& root, const std::string& source) {
    std::vector<YAML::Node> pending = {root};
    std::size_t visited = 0;
    while (!pending.empty()) {
        const YAML::Node node = pending.back();
        pending.pop_back();
        if (++visited > max_scenario_nodes)
            fail({source}, "",
                 fmt::format("more than {} values (a value reached through an alias counts each "
                             "time); scenario and sweep files are limited to {}",
                             max_scenario_nodes, max_scenario_nodes));
        if (node.IsSequence()) {
            for (const YAML::Node& item : node) pending.push_back(item);
        } else if (node.IsMap()) {
            for (const auto& entry : node) {
                pending.push_back(entry.first);
                pending.push_back(entry.second);
            }
        }
    }
}

}  // namespace

YAML::Node parse_document(const std::string& text, const std::string& source,
                          const char* expected) {
    check_limits(text, source);
    YAML::Node root;
    try {
        root = YAML::Load(text);
    } catch (const YAML::ParserException& error) {
        fail(location_of(source, error.mark), "", fmt::format("YAML syntax error: {}", error.msg));
    } catch (const YAML::Exception& error) {
        fail({source}, "", fmt::format("cannot read YAML: {}", error.msg));
    }
    check_node_count(root, source);
    if (!root.IsMap())
        fail(location_of(source, root.Mark()), "",
             fmt::format("{}, got {}", expected, node_kind(root)));
    return root;
}

}  // namespace airace::yaml_detail
