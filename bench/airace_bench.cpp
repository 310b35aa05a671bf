// airace_bench: the measurements behind docs/performance.md that the
// command line cannot take from outside.
//
//   airace_bench hdf5 [--mib N] [--dir DIR] [--repeat R]
//       Writes N MiB of float64 columns (shaped like a run's [T, N] per-agent
//       columns) four ways and reports MiB/s of raw data: a plain
//       sequential write(2) of the same bytes, HDF5's own path (H5Dwrite,
//       shuffle + deflate on the calling thread), airace's (chunks deflated
//       on every core, then H5Dwrite_chunk), and airace's without filters
//       (`airace --compression none`). Each ends with fsync.
//
//   airace_bench record SCENARIO [--threads T] [--repeat R] [--dir DIR] [--compression none]
//       Runs the scenario in-process R times with the profiler on, writes
//       each record to a run file, and prints per-phase means, agent-steps
//       per second (per core) and the run file's write throughput against a
//       plain write of the record's raw bytes.
//
//   airace_bench machine [--mib N] [--threads T] [--repeat R]
//       The memory bounds of the machine that thread scaling meets: per
//       thread, dependent random loads (latency), independent random loads
//       (throughput, many misses in flight) and first touches of new memory
//       (page faults), each on one thread alone and then on T threads of this
//       process at once, each thread on its own N MiB. Prints each one's
//       time per thread and the ratio: 1.00 means a second thread costs the
//       first nothing.
//
// Nothing here is part of ctest; bench/run_benchmarks.sh runs the full set.

#include <fcntl.h>
#include <unistd.h>

#include <sys/mman.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <iterator>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "output/chunk_check.hpp"
#include "output/compression.hpp"
#include "output/writer.hpp"
#include "config/config_yaml.hpp"
#include "base/parallel.hpp"
#include "base/profile.hpp"
#include "record/run.hpp"

namespace fs = std::filesystem;
using namespace airace;

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void sync_file(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

// write(2) of the bytes, then fsync: the yardstick.
double plain_write(const std::string& path, const void* data, std::size_t bytes) {
    const auto start = std::chrono::steady_clock::now();
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) throw std::runtime_error("cannot create " + path);
    const auto* p = static_cast<const char*>(data);
    std::size_t left = bytes;
    while (left > 0) {
        const ssize_t n = ::write(fd, p, std::min<std::size_t>(left, 1 << 24));
        if (n <= 0) throw std::runtime_error("cannot write " + path);
        p += n;
        left -= static_cast<std::size_t>(n);
    }
    ::fsync(fd);
    ::close(fd);
    return seconds_since(start);
}

// Values shaped like simulation output: smooth per-agent trajectories with
// noise, so they compress about as well as real columns.
std::vector<double> synthetic_columns(std::size_t rows, std::size_t cols) {
    std::vector<double> values(rows * cols);
    for (std::size_t c = 0; c < cols; ++c) {
        double x = 1e6 * (1.0 + static_cast<double>(c % 97));
        for (std::size_t r = 0; r < rows; ++r) {
            x *= 1.0 + 0.01 * std::sin(static_cast<double>(r * 31 + c * 17));
            values[r * cols + c] = x;
        }
    }
    return values;
}

int bench_hdf5(std::size_t mib, const std::string& dir, int repeat) {
    const std::size_t rows = 80;
    const std::size_t cols = std::max<std::size_t>(1, mib * 1024 * 1024 / (rows * sizeof(double)));
    const std::vector<double> values = synthetic_columns(rows, cols);
    const std::size_t bytes = values.size() * sizeof(double);
    const std::vector<std::uint64_t> dims{rows, cols};
    // The run files' policy: rows of up to 8192 agents, 256 KiB chunks.
    const std::uint64_t chunk_cols = std::min<std::uint64_t>(cols, 8192);
    const std::uint64_t chunk_rows =
        std::clamp<std::uint64_t>(256 * 1024 / (sizeof(double) * chunk_cols), 1, rows);
    const std::vector<std::uint64_t> chunk{chunk_rows, chunk_cols};
    fs::create_directories(dir);
    const std::string plain_path = (fs::path(dir) / "plain.bin").string();
    const std::string library_path = (fs::path(dir) / "library.h5").string();
    const std::string queue_path = (fs::path(dir) / "queue.h5").string();
    const std::string raw_path = (fs::path(dir) / "unfiltered.h5").string();
    fmt::print("hdf5: {:.1f} MiB of float64 [{} x {}], chunks [{} x {}], {} threads, best of {}\n",
               static_cast<double>(bytes) / 1048576.0, rows, cols, chunk_rows, chunk_cols,
               default_thread_count(), repeat);
    double plain = 1e300, library = 1e300, queued = 1e300, unfiltered = 1e300;
    for (int r = 0; r < repeat; ++r) {
        plain = std::min(plain, plain_write(plain_path, values.data(), bytes));
        auto start = std::chrono::steady_clock::now();
        storage::write_float64_dataset(library_path, dims, chunk, values, false);
        sync_file(library_path);
        library = std::min(library, seconds_since(start));
        start = std::chrono::steady_clock::now();
        storage::write_float64_dataset(queue_path, dims, chunk, values, true);
        sync_file(queue_path);
        queued = std::min(queued, seconds_since(start));
        storage::set_compression(storage::Compression::none);
        start = std::chrono::steady_clock::now();
        storage::write_float64_dataset(raw_path, dims, chunk, values, true);
        sync_file(raw_path);
        unfiltered = std::min(unfiltered, seconds_since(start));
        storage::set_compression(storage::Compression::deflate);
    }
    const double mb = static_cast<double>(bytes) / 1048576.0;
    const auto stored = static_cast<double>(fs::file_size(queue_path)) / 1048576.0;
    fmt::print("{:<44} {:>9} {:>10} {:>8}\n", "writer", "seconds", "MiB/s raw", "vs plain");
    fmt::print("{:<44} {:>9.3f} {:>10.0f} {:>8.2f}\n", "plain write(2) + fsync of the raw bytes", plain,
               mb / plain, 1.0);
    fmt::print("{:<44} {:>9.3f} {:>10.0f} {:>8.2f}\n", "HDF5 H5Dwrite (shuffle+deflate) + fsync",
               library, mb / library, plain / library);
    fmt::print("{:<44} {:>9.3f} {:>10.0f} {:>8.2f}\n", "airace chunk queue (all cores) + fsync", queued,
               mb / queued, plain / queued);
    fmt::print("{:<44} {:>9.3f} {:>10.0f} {:>8.2f}\n", "airace chunk queue, --compression none + fsync",
               unfiltered, mb / unfiltered, plain / unfiltered);
    const bool same = storage::read_float64_dataset(queue_path) == values &&
                      storage::read_float64_dataset(raw_path) == values &&
                      storage::read_float64_dataset(library_path) == values;
    fmt::print("deflated: {:.1f} MiB ({:.0f}% of raw), H5Dwrite's file {:.1f} MiB, unfiltered {:.1f} MiB; "
               "values read back: {}\n",
               stored, 100.0 * stored / mb, static_cast<double>(fs::file_size(library_path)) / 1048576.0,
               static_cast<double>(fs::file_size(raw_path)) / 1048576.0, same ? "identical" : "DIFFERENT");
    return same ? 0 : 1;
    return 0;
}

std::size_t raw_bytes(const RunRecord& record) {
    std::size_t bytes = record.time.size() * 8 + record.hashes.size() * 8;
    for (const auto& s : record.aggregates) bytes += s.values.size() * 8;
    for (const auto& k : record.kinds)
        for (const auto& m : k.columns) bytes += m.values.size() * 8;
    for (const auto& m : record.markets)
        for (const auto& c : m.columns) bytes += c.values.size() * 8;
    bytes += record.events.size() * 56 + record.edges.size() * 40;
    for (const auto& c : record.checkpoints)
        for (const auto& col : c.columns) bytes += (col.real.size() + col.whole.size()) * 8;
    return bytes;
}

int bench_record(const std::string& scenario, int threads, int repeat, const std::string& dir) {
    const ScenarioConfig config = load_scenario(scenario, {});
    fs::create_directories(dir);
    const std::string path = (fs::path(dir) / "record.h5").string();
    const std::string plain_path = (fs::path(dir) / "record.bin").string();
    Profiler profiler;
    double run_s = 0, write_s = 0, plain_s = 0;
    std::size_t agents = 0, bytes = 0;
    int steps = 0;
    for (int r = 0; r < repeat; ++r) {
        RunOptions options;
        options.threads = threads;
        options.profiler = &profiler;
        auto start = std::chrono::steady_clock::now();
        const RunRecord record = run(config, options);
        run_s += seconds_since(start);
        start = std::chrono::steady_clock::now();
        write_run_file(record, path, true, &profiler);
        write_s += seconds_since(start);
        bytes = raw_bytes(record);
        const std::vector<char> blob(bytes, 1);
        plain_s += plain_write(plain_path, blob.data(), blob.size());
        agents = 0;
        for (const auto& k : record.kinds) agents += k.agents_total > 0 ? k.agents_total : k.names.size();
        steps = record.meta.steps;
    }
    const double n = repeat;
    const int cores = threads > 0 ? threads : default_thread_count();
    fmt::print("record {}: {} agents, {} steps, {} threads, mean of {} runs\n", config.scenario.name,
               agents, steps, cores, repeat);
    fmt::print("run {:.4f} s, write {:.4f} s ({:.0f}% of run + write)\n", run_s / n, write_s / n,
               100.0 * write_s / (run_s + write_s));
    fmt::print("agent-steps/s {:.3g} ({:.3g} per core)\n",
               static_cast<double>(agents) * steps / (run_s / n),
               static_cast<double>(agents) * steps / (run_s / n) / cores);
    fmt::print("run file: {:.1f} MiB raw, {:.0f} MiB/s; plain write of the same bytes {:.0f} MiB/s "
               "(ratio {:.2f})\n",
               static_cast<double>(bytes) / 1048576.0, static_cast<double>(bytes) / 1048576.0 / (write_s / n),
               static_cast<double>(bytes) / 1048576.0 / (plain_s / n), plain_s / write_s);
    fmt::print("{}", profiler.report((run_s + write_s)));
    return 0;
}

// One thread's share of `airace_bench machine`: its own array and a
// random permutation cycle through it (xorshift, seeded per thread).
struct MemoryProbe {
    std::vector<std::uint32_t> next;  // a single cycle: each load's address depends on the last
    std::vector<std::uint32_t> order;  // independent random indices
    std::size_t bytes;
    std::size_t page;  // the system's page size

    // Built by the thread that uses it, so its memory is that thread's (on
    // a machine of several memory nodes, near it). 1 <= mib < 16384: the
    // indices are 32-bit.
    MemoryProbe(std::size_t mib, std::uint64_t seed)
        : bytes(mib << 20), page(static_cast<std::size_t>(sysconf(_SC_PAGESIZE))) {
        const std::size_t n = bytes / sizeof(std::uint32_t);
        std::uint64_t x = seed * 0x9E3779B97F4A7C15ull + 1;
        const auto draw = [&] {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            return x;
        };
        std::vector<std::uint32_t> perm(n);
        for (std::size_t i = 0; i < n; ++i) perm[i] = static_cast<std::uint32_t>(i);
        for (std::size_t i = n - 1; i > 0; --i) std::swap(perm[i], perm[draw() % (i + 1)]);
        next.resize(n);
        for (std::size_t i = 0; i < n; ++i) next[perm[i]] = perm[(i + 1) % n];
        order.resize(n / 4);
        for (auto& o : order) o = static_cast<std::uint32_t>(draw() % n);
    }
    std::size_t loads() const { return order.size(); }
    std::size_t pages() const { return bytes / page; }
    // Seconds for loads() dependent loads.
    double dependent() const {
        const auto start = std::chrono::steady_clock::now();
        std::uint32_t at = 0;
        for (std::size_t i = 0; i < loads(); ++i) at = next[at];
        volatile std::uint32_t keep = at;
        (void)keep;
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    }
    // Seconds for loads() independent loads.
    double independent() const {
        const auto start = std::chrono::steady_clock::now();
        std::uint64_t sum = 0;
        for (const std::uint32_t o : order) sum += next[o];
        volatile std::uint64_t keep = sum;
        (void)keep;
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    }
    // Seconds to touch `bytes` of newly mapped memory, one write a page
    // (small pages: huge pages are asked not to be used for it).
    double first_touch() const {
        void* memory = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (memory == MAP_FAILED) throw std::runtime_error("mmap failed");
#ifdef MADV_NOHUGEPAGE
        madvise(memory, bytes, MADV_NOHUGEPAGE);
#endif
        const auto start = std::chrono::steady_clock::now();
        auto* bytes_at = static_cast<volatile char*>(memory);
        for (std::size_t b = 0; b < bytes; b += page) bytes_at[b] = 1;
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        munmap(memory, bytes);
        return seconds;
    }
};

double median(std::vector<double> values) {
    if (values.empty()) return 0.0;
    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    return n % 2 == 1 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

// Each test on thread 0 alone, then on all threads released together
// (thread t builds and keeps probe t), `repeat` times; prints the medians
// per load or page and their ratio.
int bench_machine(std::size_t mib, int threads, int repeat) {
    if (threads <= 0) threads = default_thread_count();
    threads = std::max(2, threads);
    const auto count = static_cast<std::size_t>(threads);
    std::vector<std::unique_ptr<MemoryProbe>> probes(count);
    // The threads of the whole benchmark: each builds its probe, then runs
    // what the main thread posts (round r of test k), once per post.
    std::mutex mutex;
    std::condition_variable posted;
    std::condition_variable finished;
    int round = 0;  // posts so far
    std::size_t test = 0;
    std::size_t taking_part = 0;  // threads 0 .. taking_part - 1 run the post
    std::size_t built = 0;
    std::size_t done = 0;
    std::vector<double> each(count);
    double (*const tests[])(const MemoryProbe&) = {
        [](const MemoryProbe& p) { return p.dependent(); },
        [](const MemoryProbe& p) { return p.independent(); },
        [](const MemoryProbe& p) { return p.first_touch(); },
    };
    const char* const names[] = {"dependent random loads", "independent random loads", "first touches"};
    std::vector<std::thread> workers;
    for (std::size_t t = 0; t < count; ++t)
        workers.emplace_back([&, t] {
            probes[t] = std::make_unique<MemoryProbe>(mib, t + 1);
            std::unique_lock lock(mutex);
            ++built;
            finished.notify_all();
            for (int seen = 0;;) {
                posted.wait(lock, [&] { return round > seen; });
                seen = round;
                if (test >= std::size(tests)) return;
                if (t >= taking_part) continue;
                const std::size_t k = test;
                lock.unlock();
                each[t] = tests[k](*probes[t]);
                lock.lock();
                ++done;
                finished.notify_all();
            }
        });
    // Test k on the first `threads` threads at once: the mean of their seconds.
    const auto at_once = [&](std::size_t k, std::size_t threads_now) {
        std::unique_lock lock(mutex);
        test = k;
        taking_part = threads_now;
        done = 0;
        ++round;
        posted.notify_all();
        finished.wait(lock, [&] { return done == threads_now; });
        double mean = 0;
        for (std::size_t t = 0; t < threads_now; ++t) mean += each[t] / static_cast<double>(threads_now);
        return mean;
    };
    {
        std::unique_lock lock(mutex);
        finished.wait(lock, [&] { return built == count; });
    }
    const MemoryProbe& first = *probes[0];
    fmt::print("{} MiB per thread, {} threads of one process, median of {}\n", mib, threads, repeat);
    fmt::print("{:<26} {:>14} {:>18} {:>7}\n", "", "1 thread, ns", "each of N, ns", "ratio");
    for (std::size_t k = 0; k < std::size(tests); ++k) {
        std::vector<double> alone;
        std::vector<double> together;
        for (int r = 0; r < repeat; ++r) {
            alone.push_back(at_once(k, 1));
            together.push_back(at_once(k, count));
        }
        const double unit = static_cast<double>(k == 2 ? first.pages() : first.loads());
        const double one = median(alone);
        const double all = median(together);
        fmt::print("{:<26} {:>14.1f} {:>18.1f} {:>7.2f}\n", names[k], one / unit * 1e9, all / unit * 1e9,
                   all / one);
    }
    {
        const std::lock_guard lock(mutex);
        test = std::size(tests);
        ++round;
        posted.notify_all();
    }
    for (auto& w : workers) w.join();
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"airace benchmarks (docs/performance.md)"};
    app.require_subcommand(1);
    std::size_t mib = 256;
    int repeat = 3;
    int threads = 0;
    std::string dir = (fs::temp_directory_path() / "airace_bench").string();
    std::string scenario;
    auto* hdf5 = app.add_subcommand("hdf5", "HDF5 write throughput against a plain write");
    hdf5->add_option("--mib", mib, "MiB of float64 data");
    hdf5->add_option("--dir", dir, "scratch directory");
    hdf5->add_option("--repeat", repeat, "repetitions (best is reported)");
    auto* record = app.add_subcommand("record", "per-phase timings of in-process runs");
    record->add_option("scenario", scenario, "scenario file")->required();
    record->add_option("--threads", threads, "worker threads (default: all cores)");
    record->add_option("--repeat", repeat, "runs (means are reported)");
    record->add_option("--dir", dir, "scratch directory");
    std::string compression = "deflate";
    record->add_option("--compression", compression, "run files: deflate (default) or none")
        ->check(CLI::IsMember({"deflate", "none"}));
    auto* machine = app.add_subcommand("machine", "memory bounds of this machine on 1 and N threads");
    std::size_t machine_mib = 256;
    int machine_repeat = 5;
    machine->add_option("--mib", machine_mib, "MiB per thread (default 256)")->check(CLI::Range(1, 16383));
    machine->add_option("--threads", threads, "threads at once (default: all cores; at least 2)")
        ->check(CLI::NonNegativeNumber);
    machine->add_option("--repeat", machine_repeat, "repetitions (medians are reported; default 5)")
        ->check(CLI::Range(1, 1000));
    CLI11_PARSE(app, argc, argv);
    try {
        if (*hdf5) return bench_hdf5(mib, dir, repeat);
        if (*machine) return bench_machine(machine_mib, threads, machine_repeat);
        const ThreadLimit limit(threads);
        if (compression == "none") storage::set_compression(storage::Compression::none);
        return bench_record(scenario, threads, repeat, dir);
    } catch (const std::exception& error) {
        fmt::print(stderr, "airace_bench: {}\n", error.what());
        return 1;
    }
}
