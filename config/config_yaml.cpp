// Scenario files: YAML -> ScenarioConfig, with messages a user can act on.
//
// Every mapping is walked here (config/yaml_common.cpp says why): each key is
// checked against the field registry, each value converted strictly, and every
// message carries file:line:col (1-based) and the key path.

#include "config/config_yaml.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <yaml-cpp/yaml.h>

#include "base/errors.hpp"
#include "base/text.hpp"
#include "config/yaml_common.hpp"

namespace airace {

using yaml_detail::collecting;
using yaml_detail::convert_scalar;
using yaml_detail::fail;
using yaml_detail::Location;
using yaml_detail::location_of;
using yaml_detail::node_kind;
using yaml_detail::parse_document;
using yaml_detail::suggestion;
using yaml_detail::throw_problems;

namespace {

bool is_section(const std::string& path) {
    const std::string prefix = path + ".";
    for (const auto& spec : scenario_fields())
        if (spec.path.compare(0, prefix.size(), prefix) == 0) return true;
    return false;
}

bool is_list_section(const std::string& path) {
    for (const auto& list : list_sections())
        if (list == path) return true;
    return false;
}

class ScenarioReader {
public:
    ScenarioReader(std::string source, ScenarioConfig& config, std::vector<std::string>& errors)
        : source_(std::move(source)), config_(config), errors_(errors) {}

    // A list section replaces whatever an extended file had for it.
    void read_list(const YAML::Node& node, const std::string& list, const Location& where) {
        if (node.IsNull()) return clear_list(list);
        if (!node.IsSequence())
            fail(where, list, fmt::format("expected a list of mappings, got {}", node_kind(node)));
        clear_list(list);
        for (std::size_t i = 0; i < node.size(); ++i)
            collecting(errors_, [&] { read_item(node[i], list, i); });
    }

    void read_item(const YAML::Node& item, const std::string& list, std::size_t i) {
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

    void read_mapping(const YAML::Node& node, const std::string& prefix) {
        std::map<std::string, YAML::Mark> seen;
        for (auto it = node.begin(); it != node.end(); ++it)
            collecting(errors_, [&] { read_entry(it->first, it->second, prefix, seen); });
    }

    // One `key: value` of a mapping at `prefix`.
    void read_entry(const YAML::Node& key_node, const YAML::Node& value, const std::string& prefix,
                    std::map<std::string, YAML::Mark>& seen) {
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
            return;  // handled before the rest of the file
        }
        if (is_list_section(path)) {
            positions_[path] = key_where;
            read_list(value, path, key_where);
            return;
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
    std::vector<std::string>& errors_;
    std::map<std::string, Location> positions_;
    std::string list_;
    std::size_t list_size_hint_ = 0;
};

constexpr const char* scenario_root = "a scenario must be a mapping of keys";

void check_result(const ScenarioConfig& config, const ScenarioReader* reader,
                  const std::string& source, const std::vector<std::string>& overrides,
                  std::vector<std::string>& errors) {
    for (const auto& spec : scenario_fields()) {
        if (!spec.required) continue;
        const FieldValue value = spec.get(config);
        if (const auto* text = std::get_if<std::string>(&value); text && text->empty())
            collecting(errors, [&] {
                fail({source, reader ? 1 : 0, 1}, spec.path,
                     fmt::format("missing required key: {}", spec.doc));
            });
    }
    for (const auto& problem : cross_field_problems(config)) {
        collecting(errors, [&] {
            // A value given by --set is named by its --set, not by the file:
            // the key the problem is about, or one its message names.
            for (auto it = overrides.rbegin(); it != overrides.rend(); ++it) {
                const std::string key = it->substr(0, it->find('='));
                if (key == problem.path || (!key.empty() && problem.message.find(key) != std::string::npos))
                    fail({fmt::format("--set '{}'", clip(*it))}, problem.path, problem.message);
            }
            const Location* where = reader ? reader->position(problem.path) : nullptr;
            fail(where ? *where : Location{source}, problem.path, problem.message);
        });
    }
}

}  // namespace

void apply_override(ScenarioConfig& config, const std::string& assignment) {
    const Location where{fmt::format("--set '{}'", clip(assignment))};
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
                   ScenarioReader& reader, std::vector<std::string>& chain,
                   std::vector<std::string>& errors) {
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
        ScenarioReader parent_reader(name, config, errors);
        read_scenario(parent_root, name, config, parent_reader, chain, errors);
        chain.pop_back();
    }
    reader.read_mapping(root, "");
}

}  // namespace

ScenarioConfig load_scenario_text(const std::string& text, const std::string& source,
                                  const std::vector<std::string>& overrides) {
    const YAML::Node root = parse_document(text, source, scenario_root);
    ScenarioConfig config = default_scenario_config();
    std::vector<std::string> errors;
    ScenarioReader reader(source, config, errors);
    std::vector<std::string> chain = {std::filesystem::path(source).lexically_normal().string()};
    collecting(errors, [&] { read_scenario(root, source, config, reader, chain, errors); });
    for (const auto& assignment : overrides)
        collecting(errors, [&] { apply_override(config, assignment); });
    check_result(config, &reader, source, overrides, errors);
    if (!errors.empty()) throw_problems(errors);
    return config;
}

ScenarioConfig load_scenario(const std::string& path, const std::vector<std::string>& overrides) {
    return load_scenario_text(read_text(path, Location{}), path, overrides);
}

}  // namespace airace
