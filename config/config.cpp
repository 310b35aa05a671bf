// Defaults, cross-field checks, start-only keys and the resolved-scenario text.

#include "config/config.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include <fmt/format.h>

#include "base/text.hpp"

namespace airace {

const RegionConfig& RegionsConfig::operator[](Region r) const {
    switch (r) {
        case Region::us: return us;
        case Region::eu: return eu;
        case Region::cn: return cn;
    }
    return us;
}

RegionConfig& RegionsConfig::operator[](Region r) {
    return const_cast<RegionConfig&>(std::as_const(*this)[r]);
}

const RegulatorConfig& RegulatorsConfig::operator[](Region r) const {
    switch (r) {
        case Region::us: return us;
        case Region::eu: return eu;
        case Region::cn: return cn;
    }
    return us;
}

RegulatorConfig& RegulatorsConfig::operator[](Region r) {
    return const_cast<RegulatorConfig&>(std::as_const(*this)[r]);
}

ScenarioConfig default_scenario_config() {
    ScenarioConfig config;
    // The US regulator starts laxer than the EU and China (base stringency),
    // and China's is the target of US chip export controls once they are on.
    config.regulators.us.base_stringency = 0.1;
    config.regulators.us.export_control_target = "cn";
    config.regulators.eu.base_stringency = 0.3;
    config.regulators.eu.copyright_on = 0.45;
    // The EU repeals a law in force (the AI Act's threshold) only well below
    // the stringency at which it passed; the US and China never do.
    config.regulators.eu.law_repeal_stringency = 0.18;
    config.regulators.cn.base_stringency = 0.3;
    return config;
}

std::string field_type_name(FieldType type) {
    switch (type) {
        case FieldType::real: return "a number";
        case FieldType::integer: return "an integer";
        case FieldType::boolean: return "true or false";
        case FieldType::string: return "a string";
        case FieldType::choice: return "one of";
    }
    return "a value";
}

std::string format_field_value(const FieldValue& value) {
    return std::visit(
        [](const auto& v) -> std::string {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::string>) {
                std::string quoted = "\"";
                for (char ch : v) {
                    if (ch == '"' || ch == '\\') quoted += '\\';
                    if (ch == '\n') {
                        quoted += "\\n";
                        continue;
                    }
                    quoted += ch;
                }
                return quoted + "\"";
            } else if constexpr (std::is_same_v<T, bool>) {
                return v ? "true" : "false";
            } else if constexpr (std::is_same_v<T, double>) {
                // Shortest text that reads back to the same double.
                std::string text = fmt::format("{}", v);
                if (text.find_first_of(".eEn") == std::string::npos) text += ".0";
                return text;
            } else {
                return fmt::format("{}", v);
            }
        },
        value);
}

std::string closest_field(const std::string& path) {
    std::vector<std::string> paths;
    for (const auto& spec : scenario_fields()) paths.push_back(spec.path);
    std::string best = closest_of(path, paths);
    if (!best.empty()) return best;
    // A key put in the wrong section: match on the last path segment.
    const std::string leaf = path.substr(path.rfind('.') + 1);
    for (const auto& candidate : paths)
        if (candidate.substr(candidate.rfind('.') + 1) == leaf) return candidate;
    return {};
}

bool shapes_start_only(const std::string& path) {
    const std::optional<FieldSpec> spec = find_field(path);
    return spec && spec->start_only;
}

std::string changed_start_only_key(const ScenarioConfig& a, const ScenarioConfig& b) {
    for (const auto& spec : scenario_fields())
        if (spec.start_only && spec.get(a) != spec.get(b)) return spec.path;
    return {};
}

std::vector<CrossFieldProblem> cross_field_problems(const ScenarioConfig& c) {
    std::vector<CrossFieldProblem> problems;
    if (c.time.end_year <= c.time.start_year)
        problems.push_back({"time.end_year", fmt::format("end_year ({}) must be after start_year ({})",
                                                         c.time.end_year, c.time.start_year)});
    if (c.labs.frontier_count > c.labs.count)
        problems.push_back({"labs.frontier_count",
                            fmt::format("frontier_count ({}) exceeds labs.count ({})",
                                        c.labs.frontier_count, c.labs.count)});
    if (c.investors.corporate_count > c.investors.count)
        problems.push_back({"investors.corporate_count",
                            fmt::format("corporate_count ({}) exceeds investors.count ({})",
                                        c.investors.corporate_count, c.investors.count)});
    const auto share_sum = [&](auto member) {
        double sum = 0;
        for (int i = 0; i < region_count; ++i) sum += c.regions[static_cast<Region>(i)].*member;
        return sum;
    };
    const std::pair<const char*, double RegionConfig::*> shares[] = {
        {"lab_share", &RegionConfig::lab_share},
        {"compute_share", &RegionConfig::compute_share},
        {"investor_share", &RegionConfig::investor_share}};
    for (const auto& [name, member] : shares) {
        const double sum = share_sum(member);
        if (std::abs(sum - 1.0) > 1e-6)
            problems.push_back({fmt::format("regions.us.{}", name),
                                fmt::format("regions.*.{} must add up to 1 (they add up to {})",
                                            name, sum)});
    }
    for (int r = 0; r < region_count; ++r) {
        const auto region = static_cast<Region>(r);
        if (c.regulators[region].export_control_target == region_key(region))
            problems.push_back({fmt::format("regulators.{}.export_control_target", region_key(region)),
                                "a regulator cannot bar its own region"});
    }
    for (std::size_t i = 0; i < c.influencers.size(); ++i) {
        if (c.influencers[i].end_year < c.influencers[i].start_year)
            problems.push_back({fmt::format("influencers.{}.end_year", i),
                                "end_year must not be before start_year"});
        if (c.influencers[i].name.empty())
            problems.push_back({fmt::format("influencers.{}.name", i), "every influencer needs a name"});
    }
    for (std::size_t i = 0; i < c.policy_events.size(); ++i)
        if (c.policy_events[i].year < 1900)
            problems.push_back({fmt::format("policy_events.{}.year", i),
                                "every policy event needs a year (e.g. 2025.5)"});
    if (c.scaling.reasoning_kappa_per_log10 > 0 && c.scaling.reasoning_intensity < 1)
        problems.push_back({"scaling.reasoning_intensity", "reasoning_intensity must be >= 1"});
    // The name becomes part of the default run file path
    // (output/runs/NAME-seedSEED.h5): it must stay one plain file name.
    const std::string& name = c.scenario.name;
    if (!name.empty() &&
        (name.size() > 100 || name.front() == '.' || name.front() == '-' ||
         name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") !=
             std::string::npos))
        problems.push_back({"scenario.name",
                            fmt::format("expected a short identifier (letters, digits, _ . -, not "
                                        "starting with . or -, at most 100 characters), got '{}'",
                                        clip(name))});
    return problems;
}

namespace {

// Keys as a tree, children in order of first appearance in the registry, so
// each section is emitted once even when its keys are registered apart.
struct KeyTree {
    std::string name;
    const FieldSpec* spec = nullptr;
    std::vector<KeyTree> children;

    KeyTree& child(const std::string& part) {
        for (auto& c : children)
            if (c.name == part) return c;
        children.push_back(KeyTree{part, nullptr, {}});
        return children.back();
    }
};

void emit_tree(const KeyTree& node, const ScenarioConfig& config, int depth, std::string& out) {
    for (const KeyTree& c : node.children) {
        const std::string indent(static_cast<std::size_t>(2 * depth), ' ');
        if (c.spec) {
            out += indent + c.name + ": " + format_field_value(c.spec->get(config)) + "\n";
        } else {
            out += indent + c.name + ":\n";
            emit_tree(c, config, depth + 1, out);
        }
    }
}

}  // namespace

std::string resolved_yaml(const ScenarioConfig& config) {
    std::string out = "# fully resolved airace scenario (every key, defaults included)\n";
    KeyTree root;
    for (const auto& spec : scenario_fields()) {
        KeyTree* node = &root;
        std::size_t start = 0;
        for (std::size_t dot; (dot = spec.path.find('.', start)) != std::string::npos; start = dot + 1)
            node = &node->child(spec.path.substr(start, dot - start));
        node->child(spec.path.substr(start)).spec = &spec;
    }
    emit_tree(root, config, 0, out);
    // Lists: one mapping per item, fields in registry order.
    for (const auto& list : list_sections()) {
        const std::size_t n = list_size(config, list);
        out += list + ":" + (n == 0 ? " []\n" : "\n");
        for (std::size_t i = 0; i < n; ++i) {
            const std::string prefix = fmt::format("{}.{}.", list, i);
            std::string open_map;
            bool first = true;
            for (const auto& spec : list_item_fields(list, i)) {
                std::string rest = spec.path.substr(prefix.size());
                std::string indent = "    ";
                const auto dot = rest.find('.');
                if (dot != std::string::npos) {
                    const std::string map = rest.substr(0, dot);
                    if (map != open_map) {
                        out += (first ? "  - " : "    ") + map + ":\n";
                        first = false;
                        open_map = map;
                    }
                    rest = rest.substr(dot + 1);
                    indent = "      ";
                } else {
                    open_map.clear();
                    if (first) indent = "  - ";
                }
                first = false;
                out += indent + rest + ": " + format_field_value(spec.get(config)) + "\n";
            }
        }
    }
    return out;
}

}  // namespace airace
