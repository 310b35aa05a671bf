// A replay compared with its recorded run as it streams (see verify_sink.hpp).

#include "record/verify_sink.hpp"

#include <algorithm>
#include <utility>

#include <fmt/format.h>

#include "base/errors.hpp"

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
void VerifySink::Table<Row>::replayed(std::span<const Row> rows) {
    replayed_count_ += rows.size();
    if (rows.empty() || settled()) return;
    replayed_.insert(replayed_.end(), rows.begin(), rows.end());
    pull(rows.back().step);
}

// Matches the waiting replayed rows with recorded rows of steps up to
// `through`, read as many at a time as are waiting. When the recorded run
// has no row left at or before `through`, a replayed row still waiting has
// no recorded row at its place that could be the same (compare_tables would
// find this row, or the count, different): only counts are kept from then.
template <class Row>
void VerifySink::Table<Row>::pull(std::int32_t through) {
    while (!settled() && !replayed_.empty()) {
        if (recorded_.empty()) {
            buffer_.clear();
            fetch_(through, buffer_, replayed_.size());
            if (buffer_.empty()) {
                tail_ = true;
                step_ = replayed_.front().step;
                break;
            }
            recorded_count_ += buffer_.size();
            recorded_.insert(recorded_.end(), buffer_.begin(), buffer_.end());
        }
        match();
    }
    if (settled()) {
        recorded_.clear();
        replayed_.clear();
    }
}

template <class Row>
void VerifySink::Table<Row>::match() {
    while (!recorded_.empty() && !replayed_.empty()) {
        const Row& x = recorded_.front();
        const Row& y = replayed_.front();
        if (x.step != y.step || !same_row(x, y)) {
            differs_ = true;
            step_ = std::min(x.step, y.step);
            return;
        }
        recorded_.pop_front();
        replayed_.pop_front();
        ++matched_;
    }
}

template <class Row>
std::optional<RecordDifference> VerifySink::Table<Row>::finish(const std::string& dataset, std::int32_t last) {
    pull(last);
    // The recorded rows no replayed row asked for: counted a block at a
    // time; the first is the place of a count that differs.
    for (;;) {
        buffer_.clear();
        fetch_(last, buffer_, std::size_t{1} << 16);
        if (buffer_.empty()) break;
        recorded_count_ += buffer_.size();
        if (!settled() && recorded_.empty()) recorded_.push_back(buffer_.front());
    }
    const auto counts = [&] { return fmt::format("{} rows vs {}", recorded_count_, replayed_count_); };
    if (differs_) return RecordDifference{dataset, step_, fmt::format("row {} differs", matched_)};
    if (tail_)
        return RecordDifference{dataset, step_,
                                recorded_count_ > matched_ ? fmt::format("row {} differs", matched_) : counts()};
    if (!recorded_.empty()) return RecordDifference{dataset, recorded_.front().step, counts()};
    return std::nullopt;
}

template class VerifySink::Table<EventRow>;
template class VerifySink::Table<EdgeRow>;

// --- the sink -----------------------------------------------------------------

VerifySink::VerifySink(RunPrefix& recorded, int steps, RecordSink* next)
    : recorded_(recorded), steps_(steps), next_(next),
      events_([&recorded](std::int32_t step, std::vector<EventRow>& out, std::size_t max_rows) {
          recorded.events_through(step, out, max_rows);
      }),
      edges_([&recorded](std::int32_t step, std::vector<EdgeRow>& out, std::size_t max_rows) {
          recorded.edges_through(step, out, max_rows);
      }) {}

void VerifySink::begin(const RunRecord& replayed, std::size_t steps) {
    // The recorded run's columns in compare_records' order, each with where
    // the replay has it, or the difference their shapes already make.
    columns_.clear();
    const RunRecord& layout = recorded_.layout();
    for (const KindRecord& kind : layout.kinds) {
        const auto other = find_named(replayed.kinds, kind.kind, &KindRecord::kind);
        if (other == replayed.kinds.end()) {
            add(missing("/" + kind.kind), 0);
            break;  // compare_records stops at the first missing kind
        }
        for (const Matrix& m : kind.columns) {
            Column c = column_of(kind.kind, m);
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
            add(std::move(c), m.cols);
        }
    }
    for (const MarketRecord& market : layout.markets) {
        const auto other = find_named(replayed.markets, market.market, &MarketRecord::market);
        if (other == replayed.markets.end()) {
            add(missing("/markets/" + market.market), 0);
            break;
        }
        for (const Matrix& m : market.columns) {
            Column c = column_of("markets/" + market.market, m);
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
            add(std::move(c), m.cols);
        }
    }
    if (next_) next_->begin(replayed, steps);
}

// Column `m` of `group` ("labs", "markets/compute") of the recorded run.
VerifySink::Column VerifySink::column_of(const std::string& group, const Matrix& m) {
    Column c;
    c.group = group;
    c.name = m.name;
    c.dataset = "/" + group + "/" + m.name;
    c.width = m.cols;
    return c;
}

// A kind or market the replay lacks: the difference its place makes.
VerifySink::Column VerifySink::missing(const std::string& dataset) {
    Column c;
    c.difference = RecordDifference{dataset, -1, "missing"};
    return c;
}

// Adds a column to compare, `width` values wide in the layout. The rows
// check_row reads hold that many values (the layout and the rows come from
// the same open file, so only a defect could make them differ).
void VerifySink::add(Column column, std::size_t width) {
    if (!column.difference) {
        const long long rows = recorded_.width(column.group, column.name);
        if (rows < 0 || static_cast<std::size_t>(rows) != width)
            throw RunFileError(fmt::format("{}: its rows are {} values wide, its layout says {}",
                                           column.dataset, rows, width));
    }
    columns_.push_back(std::move(column));
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

// The rows of `rows` (in step order, as a run gives them) before step
// `steps`, without a copy.
template <class Row>
std::span<const Row> before(std::span<const Row> rows, int steps) {
    const auto end = std::partition_point(rows.begin(), rows.end(), [&](const Row& r) { return r.step < steps; });
    return rows.first(static_cast<std::size_t>(end - rows.begin()));
}

}  // namespace

void VerifySink::events(const std::vector<EventRow>& rows) {
    events_.replayed(before(std::span<const EventRow>(rows), steps_));
    if (next_) next_->events(rows);
}

void VerifySink::edges(std::span<const EdgeRow> rows) {
    edges_.replayed(before(rows, steps_));
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
    if (auto d = events_.finish("/events", steps_ - 1)) return d;
    if (auto d = edges_.finish("/network/edges", steps_ - 1)) return d;
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
