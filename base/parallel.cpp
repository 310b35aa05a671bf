#include "base/parallel.hpp"

#include <fmt/format.h>
#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/info.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/partitioner.h>
#include <oneapi/tbb/task_arena.h>
#include <oneapi/tbb/version.h>

namespace airace {

void parallel_for(std::size_t n, std::size_t grain,
                  const std::function<void(std::size_t, std::size_t)>& body) {
    if (n == 0) return;
    if (grain == 0) grain = 1;
    if (n <= grain) {
        body(0, n);
        return;
    }
    // simple_partitioner: chunks never exceed `grain`, so each chunk's work is
    // the same whatever the thread count (rows are independent anyway).
    tbb::parallel_for(
        tbb::blocked_range<std::size_t>(0, n, grain),
        [&](const tbb::blocked_range<std::size_t>& range) { body(range.begin(), range.end()); },
        tbb::simple_partitioner());
}

void parallel_each(std::size_t n, int concurrency, const std::function<void(std::size_t)>& body) {
    if (n == 0) return;
    tbb::task_arena arena(concurrency > 0 ? concurrency : tbb::task_arena::automatic);
    arena.execute([&] {
        tbb::parallel_for(
            tbb::blocked_range<std::size_t>(0, n, 1),
            [&](const tbb::blocked_range<std::size_t>& range) {
                for (std::size_t i = range.begin(); i != range.end(); ++i)
                    tbb::this_task_arena::isolate([&] { body(i); });
            },
            tbb::simple_partitioner());
    });
}

struct ThreadLimit::Impl {
    explicit Impl(int threads)
        : control(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads)) {}
    tbb::global_control control;
};

ThreadLimit::ThreadLimit(int threads) {
    if (threads > 0) impl_ = std::make_unique<Impl>(threads);
}

ThreadLimit::~ThreadLimit() = default;

std::string tbb_version_string() {
    return fmt::format("{}.{}", TBB_VERSION_MAJOR, TBB_VERSION_MINOR);
}

int default_thread_count() { return tbb::info::default_concurrency(); }

}  // namespace airace
