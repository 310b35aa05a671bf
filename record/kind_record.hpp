#pragma once
// What a run file records of an agent kind, from its descriptor (sim/kind.hpp):
// /<plural>/static/{name,region,type} and one [steps, agents] column per
// entry of Kind::recorded(), with its units. The Recorder calls these for
// each kind of the World (sim/kinds.hpp).

#include <algorithm>
#include <string>
#include <vector>

#include "record/record.hpp"
#include "sim/kind.hpp"

namespace airace {

// The kind's record before the first step: statics and zeroed columns for
// `rows` steps. Huge worlds may keep only the first `max_agents` agents
// (frontier labs and corporates come first).
template <KindDescriptor Kind>
KindRecord kind_record(const typename Kind::Table& table, std::size_t rows, std::size_t max_agents) {
    KindRecord out;
    out.kind = std::string(Kind::plural);
    const std::size_t total = table.size();
    const std::size_t n = std::min(total, max_agents);
    if (n < total) out.agents_total = total;
    for (const RecordColumn<typename Kind::Table>& column : Kind::recorded())
        out.columns.push_back({column.name, column.units, rows, n, std::vector<double>(rows * n, 0.0)});
    for (std::size_t i = 0; i < n; ++i) {
        out.names.emplace_back(table.name[i]);
        out.regions.emplace_back(Kind::region(table, i));
        out.types.emplace_back(Kind::type(table, i));
    }
    return out;
}

// Fills row `row` (a step) of each recorded column of `out` (made by kind_record).
template <KindDescriptor Kind>
void record_kind_row(const typename Kind::Table& table, std::size_t row, KindRecord& out) {
    const auto columns = Kind::recorded();
    for (std::size_t c = 0; c < columns.size(); ++c) {
        Matrix& matrix = out.columns[c];
        columns[c].fill(table, matrix.values.data() + row * matrix.cols, matrix.cols);
    }
}

}  // namespace airace
