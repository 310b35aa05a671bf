#pragma once
// Comparing two run records dataset by dataset, for `airace replay` and the
// fork and resume checks: the first difference, named by dataset and step.

#include <optional>
#include <string>
#include <string_view>

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

// The parts compare_records is made of (record/verify_sink.hpp compares a
// streamed replay with them).
// /hashes, /time and /aggregates of steps [from, to), in that order.
std::optional<RecordDifference> compare_summaries(const RunRecord& expected, const RunRecord& actual,
                                                  int from, int to);
bool same_value(double a, double b);  // the same bits, or both NaN
bool same_event(const EventRow& x, const EventRow& y);
bool same_edge(const EdgeRow& x, const EdgeRow& y);
// Whether `other` (the other run's column of the same name, or null) holds
// the state of `column`; for a kind a fork may add agents to, the extra
// agents' slots are idle before the fork.
bool same_state(const StateColumn& column, const StateColumn* other);
// Whether a fork may add agents of the kind called `plural` (influencers).
bool fork_may_add(std::string_view plural);

}  // namespace airace
