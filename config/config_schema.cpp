// The field registry: the single list of scenario keys with their type, range,
// unit and meaning. Validation, --set, --print, the config hash and
// configs/README.md (`airace keys --markdown`) are all derived from it. The
// keys are registered section by section in config/schema_market_keys.cpp
// and config/schema_world_keys.cpp; list items (influencers, policy events)
// here.

#include <fmt/format.h>

#include "config/config.hpp"
#include "config/schema_registry.hpp"

namespace airace {
namespace {

using schema::Registry;

const std::vector<std::string> region_keys = {"us", "eu", "cn"};

std::vector<FieldSpec> build_registry() {
    Registry r;
    schema::scenario_and_time_keys(r);
    schema::scaling_and_algorithm_keys(r);
    schema::compute_keys(r);
    schema::lab_keys(r);
    schema::investor_keys(r);
    schema::product_and_data_keys(r);
    schema::regulation_keys(r);
    schema::incident_keys(r);
    return r.fields;
}

// Item fields of the list sections, bound to item `index`; setting one grows
// the list to index + 1 items.
std::vector<FieldSpec> build_list_item_fields(const std::string& list, std::size_t index) {
    Registry r;
    const std::string p = fmt::format("{}.{}", list, index);
    if (list == "influencers") {
        auto at = [index](ScenarioConfig& c) -> InfluencerConfig& {
            if (c.influencers.size() <= index) c.influencers.resize(index + 1);
            return c.influencers[index];
        };
#define INF(field) [at](ScenarioConfig& c) -> auto& { return at(c).field; }
        r.string(p + ".name", INF(name), true, "who the influencer is");
        r.real(p + ".stance", INF(stance), -1, 1, "-1..1", "-1 pushes deregulation, +1 restriction");
        r.real(p + ".start_year", INF(start_year), 1900, 2200, "year", "start of the active period");
        r.real(p + ".end_year", INF(end_year), 1900, 2200, "year", "end of the active period");
        for (int k = 0; k < region_count; ++k)
            r.real(fmt::format("{}.weight.{}", p, region_keys[static_cast<std::size_t>(k)]),
                   [at, k](ScenarioConfig& c) -> double& { return at(c).weight[static_cast<std::size_t>(k)]; },
                   0, 1, "index", "stringency moved per unit stance at this regulator");
#undef INF
    } else if (list == "policy_events") {
        auto at = [index](ScenarioConfig& c) -> PolicyEventConfig& {
            if (c.policy_events.size() <= index) c.policy_events.resize(index + 1);
            return c.policy_events[index];
        };
#define EV(field) [at](ScenarioConfig& c) -> auto& { return at(c).field; }
        r.real(p + ".year", EV(year), 1900, 2200, "year", "date it takes effect (decimal year)");
        r.choice(p + ".regulator", EV(regulator), region_keys, "the regulator (us, eu, cn)");
        r.choice(p + ".instrument", EV(instrument), policy_instruments(),
                 "the instrument it sets");
        r.real(p + ".value", EV(value), -1e40, 1e40, "instrument's unit",
               "the instrument's value (FLOP, share, GW/yr, or stringency)");
        r.boolean(p + ".enabled", EV(enabled), "false repeals the instrument");
        r.choice(p + ".then", EV(then), {"hold", "regulator"},
                 "what decides the instrument afterwards: hold (the decision stands until a later "
                 "event) or regulator (its own stringency threshold, after the legislative delay)");
        r.string(p + ".note", EV(note), false, "what the event is (for people)");
#undef EV
    }
    return r.fields;
}

}  // namespace

const std::vector<std::string>& policy_instruments() {
    static const std::vector<std::string> names = {
        "compute_threshold_flop", "training_cap_flop",   "copyright_usable_share",
        "power_permitting_gw_per_year", "export_control_share", "stringency"};
    return names;
}

const std::vector<FieldSpec>& scenario_fields() {
    static const std::vector<FieldSpec> fields = build_registry();
    return fields;
}

const std::vector<std::string>& list_sections() {
    static const std::vector<std::string> names = {"influencers", "policy_events"};
    return names;
}

std::vector<FieldSpec> list_item_fields(const std::string& list, std::size_t index) {
    return build_list_item_fields(list, index);
}

std::size_t list_size(const ScenarioConfig& config, const std::string& list) {
    if (list == "influencers") return config.influencers.size();
    if (list == "policy_events") return config.policy_events.size();
    return 0;
}

std::optional<FieldSpec> find_field(const std::string& path) {
    for (const auto& spec : scenario_fields())
        if (spec.path == path) return spec;
    for (const auto& list : list_sections()) {
        if (path.compare(0, list.size() + 1, list + ".") != 0) continue;
        const std::size_t dot = path.find('.', list.size() + 1);
        if (dot == std::string::npos) return std::nullopt;
        const std::string digits = path.substr(list.size() + 1, dot - list.size() - 1);
        if (digits.empty() || digits.size() > 6 ||
            digits.find_first_not_of("0123456789") != std::string::npos)
            return std::nullopt;
        for (auto& spec : list_item_fields(list, std::stoul(digits)))
            if (spec.path == path) return spec;
    }
    return std::nullopt;
}

}  // namespace airace
