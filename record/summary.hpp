#pragma once
// The end-of-run summary: headline metrics by year, as a table for people and
// as JSON for scripts. Used by `airace run` and `airace inspect`.

#include <string>

#include "record/record.hpp"

namespace airace {

// Yearly table: frontier capability, largest run FLOP and cost, investment,
// AI revenue, active labs (values at the last step of each year, flows summed
// over the year).
std::string summary_table(const RunRecord& record);

// {"scenario":..., "seed":..., "years":[{"year":2020, ...}, ...]}
std::string summary_json(const RunRecord& record);

// Escapes a string for JSON output.
std::string json_string(const std::string& text);

}  // namespace airace
