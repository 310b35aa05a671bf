#include "base/parallel.hpp"

#include "base/allocator.hpp"

#include <atomic>
#include <cstdint>

#include <fmt/format.h>
#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/info.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/partitioner.h>
#include <oneapi/tbb/scalable_allocator.h>
#include <oneapi/tbb/task_arena.h>
#include <oneapi/tbb/version.h>

namespace airace {
namespace {

// What a task needs of the loop: its chunk and the body to run on it.
template <class Body>
struct Chunk {
    std::size_t begin, end;
    const Body* body;
};

#if defined(__SANITIZE_THREAD__)
// ThreadSanitizer does not see oneTBB's own synchronisation (Debian's libtbb
// is not instrumented), so it would take every hand-off of data to a loop's
// bodies and back for a race. These two atomics state the fork and the join
// each loop has, so that TSan checks what the bodies do to airace's data
// against them (tools/sanitizers/run-tsan). Globals: no initialisation to
// race with. Only in TSan builds: others have no extra atomic operation.
std::atomic<std::uint64_t> forks{0};
std::atomic<std::uint64_t> joins{0};
void fork_point() { forks.fetch_add(1, std::memory_order_release); }
void body_starts() { (void)forks.load(std::memory_order_acquire); }
void body_ends() { joins.fetch_add(1, std::memory_order_release); }
void join_point() { (void)joins.load(std::memory_order_acquire); }
}  // namespace
}  // namespace airace
// libtsan's annotations: reads between them are not checked.
extern "C" void AnnotateIgnoreReadsBegin(const char* file, int line);
extern "C" void AnnotateIgnoreReadsEnd(const char* file, int line);
namespace airace {
namespace {
// A chunk's bounds and the loop's body, as the task that runs the chunk
// holds them: written by whichever thread split the range or copied the
// task (inside oneTBB's scheduler, invisible to TSan), so read unchecked.
template <class Body>
Chunk<Body> chunk(const tbb::blocked_range<std::size_t>& range, const Body* const* body) {
    AnnotateIgnoreReadsBegin(__FILE__, __LINE__);
    const Chunk<Body> out{range.begin(), range.end(), *body};
    AnnotateIgnoreReadsEnd(__FILE__, __LINE__);
    return out;
}
#else
void fork_point() {}
void body_starts() {}
void body_ends() {}
void join_point() {}
template <class Body>
Chunk<Body> chunk(const tbb::blocked_range<std::size_t>& range, const Body* const* body) {
    return {range.begin(), range.end(), *body};
}
#endif

}  // namespace

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
    fork_point();
    tbb::parallel_for(
        tbb::blocked_range<std::size_t>(0, n, grain),
        [run = &body](const tbb::blocked_range<std::size_t>& range) {
            body_starts();
            const auto c = chunk(range, &run);
            (*c.body)(c.begin, c.end);
            body_ends();
        },
        tbb::simple_partitioner());
    join_point();
}

void side_by_side(const std::vector<std::function<void()>>& tasks) {
    parallel_for(tasks.size(), 1, [&](std::size_t b, std::size_t e) {
        for (std::size_t t = b; t < e; ++t) tasks[t]();
    });
}

void parallel_each(std::size_t n, int concurrency, const std::function<void(std::size_t)>& body) {
    if (n == 0) return;
    tbb::task_arena arena(concurrency > 0 ? concurrency : tbb::task_arena::automatic);
    fork_point();
    arena.execute([&] {
        body_starts();
        tbb::parallel_for(
            tbb::blocked_range<std::size_t>(0, n, 1),
            [run = &body](const tbb::blocked_range<std::size_t>& range) {
                body_starts();
                const auto c = chunk(range, &run);
                for (std::size_t i = c.begin; i != c.end; ++i)
                    tbb::this_task_arena::isolate([&] { (*c.body)(i); });
                body_ends();
            },
            tbb::simple_partitioner());
        body_ends();
    });
    join_point();
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

void* scalable_allocate(std::size_t bytes) noexcept { return scalable_malloc(bytes); }

void scalable_deallocate(void* memory) noexcept { scalable_free(memory); }

}  // namespace airace
