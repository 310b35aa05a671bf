#pragma once
// Comparing two run records dataset by dataset, for `airace replay` and the
// fork and resume checks: the first difference, named by dataset and step.

#include <optional>
#include <string>

#include "record/record.hpp"

namespace airace {

struct RecordDifference {
    std::string dataset;  // e.g. "/hashes", "/labs/cash", "/events"
    int step = -1;        // first differing step (-1: not tied to a step)
    std::string detail;
};

// Compares steps [from, to) of every per-step dataset (hashes first, so the
// first differing step is found early), then events and graph snapshots of
// those steps, and the checkpoints in that range. NaN equals NaN.
std::optional<RecordDifference> compare_records(const RunRecord& expected, const RunRecord& actual,
                                                int from, int to);

}  // namespace airace
