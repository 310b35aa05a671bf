// A RunRecord in memory as a RunPrefix (run_prefix.hpp): what tests and the
// whole-record paths continue from.

#include "record/run_prefix.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "base/errors.hpp"

namespace airace {
namespace {

class RecordPrefix final : public RunPrefix {
public:
    explicit RecordPrefix(const RunRecord& record) : record_(record) {}

    const RunRecord& summary() const override { return record_; }

    Checkpoint checkpoint(std::int32_t step) override {
        for (const Checkpoint& c : record_.checkpoints)
            if (c.step == step) return c;
        throw RunFileError(fmt::format("the run file has no checkpoint at step {}", step));
    }

    bool has_kind(const std::string& kind) override { return record_.kind(kind) != nullptr; }

    std::vector<std::string> market_columns(const std::string& market) override {
        std::vector<std::string> names;
        if (const MarketRecord* m = find_market(market))
            for (const Matrix& c : m->columns) names.push_back(c.name);
        return names;
    }

    long long width(const std::string& group, const std::string& name) override {
        const Matrix* m = column(group, name);
        return m ? static_cast<long long>(m->cols) : -1;
    }

    const double* row(const std::string& group, const std::string& name, std::size_t row) override {
        const Matrix* m = column(group, name);
        if (!m || m->values.size() < (row + 1) * m->cols)
            throw RunFileError("the run to continue has fewer steps than its checkpoint");
        return m->values.data() + row * m->cols;
    }

    void events_through(std::int32_t step, std::vector<EventRow>& out, std::size_t max_rows) override {
        rows_through(record_.events, next_event_, step, out, max_rows);
    }

    void edges_through(std::int32_t step, std::vector<EdgeRow>& out, std::size_t max_rows) override {
        rows_through(record_.edges, next_edge_, step, out, max_rows);
    }

    const RunRecord& layout() override { return record_; }

private:
    template <class Row>
    static void rows_through(const std::vector<Row>& rows, std::size_t& next, std::int32_t step,
                             std::vector<Row>& out, std::size_t max_rows) {
        for (std::size_t given = 0; given < max_rows && next < rows.size() && rows[next].step <= step; ++given)
            out.push_back(rows[next++]);
    }

    const MarketRecord* find_market(const std::string& market) const {
        const auto it = std::find_if(record_.markets.begin(), record_.markets.end(),
                                     [&](const MarketRecord& m) { return m.market == market; });
        return it == record_.markets.end() ? nullptr : &*it;
    }

    // Column `name` of a kind, or of "markets/<market>".
    const Matrix* column(const std::string& group, const std::string& name) const {
        const std::vector<Matrix>* columns = nullptr;
        if (group.rfind("markets/", 0) == 0) {
            if (const MarketRecord* m = find_market(group.substr(8))) columns = &m->columns;
        } else if (const KindRecord* k = record_.kind(group)) {
            columns = &k->columns;
        }
        if (!columns) return nullptr;
        const auto it = std::find_if(columns->begin(), columns->end(), [&](const Matrix& c) { return c.name == name; });
        return it == columns->end() ? nullptr : &*it;
    }

    const RunRecord& record_;
    std::size_t next_event_ = 0;
    std::size_t next_edge_ = 0;
};

}  // namespace

std::unique_ptr<RunPrefix> record_prefix(const RunRecord& record) {
    return std::make_unique<RecordPrefix>(record);
}

}  // namespace airace
