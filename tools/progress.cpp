#include "progress.hpp"

#include <cstdio>
#include <unistd.h>

#include <fmt/format.h>

namespace airace {

Progress::Progress(std::string label, bool quiet)
    : label_(std::move(label)), quiet_(quiet), terminal_(isatty(fileno(stderr)) != 0),
      start_(std::chrono::steady_clock::now()) {}

void Progress::update(int done, int total) {
    if (quiet_ || total <= 0) return;
    const double fraction = static_cast<double>(done) / total;
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    if (terminal_) {
        constexpr int width = 30;
        const int filled = static_cast<int>(fraction * width);
        const double left = done > 0 ? elapsed * (total - done) / done : 0.0;
        fmt::print(stderr, "\r{} [{}{}] {}/{} steps, {:.1f}s elapsed, ~{:.1f}s left ", label_,
                   std::string(static_cast<std::size_t>(filled), '#'),
                   std::string(static_cast<std::size_t>(width - filled), ' '), done, total, elapsed,
                   left);
        drew_ = true;
    } else {
        const int decile = static_cast<int>(fraction * 10);
        if (decile != last_decile_ && decile > 0) {
            last_decile_ = decile;
            fmt::print(stderr, "{}: {}% ({}/{} steps, {:.1f}s)\n", label_, decile * 10, done, total,
                       elapsed);
        }
    }
}

void Progress::finish() {
    if (drew_) fmt::print(stderr, "\n");
    drew_ = false;
}

SweepProgressPrinter::SweepProgressPrinter(std::string name, bool quiet)
    : name_(std::move(name)), quiet_(quiet), terminal_(isatty(fileno(stderr)) != 0) {}

void SweepProgressPrinter::operator()(const SweepCounts& counts) {
    if (quiet_) return;
    const std::size_t finished = counts.done + counts.failed;
    const std::size_t tenth = counts.to_run == 0 ? 0 : finished * 10 / counts.to_run;
    const auto now = std::chrono::steady_clock::now();
    if (terminal_) {
        fmt::print(stderr, "\r{}   ", progress_line(name_, counts));
        drew_ = true;
    } else if (tenth != last_tenth_ || now - last_line_ > std::chrono::seconds(10)) {
        fmt::print(stderr, "{}\n", progress_line(name_, counts));
        last_tenth_ = tenth;
        last_line_ = now;
    }
}

void SweepProgressPrinter::finish() {
    if (drew_) fmt::print(stderr, "\n");
    drew_ = false;
}

}  // namespace airace
