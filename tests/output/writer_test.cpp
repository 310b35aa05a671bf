// output/writer.cpp: exact round trip, byte-identical files, the
// tmp + rename protocol and the refusal to overwrite without --force.

#include <catch2/catch.hpp>

#include <cstdint>
#include <filesystem>
#include <limits>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "output/publish.hpp"
#include "output/reader.hpp"
#include "output/writer.hpp"
#include "base/errors.hpp"
#include "tests/output/run_record_fixture.hpp"

namespace fs = std::filesystem;
using namespace airace;

namespace {
// Whether a temporary file of PATH (PATH.tmp, PATH.tmp.<pid>.<random>) is there.
bool has_tmp(const std::string& path) {
    const std::string prefix = fs::path(path).filename().string() + ".tmp";
    std::error_code error;  // a missing folder holds none
    for (fs::directory_iterator it(fs::path(path).parent_path(), error), end; !error && it != end;
         it.increment(error))
        if (it->path().filename().string().rfind(prefix, 0) == 0) return true;
    return false;
}
}  // namespace

TEST_CASE("a written run file reads back as the same record", "[output][writer]") {
    const fs::path dir = test::scratch_dir("round_trip");
    const RunRecord record = test::tiny_record();
    const std::string path = (dir / "run.h5").string();
    write_run_file(record, path, false);
    const RunRecord read = read_run_file(path);
    test::require_same_record(record, read);
    CHECK(read.meta.format == "airace-run");
    CHECK(read.meta.schema_version == 1);
    CHECK(read.meta.hdf5_version == library_hdf5_version());
}

TEST_CASE("the hdf5_version attribute is the linked library's, not the record's",
          "[output][writer]") {
    const fs::path dir = test::scratch_dir("hdf5_version");
    RunRecord record = test::tiny_record();
    record.meta.hdf5_version = "0.0.0-stale";
    write_run_file(record, (dir / "run.h5").string(), false);
    CHECK(read_run_metadata((dir / "run.h5").string()).hdf5_version == library_hdf5_version());
    CHECK(library_hdf5_version().rfind("1.", 0) == 0);
}

TEST_CASE("a run with no steps, agents, events or edges still round-trips", "[output][writer]") {
    const fs::path dir = test::scratch_dir("empty_run");
    RunRecord record = test::tiny_record(0, 0);
    record.events.clear();
    record.edges.clear();
    record.event_types.clear();
    record.config_yaml.clear();
    const std::string path = (dir / "run.h5").string();
    write_run_file(record, path, false);
    test::require_same_record(record, read_run_file(path));
}

TEST_CASE("long runs with many agents round-trip across several chunks", "[output][writer]") {
    const fs::path dir = test::scratch_dir("chunks");
    // 1000 x 50 float64 is 400 KB: more than one 256 KiB chunk, with a partial
    // last chunk along time.
    const RunRecord record = test::tiny_record(1000, 50);
    const std::string path = (dir / "run.h5").string();
    write_run_file(record, path, false);
    test::require_same_record(record, read_run_file(path));
}

TEST_CASE("the same record gives byte-identical files", "[output][writer][determinism]") {
    const fs::path dir = test::scratch_dir("identical_bytes");
    for (const int steps : {6, 1000}) {
        const RunRecord record = test::tiny_record(steps, steps == 6 ? 3 : 50);
        const fs::path first = dir / ("first_" + std::to_string(steps) + ".h5");
        const fs::path second = dir / ("second_" + std::to_string(steps) + ".h5");
        write_run_file(record, first.string(), false);
        // Something else in between, so leftover library state would show.
        write_run_file(test::tiny_record(3, 1), (dir / "other.h5").string(), true);
        write_run_file(record, second.string(), false);
        const auto bytes = test::file_bytes(first);
        REQUIRE(!bytes.empty());
        CHECK(bytes == test::file_bytes(second));
    }
}

TEST_CASE("writers and readers on several threads give the same bytes",
          "[output][writer][determinism]") {
    // Sweeps write run files from many threads at once.
    const fs::path dir = test::scratch_dir("threads");
    const RunRecord record = test::tiny_record(40, 20);
    write_run_file(record, (dir / "serial.h5").string(), false);
    const auto expected = test::file_bytes(dir / "serial.h5");
    std::vector<std::thread> threads;
    std::vector<int> same(8, 0);
    for (std::size_t t = 0; t < same.size(); ++t) {
        threads.emplace_back([&, t] {
            const std::string path = (dir / ("thread_" + std::to_string(t) + ".h5")).string();
            try {
                write_run_file(record, path, false);
                const RunRecord read = read_run_file(path);
                same[t] = read.hashes == record.hashes && test::file_bytes(path) == expected;
            } catch (const std::exception&) {
                same[t] = -1;  // Catch2 assertions are not thread-safe: report below
            }
        });
    }
    for (std::thread& thread : threads) thread.join();
    CHECK(same == std::vector<int>(same.size(), 1));
}

TEST_CASE("different records give different files", "[output][writer][determinism]") {
    const fs::path dir = test::scratch_dir("different_bytes");
    RunRecord record = test::tiny_record();
    write_run_file(record, (dir / "a.h5").string(), false);
    record.hashes.back() ^= 1;
    write_run_file(record, (dir / "b.h5").string(), false);
    CHECK(test::file_bytes(dir / "a.h5") != test::file_bytes(dir / "b.h5"));
}

TEST_CASE("an existing file is kept without force and replaced with it", "[output][writer]") {
    const fs::path dir = test::scratch_dir("overwrite");
    const std::string path = (dir / "run.h5").string();
    write_run_file(test::tiny_record(6), path, false);
    const auto before = test::file_bytes(path);

    const RunRecord other = test::tiny_record(3);
    REQUIRE_THROWS_MATCHES(write_run_file(other, path, false), ConfigError,
                           Catch::Matchers::Message(path + " exists; use --force to overwrite"));
    CHECK(test::file_bytes(path) == before);
    CHECK_FALSE(has_tmp(path));

    write_run_file(other, path, true);
    CHECK(read_run_metadata(path).steps == 3);
    CHECK_FALSE(has_tmp(path));
}

TEST_CASE("success leaves the final file and does not touch another writer's temporary file",
          "[output][writer]") {
    const fs::path dir = test::scratch_dir("no_tmp");
    const std::string path = (dir / "run.h5").string();
    // A temporary file another writer of the same path is still writing (or
    // a crashed writer's leftover, which only the path's lock holder removes).
    test::write_bytes(path + ".tmp", {'o', 't', 'h', 'e', 'r'});
    write_run_file(test::tiny_record(), path, false);
    CHECK(fs::exists(path));
    CHECK(test::file_bytes(path + ".tmp") == std::vector<char>{'o', 't', 'h', 'e', 'r'});
    CHECK(std::distance(fs::directory_iterator(dir), fs::directory_iterator()) == 2);
}

TEST_CASE("every writer builds its file under a name of its own", "[output][writer]") {
    const fs::path dir = test::scratch_dir("unique_tmp");
    const std::string path = (dir / "run.h5").string();
    const std::string first = publish::create_tmp(path);
    const std::string second = publish::create_tmp(path);
    CHECK(first != second);
    CHECK(first.rfind(path + ".tmp.", 0) == 0);
    CHECK(fs::exists(first));
    CHECK(fs::exists(second));
    publish::remove_stale_tmps(path);
    CHECK_FALSE(has_tmp(path));
}
TEST_CASE("a missing directory is a runtime failure that leaves no file", "[output][writer]") {
    const fs::path dir = test::scratch_dir("no_directory");
    const std::string path = (dir / "missing" / "run.h5").string();
    REQUIRE_THROWS_AS(write_run_file(test::tiny_record(), path, false), RuntimeFailure);
    try {
        write_run_file(test::tiny_record(), path, false);
    } catch (const RuntimeFailure& failure) {
        CHECK_THAT(failure.what(), Catch::Matchers::Contains(path));
    }
    CHECK_FALSE(fs::exists(path));
    CHECK_FALSE(has_tmp(path));
}

TEST_CASE("a directory where the file should go is a runtime failure", "[output][writer]") {
    const fs::path dir = test::scratch_dir("target_is_directory");
    const fs::path target = dir / "run.h5";
    fs::create_directories(target);
    REQUIRE_THROWS_AS(write_run_file(test::tiny_record(), target.string(), true), RuntimeFailure);
    CHECK(fs::is_directory(target));
    CHECK_FALSE(has_tmp(target.string()));
}

TEST_CASE("a record whose shapes disagree with steps is refused before writing",
          "[output][writer]") {
    const fs::path dir = test::scratch_dir("bad_record");
    const std::string path = (dir / "run.h5").string();
    RunRecord record = test::tiny_record();
    SECTION("a column with the wrong number of rows") {
        record.kinds[0].columns[0].rows = 5;
    }
    SECTION("a missing hash") {
        record.hashes.pop_back();
    }
    SECTION("two aggregates with one name") {
        record.aggregates[1].name = record.aggregates[0].name;
    }
    SECTION("a slash in a column name") {
        record.markets[0].columns[0].name = "price/flop";
    }
    SECTION("a kind named like a reserved group") {
        record.kinds[0].kind = "events";
    }
    REQUIRE_THROWS_MATCHES(write_run_file(record, path, false), RuntimeFailure,
                           Catch::Matchers::Predicate<RuntimeFailure>([](const RuntimeFailure& e) {
                               return std::string(e.what()).find("inconsistent record") !=
                                      std::string::npos;
                           }));
    CHECK_FALSE(fs::exists(path));
    CHECK_FALSE(has_tmp(path));
}

TEST_CASE("checkpoint integers round-trip whatever width they are stored at", "[output][writer][checkpoint]") {
    // The integer pool is stored in the narrowest type that holds all its
    // values: each set sits at the edges of one width, or just past them.
    const fs::path dir = test::scratch_dir("checkpoint_widths");
    const std::int64_t lowest = std::numeric_limits<std::int64_t>::min();
    const std::int64_t highest = std::numeric_limits<std::int64_t>::max();
    const std::vector<std::vector<std::int64_t>> sets = {
        {0, 1, -128, 127},         {-129, 5},        {128},
        {-32768, 32767, 3},        {-32769},         {32768, 0},
        {-2147483648LL, 2147483647LL}, {-2147483649LL}, {2147483648LL},
        {lowest, highest, -1, 0},  {}};
    int n = 0;
    for (const std::vector<std::int64_t>& values : sets) {
        RunRecord record = test::tiny_record();
        Checkpoint checkpoint;
        checkpoint.step = 4;
        checkpoint.columns.push_back({"labs/cash_usd", false, {1.5, -0.0, 1e300}, {}});
        checkpoint.columns.push_back({"network/src", true, {}, values});
        checkpoint.columns.push_back({"labs/region", true, {}, {0, 1, 2}});
        record.checkpoints.push_back(checkpoint);
        const std::string path = (dir / fmt::format("run{}.h5", n++)).string();
        write_run_file(record, path, false);
        const RunRecord read = read_run_file(path);
        REQUIRE(read.checkpoints.size() == 1);
        const Checkpoint& back = read.checkpoints.front();
        REQUIRE(back.columns.size() == 3);
        CHECK(back.columns[1].whole == values);
        CHECK(back.columns[2].whole == std::vector<std::int64_t>{0, 1, 2});
        test::require_same_doubles(back.columns[0].real, checkpoint.columns[0].real);
    }
}
