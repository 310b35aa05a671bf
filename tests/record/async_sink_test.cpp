// record/async_sink.cpp: the target receives the same calls, with the same
// values and in the same order, as without the writer thread (so a run file
// written through it has the same bytes); pieces larger than the bound are
// handed over by the caller; an error on the writer thread reaches the
// caller and stops the run.

#include <catch2/catch.hpp>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "output/stream_writer.hpp"
#include "record/async_sink.hpp"
#include "record/run.hpp"
#include "tests/fixtures/tiny_world.hpp"
#include "tests/output/run_record_fixture.hpp"

namespace fs = std::filesystem;
using namespace airace;

namespace {

ScenarioConfig sink_config() { return testing::tiny_config_with_investors(6, 300); }

RunOptions sink_options(int threads) {
    RunOptions options;
    options.threads = threads;
    options.checkpoint_every = 2;
    return options;
}

// Writes down every call it receives, with its values, in order.
class LogSink final : public RecordSink {
public:
    std::vector<std::string> log;
    std::size_t fail_at_row = static_cast<std::size_t>(-1);
    void begin(const RunRecord& layout, std::size_t steps) override {
        log.push_back(fmt::format("begin {} kinds {} markets {} steps", layout.kinds.size(), layout.markets.size(),
                                  steps));
    }
    void row(std::size_t row, const RunRecord& current) override {
        if (row == fail_at_row) throw std::runtime_error(fmt::format("disk full at row {}", row));
        std::string line = fmt::format("row {}:", row);
        for (const KindRecord& kind : current.kinds)
            for (const Matrix& column : kind.columns)
                for (std::size_t c = 0; c < column.cols; ++c) line += fmt::format(" {}", column.values[c]);
        for (const MarketRecord& market : current.markets)
            for (const Matrix& column : market.columns)
                for (std::size_t c = 0; c < column.cols; ++c) line += fmt::format(" {}", column.values[c]);
        log.push_back(std::move(line));
    }
    void events(const std::vector<EventRow>& rows) override {
        std::string line = "events:";
        for (const EventRow& e : rows) line += fmt::format(" {}/{}/{}/{}", e.step, e.type, e.agent, e.amount);
        log.push_back(std::move(line));
    }
    void edges(std::span<const EdgeRow> rows) override {
        std::string line = "edges:";
        for (const EdgeRow& e : rows) line += fmt::format(" {}/{}/{}/{}", e.step, e.src, e.dst, e.weight);
        log.push_back(std::move(line));
    }
    void checkpoint(const Checkpoint& checkpoint) override {
        std::string line = fmt::format("checkpoint {}:", checkpoint.step);
        for (const StateColumn& column : checkpoint.columns)
            line += fmt::format(" {}={}/{}", column.name, column.real.size(), column.whole.size());
        log.push_back(std::move(line));
    }
};

std::vector<std::string> direct_log(int threads) {
    LogSink sink;
    RunOptions options = sink_options(threads);
    options.sink = &sink;
    run(sink_config(), options);
    return sink.log;
}

std::vector<std::string> async_log(int threads, std::size_t bound) {
    LogSink sink;
    {
        AsyncSink writer(sink, bound);
        RunOptions options = sink_options(threads);
        options.sink = &writer;
        run(sink_config(), options);
        writer.drain();
    }
    return sink.log;
}

}  // namespace

TEST_CASE("the target of an AsyncSink receives the same calls in the same order", "[record][async]") {
    const std::vector<std::string> direct = direct_log(2);
    REQUIRE(direct.size() > 50);
    // A roomy bound (everything through the writer) and a tight one (rows
    // and events through it, snapshots and checkpoints handed over directly).
    for (const std::size_t bound : {std::size_t{64} << 20, std::size_t{4} << 10}) {
        const std::vector<std::string> async = async_log(2, bound);
        INFO("bound " << bound);
        REQUIRE(async.size() == direct.size());
        for (std::size_t i = 0; i < direct.size(); ++i) {
            INFO("call " << i);
            CHECK(async[i] == direct[i]);
        }
    }
}

TEST_CASE("a run file written through an AsyncSink has the same bytes", "[record][async][determinism]") {
    setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
    const fs::path dir = test::scratch_dir("async_sink_bytes");
    const auto write = [&](const std::string& name, bool async) {
        const std::string path = (dir / name).string();
        RunFileStream stream(path, true);
        std::optional<AsyncSink> writer;
        if (async) writer.emplace(stream, 1 << 16);
        RunOptions options = sink_options(2);
        options.sink = writer ? static_cast<RecordSink*>(&*writer) : &stream;
        const RunRecord record = run(sink_config(), options);
        if (writer) writer->drain();
        stream.publish(record);
        return test::file_bytes(path);
    };
    CHECK(write("direct.h5", false) == write("async.h5", true));
}

TEST_CASE("an error on the writer thread stops the run with that error", "[record][async]") {
    LogSink sink;
    sink.fail_at_row = 5;
    AsyncSink writer(sink, std::size_t{64} << 20);
    RunOptions options = sink_options(2);
    options.sink = &writer;
    // Thrown by a later call of the run, or by drain() after it.
    CHECK_THROWS_WITH(
        [&] {
            run(sink_config(), options);
            writer.drain();
        }(),
        "disk full at row 5");
    // It stays the writer's answer.
    CHECK_THROWS_WITH(writer.drain(), "disk full at row 5");
    for (const std::string& line : sink.log) CHECK(line.rfind("row 6:", 0) != 0);
}
