// output/stream_writer.cpp: a run file written while the run goes holds the
// same datasets as the whole record written at the end, gives the same bytes
// for any thread count, resumes from its partial file to the same bytes, and
// leaves nothing behind when abandoned.

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <set>
#include <span>
#include <string>

#include "base/errors.hpp"
#include "output/inspect.hpp"
#include "output/reader.hpp"
#include "output/stream_writer.hpp"
#include "output/writer.hpp"
#include "record/record_compare.hpp"
#include "record/run.hpp"
#include "record/run_prefix.hpp"
#include "tests/fixtures/tiny_world.hpp"
#include "tests/output/run_record_fixture.hpp"

namespace fs = std::filesystem;
using namespace airace;

namespace {

std::string bytes_of(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A tiny world over six years, with more investors than a column chunk's
// band holds at once (so bands are written during the run, not only at its end).
ScenarioConfig stream_config() {
    ScenarioConfig config = testing::tiny_config(6);
    config.investors.count = 1500;  // chunks of 21 rows of the 24 steps
    return config;
}

RunOptions stream_options(int threads) {
    RunOptions options;
    options.threads = threads;
    options.checkpoint_every = 2;
    return options;
}

// Streams a run to `path`; returns run()'s record (the small part).
RunRecord stream_run(const std::string& path, RunOptions options) {
    RunFileStream stream(path, true);
    options.sink = &stream;
    const RunRecord record = run(stream_config(), options);
    stream.publish(record);
    return record;
}

}  // namespace

TEST_CASE("a streamed run file holds the same datasets as the whole record", "[output][stream]") {
    setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
    const fs::path dir = test::scratch_dir("stream_same");
    const std::string whole_path = (dir / "whole.h5").string(), streamed_path = (dir / "streamed.h5").string();
    const RunRecord whole = run(stream_config(), stream_options(1));
    write_run_file(whole, whole_path, true);
    stream_run(streamed_path, stream_options(1));
    const RunRecord expected = read_run_file(whole_path);
    const RunRecord streamed = read_run_file(streamed_path);
    const auto difference = compare_records(expected, streamed, 0, expected.meta.steps);
    INFO((difference ? difference->dataset + " " + difference->detail : std::string("none")));
    CHECK_FALSE(difference);
    CHECK(streamed.events.size() == expected.events.size());
    CHECK(streamed.edges.size() == expected.edges.size());
    REQUIRE(streamed.checkpoints.size() == expected.checkpoints.size());
    CHECK(streamed.config_yaml == expected.config_yaml);
    CHECK(streamed.meta.status == "complete");
    test::require_same_record(expected, streamed);
}

TEST_CASE("a streamed run file is the same bytes for 1 and 3 threads", "[output][stream][determinism]") {
    setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
    const fs::path dir = test::scratch_dir("stream_threads");
    stream_run((dir / "t1.h5").string(), stream_options(1));
    stream_run((dir / "t3.h5").string(), stream_options(3));
    CHECK(bytes_of((dir / "t1.h5").string()) == bytes_of((dir / "t3.h5").string()));
}

TEST_CASE("a streamed run resumed from its partial file gives the same bytes", "[output][stream]") {
    setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
    const fs::path dir = test::scratch_dir("stream_resume");
    const std::string full = (dir / "full.h5").string(), resumed = (dir / "resumed.h5").string();
    const std::string partial = resumed + ".partial";
    stream_run(full, stream_options(2));
    {
        // Interrupted after 9 steps: the partial file holds the run to its
        // last checkpoint (step 8); the unpublished stream leaves no file.
        RunFileStream stream(resumed, true);
        RunOptions options = stream_options(2);
        options.sink = &stream;
        options.stop_after = 9;
        options.on_checkpoint = [&](const RunRecord& so_far) { stream.write_partial(so_far, partial); };
        run(stream_config(), options);
    }
    CHECK_FALSE(fs::exists(resumed));
    const RunRecord interrupted = read_run_file(partial);
    CHECK(interrupted.meta.status == "partial");
    REQUIRE(interrupted.checkpoints.size() == 4);
    RunOptions options = stream_options(2);
    options.resume_from = &interrupted;
    options.resume_step = interrupted.checkpoints.back().step;
    CHECK(options.resume_step == 8);
    stream_run(resumed, options);
    CHECK(bytes_of(full) == bytes_of(resumed));
    // Continued from the partial file read step by step (open_run_prefix:
    // `airace run --resume`), never whole: the same bytes.
    const std::string from_file = (dir / "from_file.h5").string();
    const std::unique_ptr<RunPrefix> prefix = open_run_prefix(partial);
    RunOptions streamed = stream_options(2);
    streamed.continue_from = prefix.get();
    streamed.resume_step = prefix->summary().checkpoints.back().step;
    stream_run(from_file, streamed);
    CHECK(bytes_of(full) == bytes_of(from_file));
}

TEST_CASE("a run file read as a prefix gives what the whole record holds, step by step", "[output][stream]") {
    const fs::path dir = test::scratch_dir("stream_prefix");
    const std::string path = (dir / "run.h5").string();
    stream_run(path, stream_options(2));
    const RunRecord whole = read_run_file(path);
    const std::unique_ptr<RunPrefix> file = open_run_prefix(path);
    const std::unique_ptr<RunPrefix> memory = record_prefix(whole);
    CHECK(file->summary().hashes == whole.hashes);
    REQUIRE(file->summary().checkpoints.size() == whole.checkpoints.size());
    for (const KindRecord& kind : whole.kinds) {
        CHECK(file->has_kind(kind.kind));
        for (const Matrix& m : kind.columns) {
            REQUIRE(file->width(kind.kind, m.name) == static_cast<long long>(m.cols));
            for (std::size_t row : {std::size_t{0}, m.rows / 2, m.rows - 1}) {
                const double* got = file->row(kind.kind, m.name, row);
                for (std::size_t c = 0; c < m.cols; ++c) REQUIRE(test::same_bits(got[c], m.at(row, c)));
            }
        }
    }
    for (const MarketRecord& market : whole.markets) {
        const std::vector<std::string> names = file->market_columns(market.market);
        REQUIRE(names == memory->market_columns(market.market));
        for (const std::string& name : names) {
            const std::string group = "markets/" + market.market;
            REQUIRE(file->width(group, name) == memory->width(group, name));
            const double* got = file->row(group, name, 5);
            const double* want = memory->row(group, name, 5);
            for (long long c = 0; c < memory->width(group, name); ++c) REQUIRE(test::same_bits(got[c], want[c]));
        }
    }
    CHECK_FALSE(file->has_kind("no_such_kind"));
    CHECK(file->width("labs", "no_such_column") == -1);
    CHECK(file->market_columns("no_such_market").empty());
    REQUIRE_THROWS_AS(file->row("labs", "cash", whole.time.size()), RunFileError);
    // Events and snapshot rows come in the run's order, a step at a time.
    std::vector<EventRow> events;
    std::vector<EdgeRow> edges;
    for (std::int32_t step = 0; step < static_cast<std::int32_t>(whole.time.size()); ++step) {
        const std::size_t before = events.size();
        file->events_through(step, events);
        for (std::size_t i = before; i < events.size(); ++i) REQUIRE(events[i].step <= step);
        file->edges_through(step, edges);
    }
    REQUIRE(events.size() == whole.events.size());
    REQUIRE_FALSE(whole.events.empty());
    for (std::size_t i = 0; i < events.size(); ++i) REQUIRE(events[i].step == whole.events[i].step);
    REQUIRE(edges.size() == whole.edges.size());
    REQUIRE_FALSE(whole.edges.empty());
    const Checkpoint checkpoint = file->checkpoint(whole.checkpoints.back().step);
    REQUIRE(checkpoint.columns.size() == whole.checkpoints.back().columns.size());
    for (std::size_t c = 0; c < checkpoint.columns.size(); ++c) {
        CHECK(checkpoint.columns[c].real == whole.checkpoints.back().columns[c].real);
        CHECK(checkpoint.columns[c].whole == whole.checkpoints.back().columns[c].whole);
    }
    REQUIRE_THROWS_AS(file->checkpoint(1), RunFileError);
}

TEST_CASE("a run's layout has every column's name, units and shape and none of the values", "[output][stream]") {
    const fs::path dir = test::scratch_dir("stream_layout");
    const std::string path = (dir / "run.h5").string();
    stream_run(path, stream_options(2));
    const RunRecord whole = read_run_file(path);
    const RunRecord layout = read_run_layout(path);
    REQUIRE(layout.kinds.size() == whole.kinds.size());
    for (std::size_t k = 0; k < whole.kinds.size(); ++k) {
        CHECK(layout.kinds[k].kind == whole.kinds[k].kind);
        CHECK(layout.kinds[k].names.empty());
        REQUIRE(layout.kinds[k].columns.size() == whole.kinds[k].columns.size());
        for (std::size_t c = 0; c < whole.kinds[k].columns.size(); ++c) {
            const Matrix& a = layout.kinds[k].columns[c];
            const Matrix& b = whole.kinds[k].columns[c];
            CHECK(a.name == b.name);
            CHECK(a.units == b.units);
            CHECK(a.rows == b.rows);
            CHECK(a.cols == b.cols);
            CHECK(a.values.empty());
        }
    }
    REQUIRE(layout.markets.size() == whole.markets.size());
    for (std::size_t m = 0; m < whole.markets.size(); ++m) {
        CHECK(layout.markets[m].labels == whole.markets[m].labels);
        REQUIRE(layout.markets[m].columns.size() == whole.markets[m].columns.size());
        for (std::size_t c = 0; c < whole.markets[m].columns.size(); ++c)
            CHECK(layout.markets[m].columns[c].name == whole.markets[m].columns[c].name);
    }
    CHECK(layout.event_types == whole.event_types);
    CHECK(layout.edge_types == whole.edge_types);
    CHECK(layout.events.empty());
    CHECK(layout.edges.empty());
    CHECK(layout.hashes == whole.hashes);
}

TEST_CASE("inspect reads a run's overview without its columns and says what the whole record says",
          "[output][stream]") {
    const fs::path dir = test::scratch_dir("stream_overview");
    const std::string path = (dir / "run.h5").string();
    stream_run(path, stream_options(2));
    const RunRecord whole = read_run_file(path);
    const RunOverview overview = read_run_overview(path);
    REQUIRE_FALSE(whole.events.empty());
    CHECK(overview.events == whole.events.size());
    CHECK(overview.summary.kinds.empty());
    CHECK(overview.summary.events.empty());
    CHECK(inspect_text(overview) == inspect_text(whole));
    CHECK(inspect_json(overview) == inspect_json(whole));
}

TEST_CASE("an abandoned stream leaves no file and no temporary file", "[output][stream]") {
    const fs::path dir = test::scratch_dir("stream_abandoned");
    const std::string path = (dir / "run.h5").string();
    {
        RunFileStream stream(path, true);
        RunOptions options = stream_options(1);
        options.sink = &stream;
        options.stop_after = 3;
        run(stream_config(), options);
    }
    CHECK(fs::is_empty(dir));
}

TEST_CASE("a streamed snapshot handed over in batches gives the same bytes", "[output][stream]") {
    setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
    const fs::path dir = test::scratch_dir("stream_batches");
    RunOptions whole = stream_options(2);
    RunOptions batched = stream_options(2);
    batched.record.snapshot_batch_rows = 1;  // every piece (an edge type here) a batch of its own
    stream_run((dir / "whole.h5").string(), whole);
    stream_run((dir / "batched.h5").string(), batched);
    CHECK(bytes_of((dir / "whole.h5").string()) == bytes_of((dir / "batched.h5").string()));
    // The run had snapshots of several edge types to split.
    const RunRecord read = read_run_file((dir / "whole.h5").string());
    std::set<std::int32_t> types;
    for (const EdgeRow& e : read.edges) types.insert(e.type);
    CHECK(types.size() > 1);
}

namespace {

// `record` as a streamed run's record holds it at row `r`: every kind and
// market column cut to that one row.
RunRecord row_of(const RunRecord& record, std::size_t r) {
    RunRecord current = record;
    const auto cut = [r](Matrix& m) {
        m.values.assign(m.values.begin() + static_cast<std::ptrdiff_t>(r * m.cols),
                        m.values.begin() + static_cast<std::ptrdiff_t>((r + 1) * m.cols));
        m.rows = 1;
    };
    for (KindRecord& kind : current.kinds)
        for (Matrix& m : kind.columns) cut(m);
    for (MarketRecord& market : current.markets)
        for (Matrix& m : market.columns) cut(m);
    return current;
}

// Streams `record` to `path`, handing its edges over in calls of the sizes
// in `calls` (repeated until every edge is handed over).
void stream_record(const RunRecord& record, const std::string& path, const std::vector<std::size_t>& calls) {
    const auto steps = static_cast<std::size_t>(record.meta.steps);
    RunFileStream stream(path, true);
    stream.begin(row_of(record, 0), steps);
    for (std::size_t r = 0; r < steps; ++r) stream.row(r, row_of(record, r));
    stream.events(record.events);
    const std::span<const EdgeRow> edges(record.edges);
    for (std::size_t done = 0, k = 0; done < edges.size(); ++k) {
        const std::size_t n = std::min(calls[k % calls.size()], edges.size() - done);
        stream.edges(edges.subspan(done, n));
        done += n;
    }
    stream.publish(record);
}

}  // namespace

TEST_CASE("a streamed table spanning many chunks is the same file however its rows are handed over",
          "[output][stream]") {
    setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
    const fs::path dir = test::scratch_dir("stream_table_calls");
    RunRecord record = test::tiny_record(6);
    // Four chunks and a part: a streamed table's chunk is 256 KiB of packed
    // 23-byte edge rows (output/storage.hpp, table_chunk_rows).
    constexpr std::size_t chunk_rows = (256 * 1024) / 23;
    const std::size_t count = 4 * chunk_rows + 17;
    record.edges.clear();
    for (std::size_t i = 0; i < count; ++i)
        record.edges.push_back({.step = static_cast<std::int32_t>(i * 6 / count),
                                .src = static_cast<std::int32_t>(i),
                                .dst = static_cast<std::int32_t>(count - i),
                                .src_kind = static_cast<std::int8_t>(i % 5),
                                .dst_kind = static_cast<std::int8_t>(i % 3),
                                .type = static_cast<std::int8_t>(i % 2),
                                .weight = 0.5 * static_cast<double>(i)});
    const std::string at_once = (dir / "at_once.h5").string(), in_pieces = (dir / "in_pieces.h5").string();
    stream_record(record, at_once, {count});
    // Pieces that leave a chunk part-filled, complete it, span several
    // chunks from the middle of one, and end mid-chunk.
    stream_record(record, in_pieces, {1, 5, chunk_rows - 3, 2 * chunk_rows + 2, 7});
    CHECK(bytes_of(at_once) == bytes_of(in_pieces));
    const RunRecord read = read_run_file(in_pieces);
    REQUIRE(read.edges.size() == count);
    for (std::size_t i = 0; i < count; ++i) {
        const EdgeRow& a = record.edges[i];
        const EdgeRow& b = read.edges[i];
        INFO("edge " << i);
        REQUIRE((a.step == b.step && same_edge(a, b)));
    }
}
