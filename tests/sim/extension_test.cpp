// A kind the engine does not know, declared in this file only: its table and
// descriptor drive the descriptor machinery (sim/kind.hpp, record/kind_record.hpp)
// as the World's kinds do, which is what docs/extending.md walks through.
// The snippets of docs/extending.md are copied from this file.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "base/errors.hpp"
#include "base/ids.hpp"
#include "base/markets.hpp"
#include "record/kind_record.hpp"
#include "sim/kind.hpp"
#include "sim/kinds.hpp"

using namespace airace;
using Catch::Matchers::Contains;

namespace {

// [table]
// Journalists: how many people read them, and how alarmed their AI coverage is.
struct JournalistTable {
    std::vector<std::string> name;
    std::vector<Region> region;
    std::vector<double> readers;  // people
    std::vector<double> alarm;    // 0 calm .. 1 alarmed

    std::size_t size() const { return name.size(); }
    void resize(std::size_t n) {
        name.resize(n);
        region.resize(n);
        readers.resize(n);
        alarm.resize(n);
    }

    // Every column but the name, for checkpoints: visit("column", vector).
    template <class Self, class Visit>
    static void columns(Self& self, Visit&& visit) {
        visit("region", self.region);
        visit("readers", self.readers);
        visit("alarm", self.alarm);
    }
};
// [table]

// [behaviour]
// One step: alarm follows the frontier's yearly capability gain (OOM/yr),
// and alarmed coverage draws readers.
void update_journalists(JournalistTable& journalists, double frontier_gain_year, double dt) {
    const double target = std::min(1.0, frontier_gain_year / 2.0);
    for (std::size_t i = 0; i < journalists.size(); ++i) {
        journalists.alarm[i] += (target - journalists.alarm[i]) * std::min(1.0, 2.0 * dt);
        journalists.readers[i] *= 1.0 + 0.1 * journalists.alarm[i] * dt;
    }
}
// [behaviour]

// [build]
// Rows 0..n-1 of a table resized to the kind's count.
void build_journalists(JournalistTable& journalists) {
    for (std::size_t i = 0; i < journalists.size(); ++i) {
        journalists.name[i] = fmt::format("journalist-{:03d}", i);
        journalists.region[i] = static_cast<Region>(i % region_count);
        journalists.readers[i] = 1e5 * static_cast<double>(i + 1);
        journalists.alarm[i] = 0.2;
    }
}
// [build]

// [descriptor]
struct JournalistKind {
    using Table = JournalistTable;
    // A kind of the World has its own value, AgentKind::journalist.
    static constexpr AgentKind kind = static_cast<AgentKind>(agent_kind_count);
    static constexpr std::string_view plural = "journalists";
    static constexpr std::string_view singular = "journalist";
    static constexpr bool fork_may_add = false;
    static std::string_view region(const Table& t, std::size_t i) { return region_name(t.region[i]); }
    static std::string_view type(const Table&, std::size_t) { return singular; }
    static std::span<const RecordColumn<Table>> recorded() {
        static constexpr RecordColumn<Table> columns[] = {
            {"readers", "people", fill_column<&Table::readers>},
            {"alarm", "index 0-1", fill_column<&Table::alarm>},
        };
        return columns;
    }
    template <class Self, class Visit>
    static void hashed(Self& t, Visit&& visit) {
        visit(1, t.readers);
        visit(1, t.alarm);
    }
};
// [descriptor]

static_assert(KindDescriptor<JournalistKind>);

// [market]
// The market for coverage: each journalist offers a piece a step, priced by
// its readers; labs bid for them. A uniform-price auction (base/markets.hpp).
Clearing clear_coverage(const JournalistTable& journalists, std::span<const Order> bids) {
    std::vector<Order> asks;
    for (std::size_t i = 0; i < journalists.size(); ++i)
        asks.push_back({i, 1.0, 1e-3 * journalists.readers[i]});
    return clear_uniform_price(bids, asks);
}
// [market]

JournalistTable three_journalists() {
    JournalistTable journalists;
    journalists.resize(3);
    build_journalists(journalists);
    return journalists;
}

// Collects the bytes the world hash would read.
struct ByteSink {
    std::vector<unsigned char> bytes_seen;
    void bytes(const void* data, std::size_t size) {
        const auto* p = static_cast<const unsigned char*>(data);
        bytes_seen.insert(bytes_seen.end(), p, p + size);
    }
};

}  // namespace

TEST_CASE("a kind declared outside the engine is built and updated by its own code", "[kinds]") {
    JournalistTable journalists = three_journalists();
    CHECK(journalists.name[2] == "journalist-002");
    update_journalists(journalists, 1.0, 0.25);
    CHECK(journalists.alarm[0] == Approx(0.35));
    CHECK(journalists.readers[1] > 2e5);
}

TEST_CASE("a new kind's checkpoint columns are saved and restored through its descriptor", "[kinds]") {
    JournalistTable journalists = three_journalists();
    update_journalists(journalists, 1.0, 0.25);
    Checkpoint checkpoint;
    checkpoint.step = 4;
    save_kind<JournalistKind>(checkpoint, journalists);
    REQUIRE(checkpoint.columns.size() == 3);
    CHECK(checkpoint.columns[0].name == "journalists/region");
    CHECK(checkpoint.columns[0].integer);
    CHECK(checkpoint.columns[1].name == "journalists/readers");
    CHECK(checkpoint.columns[2].name == "journalists/alarm");
    CHECK(checkpoint.columns[2].real == journalists.alarm);

    JournalistTable restored = three_journalists();
    restore_kind<JournalistKind>(checkpoint, restored);
    CHECK(restored.region == journalists.region);
    CHECK(restored.readers == journalists.readers);
    CHECK(restored.alarm == journalists.alarm);

    JournalistTable four;
    four.resize(4);
    REQUIRE_THROWS_AS(restore_kind<JournalistKind>(checkpoint, four), RunFileError);
    REQUIRE_THROWS_WITH(restore_kind<JournalistKind>(checkpoint, four),
                        Contains("'journalists/region' has 3 values, the world needs 4"));
    checkpoint.columns.pop_back();
    REQUIRE_THROWS_WITH(restore_kind<JournalistKind>(checkpoint, restored),
                        Contains("lacks column 'journalists/alarm'"));
}

TEST_CASE("a NaN in a new kind's column is reported with the kind and the column", "[kinds]") {
    JournalistTable journalists = three_journalists();
    CHECK_NOTHROW(check_finite_kind<JournalistKind>(journalists, 3, 2021.0));
    journalists.alarm[1] = std::numeric_limits<double>::quiet_NaN();
    REQUIRE_THROWS_AS(check_finite_kind<JournalistKind>(journalists, 3, 2021.0), RuntimeFailure);
    REQUIRE_THROWS_WITH(check_finite_kind<JournalistKind>(journalists, 3, 2021.0),
                        Contains("step 3 (year 2021.00)") &&
                            Contains("journalists.alarm of agent 1 ('journalist-001')") &&
                            Contains("is nan"));
}

TEST_CASE("a new kind is recorded with its statics and units", "[kinds]") {
    JournalistTable journalists = three_journalists();
    KindRecord record = kind_record<JournalistKind>(journalists, 2, 2);
    CHECK(record.kind == "journalists");
    CHECK(record.names == std::vector<std::string>{"journalist-000", "journalist-001"});
    CHECK(record.regions == std::vector<std::string>{"US", "EU"});
    CHECK(record.types == std::vector<std::string>{"journalist", "journalist"});
    CHECK(record.agents_total == 3);  // only the first 2 are kept
    REQUIRE(record.columns.size() == 2);
    CHECK(record.columns[0].name == "readers");
    CHECK(record.columns[0].units == "people");
    CHECK(record.columns[1].name == "alarm");
    CHECK(record.columns[1].units == "index 0-1");
    update_journalists(journalists, 1.0, 0.25);
    record_kind_row<JournalistKind>(journalists, 1, record);
    CHECK(record.columns[1].at(0, 0) == 0.0);
    CHECK(record.columns[1].at(1, 0) == journalists.alarm[0]);
    CHECK(record.columns[0].at(1, 1) == journalists.readers[1]);
}

TEST_CASE("a new kind's hashed columns are read in their pass", "[kinds]") {
    const JournalistTable journalists = three_journalists();
    ByteSink first, second;
    hash_kind<JournalistKind>(journalists, 0, first);
    hash_kind<JournalistKind>(journalists, 1, second);
    CHECK(first.bytes_seen.empty());
    REQUIRE(second.bytes_seen.size() == 6 * sizeof(double));
    CHECK(std::memcmp(second.bytes_seen.data(), journalists.readers.data(), 3 * sizeof(double)) == 0);
    CHECK(std::memcmp(second.bytes_seen.data() + 3 * sizeof(double), journalists.alarm.data(),
                      3 * sizeof(double)) == 0);
}

TEST_CASE("a new kind's market clears on its table", "[kinds]") {
    const JournalistTable journalists = three_journalists();  // asks at 100, 200, 300
    const Order bids[] = {{0, 1.0, 250.0}, {1, 1.0, 220.0}, {2, 1.0, 90.0}};
    const Clearing clearing = clear_coverage(journalists, bids);
    CHECK(clearing.quantity == 2.0);
    CHECK(clearing.price == 200.0);
}

TEST_CASE("the World's kinds are declared once, in AgentKind order", "[kinds]") {
    CHECK(agent_kind_plurals[static_cast<int>(AgentKind::lab)] == "labs");
    CHECK(agent_kind_plurals[static_cast<int>(AgentKind::world)] == "world");
    CHECK(agent_kind_plurals[static_cast<int>(AgentKind::influencer)] == "influencers");
    REQUIRE(find_kind("influencers") != nullptr);
    CHECK(find_kind("influencers")->fork_may_add);
    CHECK_FALSE(find_kind("labs")->fork_may_add);
    CHECK(find_kind("world") == nullptr);
    std::vector<std::string_view> seen;
    WorldKinds::each([&](auto kind) { seen.push_back(decltype(kind)::plural); });
    CHECK(seen == std::vector<std::string_view>{"labs", "investors", "compute_providers",
                                                "data_providers", "regulators", "influencers"});
}

TEST_CASE("docs/extending.md quotes this file's snippets as they are", "[kinds]") {
    const auto read = [](const std::string& path) {
        std::ifstream in(std::string(AIRACE_SOURCE_DIR) + "/" + path);
        REQUIRE(in);
        return std::string(std::istreambuf_iterator<char>(in), {});
    };
    const std::string source = read("tests/sim/extension_test.cpp");
    const std::string doc = read("docs/extending.md");
    for (const char* tag : {"table", "behaviour", "build", "descriptor", "market"}) {
        const std::string marker = fmt::format("// [{}]\n", tag);
        const std::size_t begin = source.find(marker);
        REQUIRE(begin != std::string::npos);
        const std::size_t end = source.find(marker, begin + marker.size());
        REQUIRE(end != std::string::npos);
        const std::string snippet = source.substr(begin + marker.size(), end - begin - marker.size());
        INFO("snippet [" << tag << "]");
        CHECK(doc.find("```cpp\n" + snippet + "```") != std::string::npos);
    }
}
