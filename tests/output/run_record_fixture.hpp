#pragma once
// Small RunRecords built in code for the output/ tests, and helpers to compare
// records and files exactly. Values include NaN, infinities, -0.0 and
// uint64 values above 2^63 because the run file must keep them all bit for bit.

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <string>
#include <vector>

#include "record/record.hpp"

namespace airace::test {

// A fresh, empty scratch directory for one test.
inline std::filesystem::path scratch_dir(const std::string& name) {
    const std::filesystem::path dir = std::filesystem::path(AIRACE_TEST_TMP) / "output" / name;
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir;
}

inline std::vector<char> file_bytes(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline void write_bytes(const std::filesystem::path& path, const std::vector<char>& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// [rows, cols] filled with a recognisable pattern.
inline Matrix make_matrix(const std::string& name, const std::string& units, std::size_t rows,
                          std::size_t cols, double scale) {
    Matrix matrix{name, units, rows, cols, {}};
    for (std::size_t r = 0; r < rows; ++r) {
        for (std::size_t c = 0; c < cols; ++c) {
            matrix.values.push_back(scale * static_cast<double>(r * 100 + c) + 0.125);
        }
    }
    return matrix;
}

// Three labs, two investors, no regulators (an empty kind), two markets,
// a few events and edges, `steps` quarters from 2024.
inline RunRecord tiny_record(int steps = 6, std::size_t lab_count = 3) {
    const auto rows = static_cast<std::size_t>(steps);
    RunRecord record;
    RunMetadata& meta = record.meta;
    meta.airace_version = "0.1.0";
    meta.git_sha = "0123456789ab";
    meta.created_utc = "2024-05-01T12:00:00Z";
    meta.seed = 0xfedcba9876543210ULL;  // above 2^63: must survive as uint64
    meta.config_sha256 = std::string(64, 'a');
    meta.scenario_name = "tiny";
    meta.start_year = 2024;
    meta.steps = steps;
    meta.steps_per_year = 4;
    meta.tbb_version = "2021.8.0";
    meta.yaml_cpp_version = "0.7.0";
    record.config_yaml = "scenario:\n  name: tiny  # UTF-8: \xc3\xa9\xe2\x9c\x93\n";
    std::vector<double> capability, wall;
    for (std::size_t s = 0; s < rows; ++s) {
        record.time.push_back(2024.0 + 0.25 * static_cast<double>(s + 1));
        capability.push_back(1.5 * static_cast<double>(s));
        wall.push_back(s < 3 ? std::numeric_limits<double>::quiet_NaN() : 2025.0);
        record.hashes.push_back(0x8000000000000000ULL + s * 7919);
    }
    if (rows > 1) capability[1] = -0.0;
    if (rows > 2) capability[2] = std::numeric_limits<double>::infinity();
    record.aggregates = {{"frontier_capability", "kappa", capability},
                         {"data_wall_year", "year", wall},
                         {"active_labs", "", std::vector<double>(rows, 3.0)}};
    KindRecord labs{"labs", {}, {}, {}, {}};
    for (std::size_t i = 0; i < lab_count; ++i) {
        labs.names.push_back("Lab " + std::to_string(i));
        labs.regions.push_back(i % 2 == 0 ? "US" : "EU");
        labs.types.push_back(i == 0 ? "frontier" : "");
    }
    labs.columns = {make_matrix("capability", "kappa", rows, lab_count, 1.0),
                    make_matrix("cash", "USD", rows, lab_count, 1e9)};
    KindRecord investors{"investors",
                         {"Fund A", "Fund B"},
                         {"US", "CN"},
                         {"vc", "sovereign"},
                         {make_matrix("budget", "USD/quarter", rows, 2, 3e8)}};
    KindRecord regulators{"regulators", {}, {}, {}, {make_matrix("stringency", "1", rows, 0, 1.0)}};
    record.kinds = {labs, investors, regulators};
    record.markets = {
        {"compute",
         {"US", "EU", "CN"},
         {make_matrix("price", "USD/FLOP", rows, 3, 1e-18),
          make_matrix("volume", "FLOP", rows, 3, 1e24)}},
        {"data", {"world"}, {make_matrix("licence_price", "USD/token", rows, 1, 1e-6)}}};
    record.event_types = {"funding_round", "training_run", "release"};
    record.events = {{0, 2024.25, 0, 1, 0, 0, 2, 1e9, 5e9},
                     {1, 2024.5, 1, 0, 1, 5, -1, 1e25, 0.5},
                     {2, 2024.75, 2, 0, 2, 5, -1, 0, std::numeric_limits<double>::quiet_NaN()}};
    record.edge_types = {"equity", "licence"};
    record.edges = {{.step = 0, .src = 0, .dst = 2, .src_kind = 1, .dst_kind = 0, .type = 0, .weight = 0.25},
                    {.step = 4, .src = 1, .dst = 0, .src_kind = 3, .dst_kind = 0, .type = 1, .weight = 1.0}};
    return record;
}

inline bool same_bits(double a, double b) {
    return std::memcmp(&a, &b, sizeof a) == 0;
}

inline void require_same_doubles(const std::vector<double>& a, const std::vector<double>& b) {
    REQUIRE(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        INFO("index " << i << ": " << a[i] << " vs " << b[i]);
        REQUIRE(same_bits(a[i], b[i]));
    }
}

inline void require_same_matrices(const std::vector<Matrix>& a, const std::vector<Matrix>& b) {
    REQUIRE(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        INFO("column " << a[i].name);
        REQUIRE(a[i].name == b[i].name);
        REQUIRE(a[i].units == b[i].units);
        REQUIRE(a[i].rows == b[i].rows);
        REQUIRE(a[i].cols == b[i].cols);
        require_same_doubles(a[i].values, b[i].values);
    }
}

// Every part of `read` equals `written`, except hdf5_version, which the
// writer takes from the library (checked by the caller).
inline void require_same_record(const RunRecord& written, const RunRecord& read) {
    const RunMetadata& a = written.meta;
    const RunMetadata& b = read.meta;
    CHECK(a.format == b.format);
    CHECK(a.schema_version == b.schema_version);
    CHECK(a.airace_version == b.airace_version);
    CHECK(a.git_sha == b.git_sha);
    CHECK(a.created_utc == b.created_utc);
    CHECK(a.seed == b.seed);
    CHECK(a.config_sha256 == b.config_sha256);
    CHECK(a.status == b.status);
    CHECK(a.scenario_name == b.scenario_name);
    CHECK(a.start_year == b.start_year);
    CHECK(a.steps == b.steps);
    CHECK(a.steps_per_year == b.steps_per_year);
    CHECK(a.tbb_version == b.tbb_version);
    CHECK(a.yaml_cpp_version == b.yaml_cpp_version);
    CHECK(written.config_yaml == read.config_yaml);
    require_same_doubles(written.time, read.time);
    REQUIRE(written.aggregates.size() == read.aggregates.size());
    for (std::size_t i = 0; i < written.aggregates.size(); ++i) {
        CHECK(written.aggregates[i].name == read.aggregates[i].name);
        CHECK(written.aggregates[i].units == read.aggregates[i].units);
        require_same_doubles(written.aggregates[i].values, read.aggregates[i].values);
    }
    REQUIRE(written.kinds.size() == read.kinds.size());
    for (std::size_t i = 0; i < written.kinds.size(); ++i) {
        CHECK(written.kinds[i].kind == read.kinds[i].kind);
        CHECK(written.kinds[i].names == read.kinds[i].names);
        CHECK(written.kinds[i].regions == read.kinds[i].regions);
        CHECK(written.kinds[i].types == read.kinds[i].types);
        require_same_matrices(written.kinds[i].columns, read.kinds[i].columns);
    }
    REQUIRE(written.markets.size() == read.markets.size());
    for (std::size_t i = 0; i < written.markets.size(); ++i) {
        CHECK(written.markets[i].market == read.markets[i].market);
        CHECK(written.markets[i].labels == read.markets[i].labels);
        require_same_matrices(written.markets[i].columns, read.markets[i].columns);
    }
    CHECK(written.event_types == read.event_types);
    REQUIRE(written.events.size() == read.events.size());
    for (std::size_t i = 0; i < written.events.size(); ++i) {
        const EventRow& x = written.events[i];
        const EventRow& y = read.events[i];
        CHECK(x.step == y.step);
        CHECK(same_bits(x.time, y.time));
        CHECK(x.type == y.type);
        CHECK(x.agent_kind == y.agent_kind);
        CHECK(x.agent == y.agent);
        CHECK(x.other_kind == y.other_kind);
        CHECK(x.other == y.other);
        CHECK(same_bits(x.amount, y.amount));
        CHECK(same_bits(x.value, y.value));
    }
    CHECK(written.edge_types == read.edge_types);
    REQUIRE(written.edges.size() == read.edges.size());
    for (std::size_t i = 0; i < written.edges.size(); ++i) {
        const EdgeRow& x = written.edges[i];
        const EdgeRow& y = read.edges[i];
        CHECK(x.step == y.step);
        CHECK(x.src_kind == y.src_kind);
        CHECK(x.src == y.src);
        CHECK(x.dst_kind == y.dst_kind);
        CHECK(x.dst == y.dst);
        CHECK(x.type == y.type);
        CHECK(same_bits(x.weight, y.weight));
    }
    CHECK(written.hashes == read.hashes);
}

}  // namespace airace::test
