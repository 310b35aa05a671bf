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
#include <cctype>
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
        case YAML::NodeType::Scalar: return fmt::format("'{}'", clip(node.Scalar()));
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
                               range_text(spec), unit_suffix(spec), clip(shown));
        return fmt::format("expected {}, got {}", field_type_name(spec.type), clip(shown));
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
    // `extends:` nested in a section: it is a top-level key of the file.
    const std::size_t last_dot = path.rfind('.');
    if (last_dot != std::string::npos && path.substr(last_dot + 1) == "extends")
        return "; extends is a key of the file's top level (unindented, first line), not of a section";
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

// Where the quoted scalar opening at text[open] closes: the index of its
// closing quote, or npos when it runs to the end of the text.
std::size_t closing_quote(const std::string& text, std::size_t open) {
    const char quote = text[open];
    for (std::size_t i = open + 1; i < text.size(); ++i) {
        if (quote == '"' && text[i] == '\\') {
            ++i;  // an escaped character
        } else if (text[i] == quote) {
            if (quote == '\'' && i + 1 < text.size() && text[i + 1] == '\'') {
                ++i;  // '' is a quote inside a single-quoted scalar
                continue;
            }
            return i;
        }
    }
    return std::string::npos;
}

// A line that reads as a mapping key (`name:` or `- name:`), and its indentation.
bool key_line(const std::string& line, std::size_t& indent, std::string& key) {
    indent = line.find_first_not_of(' ');
    if (indent == std::string::npos) return false;
    std::size_t start = indent;
    if (line.compare(start, 2, "- ") == 0) start += 2;
    std::size_t end = start;
    while (end < line.size() && (std::isalnum(static_cast<unsigned char>(line[end])) || line[end] == '_' ||
                                 line[end] == '.'))
        ++end;
    if (end == start || end >= line.size() || line[end] != ':') return false;
    if (end + 1 < line.size() && line[end + 1] != ' ') return false;
    key = line.substr(start, end - start);
    return true;
}

// A quoted value whose closing quote is missing swallows the lines after it
// (yaml-cpp folds them into the value, up to the next quote or the end of
// the file), and the keys on those lines are silently lost. A quoted scalar
// that runs to the end of the file, or spans a line that reads as a key at
// most as indented as the line the quote opened on, is refused, naming where
// the quote opened.
void check_quoted_scalars(const YAML::Node& root, const std::string& text, const std::string& source) {
    std::vector<YAML::Node> pending = {root};
    while (!pending.empty()) {
        const YAML::Node node = pending.back();
        pending.pop_back();
        if (node.IsSequence()) {
            for (const YAML::Node& item : node) pending.push_back(item);
            continue;
        }
        if (node.IsMap()) {
            for (const auto& entry : node) pending.push_back(entry.second);
            continue;
        }
        if (!node.IsScalar() || node.Tag() != "!") continue;  // "!": a quoted scalar
        const YAML::Mark mark = node.Mark();
        if (mark.is_null() || mark.pos < 0 || static_cast<std::size_t>(mark.pos) >= text.size()) continue;
        const auto open = static_cast<std::size_t>(mark.pos);
        if (text[open] != '"' && text[open] != '\'') continue;
        const std::size_t newline = text.rfind('\n', open);
        const std::size_t line_start = newline == std::string::npos ? 0 : newline + 1;
        const std::size_t opening_indent = text.find_first_not_of(' ', line_start) - line_start;
        const std::size_t close = closing_quote(text, open);
        const Location at = location_of(source, mark);
        if (close == std::string::npos)
            fail(at, "", fmt::format("the quoted value that opens here is never closed: it runs to the end of "
                                     "the file and swallows every line after it (add the closing {})",
                                     text[open]));
        std::size_t line_begin = text.find('\n', open);
        int line_number = mark.line + 2;
        while (line_begin != std::string::npos && line_begin < close) {
            const std::size_t next = text.find('\n', line_begin + 1);
            const std::string line = text.substr(line_begin + 1, (next == std::string::npos ? text.size() : next) -
                                                                    line_begin - 1);
            std::size_t indent = 0;
            std::string key;
            if (line_begin + 1 + line.size() <= close && key_line(line, indent, key) && indent <= opening_indent)
                fail(at, "", fmt::format("the quoted value that opens here runs on to line {}, which reads as the "
                                         "key '{}': a closing {} seems to be missing, and the keys after it would "
                                         "be lost",
                                         line_number, key, text[open]));
            line_begin = next;
            ++line_number;
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
    check_quoted_scalars(root, text, source);
    if (!root.IsMap())
        fail(location_of(source, root.Mark()), "",
             fmt::format("{}, got {}", expected, node_kind(root)));
    return root;
}

}  // namespace airace::yaml_detail
