#pragma once
// A light wall-clock profiler for `airace run --profile` and the benchmarks:
// named sections accumulate seconds and calls. It only observes: nothing a
// run computes depends on whether it is on, so results are unchanged.
//
// Why this shape: a profile should cost nothing when off (one null check per
// section), name the step's phases and markets the way docs/architecture.md does,
// and work across the sim/ and output/ layers without either knowing the
// command line. Sections are identified by their name; "a / b" nests b in a
// for the report. A Profiler may be shared by threads (a mutex guards the
// table; sections are coarse, a few per phase).

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

namespace airace {

class Profiler {
public:
    struct Section {
        std::string name;
        double seconds = 0;
        std::uint64_t calls = 0;
    };

    void add(const char* name, double seconds);
    // Sections in the order they were first seen.
    std::vector<Section> sections() const;
    // A table: section, total seconds, calls, ms per call, share of `total_s`.
    std::string report(double total_s) const;

private:
    mutable std::mutex mutex_;
    std::vector<Section> sections_;
};

// Times its scope into `profiler` when it is not null.
class ProfileScope {
public:
    ProfileScope(Profiler* profiler, const char* name) : profiler_(profiler), name_(name) {
        if (profiler_) start_ = std::chrono::steady_clock::now();
    }
    ~ProfileScope() { stop(); }
    // Ends the section early (idempotent).
    void stop() {
        if (!profiler_) return;
        profiler_->add(name_, std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count());
        profiler_ = nullptr;
    }
    ProfileScope(const ProfileScope&) = delete;
    ProfileScope& operator=(const ProfileScope&) = delete;

private:
    Profiler* profiler_;
    const char* name_;
    std::chrono::steady_clock::time_point start_{};
};

// Peak resident memory of this process so far, in bytes (0 if unknown).
std::size_t peak_rss_bytes();

}  // namespace airace
