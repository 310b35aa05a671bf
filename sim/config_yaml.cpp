// Scenario files: YAML -> ScenarioConfig, with messages a user can act on.
//
// yaml-cpp 0.7 accepts duplicate keys (last wins) and reports missing keys and
// bad conversions without positions (PITFALLS.md), so this file walks every
// mapping itself: each key is checked against the field registry, each value
// is converted by our own strict parsers, and every message carries
// file:line:col (1-based) and the key path. Size and nesting depth are capped
// before yaml-cpp sees the text, since deep nesting has overflowed its stack.

#include "sim/config_yaml.hpp"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <yaml-cpp/yaml.h>

#include "sim/errors.hpp"

namespace airace {
namespace {

struct Location {
    std::string source;
    int line = 0;    // 1-based; 0 when unknown
    int column = 0;  // 1-based
    std::string text() const {
        if (line <= 0) return source;
        return fmt::format("{}:{}:{}", source, line, column);
    }
};

Location location_of(const std::string& source, const YAML::Mark& mark) {
    if (mark.is_null()) return {source, 0, 0};
    return {source, mark.line + 1, mark.column + 1};
}

[[noreturn]] void fail(const Location& where, const std::string& key, const std::string& what) {
    if (key.empty()) throw ConfigError(fmt::format("{}: {}", where.text(), what));
    throw ConfigError(fmt::format("{}: {}: {}", where.text(), key, what));
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

std::string range_text(const FieldSpec& spec) {
    return fmt::format("[{}, {}]", spec.min, spec.max);
}

std::string unit_suffix(const FieldSpec& spec) {
    return spec.unit.empty() ? std::string() : fmt::format(" ({})", spec.unit);
}

// Converts scalar text to the field's type and checks the range. `where`
// locates the value for messages.
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

bool is_section(const std::string& path) {
    const std::string prefix = path + ".";
    for (const auto& spec : scenario_fields())
        if (spec.path.compare(0, prefix.size(), prefix) == 0) return true;
    return false;
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

bool is_list_section(const std::string& path) {
    for (const auto& list : list_sections())
        if (list == path) return true;
    return false;
}

class ScenarioReader {
public:
    ScenarioReader(std::string source, ScenarioConfig& config)
        : source_(std::move(source)), config_(config) {}

    // A list section replaces whatever an extended file had for it.
    void read_list(const YAML::Node& node, const std::string& list, const Location& where) {
        if (node.IsNull()) return clear_list(list);
        if (!node.IsSequence())
            fail(where, list, fmt::format("expected a list of mappings, got {}", node_kind(node)));
        clear_list(list);
        for (std::size_t i = 0; i < node.size(); ++i) {
            const YAML::Node item = node[i];
            const std::string prefix = fmt::format("{}.{}", list, i);
            if (!item.IsMap())
                fail(location_of(source_, item.Mark()), prefix,
                     fmt::format("expected a mapping of keys, got {}", node_kind(item)));
            list_size_hint_ = i;
            list_ = list;
            read_mapping(item, prefix);
            list_.clear();
            // Touch one field so an item given with defaults only still exists.
            if (list_size(config_, list) <= i) list_item_fields(list, i).front().set(
                config_, list_item_fields(list, i).front().get(config_));
        }
    }

    void read_mapping(const YAML::Node& node, const std::string& prefix) {
        std::map<std::string, YAML::Mark> seen;
        for (auto it = node.begin(); it != node.end(); ++it) {
            const YAML::Node key_node = it->first;
            const YAML::Node value = it->second;
            const Location key_where = location_of(source_, key_node.Mark());
            if (!key_node.IsScalar())
                fail(key_where, prefix, "keys must be plain words, found " + node_kind(key_node));
            const std::string key = key_node.Scalar();
            const std::string path = prefix.empty() ? key : prefix + "." + key;
            if (const auto previous = seen.find(key); previous != seen.end())
                fail(key_where, path,
                     fmt::format("duplicate key (first given at line {})",
                                 previous->second.line + 1));
            seen.emplace(key, key_node.Mark());
            if (prefix.empty() && key == "extends") {
                continue;  // handled before the rest of the file
            }
            if (is_list_section(path)) {
                read_list(value, path, key_where);
                positions_[path] = key_where;
                continue;
            }
            if (const std::optional<FieldSpec> spec = find_field(path)) {
                const Location where = location_of(source_, value.Mark().is_null()
                                                                 ? key_node.Mark()
                                                                 : value.Mark());
                const bool scalar = value.IsScalar();
                const FieldValue converted = convert_scalar(
                    *spec, scalar ? value.Scalar() : std::string(), scalar, node_kind(value), where);
                spec->set(config_, converted);
                positions_[path] = key_where;
            } else if (is_section(path) || is_item_section(path)) {
                if (!value.IsMap())
                    fail(key_where, path,
                         fmt::format("expected a mapping of keys, got {}", node_kind(value)));
                positions_[path] = key_where;
                read_mapping(value, path);
            } else if (!list_.empty()) {
                std::vector<std::string> names;
                for (const auto& item_spec : list_item_fields(list_, list_size_hint_))
                    names.push_back(item_spec.path);
                const std::string near = closest_of(path, names);
                fail(key_where, path,
                     "unknown key" + (near.empty() ? std::string(" (see configs/README.md)")
                                                   : fmt::format("; did you mean '{}'?", near)));
            } else {
                fail(key_where, path, "unknown key" + suggestion(path));
            }
        }
    }

    // "influencers.0.weight" is a section of an item.
    bool is_item_section(const std::string& path) const {
        if (list_.empty()) return false;
        const std::string prefix = path + ".";
        for (const auto& spec : list_item_fields(list_, list_size_hint_))
            if (spec.path.compare(0, prefix.size(), prefix) == 0) return true;
        return false;
    }

    const Location* position(const std::string& path) const {
        const auto it = positions_.find(path);
        return it == positions_.end() ? nullptr : &it->second;
    }

private:
    void clear_list(const std::string& list) {
        if (list == "influencers") config_.influencers.clear();
        if (list == "policy_events") config_.policy_events.clear();
    }

    std::string source_;
    ScenarioConfig& config_;
    std::map<std::string, Location> positions_;
    std::string list_;
    std::size_t list_size_hint_ = 0;
};

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

void check_result(const ScenarioConfig& config, const ScenarioReader* reader,
                  const std::string& source, const std::vector<std::string>& overrides) {
    for (const auto& spec : scenario_fields()) {
        if (!spec.required) continue;
        const FieldValue value = spec.get(config);
        if (const auto* text = std::get_if<std::string>(&value); text && text->empty())
            fail({source, reader ? 1 : 0, 1}, spec.path,
                 fmt::format("missing required key: {}", spec.doc));
    }
    for (const auto& problem : cross_field_problems(config)) {
        // A value given by --set is named by its --set, not by the file.
        for (auto it = overrides.rbegin(); it != overrides.rend(); ++it)
            if (it->compare(0, problem.path.size() + 1, problem.path + "=") == 0)
                fail({fmt::format("--set '{}'", *it)}, problem.path, problem.message);
        const Location* where = reader ? reader->position(problem.path) : nullptr;
        fail(where ? *where : Location{source}, problem.path, problem.message);
    }
}

}  // namespace

void apply_override(ScenarioConfig& config, const std::string& assignment) {
    const Location where{fmt::format("--set '{}'", assignment)};
    const auto equals = assignment.find('=');
    if (equals == std::string::npos || equals == 0)
        fail(where, "", "expected key.path=value (for example labs.count=100)");
    const std::string path = assignment.substr(0, equals);
    const std::string text = assignment.substr(equals + 1);
    const std::optional<FieldSpec> spec = find_field(path);
    if (!spec) fail(where, path, "unknown key" + suggestion(path));
    for (const auto& list : list_sections()) {
        // An override may change an item or add the next one, not leave gaps.
        if (path.compare(0, list.size() + 1, list + ".") != 0) continue;
        const std::size_t index = std::stoul(path.substr(list.size() + 1));
        if (index > list_size(config, list))
            fail(where, path, fmt::format("{} has {} item(s); the next new one is {}.{}", list,
                                          list_size(config, list), list, list_size(config, list)));
    }
    YAML::Node value;
    try {
        value = YAML::Load(text);
    } catch (const YAML::Exception& error) {
        fail(where, path, fmt::format("cannot read value: {}", error.msg));
    }
    const bool scalar = value.IsScalar();
    spec->set(config, convert_scalar(*spec, scalar ? value.Scalar() : text, scalar || text.empty(),
                                     text.empty() ? "nothing" : node_kind(value), where));
}

namespace {

constexpr int max_extends_depth = 8;

YAML::Node parse_root(const std::string& text, const std::string& source) {
    check_limits(text, source);
    YAML::Node root;
    try {
        root = YAML::Load(text);
    } catch (const YAML::ParserException& error) {
        fail(location_of(source, error.mark), "", fmt::format("YAML syntax error: {}", error.msg));
    } catch (const YAML::Exception& error) {
        fail({source}, "", fmt::format("cannot read YAML: {}", error.msg));
    }
    if (!root.IsMap())
        fail(location_of(source, root.Mark()), "",
             fmt::format("a scenario must be a mapping of keys, got {}", node_kind(root)));
    return root;
}

std::string read_text(const std::string& path, const Location& asked_from) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        if (asked_from.source.empty()) throw ConfigError(fmt::format("{}: cannot open scenario file", path));
        fail(asked_from, "extends", fmt::format("cannot open scenario file '{}'", path));
    }
    in.seekg(0, std::ios::end);
    const auto size = static_cast<std::size_t>(std::max<std::streamoff>(0, in.tellg()));
    if (size > max_scenario_bytes)
        fail({path}, "",
             fmt::format("file is {} bytes; scenario files are limited to {} bytes", size,
                         max_scenario_bytes));
    in.seekg(0);
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

// Reads `root` (from `source`) onto `config`: first the file it extends, if
// any (recursively, paths relative to the extending file), then its own keys.
void read_scenario(const YAML::Node& root, const std::string& source, ScenarioConfig& config,
                   ScenarioReader& reader, std::vector<std::string>& chain) {
    if (const YAML::Node parent = root["extends"]) {
        const Location where = location_of(source, parent.Mark());
        if (!parent.IsScalar())
            fail(where, "extends", fmt::format("expected a file name, got {}", node_kind(parent)));
        std::filesystem::path parent_path = parent.Scalar();
        if (parent_path.is_relative())
            parent_path = std::filesystem::path(source).parent_path() / parent_path;
        const std::string name = parent_path.lexically_normal().string();
        if (std::find(chain.begin(), chain.end(), name) != chain.end())
            fail(where, "extends", fmt::format("'{}' extends itself (through {})", name,
                                               fmt::join(chain, " -> ")));
        if (static_cast<int>(chain.size()) >= max_extends_depth)
            fail(where, "extends", fmt::format("more than {} levels of extends", max_extends_depth));
        chain.push_back(name);
        const YAML::Node parent_root = parse_root(read_text(name, where), name);
        ScenarioReader parent_reader(name, config);
        read_scenario(parent_root, name, config, parent_reader, chain);
        chain.pop_back();
    }
    reader.read_mapping(root, "");
}

}  // namespace

ScenarioConfig load_scenario_text(const std::string& text, const std::string& source,
                                  const std::vector<std::string>& overrides) {
    const YAML::Node root = parse_root(text, source);
    ScenarioConfig config = default_scenario_config();
    ScenarioReader reader(source, config);
    std::vector<std::string> chain = {std::filesystem::path(source).lexically_normal().string()};
    read_scenario(root, source, config, reader, chain);
    for (const auto& assignment : overrides) apply_override(config, assignment);
    check_result(config, &reader, source, overrides);
    return config;
}

ScenarioConfig load_scenario(const std::string& path, const std::vector<std::string>& overrides) {
    return load_scenario_text(read_text(path, Location{}), path, overrides);
}

}  // namespace airace
