#pragma once
// The only door to oneTBB. Agents of a kind decide in parallel, each writing
// only its own row, so results never depend on the thread count; reductions
// that need a fixed order are done sequentially by the callers.

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace airace {

// Calls body(begin, end) over [0, n) in chunks of at most `grain` indices.
void parallel_for(std::size_t n, std::size_t grain,
                  const std::function<void(std::size_t, std::size_t)>& body);

// Runs the tasks side by side (each once, on any thread), and returns when
// all are done. For independent pieces of setup such as a table's columns:
// a million rows is tens of megabytes of new memory, and first touches of
// memory cost more than the rest of the work.
void side_by_side(const std::vector<std::function<void()>>& tasks);

// Calls body(i) for each i in [0, n), at most `concurrency` at a time (<= 0:
// all cores), handing out indices dynamically (grain 1) in a task arena of
// that many threads. Each call runs isolated: a thread waiting inside one
// body's nested parallel_for never starts another body, so the bodies (sweep
// runs) stay independent and nested parallelism shares the same threads.
void parallel_each(std::size_t n, int concurrency, const std::function<void(std::size_t)>& body);

// Limits the worker threads for its lifetime (tbb::global_control). threads
// <= 0 keeps the default (all cores).
class ThreadLimit {
public:
    explicit ThreadLimit(int threads);
    ~ThreadLimit();
    ThreadLimit(const ThreadLimit&) = delete;
    ThreadLimit& operator=(const ThreadLimit&) = delete;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

std::string tbb_version_string();
int default_thread_count();

}  // namespace airace
