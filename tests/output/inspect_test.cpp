// output/inspect.cpp: the domain summary names the run, counts what it holds
// and ends with the same yearly table (or JSON) as `airace run`.

#include <catch2/catch.hpp>

#include <string>

#include "output/inspect.hpp"
#include "record/summary.hpp"
#include "tests/output/run_record_fixture.hpp"

using namespace airace;
using Catch::Matchers::Contains;
using Catch::Matchers::EndsWith;

TEST_CASE("inspect text names the run and counts agents and events", "[output][inspect]") {
    RunRecord record = test::tiny_record(8);
    record.events.push_back(record.events.front());  // two funding rounds
    const std::string text = inspect_text(record);
    CHECK_THAT(text, Contains("tiny"));
    CHECK_THAT(text, Contains("18364758544493064720"));  // the seed, as unsigned
    CHECK_THAT(text, Contains("2024-2025"));             // 8 quarters from 2024
    CHECK_THAT(text, Contains("complete"));
    CHECK_THAT(text, Contains("0.1.0"));
    CHECK_THAT(text, Contains(record.meta.config_sha256));
    CHECK_THAT(text, Contains("labs") && Contains("investors") && Contains("regulators"));
    CHECK_THAT(text, Contains("funding_round                2"));
    CHECK_THAT(text, Contains("training_run                 1"));
    CHECK_THAT(text, Contains("events (4 in all)"));
    CHECK_THAT(text, EndsWith(summary_table(record)));
}

TEST_CASE("inspect counts events whose type has no name", "[output][inspect]") {
    RunRecord record = test::tiny_record();
    record.events[0].type = 7;
    CHECK_THAT(inspect_text(record), Contains("unknown type 7"));
    CHECK_THAT(inspect_json(record), Contains("\"unknown type 7\":1"));
}

TEST_CASE("inspect JSON carries the same fields and embeds summary_json", "[output][inspect]") {
    const RunRecord record = test::tiny_record(8);
    const std::string json = inspect_json(record);
    CHECK_THAT(json, Contains("\"scenario\":\"tiny\""));
    CHECK_THAT(json, Contains("\"seed\":18364758544493064720"));
    CHECK_THAT(json, Contains("\"years\":{\"first\":2024,\"last\":2025}"));
    CHECK_THAT(json, Contains("\"status\":\"complete\""));
    CHECK_THAT(json, Contains("\"airace_version\":\"0.1.0\""));
    CHECK_THAT(json, Contains("\"config_sha256\":\"" + record.meta.config_sha256 + "\""));
    CHECK_THAT(json, Contains("\"agents\":{\"labs\":3,\"investors\":2,\"regulators\":0}"));
    CHECK_THAT(json, Contains("\"events\":{\"funding_round\":1,\"training_run\":1,\"release\":1}"));
    CHECK_THAT(json, EndsWith("\"summary\":" + summary_json(record) + "}"));
    CHECK(json.front() == '{');
}

TEST_CASE("inspect handles a run with no steps", "[output][inspect]") {
    const RunRecord record = test::tiny_record(0, 0);
    CHECK_THAT(inspect_text(record), Contains("none (0 steps)"));
    CHECK_THAT(inspect_json(record), Contains("\"years\":null"));
}
