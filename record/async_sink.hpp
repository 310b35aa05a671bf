#pragma once
// AsyncSink: hands a streamed run's record to another RecordSink (the run
// file) on a writer thread, so that compressing and writing step k's rows,
// snapshots and checkpoints overlaps the simulation of the steps after it.
//
// The target sees exactly the calls, arguments and order it would have seen
// without the wrapper (copies of them, made before the caller's call
// returns), so its bytes are unchanged: a run file written through an
// AsyncSink is byte-identical to one written directly, for any thread
// count. What waits for the writer is bounded by `max_pending_bytes`: a call
// that would exceed it first waits for the writer to catch up, and a single
// piece larger than the bound (a graph snapshot or checkpoint of a huge
// world) is handed over on the caller's thread after the writer is idle, so
// memory stays the world's state plus a constant.
//
// An error on the writer thread stops it; the next call (or drain()) throws
// it on the caller's thread, and the target has already cleaned up after
// itself as it does on a direct call.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <variant>
#include <vector>

#include "record/record_sink.hpp"

namespace airace {

// The bound `airace run` uses (and its resource estimate counts): the
// baseline's largest pieces (a checkpoint, about 2 MB) pass through with
// room to spare; a huge world's snapshots and checkpoints go directly.
inline constexpr std::size_t async_sink_pending_bytes = std::size_t{8} << 20;
// Batches of snapshot rows the writer is done with, kept for the next
// copies (a huge world's snapshot is hundreds of batches of megabytes; a
// new vector for each would touch fresh pages every time).
inline constexpr std::size_t async_sink_spare_batches = 2;

class AsyncSink final : public RecordSink {
public:
    AsyncSink(RecordSink& target, std::size_t max_pending_bytes);
    ~AsyncSink() override;  // stops the writer; work not yet done is dropped
    AsyncSink(const AsyncSink&) = delete;
    AsyncSink& operator=(const AsyncSink&) = delete;

    // Lays out the target on the writer thread while the caller simulates
    // the first steps (a copy of the layout; one too large to copy under the
    // bound is laid out on the caller's thread). An error laying it out
    // (a full disk) is thrown by the next call, as the writer's errors are.
    void begin(const RunRecord& layout, std::size_t steps) override;
    void row(std::size_t row, const RunRecord& current) override;
    void events(const std::vector<EventRow>& rows) override;
    void edges(std::span<const EdgeRow> rows) override;
    void checkpoint(const Checkpoint& checkpoint) override;
    void take_checkpoint(Checkpoint&& checkpoint) override;

    // Waits until the target has received every call made so far (so the
    // caller may use the target directly), then throws the writer's error if
    // it had one.
    void drain();

private:
    struct Row {
        std::size_t row = 0;
        std::vector<double> values;  // every column's row, in the layout's order
    };
    struct Begin {
        RunRecord layout;
        std::size_t steps = 0;
    };
    using Job = std::variant<Row, std::vector<EventRow>, std::vector<EdgeRow>, Checkpoint, Begin>;

    static std::size_t bytes_of(const Job& job);
    // Waits until `bytes` more fit under the bound (false), or, for a piece
    // larger than the bound, until the writer is idle (true: the caller then
    // delivers it itself). Throws the writer's error.
    bool wait_or_direct(std::size_t bytes);
    void submit(Job job);
    void work();
    void deliver(Job& job);
    void rethrow_locked();

    RecordSink& target_;
    std::size_t max_pending_bytes_;
    RunRecord shape_;  // the layout's columns (one row each), refilled for each Row
    std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<Job> jobs_;
    std::size_t pending_bytes_ = 0;
    bool busy_ = false;  // the writer is delivering a job
    bool stopping_ = false;
    std::exception_ptr error_;
    std::vector<std::vector<EdgeRow>> spare_edges_;  // at most async_sink_spare_batches
    std::thread writer_;
};

}  // namespace airace
