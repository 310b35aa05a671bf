// HDF5 file locking is a process-wide choice (output/file_locking.hpp).

#include <catch2/catch.hpp>

#include "output/file_locking.hpp"

using namespace airace;

TEST_CASE("file locking values parse like HDF5_USE_FILE_LOCKING's", "[output][locking]") {
    CHECK(parse_file_locking("on") == FileLocking::on);
    CHECK(parse_file_locking("TRUE") == FileLocking::on);
    CHECK(parse_file_locking("off") == FileLocking::off);
    CHECK(parse_file_locking("FALSE") == FileLocking::off);
    CHECK(parse_file_locking("best-effort") == FileLocking::best_effort);
    CHECK(parse_file_locking("BEST_EFFORT") == FileLocking::best_effort);
    CHECK_FALSE(parse_file_locking("maybe").has_value());
    CHECK(file_locking() == FileLocking::off);  // the default
}
