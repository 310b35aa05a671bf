// Scenario files: defaults, validation messages with line/column/key, --set,
// the resolved text and its hash.

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "config/config.hpp"
#include "config/config_yaml.hpp"
#include "base/errors.hpp"

using namespace airace;

namespace {

std::string error_of(const std::string& text, const std::vector<std::string>& overrides = {}) {
    try {
        load_scenario_text(text, "test.yaml", overrides);
    } catch (const ConfigError& error) {
        return error.what();
    }
    return "";
}

const std::string head = "scenario:\n  name: t\n";

}  // namespace

TEST_CASE("defaults pass validation and every key has a unit or doc", "[config]") {
    ScenarioConfig config = default_scenario_config();
    config.scenario.name = "x";
    CHECK(cross_field_problems(config).empty());
    std::set<std::string> paths;
    for (const auto& spec : scenario_fields()) {
        CHECK_FALSE(spec.doc.empty());
        CHECK(paths.insert(spec.path).second);  // no key registered twice
    }
}

TEST_CASE("a scenario overrides defaults and keeps the rest", "[config]") {
    const ScenarioConfig config =
        load_scenario_text(head + "labs:\n  count: 12\n  frontier:\n    ambition_per_generation: 4\n",
                           "t.yaml");
    CHECK(config.labs.count == 12);
    CHECK(config.labs.frontier.ambition_per_generation == 4.0);
    CHECK(config.investors.count == default_scenario_config().investors.count);
}

TEST_CASE("a typo'd key names line, column, key and the closest key", "[config]") {
    const std::string message = error_of(head + "labs:\n  cuont: 5\n");
    CHECK(message.find("test.yaml:4:3") != std::string::npos);
    CHECK(message.find("labs.cuont") != std::string::npos);
    CHECK(message.find("did you mean 'labs.count'") != std::string::npos);
}

TEST_CASE("a misspelt section suggests the section", "[config]") {
    const std::string message = error_of(head + "labz:\n  count: 5\n");
    CHECK(message.find("test.yaml:3:1") != std::string::npos);
    CHECK(message.find("did you mean 'labs'") != std::string::npos);
}

TEST_CASE("a wrong type says what was expected", "[config]") {
    const std::string message = error_of(head + "labs:\n  count: many\n");
    CHECK(message.find("test.yaml:4:10") != std::string::npos);
    CHECK(message.find("labs.count") != std::string::npos);
    CHECK(message.find("expected an integer") != std::string::npos);
    CHECK_FALSE(error_of(head + "labs:\n  count: 2.5\n").empty());
    CHECK_FALSE(error_of(head + "compute:\n  base_markup: [1, 2]\n").empty());
    CHECK_FALSE(error_of(head + "compute:\n  base_markup:\n").empty());
    CHECK_FALSE(error_of(head + "labs: 3\n").empty());
}

TEST_CASE("a negative count is out of range", "[config]") {
    const std::string message = error_of(head + "labs:\n  count: -5\n");
    CHECK(message.find("labs.count") != std::string::npos);
    CHECK(message.find("[1, 10000000]") != std::string::npos);
    CHECK_FALSE(error_of(head + "compute:\n  base_markup: nan\n").empty());
    CHECK_FALSE(error_of(head + "compute:\n  base_markup: .inf\n").empty());
}

TEST_CASE("YAML syntax errors give the position", "[config]") {
    const std::string message = error_of(head + "labs:\n  count: [1, 2\n");
    CHECK(message.find("YAML syntax error") != std::string::npos);
    CHECK(message.find("test.yaml:") != std::string::npos);
    CHECK_FALSE(error_of(head + "labs:\n count: 1\n  frontier_count: 1\n").empty());
}

TEST_CASE("duplicate keys are rejected, not silently overwritten", "[config]") {
    const std::string message = error_of(head + "labs:\n  count: 5\n  count: 6\n");
    CHECK(message.find("test.yaml:5:3") != std::string::npos);
    CHECK(message.find("duplicate key (first given at line 4)") != std::string::npos);
}

TEST_CASE("the required scenario name must be given", "[config]") {
    const std::string message = error_of("labs:\n  count: 5\n");
    CHECK(message.find("scenario.name") != std::string::npos);
    CHECK(message.find("missing required key") != std::string::npos);
    CHECK_FALSE(error_of("").empty());
    CHECK_FALSE(error_of("- a\n- b\n").empty());
}

TEST_CASE("cross-field problems point at the key's line", "[config]") {
    const std::string message = error_of(head + "labs:\n  count: 3\n  frontier_count: 5\n");
    CHECK(message.find("test.yaml:5:3") != std::string::npos);
    CHECK(message.find("labs.frontier_count") != std::string::npos);
    CHECK_FALSE(error_of(head + "time:\n  start_year: 2030\n  end_year: 2030\n").empty());
    CHECK_FALSE(error_of(head + "regions:\n  us:\n    lab_share: 0.9\n").empty());
}

TEST_CASE("overrides on the command line go through the same validation", "[config]") {
    const ScenarioConfig config = load_scenario_text(head, "t.yaml", {"labs.count=100"});
    CHECK(config.labs.count == 100);
    CHECK(error_of(head, {"labs.count=-1"}).find("--set 'labs.count=-1'") != std::string::npos);
    CHECK(error_of(head, {"lab.count=3"}).find("did you mean 'labs.count'") != std::string::npos);
    CHECK(error_of(head, {"labs.count=abc"}).find("expected an integer") != std::string::npos);
    CHECK(error_of(head, {"labs.count"}).find("key.path=value") != std::string::npos);
    CHECK(error_of(head, {"labs.frontier_count=1000"}).find("--set") != std::string::npos);
}

TEST_CASE("deeply nested input is refused before parsing", "[config]") {
    const std::string deep = head + "x: " + std::string(200, '[') + std::string(200, ']') + "\n";
    CHECK(error_of(deep).find("nesting deeper") != std::string::npos);
    const std::string huge(max_scenario_bytes + 1, '#');
    CHECK(error_of(huge).find("limited to") != std::string::npos);
}

TEST_CASE("the resolved scenario reads back to the same scenario", "[config]") {
    ScenarioConfig config = load_scenario_text(
        head + "labs:\n  count: 17\ncompute:\n  base_markup: 0.123456789\n", "t.yaml");
    config.scenario.description = "quotes \" and\nnewlines";
    const std::string text = resolved_yaml(config);
    const ScenarioConfig again = load_scenario_text(text, "resolved.yaml");
    CHECK(resolved_yaml(again) == text);
    CHECK(again.compute.base_markup == 0.123456789);
    CHECK(again.scenario.description == config.scenario.description);
}

TEST_CASE("configs/README.md lists every key", "[config]") {
    std::ifstream in(std::string(AIRACE_SOURCE_DIR) + "/configs/README.md");
    REQUIRE(in);
    std::stringstream text;
    text << in.rdbuf();
    for (const auto& spec : scenario_fields())
        CHECK(text.str().find("`" + spec.path + "`") != std::string::npos);
    for (const auto& list : list_sections())
        for (const auto& spec : list_item_fields(list, 0))
            CHECK(text.str().find("`" + list + "[]." + spec.path.substr(list.size() + 3) + "`") !=
                  std::string::npos);
}

TEST_CASE("shipped scenarios validate", "[config]") {
    CHECK_NOTHROW(load_scenario(std::string(AIRACE_SOURCE_DIR) + "/configs/baseline.yaml"));
}

namespace {

std::string write_file(const std::string& name, const std::string& text) {
    const std::filesystem::path dir = std::filesystem::path(AIRACE_TEST_TMP) / "config";
    std::filesystem::create_directories(dir);
    const std::string path = (dir / name).string();
    std::ofstream(path) << text;
    return path;
}

}  // namespace

TEST_CASE("extends: the child's keys override the parent's, lists replace lists", "[config]") {
    write_file("parent.yaml",
               head + "labs:\n  count: 30\n  frontier_count: 3\n"
                      "influencers:\n  - name: a\n    stance: 1\n  - name: b\n    stance: -1\n");
    const std::string child = write_file(
        "child.yaml", "extends: parent.yaml\nscenario:\n  name: child\nlabs:\n  count: 40\n"
                      "influencers:\n  - name: c\n    stance: 0.5\n    weight:\n      us: 0.2\n");
    const ScenarioConfig config = load_scenario(child);
    CHECK(config.scenario.name == "child");
    CHECK(config.labs.count == 40);
    CHECK(config.labs.frontier_count == 3);  // from the parent
    REQUIRE(config.influencers.size() == 1);
    CHECK(config.influencers[0].name == "c");
    CHECK(config.influencers[0].weight[0] == 0.2);
}

TEST_CASE("extends: cycles and missing parents are reported", "[config]") {
    write_file("loop_a.yaml", "extends: loop_b.yaml\n" + head);
    const std::string b = write_file("loop_b.yaml", "extends: loop_a.yaml\n" + head);
    try {
        load_scenario(b);
        FAIL("a cycle was accepted");
    } catch (const ConfigError& error) {
        CHECK(std::string(error.what()).find("extends itself") != std::string::npos);
    }
    const std::string orphan = write_file("orphan.yaml", "extends: nowhere.yaml\n" + head);
    try {
        load_scenario(orphan);
        FAIL("a missing parent was accepted");
    } catch (const ConfigError& error) {
        CHECK(std::string(error.what()).find("orphan.yaml:1:10: extends") != std::string::npos);
    }
}

TEST_CASE("list items are validated like keys", "[config]") {
    CHECK(error_of(head + "influencers:\n  - name: x\n    stanse: 1\n")
              .find("did you mean 'influencers.0.stance'") != std::string::npos);
    CHECK(error_of(head + "influencers:\n  - name: x\n    stance: 3\n").find("[-1, 1]") !=
          std::string::npos);
    CHECK(error_of(head + "policy_events:\n  - year: 2025\n    regulator: uk\n")
              .find("expected one of us, eu, cn") != std::string::npos);
    CHECK(error_of(head + "policy_events:\n  - regulator: us\n").find("needs a year") !=
          std::string::npos);
    CHECK(error_of(head + "influencers: 3\n").find("expected a list") != std::string::npos);
    CHECK(error_of(head + "synthetic:\n  mode: replaec\n").find("did you mean 'replace'") !=
          std::string::npos);
    const ScenarioConfig config = load_scenario_text(
        head + "influencers:\n  - name: x\n    stance: 1\n", "t.yaml", {"influencers.0.stance=-0.5"});
    CHECK(config.influencers[0].stance == -0.5);
    CHECK(error_of(head, {"influencers.3.stance=1"}).find("the next new one is influencers.0") !=
          std::string::npos);
}

TEST_CASE("Every problem of a scenario is reported at once, each with its position and key",
          "[config]") {
    const std::string error = error_of(head + "labs:\n  cuont: 5\n  frontier_count: many\n"
                                              "investors:\n  count: -3\n",
                                       {"labs.bogus=1"});
    CHECK_THAT(error, Catch::Contains("test.yaml:4:3: labs.cuont: unknown key; did you mean 'labs.count'?"));
    CHECK_THAT(error, Catch::Contains("test.yaml:5:19: labs.frontier_count: expected an integer"));
    CHECK_THAT(error, Catch::Contains("test.yaml:7:10: investors.count: expected an integer"));
    CHECK_THAT(error, Catch::Contains("--set 'labs.bogus=1': labs.bogus: unknown key"));
    CHECK(std::count(error.begin(), error.end(), '\n') == 3);  // four problems, one per line

    // A file of many mistakes: the first max_reported_problems, then a count.
    std::string many = head + "labs:\n";
    for (int i = 0; i < 60; ++i) many += "  wrong_" + std::to_string(i) + ": 1\n";
    const std::string capped = error_of(many);
    CHECK(static_cast<std::size_t>(std::count(capped.begin(), capped.end(), '\n')) == max_reported_problems);
    CHECK_THAT(capped, Catch::Contains("... and 10 more problem(s)"));
}
