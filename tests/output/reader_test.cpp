// output/reader.cpp: every way a run file can be unreadable is a RunFileError
// naming the file, never a crash; metadata and single aggregates read alone.

#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <filesystem>
#include <string>

#include "output/reader.hpp"
#include "output/writer.hpp"
#include "base/errors.hpp"
#include "tests/output/run_record_fixture.hpp"

namespace fs = std::filesystem;
using namespace airace;
using Catch::Matchers::Contains;

namespace {

// A valid run file written into `dir`; returns its path.
std::string valid_run_file(const fs::path& dir) {
    const std::string path = (dir / "run.h5").string();
    write_run_file(test::tiny_record(), path, true);
    return path;
}

// An HDF5 file with an empty root group and no attributes, as written by
// H5Fcreate with the latest format bounds. Embedded as bytes because only
// output/ may include hdf5.h.
const std::array<unsigned char, 179> empty_hdf5_file = [] {
    std::array<unsigned char, 179> bytes{};
    const unsigned char head[] = {
        0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a, 0x03, 0x08, 0x08, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xb3, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x30, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x95,
        0x55, 0x56, 0x8b, 0x4f, 0x48, 0x44, 0x52, 0x02, 0x00, 0x78, 0x02, 0x12, 0x00, 0x00, 0x00,
        0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xff, 0x0a, 0x02, 0x00, 0x01, 0x00, 0x00, 0x00, 0x58};
    std::copy(std::begin(head), std::end(head), bytes.begin());
    const unsigned char tail[] = {0xc5, 0xb9, 0xc8, 0xac};  // object header checksum
    std::copy(std::begin(tail), std::end(tail), bytes.end() - 4);
    return bytes;
}();

}  // namespace

TEST_CASE("metadata and one aggregate read without the rest", "[output][reader]") {
    const fs::path dir = test::scratch_dir("metadata");
    const std::string path = valid_run_file(dir);
    const RunRecord record = test::tiny_record();
    const RunMetadata meta = read_run_metadata(path);
    CHECK(meta.scenario_name == "tiny");
    CHECK(meta.seed == record.meta.seed);
    CHECK(meta.steps == record.meta.steps);
    CHECK(meta.status == "complete");
    test::require_same_doubles(read_aggregate(path, "data_wall_year"),
                               record.aggregate("data_wall_year")->values);
    REQUIRE_THROWS_AS(read_aggregate(path, "no_such_metric"), RunFileError);
    REQUIRE_THROWS_WITH(read_aggregate(path, "no_such_metric"), Contains("no_such_metric"));
}

TEST_CASE("the summary holds what a hash replay needs and none of the columns", "[output][reader]") {
    const fs::path dir = test::scratch_dir("summary");
    const std::string path = (dir / "run.h5").string();
    RunRecord written = test::tiny_record();
    for (std::int32_t step : {1, 2}) {
        Checkpoint checkpoint;
        checkpoint.step = step;
        StateColumn column;
        column.name = "labs.cash";
        column.real = {1.0, 2.0, 3.0};
        checkpoint.columns.push_back(column);
        written.checkpoints.push_back(checkpoint);
    }
    write_run_file(written, path, true);
    const RunRecord whole = read_run_file(path);
    const RunRecord summary = read_run_summary(path);
    CHECK(summary.meta.seed == whole.meta.seed);
    CHECK(summary.config_yaml == whole.config_yaml);
    CHECK(summary.hashes == whole.hashes);
    test::require_same_doubles(summary.time, whole.time);
    REQUIRE(summary.aggregates.size() == whole.aggregates.size());
    for (std::size_t i = 0; i < whole.aggregates.size(); ++i)
        test::require_same_doubles(summary.aggregates[i].values, whole.aggregates[i].values);
    CHECK(summary.fork.is_fork == whole.fork.is_fork);
    // Each checkpoint's step, not its state.
    REQUIRE(summary.checkpoints.size() == whole.checkpoints.size());
    REQUIRE_FALSE(whole.checkpoints.empty());
    for (std::size_t i = 0; i < whole.checkpoints.size(); ++i) {
        CHECK(summary.checkpoints[i].step == whole.checkpoints[i].step);
        CHECK(summary.checkpoints[i].columns.empty());
    }
    CHECK_FALSE(whole.kinds.empty());
    CHECK(summary.kinds.empty());
    CHECK(summary.markets.empty());
    CHECK(summary.events.empty());
    CHECK(summary.edges.empty());
}

TEST_CASE("a missing file cannot be opened", "[output][reader]") {
    const fs::path dir = test::scratch_dir("missing_file");
    const std::string path = (dir / "absent.h5").string();
    REQUIRE_THROWS_AS(read_run_file(path), RunFileError);
    REQUIRE_THROWS_WITH(read_run_file(path), Contains("cannot open") && Contains(path));
    REQUIRE_THROWS_AS(read_run_file(dir.string()), RunFileError);  // a directory
}

TEST_CASE("a text file is not an HDF5 file", "[output][reader]") {
    const fs::path dir = test::scratch_dir("text_file");
    const std::string path = (dir / "notes.h5").string();
    test::write_bytes(path, {'s', 'c', 'e', 'n', 'a', 'r', 'i', 'o', ':', '\n'});
    REQUIRE_THROWS_WITH(read_run_file(path), Contains("not an HDF5 file"));
    test::write_bytes(path, {});
    REQUIRE_THROWS_AS(read_run_metadata(path), RunFileError);
}

TEST_CASE("an HDF5 file without a format attribute is foreign", "[output][reader]") {
    const fs::path dir = test::scratch_dir("no_format");
    const std::string path = (dir / "plain.h5").string();
    test::write_bytes(path, {empty_hdf5_file.begin(), empty_hdf5_file.end()});
    REQUIRE_THROWS_AS(read_run_file(path), RunFileError);
    REQUIRE_THROWS_WITH(read_run_file(path),
                        Contains("not an airace run file") && Contains("format"));
}

TEST_CASE("another format is refused by name", "[output][reader]") {
    const fs::path dir = test::scratch_dir("other_format");
    RunRecord record = test::tiny_record();
    record.meta.format = "something-else";
    const std::string path = (dir / "foreign.h5").string();
    write_run_file(record, path, false);
    REQUIRE_THROWS_AS(read_run_file(path), RunFileError);
    REQUIRE_THROWS_WITH(read_run_metadata(path),
                        Contains("not an airace run file") && Contains("something-else"));
}

TEST_CASE("another schema version is refused, naming both versions", "[output][reader]") {
    const fs::path dir = test::scratch_dir("other_schema");
    RunRecord record = test::tiny_record();
    record.meta.schema_version = 2;
    const std::string path = (dir / "future.h5").string();
    write_run_file(record, path, false);
    REQUIRE_THROWS_AS(read_run_file(path), RunFileError);
    REQUIRE_THROWS_WITH(read_run_file(path),
                        Contains("schema version 2") && Contains("reads schema version 1"));
}

TEST_CASE("a truncated file is refused", "[output][reader]") {
    const fs::path dir = test::scratch_dir("truncated");
    const std::string path = valid_run_file(dir);
    std::vector<char> bytes = test::file_bytes(path);
    bytes.resize(bytes.size() / 2);
    const std::string half = (dir / "half.h5").string();
    test::write_bytes(half, bytes);
    REQUIRE_THROWS_AS(read_run_file(half), RunFileError);
    REQUIRE_THROWS_WITH(read_run_file(half), Contains(half));
}

TEST_CASE("a changed string is caught by the file checksum", "[output][reader]") {
    // Strings live in HDF5's global heap, which HDF5 itself does not checksum:
    // without /file_checksum this damage would read back silently (or crash).
    const fs::path dir = test::scratch_dir("changed_string");
    const std::string path = valid_run_file(dir);
    std::vector<char> bytes = test::file_bytes(path);
    const std::string needle = "name: tiny";
    const auto found = std::search(bytes.begin(), bytes.end(), needle.begin(), needle.end());
    REQUIRE(found != bytes.end());
    *(found + 6) = 'T';
    test::write_bytes(path, bytes);
    REQUIRE_THROWS_AS(read_run_file(path), RunFileError);
    REQUIRE_THROWS_WITH(read_run_metadata(path), Contains("damaged") && Contains("file_checksum"));
}

TEST_CASE("flipped bytes give an error or a read, never a crash", "[output][reader]") {
    const fs::path dir = test::scratch_dir("flipped");
    const std::string path = valid_run_file(dir);
    const std::vector<char> original = test::file_bytes(path);
    const std::string damaged = (dir / "damaged.h5").string();
    const std::size_t stride = std::max<std::size_t>(1, original.size() / 400);
    std::size_t refused = 0, read = 0;
    for (std::size_t position = 0; position < original.size(); position += stride) {
        std::vector<char> bytes = original;
        bytes[position] = static_cast<char>(bytes[position] ^ 0x5a);
        test::write_bytes(damaged, bytes);
        INFO("byte " << position << " of " << original.size());
        try {
            (void)read_run_file(damaged);
            ++read;
        } catch (const RunFileError&) {
            ++refused;
        }
    }
    CHECK(refused > 0);
    CHECK(refused + read > 0);
}
