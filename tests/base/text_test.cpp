// base/text.cpp: edit distance and the "did you mean" suggestion.

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "base/text.hpp"

using namespace airace;

TEST_CASE("edit distance counts insertions, deletions and substitutions", "[base]") {
    CHECK(edit_distance("", "") == 0);
    CHECK(edit_distance("abc", "") == 3);
    CHECK(edit_distance("kitten", "sitting") == 3);
    CHECK(edit_distance("labs.count", "labs.cuont") == 2);
}

TEST_CASE("closest_of suggests only a near candidate", "[base]") {
    const std::vector<std::string> keys = {"labs.count", "labs.frontier_count", "investors.count"};
    CHECK(closest_of("labs.cont", keys) == "labs.count");
    CHECK(closest_of("investor.count", keys) == "investors.count");
    CHECK(closest_of("something.else.entirely", keys).empty());
    CHECK(closest_of("x", {}).empty());
}

TEST_CASE("clip shows a value on one line and at most so many characters", "[base]") {
    CHECK(clip("short") == "short");
    CHECK(clip("two\nlines") == "two lines");
    CHECK(clip(std::string(200, 'x'), 10) == "xxxxxxxxxx... (200 characters)");
    // A UTF-8 character is never cut in two: 'é' is two bytes, one character.
    CHECK(clip("ééé", 2) == "éé... (6 characters)");
}
