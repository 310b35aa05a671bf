// A replay compared with its recorded run as it streams (see verify_sink.hpp).

#include "record/verify_sink.hpp"

#include <algorithm>
#include <utility>

#include <fmt/format.h>

namespace airace {

namespace {

bool same_row(const EventRow& x, const EventRow& y) { return same_event(x, y); }
bool same_row(const EdgeRow& x, const EdgeRow& y) { return same_edge(x, y); }

template <class Record>
auto find_named(const std::vector<Record>& records, const std::string& name, std::string Record::*key) {
    return std::find_if(records.begin(), records.end(), [&](const Record& r) { return r.*key == name; });
}

}  // namespace

// --- tables -------------------------------------------------------------------

template <class Row>
void VerifySink::Table<Row>::recorded(const std::vector<Row>& rows) {
    recorded_count_ += rows.size();
    if (!differs_ && !tail_) recorded_.insert(recorded_.end(), rows.begin(), rows.end());
    match();
}

template <class Row>
void VerifySink::Table<Row>::replayed(const std::vector<Row>& rows) {
    replayed_count_ += rows.size();
    if (!differs_ && !tail_) replayed_.insert(replayed_.end(), rows.begin(), rows.end());
    match();
    // The recorded rows of every step up to the replay's have been given:
    // a replayed row still unmatched has no recorded row at its place that
    // could be the same (compare_tables would find this row, or the count,
    // different). Only counts are kept from here on.
    if (!differs_ && !tail_ && !replayed_.empty()) {
        tail_ = true;
        step_ = replayed_.front().step;
        recorded_.clear();
        replayed_.clear();
    }
}

template <class Row>
void VerifySink::Table<Row>::match() {
    while (!differs_ && !tail_ && !recorded_.empty() && !replayed_.empty()) {
        const Row& x = recorded_.front();
        const Row& y = replayed_.front();
        if (x.step != y.step || !same_row(x, y)) {
            differs_ = true;
            step_ = std::min(x.step, y.step);
            recorded_.clear();
            replayed_.clear();
            return;
        }
        recorded_.pop_front();
        replayed_.pop_front();
        ++matched_;
    }
}

template <class Row>
std::optional<RecordDifference> VerifySink::Table<Row>::finish(const std::string& dataset) {
    match();
    const auto counts = [&] { return fmt::format("{} rows vs {}", recorded_count_, replayed_count_); };
    if (differs_) return RecordDifference{dataset, step_, fmt::format("row {} differs", matched_)};
    if (tail_)
        return RecordDifference{dataset, step_,
                                recorded_count_ > matched_ ? fmt::format("row {} differs", matched_) : counts()};
    if (!recorded_.empty()) return RecordDifference{dataset, recorded_.front().step, counts()};
    if (!replayed_.empty()) return RecordDifference{dataset, replayed_.front().step, counts()};
    return std::nullopt;
}

template class VerifySink::Table<EventRow>;
template class VerifySink::Table<EdgeRow>;

// --- the sink -----------------------------------------------------------------

VerifySink::VerifySink(RunPrefix& recorded, const RunRecord& layout, int steps, RecordSink* next)
    : recorded_(recorded), layout_(layout), steps_(steps), next_(next) {}

void VerifySink::begin(const RunRecord& replayed, std::size_t steps) {
    // The recorded run's columns in compare_records' order, each with where
    // the replay has it, or the difference their shapes already make.
    columns_.clear();
    for (const KindRecord& kind : layout_.kinds) {
        const auto other = find_named(replayed.kinds, kind.kind, &KindRecord::kind);
        if (other == replayed.kinds.end()) {
            Column missing;
            missing.difference = RecordDifference{"/" + kind.kind, -1, "missing"};
            columns_.push_back(std::move(missing));
            break;  // compare_records stops at the first missing kind
        }
        for (const Matrix& m : kind.columns) {
            Column c;
            c.group = kind.kind;
            c.name = m.name;
            c.dataset = "/" + kind.kind + "/" + m.name;
            c.width = m.cols;
            const auto col = find_named(other->columns, m.name, &Matrix::name);
            if (col != other->columns.end() && fork_may_add(kind.kind) && col->cols != m.cols) {
                c.common_slots = true;  // a fork added agents' slots: compare those both have
                c.width = std::min(col->cols, m.cols);
            } else if (col == other->columns.end() || col->cols != m.cols) {
                c.difference = RecordDifference{c.dataset, -1, "missing or of another width"};
            }
            if (col != other->columns.end()) {
                c.kind_index = static_cast<std::size_t>(other - replayed.kinds.begin());
                c.column_index = static_cast<std::size_t>(col - other->columns.begin());
            }
            columns_.push_back(std::move(c));
        }
    }
    for (const MarketRecord& market : layout_.markets) {
        const auto other = find_named(replayed.markets, market.market, &MarketRecord::market);
        if (other == replayed.markets.end()) {
            Column missing;
            missing.difference = RecordDifference{"/markets/" + market.market, -1, "missing"};
            columns_.push_back(std::move(missing));
            break;
        }
        for (const Matrix& m : market.columns) {
            Column c;
            c.group = "markets/" + market.market;
            c.name = m.name;
            c.dataset = "/markets/" + market.market + "/" + m.name;
            c.width = m.cols;
            c.market = true;
            const auto col = find_named(other->columns, m.name, &Matrix::name);
            if (col == other->columns.end())
                c.difference = RecordDifference{c.dataset, -1, "missing"};
            else if (col->cols != m.cols)
                c.difference = RecordDifference{c.dataset, -1, "of another width"};
            else {
                c.kind_index = static_cast<std::size_t>(other - replayed.markets.begin());
                c.column_index = static_cast<std::size_t>(col - other->columns.begin());
            }
            columns_.push_back(std::move(c));
        }
    }
    if (next_) next_->begin(replayed, steps);
}

void VerifySink::check_row(Column& column, std::size_t row, const Matrix& replayed) {
    const double* recorded = recorded_.row(column.group, column.name, row);
    for (std::size_t c = 0; c < column.width; ++c) {
        if (same_value(recorded[c], replayed.values[c])) continue;
        const int step = static_cast<int>(row);
        column.difference = column.common_slots
                                ? RecordDifference{column.dataset, step, fmt::format("column {}", c)}
                                : RecordDifference{column.dataset, step,
                                                   fmt::format("column {}: {} vs {}", c, recorded[c],
                                                               replayed.values[c])};
        return;
    }
}

void VerifySink::row(std::size_t row, const RunRecord& current) {
    if (row < static_cast<std::size_t>(steps_)) {
        rows_ = std::max(rows_, row + 1);
        for (Column& column : columns_) {
            if (column.difference) continue;
            const Matrix& replayed = column.market ? current.markets[column.kind_index].columns[column.column_index]
                                                   : current.kinds[column.kind_index].columns[column.column_index];
            check_row(column, row, replayed);
        }
    }
    if (next_) next_->row(row, current);
}

namespace {

// The rows of `rows` before step `steps`.
template <class Row>
std::vector<Row> before(const std::vector<Row>& rows, int steps) {
    std::vector<Row> kept;
    for (const Row& r : rows)
        if (r.step < steps) kept.push_back(r);
    return kept;
}

}  // namespace

// The recorded rows through `step` (and before steps_) that `table` has not
// had yet, then the replayed `rows`.
template <class Row, class Fetch>
void feed(VerifySink::Table<Row>& table, std::int32_t& through, std::vector<Row>& buffer, std::int32_t step,
          int steps, Fetch fetch, const std::vector<Row>& rows) {
    const std::int32_t last = std::min<std::int32_t>(step, steps - 1);
    if (last > through) {
        buffer.clear();
        fetch(last, buffer);
        through = last;
        table.recorded(buffer);
    }
    table.replayed(rows);
}

void VerifySink::events(const std::vector<EventRow>& rows) {
    const std::vector<EventRow> kept = before(rows, steps_);
    if (!kept.empty())
        feed(events_, events_through_, recorded_events_, kept.back().step, steps_,
             [&](std::int32_t s, std::vector<EventRow>& out) { recorded_.events_through(s, out); }, kept);
    if (next_) next_->events(rows);
}

void VerifySink::edges(const std::vector<EdgeRow>& rows) {
    const std::vector<EdgeRow> kept = before(rows, steps_);
    if (!kept.empty())
        feed(edges_, edges_through_, recorded_edges_, kept.back().step, steps_,
             [&](std::int32_t s, std::vector<EdgeRow>& out) { recorded_.edges_through(s, out); }, kept);
    if (next_) next_->edges(rows);
}

void VerifySink::compare_checkpoint(const Checkpoint& replayed) {
    if (replayed.step <= 0 || replayed.step > steps_) return;
    const auto& steps = recorded_.summary().checkpoints;
    const bool recorded_has =
        std::any_of(steps.begin(), steps.end(), [&](const Checkpoint& c) { return c.step == replayed.step; });
    std::optional<RecordDifference> difference;
    if (recorded_has) {
        const Checkpoint recorded = recorded_.checkpoint(replayed.step);
        const std::string name = fmt::format("/checkpoints/step_{}", replayed.step);
        for (const StateColumn& column : recorded.columns)
            if (!same_state(column, replayed.find(column.name))) {
                difference = RecordDifference{name + "/" + column.name, replayed.step, "state differs"};
                break;
            }
    }
    checkpoints_.emplace_back(replayed.step, std::move(difference));
}

void VerifySink::checkpoint(const Checkpoint& checkpoint) {
    compare_checkpoint(checkpoint);
    if (next_) next_->checkpoint(checkpoint);
}

void VerifySink::take_checkpoint(Checkpoint&& checkpoint) {
    compare_checkpoint(checkpoint);
    if (next_) next_->take_checkpoint(std::move(checkpoint));
}

std::optional<RecordDifference> VerifySink::difference(const RunRecord& replayed) {
    if (auto d = compare_summaries(recorded_.summary(), replayed, 0, steps_)) return d;
    for (const Column& column : columns_) {
        if (column.difference) return column.difference;
        if (!column.common_slots && rows_ < static_cast<std::size_t>(steps_))
            return RecordDifference{column.dataset, static_cast<int>(rows_), "one run has fewer steps"};
    }
    // The recorded rows of steps the replay made none for.
    feed(events_, events_through_, recorded_events_, steps_ - 1, steps_,
         [&](std::int32_t s, std::vector<EventRow>& out) { recorded_.events_through(s, out); }, {});
    feed(edges_, edges_through_, recorded_edges_, steps_ - 1, steps_,
         [&](std::int32_t s, std::vector<EdgeRow>& out) { recorded_.edges_through(s, out); }, {});
    if (auto d = events_.finish("/events")) return d;
    if (auto d = edges_.finish("/network/edges")) return d;
    for (const Checkpoint& c : recorded_.summary().checkpoints) {
        if (c.step <= 0 || c.step > steps_) continue;
        const auto it = std::find_if(checkpoints_.begin(), checkpoints_.end(),
                                     [&](const auto& seen) { return seen.first == c.step; });
        if (it == checkpoints_.end())
            return RecordDifference{fmt::format("/checkpoints/step_{}", c.step), c.step, "missing"};
        if (it->second) return it->second;
    }
    return std::nullopt;
}

}  // namespace airace
