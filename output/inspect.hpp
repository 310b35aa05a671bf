#pragma once
// `airace inspect RUN.h5`: what a run was and what happened in it, for people
// (text) and scripts (JSON). Works on a RunRecord, so it needs no HDF5.

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "record/record.hpp"

namespace airace {

// What inspect shows of a run: its summary (metadata, /time, /aggregates:
// read_run_summary's, with the event type names), the agents recorded per
// kind, and how many events of each type index (the reader counts them a
// block at a time, so a run of any size is inspected in constant memory).
struct RunOverview {
    RunRecord summary;
    std::vector<std::pair<std::string, std::size_t>> agents;  // kind, recorded agents
    std::map<std::int32_t, std::size_t> events_by_type;
    std::size_t events = 0;
};

// The overview of a record in memory.
RunOverview overview_of(const RunRecord& record);

// Scenario, seed, years covered, status, airace version, config hash, agents
// per kind, events per type, then summary_table(summary).
std::string inspect_text(const RunOverview& overview);
std::string inspect_text(const RunRecord& record);

// The same fields as one JSON object, with "summary": summary_json(summary).
std::string inspect_json(const RunOverview& overview);
std::string inspect_json(const RunRecord& record);

}  // namespace airace
