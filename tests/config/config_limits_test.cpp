// Limits on scenario and sweep input, checked before any walk or run:
// size, nesting, values reached through aliases, files that are not regular
// files, and scenario names that would leave the output folder.

#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "fixtures/tiny_world.hpp"
#include "config/config.hpp"
#include "config/config_yaml.hpp"
#include "base/errors.hpp"
#include "config/sweep_config.hpp"

using namespace airace;
using Catch::Matchers::Contains;

namespace {

std::string error_of(const std::string& text, const std::vector<std::string>& overrides = {}) {
    try {
        load_scenario_text(text, "limits.yaml", overrides);
    } catch (const ConfigError& error) {
        return error.what();
    }
    return "";
}

// Nine levels of ten aliases: 10^9 nodes for a walk that follows them.
std::string billion_laughs() {
    std::string text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
    for (int level = 1; level < 10; ++level) {
        text += "a" + std::to_string(level) + ": &a" + std::to_string(level) + " [";
        for (int i = 0; i < 10; ++i) text += (i ? ", *a" : "*a") + std::to_string(level - 1);
        text += "]\n";
    }
    return text;
}

}  // namespace

TEST_CASE("alias-heavy documents are refused before any walk", "[config][limits]") {
    CHECK_THAT(error_of("scenario:\n  name: t\n" + billion_laughs()), Contains("more than 200000 values"));
    try {
        load_sweep_text("sweep:\n  name: x\n" + billion_laughs(), "s.yaml");
        FAIL("no error");
    } catch (const ConfigError& error) {
        CHECK_THAT(error.what(), Contains("more than 200000 values"));
    }
}

TEST_CASE("aliases within the limit still work", "[config][limits]") {
    const ScenarioConfig config =
        load_scenario_text("scenario:\n  name: t\nlabs: &l\n  count: 9\n  frontier_count: 2\n", "a.yaml");
    CHECK(config.labs.count == 9);
}

TEST_CASE("deep nesting is refused before yaml-cpp parses it", "[config][limits]") {
    CHECK_THAT(error_of(std::string(40, '[') + std::string(40, ']')), Contains("nesting deeper than 32"));
    std::string block;
    for (int level = 0; level < 80; ++level) block += std::string(2 * level, ' ') + "k:\n";
    CHECK_THAT(error_of(block), Contains("nesting deeper than 32"));
}

TEST_CASE("scenario and sweep files must be regular files", "[config][limits]") {
    namespace fs = std::filesystem;
    const std::string dir = testing::scratch_path("limits");
    fs::create_directories(dir);
    std::ofstream(dir + "/zero.yaml") << "scenario:\n  name: z\nextends: /dev/zero\n";
    CHECK_THROWS_WITH(load_scenario(dir + "/zero.yaml"), Contains("/dev/zero': cannot open scenario file: not a regular file"));
    CHECK_THROWS_WITH(load_scenario("/dev/zero"), Contains("not a regular file"));
    CHECK_THROWS_WITH(load_sweep("/dev/zero"), Contains("cannot open sweep file: not a regular file"));
    const std::string fifo = dir + "/pipe.yaml";
    fs::remove(fifo);
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    CHECK_THROWS_WITH(load_scenario(fifo), Contains("not a regular file"));  // must not block
    CHECK_THROWS_WITH(load_scenario(dir), Contains("not a regular file"));
}

TEST_CASE("files over the size limit are refused without reading them whole", "[config][limits]") {
    const std::string path = testing::scratch_path("limits-huge.yaml");
    {
        std::ofstream out(path);
        out << "scenario:\n  name: h\n";
        out << "#" << std::string(max_scenario_bytes, 'x') << "\n";
    }
    CHECK_THROWS_WITH(load_scenario(path), Contains("limited to"));
    CHECK_THROWS_WITH(load_sweep(path), Contains("sweep files are limited to"));
}

TEST_CASE("scenario names stay one plain file name", "[config][limits]") {
    const std::string head = "scenario:\n  name: ";
    for (const char* bad : {"../../etc/x", "a/b", ".hidden", "-rf", "two words", "x\\\\y"}) {
        INFO(bad);
        CHECK_THAT(error_of(head + "'" + bad + "'\n"), Contains("scenario.name: expected a short identifier"));
    }
    CHECK_THAT(error_of(head + "'" + std::string(101, 'a') + "'\n"), Contains("at most 100 characters"));
    for (const char* good : {"baseline", "x_factor-2.0", "A1"}) {
        INFO(good);
        CHECK(error_of(head + good + "\n").empty());
    }
    CHECK_THAT(error_of(head + "ok\n", {"scenario.name=../up"}), Contains("--set 'scenario.name=../up'"));
}

TEST_CASE("a long list of sweep seeds is checked in linear time", "[config][limits]") {
    std::string text = "sweep:\n  name: x\n  base: b.yaml\n  design: grid\n  metrics: [frontier_capability]\n"
                       "  parameters:\n    - key: labs.count\n      values: [4]\n  seeds: [";
    for (int i = 0; i < 120000; ++i) text += (i ? ", " : "") + std::to_string(i);
    text += ", 7]\n";
    CHECK_THROWS_WITH(load_sweep_text(text, "s.yaml"), Contains("seed 7 is given twice"));
}

TEST_CASE("a quoted value whose closing quote is missing is refused where it opens, not left to "
          "swallow the keys after it", "[config][limits]") {
    // To the end of the file: yaml-cpp takes everything after the quote as
    // the description, and labs.count: 7 would be lost.
    const std::string to_the_end = error_of(
        "scenario:\n  name: t\n  description: \"never closed\nlabs:\n  count: 7\n  frontier_count: 2\n");
    CHECK_THAT(to_the_end, Contains("limits.yaml:3:16") && Contains("never closed") &&
                               Contains("end of the file"));
    // Up to a later quote: the swallowed lines read as keys at the quote's
    // own indentation.
    const std::string swallowing = error_of(
        "scenario:\n  name: t\n  description: 'never closed\nlabs:\n  count: 7\n  frontier_count: 2\n"
        "investors:\n  count: 8\n  corporate_count: 2\n  note: x'\n");
    CHECK_THAT(swallowing, Contains("limits.yaml:3:16") && Contains("line 4") && Contains("'labs'"));
    // A quoted value over several lines, indented as YAML wants it, is fine;
    // so are quotes inside values and escaped quotes.
    CHECK(error_of("scenario:\n  name: t\n  description: \"a question over\n    two lines: fine \\\" here\"\n"
                   "labs:\n  count: 6\n  frontier_count: 2\ninvestors:\n  count: 8\n  corporate_count: 2\n")
              .empty());
    CHECK(error_of("scenario:\n  name: t\n  description: 'it''s: fine'\nlabs:\n  count: 6\n  frontier_count: 2\n"
                   "investors:\n  count: 8\n  corporate_count: 2\n")
              .empty());
}

TEST_CASE("messages never echo a whole value: long values are clipped", "[config][limits]") {
    const std::string long_name = error_of("scenario:\n  name: " + std::string(200'000, 'a') + "\n");
    CHECK_THAT(long_name, Contains("(200000 characters)"));
    CHECK(long_name.size() < 1000);
    const std::string long_override = error_of("scenario:\n  name: t\n", {"labs.count=" + std::string(5000, '7')});
    CHECK_THAT(long_override, Contains("characters)"));
    CHECK(long_override.size() < 1000);
}

TEST_CASE("extends under a section says it belongs at the top level", "[config][limits]") {
    CHECK_THAT(error_of("scenario:\n  name: t\n  extends: base.yaml\n"),
               Contains("scenario.extends") && Contains("top level"));
}

TEST_CASE("a --set value that breaks a relation between keys is named by its --set, not by the "
          "file", "[config][limits]") {
    const std::string error = error_of("scenario:\n  name: t\nlabs:\n  count: 6\n  frontier_count: 2\n"
                                       "investors:\n  count: 8\n  corporate_count: 2\n",
                                       {"labs.count=1"});
    CHECK_THAT(error, Contains("--set 'labs.count=1'") && Contains("labs.frontier_count"));
    CHECK_THAT(error, !Contains("limits.yaml"));
}
