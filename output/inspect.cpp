// Domain summary of a run for `airace inspect`. The per-year headline table
// and its JSON come from record/summary.hpp, so `run` and `inspect` print the
// same numbers; this file adds what identifies the run and what it holds.

#include "output/inspect.hpp"

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "record/summary.hpp"

namespace airace {
namespace {

// Calendar years touched by the run: steps are quarters (or whatever
// steps_per_year says) starting at the beginning of start_year.
std::pair<int, int> years_covered(const RunMetadata& meta) {
    const int per_year = meta.steps_per_year > 0 ? meta.steps_per_year : 1;
    const int years = (meta.steps + per_year - 1) / per_year;
    return {meta.start_year, meta.start_year + years - 1};
}

// (name, count) per event type in the order of event_types; an index outside
// the list is counted under "unknown type <n>" so no event goes missing.
std::vector<std::pair<std::string, std::size_t>> events_per_type(const RunOverview& overview) {
    const std::vector<std::string>& types = overview.summary.event_types;
    std::vector<std::pair<std::string, std::size_t>> counts;
    for (const std::string& type : types) counts.emplace_back(type, 0);
    for (const auto& [type, count] : overview.events_by_type) {
        if (type >= 0 && static_cast<std::size_t>(type) < types.size())
            counts[static_cast<std::size_t>(type)].second += count;
        else
            counts.emplace_back(fmt::format("unknown type {}", type), count);
    }
    return counts;
}

}  // namespace

RunOverview overview_of(const RunRecord& record) {
    RunOverview overview;
    overview.summary.meta = record.meta;
    overview.summary.time = record.time;
    overview.summary.aggregates = record.aggregates;
    overview.summary.event_types = record.event_types;
    for (const KindRecord& kind : record.kinds) overview.agents.emplace_back(kind.kind, kind.names.size());
    for (const EventRow& event : record.events) ++overview.events_by_type[event.type];
    overview.events = record.events.size();
    return overview;
}

std::string inspect_text(const RunRecord& record) { return inspect_text(overview_of(record)); }
std::string inspect_json(const RunRecord& record) { return inspect_json(overview_of(record)); }

std::string inspect_text(const RunOverview& overview) {
    const RunRecord& record = overview.summary;
    const RunMetadata& meta = record.meta;
    std::string out;
    out += fmt::format("scenario        {}\n", meta.scenario_name);
    out += fmt::format("seed            {}\n", meta.seed);
    if (meta.steps > 0) {
        const auto [first, last] = years_covered(meta);
        out += fmt::format("years           {}-{} ({} steps, {} per year)\n", first, last,
                           meta.steps, meta.steps_per_year);
    } else {
        out += "years           none (0 steps)\n";
    }
    out += fmt::format("status          {}\n", meta.status);
    out += fmt::format("airace version  {} (git {})\n", meta.airace_version, meta.git_sha);
    out += fmt::format("config sha256   {}\n", meta.config_sha256);
    out += fmt::format("created (UTC)   {}\n", meta.created_utc);
    out += "\nagents\n";
    for (const auto& [kind, agents] : overview.agents) {
        out += fmt::format("  {:<22}{:>8}\n", kind, agents);
    }
    out += fmt::format("\nevents ({} in all)\n", overview.events);
    for (const auto& [type, count] : events_per_type(overview)) {
        out += fmt::format("  {:<22}{:>8}\n", type, count);
    }
    out += "\n";
    out += summary_table(record);
    return out;
}

std::string inspect_json(const RunOverview& overview) {
    const RunRecord& record = overview.summary;
    const RunMetadata& meta = record.meta;
    std::string out = "{";
    out += fmt::format("\"scenario\":{},\"seed\":{},", json_string(meta.scenario_name), meta.seed);
    if (meta.steps > 0) {
        const auto [first, last] = years_covered(meta);
        out += fmt::format("\"years\":{{\"first\":{},\"last\":{}}},", first, last);
    } else {
        out += "\"years\":null,";
    }
    out += fmt::format("\"start_year\":{},\"steps\":{},\"steps_per_year\":{},", meta.start_year,
                       meta.steps, meta.steps_per_year);
    out +=
        fmt::format("\"status\":{},\"airace_version\":{},\"git_sha\":{},", json_string(meta.status),
                    json_string(meta.airace_version), json_string(meta.git_sha));
    out += fmt::format("\"config_sha256\":{},\"created_utc\":{},", json_string(meta.config_sha256),
                       json_string(meta.created_utc));
    out += "\"agents\":{";
    for (std::size_t i = 0; i < overview.agents.size(); ++i) {
        out += fmt::format("{}{}:{}", i == 0 ? "" : ",", json_string(overview.agents[i].first),
                           overview.agents[i].second);
    }
    out += "},\"events\":{";
    const auto counts = events_per_type(overview);
    for (std::size_t i = 0; i < counts.size(); ++i) {
        out += fmt::format("{}{}:{}", i == 0 ? "" : ",", json_string(counts[i].first),
                           counts[i].second);
    }
    out += "},\"summary\":";
    out += summary_json(record);
    out += "}";
    return out;
}

}  // namespace airace
