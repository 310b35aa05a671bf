// Scenario files: YAML -> ScenarioConfig, with messages a user can act on.
//
// yaml-cpp 0.7 accepts duplicate keys (last wins) and reports missing keys and
// bad conversions without positions, so this file walks every
// mapping itself: each key is checked against the field registry, each value
// is converted by our own strict parsers, and every message carries
// file:line:col (1-based) and the key path. Size and nesting depth are capped
// before yaml-cpp sees the text, since deep nesting has overflowed its stack.

#include "config/config_yaml.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
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

#include "base/errors.hpp"
#include "base/text.hpp"

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

// The one way a scenario or sweep file becomes a YAML tree: size and nesting
// checked before yaml-cpp sees the text, syntax errors located, the node
// count capped, and the root required to be a mapping (`expected` says what
// the file must be when it is not).
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

constexpr const char* scenario_root = "a scenario must be a mapping of keys";

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

bool read_config_text(const std::string& path, const char* what, std::string& text,
                      std::string& problem) {
    // O_NONBLOCK: opening a FIFO must not wait for a writer; the file type
    // is checked before anything is read, so /dev/zero or a pipe named in
    // `extends:` cannot make us read forever.
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        problem = fmt::format("cannot open {}: {}", what, std::strerror(errno));
        return false;
    }
    struct stat info {};
    if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
        ::close(fd);
        problem = fmt::format("cannot open {}: not a regular file", what);
        return false;
    }
    text.clear();
    char buffer[65536];
    for (;;) {
        const ssize_t got = ::read(fd, buffer, sizeof buffer);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) {
            problem = fmt::format("cannot read: {}", std::strerror(errno));
            ::close(fd);
            return false;
        }
        if (got == 0) break;
        text.append(buffer, static_cast<std::size_t>(got));
        if (text.size() > max_scenario_bytes) {
            ::close(fd);
            problem = fmt::format("file is more than {} bytes; {}s are limited to {} bytes",
                                  max_scenario_bytes, what, max_scenario_bytes);
            return false;
        }
    }
    ::close(fd);
    return true;
}

namespace {

constexpr int max_extends_depth = 8;

std::string read_text(const std::string& path, const Location& asked_from) {
    std::string text;
    std::string problem;
    if (read_config_text(path, "scenario file", text, problem)) return text;
    if (asked_from.source.empty()) throw ConfigError(fmt::format("{}: {}", path, problem));
    fail(asked_from, "extends", fmt::format("'{}': {}", path, problem));
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
        const YAML::Node parent_root = parse_document(read_text(name, where), name, scenario_root);
        ScenarioReader parent_reader(name, config);
        read_scenario(parent_root, name, config, parent_reader, chain);
        chain.pop_back();
    }
    reader.read_mapping(root, "");
}

}  // namespace

ScenarioConfig load_scenario_text(const std::string& text, const std::string& source,
                                  const std::vector<std::string>& overrides) {
    const YAML::Node root = parse_document(text, source, scenario_root);
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

// ============================================================================
// Sweep files (config/sweep_config.hpp). Kept here because this is the only file
// that may include yaml-cpp; it reuses the scenario reader's helpers above
// (positions, strict scalar parsing, per-key conversion and range checks) so
// a swept value is judged exactly as the same value in a scenario would be.
// ============================================================================

#include "config/sweep_config.hpp"

namespace airace {
namespace {

const std::vector<std::string> sweep_keys = {"name",   "description", "base",        "design",
                                             "samples", "levels",     "design_seed", "replicates",
                                             "seeds",  "metrics",     "metric_year", "parameters"};
const std::vector<std::string> parameter_keys = {"key", "range", "values", "scale"};
const std::vector<std::string> design_names = {"grid", "zip", "lhs", "sobol", "morris"};

class SweepReader {
public:
    explicit SweepReader(std::string source) : source_(std::move(source)) {}

    SweepConfig read(const YAML::Node& root) {
        SweepConfig sweep;
        std::map<std::string, YAML::Node> top = mapping(root, "", {"sweep"});
        if (!top.count("sweep")) fail(where(root), "sweep", "missing required key: the sweep's settings");
        const YAML::Node& body = top["sweep"];
        if (!body.IsMap())
            fail(where(body), "sweep", fmt::format("expected a mapping of keys, got {}", node_kind(body)));
        std::map<std::string, YAML::Node> keys = mapping(body, "sweep", sweep_keys);
        const auto require = [&](const char* key, const char* what) -> const YAML::Node& {
            if (!keys.count(key))
                fail(where(body), fmt::format("sweep.{}", key), fmt::format("missing required key: {}", what));
            return keys[key];
        };
        sweep.name = text(require("name", "a short identifier of the sweep"), "sweep.name");
        // The name becomes a Slurm job name and a label in file listings.
        if (sweep.name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") !=
            std::string::npos)
            fail(where(keys["name"]), "sweep.name",
                 fmt::format("expected a short identifier (letters, digits, _ . -), got '{}'", sweep.name));
        if (keys.count("description")) sweep.description = text(keys["description"], "sweep.description");
        const YAML::Node& base = require("base", "the base scenario file, relative to the sweep file");
        std::filesystem::path base_path = text(base, "sweep.base");
        if (base_path.is_relative()) base_path = std::filesystem::path(source_).parent_path() / base_path;
        sweep.base = base_path.lexically_normal().string();
        sweep.base_line = where(base).line;
        sweep.base_column = where(base).column;
        sweep.design = design(require("design", "one of grid, zip, lhs, sobol, morris"));
        const bool sampled = sweep.design == DesignKind::lhs || sweep.design == DesignKind::sobol ||
                             sweep.design == DesignKind::morris;
        if (sampled) {
            sweep.samples = static_cast<std::size_t>(
                integer(require("samples", "the number of samples (lhs, sobol) or trajectories (morris)"),
                        "sweep.samples", sweep.design == DesignKind::sobol ? 2 : 1, 1'000'000));
        } else if (keys.count("samples")) {
            fail(where(keys["samples"]), "sweep.samples", "applies to lhs, sobol and morris designs only");
        }
        if (keys.count("levels")) {
            if (sweep.design == DesignKind::lhs || sweep.design == DesignKind::sobol)
                fail(where(keys["levels"]), "sweep.levels", "applies to grid, zip and morris designs only");
            sweep.levels = static_cast<std::size_t>(integer(keys["levels"], "sweep.levels", 2, 1'000));
            if (sweep.design == DesignKind::morris && sweep.levels % 2 != 0)
                fail(where(keys["levels"]), "sweep.levels",
                     fmt::format("morris needs an even number of levels (so the step p/(2(p-1)) "
                                 "stays on the grid), got {}", sweep.levels));
        } else if (sweep.design == DesignKind::morris) {
            sweep.levels = 4;
        }
        if (keys.count("design_seed"))
            sweep.design_seed = static_cast<std::uint64_t>(
                integer(keys["design_seed"], "sweep.design_seed", 0, 9.0e15));
        seeds(require("seeds", "a list of run seeds, one per replicate"), sweep);
        if (keys.count("replicates")) {
            const auto replicates = static_cast<std::size_t>(
                integer(keys["replicates"], "sweep.replicates", 1, 1'000'000));
            if (replicates != sweep.seeds.size())
                fail(where(keys["replicates"]), "sweep.replicates",
                     fmt::format("is {} but seeds lists {} seed(s); give one seed per replicate",
                                 replicates, sweep.seeds.size()));
        }
        metrics(require("metrics", "a list of /aggregates names to keep"), sweep);
        if (keys.count("metric_year"))
            sweep.metric_year = static_cast<int>(integer(keys["metric_year"], "sweep.metric_year", 1900, 2200));
        parameters(require("parameters", "a list of parameters to vary"), sweep);
        return sweep;
    }

private:
    Location where(const YAML::Node& node) const { return location_of(source_, node.Mark()); }

    // Keys of a mapping, each allowed and given once.
    std::map<std::string, YAML::Node> mapping(const YAML::Node& node, const std::string& prefix,
                                              const std::vector<std::string>& allowed) {
        std::map<std::string, YAML::Node> out;
        std::map<std::string, int> lines;
        for (auto it = node.begin(); it != node.end(); ++it) {
            const Location key_where = where(it->first);
            if (!it->first.IsScalar())
                fail(key_where, prefix, "keys must be plain words, found " + node_kind(it->first));
            const std::string key = it->first.Scalar();
            const std::string path = prefix.empty() ? key : prefix + "." + key;
            if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
                const std::string near = closest_of(key, allowed);
                fail(key_where, path,
                     "unknown key" + (near.empty() ? fmt::format(" (expected one of {})", fmt::join(allowed, ", "))
                                                   : fmt::format("; did you mean '{}'?", near)));
            }
            if (lines.count(key))
                fail(key_where, path, fmt::format("duplicate key (first given at line {})", lines[key]));
            lines[key] = key_where.line;
            // A null value keeps the key's position for messages.
            out[key] = it->second.IsNull() ? it->first : it->second;
            if (it->second.IsNull()) null_keys_.insert(path);
        }
        return out;
    }

    std::string text(const YAML::Node& node, const std::string& path) {
        if (!node.IsScalar() || null_keys_.count(path) || node.Scalar().empty())
            fail(where(node), path, fmt::format("expected text, got {}", node_kind(node)));
        return node.Scalar();
    }

    double integer(const YAML::Node& node, const std::string& path, double low, double high) {
        double value = 0;
        if (!node.IsScalar() || null_keys_.count(path) || !parse_real(node.Scalar(), value) ||
            value != std::floor(value) || value < low || value > high)
            fail(where(node), path,
                 fmt::format("expected an integer in [{}, {}], got {}", low, high,
                             null_keys_.count(path) ? "nothing" : node_kind(node)));
        return value;
    }

    DesignKind design(const YAML::Node& node) {
        const std::string name = text(node, "sweep.design");
        for (std::size_t i = 0; i < design_names.size(); ++i)
            if (name == design_names[i]) return static_cast<DesignKind>(i);
        const std::string near = closest_of(name, design_names);
        fail(where(node), "sweep.design",
             fmt::format("expected one of {}, got '{}'{}", fmt::join(design_names, ", "), name,
                         near.empty() ? "" : fmt::format("; did you mean '{}'?", near)));
    }

    const YAML::Node& list(const YAML::Node& node, const std::string& path, const char* what) {
        if (!node.IsSequence() || node.size() == 0 || null_keys_.count(path))
            fail(where(node), path, fmt::format("expected a non-empty list of {}, got {}", what,
                                                null_keys_.count(path) ? "nothing" : node_kind(node)));
        return node;
    }

    void seeds(const YAML::Node& node, SweepConfig& sweep) {
        list(node, "sweep.seeds", "seeds");
        std::set<std::uint64_t> seen;  // not a scan per seed: a long list must stay linear
        for (std::size_t i = 0; i < node.size(); ++i) {
            const std::string path = fmt::format("sweep.seeds.{}", i);
            const auto seed = static_cast<std::uint64_t>(integer(node[i], path, 0, 9.0e15));
            if (!seen.insert(seed).second)
                fail(where(node[i]), path, fmt::format("seed {} is given twice; replicates need distinct seeds", seed));
            sweep.seeds.push_back(seed);
        }
    }

    void metrics(const YAML::Node& node, SweepConfig& sweep) {
        list(node, "sweep.metrics", "/aggregates names");
        for (std::size_t i = 0; i < node.size(); ++i) {
            const std::string path = fmt::format("sweep.metrics.{}", i);
            const std::string name = text(node[i], path);
            if (name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") != std::string::npos)
                fail(where(node[i]), path, fmt::format("'{}' is not an /aggregates name (lower case, digits, _)", name));
            if (std::find(sweep.metrics.begin(), sweep.metrics.end(), name) != sweep.metrics.end())
                fail(where(node[i]), path, fmt::format("metric '{}' is listed twice", name));
            sweep.metrics.push_back(name);
        }
    }

    void parameters(const YAML::Node& node, SweepConfig& sweep) {
        list(node, "sweep.parameters", "parameters (mappings with key and range or values)");
        for (std::size_t i = 0; i < node.size(); ++i) {
            const std::string prefix = fmt::format("sweep.parameters.{}", i);
            const YAML::Node item = node[i];
            if (!item.IsMap())
                fail(where(item), prefix, fmt::format("expected a mapping with key and range or values, got {}",
                                                      node_kind(item)));
            sweep.parameters.push_back(parameter(item, prefix));
            for (std::size_t j = 0; j + 1 < sweep.parameters.size(); ++j)
                if (sweep.parameters[j].key == sweep.parameters.back().key)
                    fail(where(item), prefix + ".key",
                         fmt::format("'{}' is already swept by parameter {}", sweep.parameters[j].key, j));
        }
        std::size_t length = 0;
        for (std::size_t i = 0; i < sweep.parameters.size(); ++i) {
            const SweepParameter& p = sweep.parameters[i];
            const Location at{source_, p.line, p.column};
            const bool listed = sweep.design == DesignKind::grid || sweep.design == DesignKind::zip;
            if (listed && p.has_range && sweep.levels == 0)
                fail(at, fmt::format("sweep.parameters.{}.range", i),
                     fmt::format("a {} design needs sweep.levels (points per range) or a list of values",
                                 design_name(sweep.design)));
            if (sweep.design != DesignKind::zip) continue;
            const std::size_t n = p.has_range ? sweep.levels : p.values.size();
            if (i == 0) length = n;
            if (n != length)
                fail(at, fmt::format("sweep.parameters.{}", i),
                     fmt::format("zip pairs the i-th values of every parameter: this one has {} "
                                 "values, parameter 0 has {}", n, length));
        }
    }

    SweepParameter parameter(const YAML::Node& item, const std::string& prefix) {
        std::map<std::string, YAML::Node> keys = mapping(item, prefix, parameter_keys);
        SweepParameter p;
        p.line = where(item).line;
        p.column = where(item).column;
        if (!keys.count("key")) fail(where(item), prefix + ".key", "missing required key: a scenario key path");
        p.key = text(keys["key"], prefix + ".key");
        const Location key_where = where(keys["key"]);
        const std::optional<FieldSpec> spec = find_field(p.key);
        if (!spec) {
            // A truncated key ("data.human_stock") is too far from the full
            // one for edit distance; suggest the key it begins.
            std::string hint = suggestion(p.key);
            for (const auto& field : scenario_fields())
                if (hint.find("did you mean") == std::string::npos && field.path.rfind(p.key, 0) == 0)
                    hint = fmt::format("; did you mean '{}'?", field.path);
            fail(key_where, prefix + ".key", fmt::format("'{}' is not a scenario key{}", p.key, hint));
        }
        if (p.key.rfind("time.", 0) == 0 || p.key.rfind("scenario.", 0) == 0)
            fail(key_where, prefix + ".key",
                 fmt::format("'{}' cannot be swept: runs must share one time axis, and seeds "
                             "come from sweep.seeds", p.key));
        p.type = spec->type;
        const bool numeric = p.type == FieldType::real || p.type == FieldType::integer;
        if (keys.count("range") == keys.count("values"))
            fail(where(item), prefix, "give either range: [low, high] or values: [...]");
        if (keys.count("range")) {
            const YAML::Node& range = keys["range"];
            if (!numeric)
                fail(where(range), prefix + ".range",
                     fmt::format("{} is a {} key: list its values instead", p.key, field_type_name(p.type)));
            if (!range.IsSequence() || range.size() != 2)
                fail(where(range), prefix + ".range", fmt::format("expected [low, high], got {}", node_kind(range)));
            const auto bound = [&](std::size_t k) {
                const YAML::Node& b = range[k];
                const FieldValue v = convert_scalar(*spec, b.IsScalar() ? b.Scalar() : "", b.IsScalar(),
                                                    node_kind(b), where(b));
                return p.type == FieldType::integer ? static_cast<double>(std::get<std::int64_t>(v))
                                                    : std::get<double>(v);
            };
            p.has_range = true;
            p.low = bound(0);
            p.high = bound(1);
            if (!(p.low < p.high))
                fail(where(range), prefix + ".range", fmt::format("low ({}) must be below high ({})", p.low, p.high));
        }
        if (keys.count("values")) {
            const YAML::Node& values = list(keys["values"], prefix + ".values", "values");
            for (std::size_t k = 0; k < values.size(); ++k) {
                const YAML::Node& v = values[k];
                const FieldValue value = convert_scalar(*spec, v.IsScalar() ? v.Scalar() : "", v.IsScalar(),
                                                        node_kind(v), where(v));
                p.values.push_back(format_field_value(value));
                if (const auto* real = std::get_if<double>(&value)) p.numeric.push_back(*real);
                if (const auto* whole = std::get_if<std::int64_t>(&value))
                    p.numeric.push_back(static_cast<double>(*whole));
                // Text values keep the file's spelling (exact for reals).
                if (v.IsScalar() && numeric) p.values.back() = v.Scalar();
            }
        }
        if (keys.count("scale")) {
            const YAML::Node& scale = keys["scale"];
            const std::string name = text(scale, prefix + ".scale");
            if (!p.has_range) fail(where(scale), prefix + ".scale", "applies to a range, not to listed values");
            if (name == "log") {
                p.scale = ParameterScale::log;
            } else if (name != "lin") {
                fail(where(scale), prefix + ".scale", fmt::format("expected lin or log, got '{}'", name));
            }
            if (p.scale == ParameterScale::log && p.low <= 0)
                fail(where(scale), prefix + ".scale", fmt::format("a log scale needs low > 0, got {}", p.low));
        }
        return p;
    }

    std::string source_;
    std::set<std::string> null_keys_;
};

}  // namespace

std::string design_name(DesignKind design) { return design_names[static_cast<std::size_t>(design)]; }

std::string scale_name(ParameterScale scale) { return scale == ParameterScale::log ? "log" : "lin"; }

SweepConfig load_sweep_text(const std::string& text, const std::string& source) {
    const YAML::Node root =
        parse_document(text, source, "a sweep file must be a mapping with a 'sweep' key");
    SweepConfig sweep = SweepReader(source).read(root);
    sweep.source = source;
    sweep.text = text;
    return sweep;
}

SweepConfig load_sweep(const std::string& path) {
    std::string text;
    std::string problem;
    if (!read_config_text(path, "sweep file", text, problem))
        throw ConfigError(fmt::format("{}: {}", path, problem));
    return load_sweep_text(text, path);
}

}  // namespace airace
