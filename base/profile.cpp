#include "base/profile.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

namespace airace {

void Profiler::add(const char* name, double seconds) {
    const std::lock_guard<std::mutex> lock(mutex_);
    for (Section& section : sections_) {
        if (section.name == name) {
            section.seconds += seconds;
            section.calls += 1;
            return;
        }
    }
    sections_.push_back({name, seconds, 1});
}

std::vector<Profiler::Section> Profiler::sections() const {
    const std::lock_guard<std::mutex> lock(mutex_);
    return sections_;
}

std::string Profiler::report(double total_s) const {
    std::string out = fmt::format("{:<40} {:>10} {:>8} {:>12} {:>7}\n", "section", "total s",
                                  "calls", "ms per call", "share");
    // Children ("phase / part") follow their parent, whatever finished first.
    std::vector<Section> all = sections();
    const auto root_rank = [&](const std::string& name) {
        const std::string root = name.substr(0, name.find(" / "));
        for (std::size_t k = 0; k < all.size(); ++k)
            if (all[k].name == root) return k;
        for (std::size_t k = 0; k < all.size(); ++k)
            if (all[k].name == name) return k;
        return all.size();
    };
    std::vector<std::size_t> order(all.size());
    for (std::size_t k = 0; k < all.size(); ++k) order[k] = k;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        const auto ra = root_rank(all[a].name), rb = root_rank(all[b].name);
        if (ra != rb) return ra < rb;
        return all[a].name.find(" / ") == std::string::npos && all[b].name.find(" / ") != std::string::npos;
    });
    for (const std::size_t k : order) {
        const Section& s = all[k];
        // Nested sections ("phase / part") are indented under their parent.
        std::string label = s.name;
        if (const auto slash = label.rfind(" / "); slash != std::string::npos)
            label = "  " + label.substr(slash + 3);
        out += fmt::format("{:<40} {:>10.4f} {:>8} {:>12.3f} {:>6.1f}%\n", label, s.seconds,
                           s.calls, s.calls ? 1e3 * s.seconds / static_cast<double>(s.calls) : 0.0,
                           total_s > 0 ? 100.0 * s.seconds / total_s : 0.0);
    }
    return out;
}

std::size_t peak_rss_bytes() {
    rusage usage;
    std::memset(&usage, 0, sizeof usage);
    if (getrusage(RUSAGE_SELF, &usage) != 0) return 0;
    return static_cast<std::size_t>(usage.ru_maxrss) * 1024;  // Linux reports KiB
}

}  // namespace airace
