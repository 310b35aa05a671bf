// Results change only on purpose: the world hash after every step of the
// baseline and of each shipped scenario must match the golden list in
// tests/golden/world_hashes.txt. A commit that changes results updates the
// list and says why.

#include <catch2/catch.hpp>

#include <filesystem>

#include <fmt/format.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "config/config_yaml.hpp"
#include "record/run.hpp"

using namespace airace;

namespace {

struct Golden {
    std::string scenario;
    std::vector<std::string> hashes;
};

std::vector<Golden> read_golden() {
    std::ifstream in(std::string(AIRACE_SOURCE_DIR) + "/tests/golden/world_hashes.txt");
    REQUIRE(in.good());
    std::vector<Golden> golden;
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::istringstream words(line);
        Golden g;
        words >> g.scenario;
        for (std::string h; words >> h;) g.hashes.push_back(h);
        golden.push_back(std::move(g));
    }
    return golden;
}

std::string scenario_path(const std::string& name) {
    const std::string root = std::string(AIRACE_SOURCE_DIR) + "/configs/";
    return name == "baseline" ? root + "baseline.yaml" : root + "scenarios/" + name + ".yaml";
}

}  // namespace

TEST_CASE("the baseline and every shipped scenario reproduce their golden world hashes", "[golden]") {
    const std::vector<Golden> golden = read_golden();
    // One line per shipped scenario: the baseline and configs/scenarios/*.yaml.
    std::size_t shipped = 1;
    for (const auto& entry :
         std::filesystem::directory_iterator(std::string(AIRACE_SOURCE_DIR) + "/configs/scenarios"))
        if (entry.path().extension() == ".yaml") ++shipped;
    REQUIRE(golden.size() == shipped);
    REQUIRE(golden.front().scenario == "baseline");
    for (const Golden& g : golden) {
        INFO("scenario " << g.scenario << " (tests/golden/world_hashes.txt)");
        RunOptions options;
        options.threads = 2;
        options.checkpoint_every = 0;
        const RunRecord record = run(load_scenario(scenario_path(g.scenario)), options);
        REQUIRE(record.hashes.size() == g.hashes.size());
        for (std::size_t t = 0; t < g.hashes.size(); ++t) {
            INFO("step " << t);
            REQUIRE(fmt::format("{:016x}", record.hashes[t]) == g.hashes[t]);
        }
    }
}
