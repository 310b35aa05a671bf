// output/chunk_queue.cpp: chunks filtered ahead of time (shuffle, then
// libdeflate) and written with H5Dwrite_chunk read back through HDF5's own
// filters exactly as the values written with H5Dwrite, in a file of about
// the same size, and the same bytes every time.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "output/chunk_check.hpp"
#include "tests/output/run_record_fixture.hpp"

namespace fs = std::filesystem;
using namespace airace;

namespace {

struct Shape {
    std::vector<std::uint64_t> dims;
    std::vector<std::uint64_t> chunk;
};

std::string bytes_of(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

TEST_CASE("queued chunks read back through HDF5 as the values H5Dwrite stores", "[output][chunks]") {
    const fs::path dir = test::scratch_dir("chunk_queue");
    // Full and partial edge chunks in both dimensions, wide tables whose
    // partial column chunks wait in HDF5's cache, and 1-D pools.
    const std::vector<Shape> shapes = {
        {{80, 50}, {80, 50}},        {{80, 300}, {80, 300}},      {{16, 10000}, {4, 8192}},
        {{21, 20000}, {4, 8192}},    {{80, 8193}, {4, 8192}},     {{9, 30000}, {4, 8192}},
        {{100000}, {32768}},         {{5}, {5}},                  {{70000}, {5461}},
    };
    for (const Shape& shape : shapes) {
        std::size_t count = 1;
        for (std::uint64_t d : shape.dims) count *= static_cast<std::size_t>(d);
        std::vector<double> values(count);
        for (std::size_t i = 0; i < count; ++i)
            values[i] = std::sin(static_cast<double>(i) * 0.37) * static_cast<double>(i % 977);
        const std::string plain = (dir / "plain.h5").string();
        const std::string queued = (dir / "queued.h5").string();
        storage::write_float64_dataset(plain, shape.dims, shape.chunk, values, false);
        storage::write_float64_dataset(queued, shape.dims, shape.chunk, values, true);
        INFO("dims " << shape.dims[0] << (shape.dims.size() > 1 ? "x" + std::to_string(shape.dims[1]) : ""));
        const std::vector<double> through_library = storage::read_float64_dataset(plain);
        const std::vector<double> through_queue = storage::read_float64_dataset(queued);
        REQUIRE(through_queue.size() == values.size());
        CHECK(std::memcmp(through_queue.data(), values.data(), values.size() * sizeof(double)) == 0);
        CHECK(std::memcmp(through_library.data(), values.data(), values.size() * sizeof(double)) == 0);
        // libdeflate and zlib compress about as well at the same level.
        const auto plain_size = static_cast<double>(fs::file_size(plain));
        const auto queued_size = static_cast<double>(fs::file_size(queued));
        CHECK(queued_size < 1.1 * plain_size);
        // The same bytes again: compression is deterministic.
        const std::string again = (dir / "again.h5").string();
        storage::write_float64_dataset(again, shape.dims, shape.chunk, values, true);
        CHECK(bytes_of(again) == bytes_of(queued));
    }
}

TEST_CASE("the emulated flush order keeps full chunks ahead of partial ones", "[output][chunks]") {
    // 4 x 2 chunks of 256 KiB: the cache holds four, full chunks (even
    // indices) are preempted first, partial ones flushed at close.
    const auto order = storage::flush_order({16, 10000}, {4, 8192}, sizeof(double));
    CHECK(order == std::vector<std::size_t>{0, 2, 4, 6, 1, 3, 5, 7});
    const auto single = storage::flush_order({80, 50}, {80, 50}, sizeof(double));
    CHECK(single == std::vector<std::size_t>{0});
}
