// A RecordSink that delivers to another on a writer thread (see async_sink.hpp).

#include "record/async_sink.hpp"

#include <utility>

namespace airace {

namespace {

// Calls f(matrix) for every per-agent and market column of `record`, in the
// order RecordSink::row's implementations read them.
template <class Record, class F>
void for_each_column(Record& record, F&& f) {
    for (auto& kind : record.kinds)
        for (auto& column : kind.columns) f(column);
    for (auto& market : record.markets)
        for (auto& column : market.columns) f(column);
}

// What a copy of a layout holds (its statics and one row of each column).
std::size_t layout_bytes(const RunRecord& layout) {
    std::size_t bytes = layout.config_yaml.size() + (layout.time.size() + layout.hashes.size()) * sizeof(double);
    for (const Series& series : layout.aggregates) bytes += series.values.size() * sizeof(double);
    for (const auto* names : {&layout.event_types, &layout.edge_types})
        for (const std::string& s : *names) bytes += sizeof(std::string) + s.size();
    for (const KindRecord& kind : layout.kinds) {
        for (const auto* strings : {&kind.names, &kind.regions, &kind.types})
            for (const std::string& s : *strings) bytes += sizeof(std::string) + s.size();
        for (const Matrix& m : kind.columns) bytes += m.values.size() * sizeof(double);
    }
    for (const MarketRecord& market : layout.markets) {
        for (const std::string& s : market.labels) bytes += sizeof(std::string) + s.size();
        for (const Matrix& m : market.columns) bytes += m.values.size() * sizeof(double);
    }
    return bytes;
}

std::size_t checkpoint_bytes(const Checkpoint& checkpoint) {
    std::size_t bytes = 0;
    for (const StateColumn& column : checkpoint.columns)
        bytes += column.real.size() * sizeof(double) + column.whole.size() * sizeof(std::int64_t);
    return bytes;
}

}  // namespace

AsyncSink::AsyncSink(RecordSink& target, std::size_t max_pending_bytes)
    : target_(target), max_pending_bytes_(max_pending_bytes) {}

AsyncSink::~AsyncSink() {
    {
        const std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
        jobs_.clear();
    }
    changed_.notify_all();
    if (writer_.joinable()) writer_.join();
}

void AsyncSink::begin(const RunRecord& layout, std::size_t steps) {
    const bool direct = layout_bytes(layout) > max_pending_bytes_;
    if (direct) target_.begin(layout, steps);
    // The columns' shapes only: the statics are not read by row().
    for (const KindRecord& kind : layout.kinds) {
        KindRecord shape;
        shape.kind = kind.kind;
        shape.columns = kind.columns;
        shape_.kinds.push_back(std::move(shape));
    }
    for (const MarketRecord& market : layout.markets) {
        MarketRecord shape;
        shape.market = market.market;
        shape.columns = market.columns;
        shape_.markets.push_back(std::move(shape));
    }
    writer_ = std::thread([this] { work(); });
    if (!direct) submit(Begin{layout, steps});
}

std::size_t AsyncSink::bytes_of(const Job& job) {
    struct Size {
        std::size_t operator()(const Row& r) const { return r.values.size() * sizeof(double); }
        std::size_t operator()(const std::vector<EventRow>& rows) const { return rows.size() * sizeof(EventRow); }
        std::size_t operator()(const std::vector<EdgeRow>& rows) const { return rows.size() * sizeof(EdgeRow); }
        std::size_t operator()(const Checkpoint& c) const { return checkpoint_bytes(c); }
        std::size_t operator()(const Begin& b) const { return layout_bytes(b.layout); }
    };
    return std::visit(Size{}, job);
}

void AsyncSink::rethrow_locked() {
    if (error_) std::rethrow_exception(error_);
}

bool AsyncSink::wait_or_direct(std::size_t bytes) {
    std::unique_lock<std::mutex> lock(mutex_);
    rethrow_locked();
    if (bytes <= max_pending_bytes_) {
        changed_.wait(lock, [&] { return pending_bytes_ + bytes <= max_pending_bytes_ || error_; });
        rethrow_locked();
        return false;
    }
    // Too large to copy: the caller delivers it once the writer is idle.
    changed_.wait(lock, [&] { return (jobs_.empty() && !busy_) || error_; });
    rethrow_locked();
    return true;
}

void AsyncSink::submit(Job job) {
    const std::size_t bytes = bytes_of(job);
    {
        const std::lock_guard<std::mutex> lock(mutex_);
        rethrow_locked();
        pending_bytes_ += bytes;
        jobs_.push_back(std::move(job));
    }
    changed_.notify_all();
}

void AsyncSink::row(std::size_t row, const RunRecord& current) {
    std::size_t count = 0;
    for_each_column(current, [&](const Matrix& m) { count += m.cols; });
    if (wait_or_direct(count * sizeof(double))) return target_.row(row, current);
    Row job{row, {}};
    job.values.reserve(count);
    for_each_column(current, [&](const Matrix& m) {
        job.values.insert(job.values.end(), m.values.begin(), m.values.begin() + static_cast<std::ptrdiff_t>(m.cols));
    });
    submit(std::move(job));
}

void AsyncSink::events(const std::vector<EventRow>& rows) {
    if (wait_or_direct(rows.size() * sizeof(EventRow))) return target_.events(rows);
    submit(rows);
}

void AsyncSink::edges(std::span<const EdgeRow> rows) {
    if (wait_or_direct(rows.size() * sizeof(EdgeRow))) return target_.edges(rows);
    std::vector<EdgeRow> copy;
    {
        const std::lock_guard<std::mutex> lock(mutex_);
        if (!spare_edges_.empty()) {
            copy = std::move(spare_edges_.back());
            spare_edges_.pop_back();
        }
    }
    copy.assign(rows.begin(), rows.end());
    submit(std::move(copy));
}

void AsyncSink::checkpoint(const Checkpoint& checkpoint) {
    if (wait_or_direct(checkpoint_bytes(checkpoint))) return target_.checkpoint(checkpoint);
    submit(checkpoint);
}

void AsyncSink::take_checkpoint(Checkpoint&& checkpoint) {
    if (wait_or_direct(checkpoint_bytes(checkpoint))) return target_.checkpoint(checkpoint);
    submit(std::move(checkpoint));
}

void AsyncSink::drain() {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [&] { return (jobs_.empty() && !busy_) || error_; });
    rethrow_locked();
}

void AsyncSink::deliver(Job& job) {
    if (Row* r = std::get_if<Row>(&job)) {
        std::size_t at = 0;
        for_each_column(shape_, [&](Matrix& m) {
            std::copy(r->values.begin() + static_cast<std::ptrdiff_t>(at),
                      r->values.begin() + static_cast<std::ptrdiff_t>(at + m.cols), m.values.begin());
            at += m.cols;
        });
        target_.row(r->row, shape_);
    } else if (auto* events = std::get_if<std::vector<EventRow>>(&job)) {
        target_.events(*events);
    } else if (auto* edges = std::get_if<std::vector<EdgeRow>>(&job)) {
        target_.edges(*edges);
    } else if (auto* begin = std::get_if<Begin>(&job)) {
        target_.begin(begin->layout, begin->steps);
    } else {
        target_.checkpoint(std::get<Checkpoint>(job));
    }
}

void AsyncSink::work() {
    for (;;) {
        Job job;
        std::size_t bytes = 0;
        {
            std::unique_lock<std::mutex> lock(mutex_);
            changed_.wait(lock, [&] { return stopping_ || !jobs_.empty(); });
            if (stopping_) return;
            job = std::move(jobs_.front());
            jobs_.pop_front();
            bytes = bytes_of(job);
            busy_ = true;
        }
        std::exception_ptr failure;
        try {
            deliver(job);
        } catch (...) {
            failure = std::current_exception();
        }
        {
            const std::lock_guard<std::mutex> lock(mutex_);
            busy_ = false;
            pending_bytes_ -= bytes;
            if (auto* rows = std::get_if<std::vector<EdgeRow>>(&job); rows != nullptr && spare_edges_.size() < async_sink_spare_batches)
                spare_edges_.push_back(std::move(*rows));
            if (failure) {
                error_ = failure;
                jobs_.clear();
                pending_bytes_ = 0;
            }
        }
        changed_.notify_all();
        if (failure) return;
    }
}

}  // namespace airace
