#pragma once
// VerifySink: `airace replay --verify` without holding either run whole. The
// replay streams its record into this sink, which compares each step's rows,
// events, graph snapshot and checkpoint with the recorded run's, read from
// its file a step at a time (a RunPrefix, output/reader.hpp), and passes the
// calls on to another sink (the replay's own file with -o) when given one.
// difference() then gives exactly what compare_records(recorded, replayed,
// 0, steps) gives for the two whole records: the same dataset, step and
// detail, found in the same order (record/record_compare.hpp). Memory: the
// world's state plus a batch of the replay's rows (a graph snapshot comes in
// batches, RecordOptions::snapshot_batch_rows) and as many recorded rows.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "record/record.hpp"
#include "record/record_compare.hpp"
#include "record/record_sink.hpp"
#include "record/run_prefix.hpp"

namespace airace {

class VerifySink final : public RecordSink {
public:
    // `recorded`: the recorded run as a prefix (its summary and layout, its
    // rows read as asked for); `steps`: the steps compared, [0, steps).
    // `next` (may be null) receives every call after it is compared. Both
    // must outlive the sink.
    VerifySink(RunPrefix& recorded, int steps, RecordSink* next);

    void begin(const RunRecord& layout, std::size_t steps) override;
    void row(std::size_t row, const RunRecord& current) override;
    void events(const std::vector<EventRow>& rows) override;
    void edges(std::span<const EdgeRow> rows) override;
    void checkpoint(const Checkpoint& checkpoint) override;
    void take_checkpoint(Checkpoint&& checkpoint) override;

    // After the replay: the first difference between the recorded run and
    // `replayed` (run()'s record: /time, /aggregates and /hashes) together
    // with what the sink saw, in compare_records' order; nullopt when they
    // are the same.
    std::optional<RecordDifference> difference(const RunRecord& replayed);

    // An index-aligned comparison of two tables streamed in step order
    // (/events, /network/edges) that holds no more of the recorded table
    // than the replayed rows waiting to be matched: the recorded rows are
    // read as many at a time as there are replayed rows to match.
    template <class Row>
    class Table {
    public:
        // Reads at most `max_rows` recorded rows of steps up to `step` that
        // no earlier call gave, into `out`.
        using Fetch = std::function<void(std::int32_t step, std::vector<Row>& out, std::size_t max_rows)>;
        explicit Table(Fetch fetch) : fetch_(std::move(fetch)) {}
        // The replay's next rows, in step order (a batch of one step's rows,
        // or of several).
        void replayed(std::span<const Row> rows);
        // The first difference once the replay is over, steps [0, last].
        std::optional<RecordDifference> finish(const std::string& dataset, std::int32_t last);

    private:
        void pull(std::int32_t through);  // matches the waiting replayed rows
        void match();
        bool settled() const { return differs_ || tail_; }
        Fetch fetch_;
        std::deque<Row> recorded_, replayed_;  // fetched or given, not yet matched
        std::vector<Row> buffer_;
        std::size_t recorded_count_ = 0, replayed_count_ = 0, matched_ = 0;
        bool differs_ = false;  // first difference: row matched_ at step step_
        bool tail_ = false;     // the replay's row matched_ has no recorded row of its step or before
        int step_ = 0;
    };

private:
    // A per-step column of the recorded run (in its order), where the
    // replay has it, and its first difference, if any.
    struct Column {
        std::string group;    // "labs", "markets/compute"
        std::string name;
        std::string dataset;  // "/labs/cash"
        std::size_t width = 0;
        bool market = false;
        bool common_slots = false;  // a kind a fork may add agents to, of another width
        std::size_t kind_index = 0, column_index = 0;  // the replay's kind (or market) and column
        std::optional<RecordDifference> difference;
    };
    void check_row(Column& column, std::size_t row, const Matrix& replayed);
    static Column column_of(const std::string& group, const Matrix& m);
    static Column missing(const std::string& dataset);
    void add(Column column, std::size_t width);
    void compare_checkpoint(const Checkpoint& replayed);

    RunPrefix& recorded_;
    int steps_;
    RecordSink* next_;
    std::vector<Column> columns_;
    std::size_t rows_ = 0;  // replayed rows seen
    Table<EventRow> events_;
    Table<EdgeRow> edges_;
    std::vector<std::pair<std::int32_t, std::optional<RecordDifference>>> checkpoints_;  // the replay's
};

}  // namespace airace
