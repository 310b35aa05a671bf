#pragma once
// Progress on stderr: a redrawn bar on a terminal, a plain line every 10%
// otherwise, nothing with --quiet.

#include <chrono>
#include <cstddef>
#include <string>

#include "experiment/sweep.hpp"

namespace airace {

class Progress {
public:
    Progress(std::string label, bool quiet);
    void update(int done, int total);
    void finish();

private:
    std::string label_;
    bool quiet_ = false;
    bool terminal_ = false;
    int last_decile_ = -1;
    bool drew_ = false;
    std::chrono::steady_clock::time_point start_;
};

// Sweep progress on stderr: a redrawn line on a terminal; otherwise a line at
// each tenth of the runs or every 10 s, whichever comes first (Slurm logs
// stay short); nothing with --quiet. Used by `airace sweep` and by
// `airace run --seeds`.
class SweepProgressPrinter {
public:
    SweepProgressPrinter(std::string name, bool quiet);
    void operator()(const SweepCounts& counts);
    void finish();

private:
    std::string name_;
    bool quiet_ = false;
    bool terminal_ = false;
    bool drew_ = false;
    std::size_t last_tenth_ = 0;
    std::chrono::steady_clock::time_point last_line_ = std::chrono::steady_clock::now();
};

}  // namespace airace
