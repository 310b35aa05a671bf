#pragma once
// `airace inspect RUN.h5`: what a run was and what happened in it, for people
// (text) and scripts (JSON). Works on a RunRecord, so it needs no HDF5.

#include <string>

#include "record/record.hpp"

namespace airace {

// Scenario, seed, years covered, status, airace version, config hash, agents
// per kind, events per type, then summary_table(record).
std::string inspect_text(const RunRecord& record);

// The same fields as one JSON object, with "summary": summary_json(record).
std::string inspect_json(const RunRecord& record);

}  // namespace airace
