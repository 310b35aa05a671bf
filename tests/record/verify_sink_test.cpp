// record/verify_sink.cpp: a replay compared with its run file as it streams
// (airace replay --verify) finds the same first difference, named by the
// same dataset, step and detail, as compare_records over the two whole
// records, for every kind of difference a file can have.

#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "output/reader.hpp"
#include "output/writer.hpp"
#include "record/record_compare.hpp"
#include "record/run.hpp"
#include "record/verify_sink.hpp"
#include "tests/fixtures/tiny_world.hpp"
#include "tests/output/run_record_fixture.hpp"

namespace fs = std::filesystem;
using namespace airace;

namespace {

ScenarioConfig verify_config() { return testing::tiny_config_with_investors(6, 300); }

RunOptions verify_options(int stop_after = -1) {
    RunOptions options;
    options.threads = 1;
    options.checkpoint_every = 4;
    options.stop_after = stop_after;
    return options;
}

std::string describe(const std::optional<RecordDifference>& d) {
    return d ? d->dataset + " @" + std::to_string(d->step) + ": " + d->detail : std::string("none");
}

// The run file `path` verified both ways over steps [0, steps): the whole
// records compared, and a streamed replay through a VerifySink.
void require_same_verdict(const std::string& path, int steps, bool expect_difference,
                          std::size_t batch_rows = RecordOptions{}.snapshot_batch_rows) {
    const RunRecord recorded = read_run_file(path);
    const RunRecord replayed_whole = run(verify_config(), verify_options(steps));
    const std::optional<RecordDifference> whole = compare_records(recorded, replayed_whole, 0, steps);

    const std::unique_ptr<RunPrefix> prefix = open_run_prefix(path);
    VerifySink verify(*prefix, steps, nullptr);
    RunOptions options = verify_options(steps);
    options.record.snapshot_batch_rows = batch_rows;  // a snapshot in batches: the recorded rows read to match
    options.sink = &verify;
    const RunRecord replayed = run(verify_config(), options);
    const std::optional<RecordDifference> streamed = verify.difference(replayed);

    INFO("whole records: " << describe(whole) << "; streamed: " << describe(streamed));
    CHECK(whole.has_value() == expect_difference);
    REQUIRE(streamed.has_value() == whole.has_value());
    if (whole) {
        CHECK(streamed->dataset == whole->dataset);
        CHECK(streamed->step == whole->step);
        CHECK(streamed->detail == whole->detail);
    }
}

struct Variant {
    const char* what;
    std::function<void(RunRecord&)> change;
    bool differs = true;
};

}  // namespace

TEST_CASE("replay --verify streamed finds the difference compare_records finds", "[record][verify]") {
    const fs::path dir = test::scratch_dir("verify_sink");
    const RunRecord original = run(verify_config(), verify_options());
    const int steps = original.meta.steps;
    REQUIRE(original.events.size() > 10);
    REQUIRE(original.edges.size() > 10);
    REQUIRE(original.checkpoints.size() > 2);
    const std::vector<Variant> variants = {
        {"unchanged", [](RunRecord&) {}, false},
        {"a lab's value at step 10", [](RunRecord& r) { r.kinds[0].columns[1].values[10 * r.kinds[0].columns[1].cols + 2] += 1; }},
        {"an investor's value at step 3 and a lab's at step 9",
         [](RunRecord& r) {
             for (KindRecord& k : r.kinds)
                 if (k.kind == "investors") k.columns.back().values[3 * k.columns.back().cols] += 1;
             r.kinds[0].columns[0].values[9 * r.kinds[0].columns[0].cols] += 1;
         }},
        {"a market's value at step 5", [](RunRecord& r) { r.markets.at(0).columns.at(0).values[5 * r.markets[0].columns[0].cols] *= 2; }},
        {"a NaN where a number was", [](RunRecord& r) { r.kinds[0].columns[2].values[12 * r.kinds[0].columns[2].cols] = std::nan(""); }},
        {"an aggregate at step 7", [](RunRecord& r) { r.aggregates.at(1).values[7] += 1; }},
        {"a world hash", [](RunRecord& r) { r.hashes[20] ^= 1; }},
        {"an event's amount", [](RunRecord& r) { r.events[r.events.size() / 2].amount += 1; }},
        {"an event too many at the end", [](RunRecord& r) { r.events.push_back(r.events.back()); }},
        {"the last event missing", [](RunRecord& r) { r.events.pop_back(); }},
        {"an event missing in the middle", [](RunRecord& r) { r.events.erase(r.events.begin() + 5); }},
        {"an event moved a step later",
         [](RunRecord& r) {
             EventRow moved = r.events[3];
             r.events.erase(r.events.begin() + 3);
             moved.step += 1;
             const auto at = std::find_if(r.events.begin(), r.events.end(), [&](const EventRow& e) { return e.step > moved.step; });
             r.events.insert(at, moved);
         }},
        {"a graph edge's weight", [](RunRecord& r) { r.edges[r.edges.size() / 3].weight *= 1.5; }},
        {"a graph edge too many in the last snapshot", [](RunRecord& r) { r.edges.push_back(r.edges.back()); }},
        {"a graph edge missing in the first snapshot", [](RunRecord& r) { r.edges.erase(r.edges.begin() + 2); }},
        {"a graph edge too many in the first snapshot",
         [](RunRecord& r) { r.edges.insert(r.edges.begin() + 1, r.edges.front()); }},
        {"a checkpoint's state",
         [](RunRecord& r) {
             for (StateColumn& c : r.checkpoints[1].columns)
                 if (!c.integer && !c.real.empty()) {
                     c.real[0] += 1;
                     break;
                 }
         }},
    };
    for (const Variant& variant : variants) {
        SECTION(variant.what) {
            RunRecord changed = original;
            variant.change(changed);
            const std::string path = (dir / "recorded.h5").string();
            write_run_file(changed, path, true);
            require_same_verdict(path, steps, variant.differs);
            require_same_verdict(path, steps, variant.differs, 7);  // snapshots in batches of 7 rows
        }
    }
}

TEST_CASE("replay --verify streamed compares only the steps asked for", "[record][verify]") {
    // A partial file is verified up to its last checkpoint: a change after
    // it is not a difference, one before it is.
    const fs::path dir = test::scratch_dir("verify_sink_partial");
    const RunRecord original = run(verify_config(), verify_options());
    const std::string path = (dir / "recorded.h5").string();
    RunRecord later = original;
    later.kinds[0].columns[0].values[14 * later.kinds[0].columns[0].cols] += 1;
    write_run_file(later, path, true);
    require_same_verdict(path, 12, false);
    RunRecord earlier = original;
    earlier.kinds[0].columns[0].values[3 * earlier.kinds[0].columns[0].cols] += 1;
    write_run_file(earlier, path, true);
    require_same_verdict(path, 12, true);
}
