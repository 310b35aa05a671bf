// The resource guard (resource_guard.hpp).

#include <sys/statvfs.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>

#include <fmt/format.h>

#include "base/errors.hpp"
#include "resource_guard.hpp"

namespace fs = std::filesystem;

namespace airace::cli {
namespace {

// "4G", "500M", "1.5GiB", "1024": bytes; nullopt when not a size.
std::optional<std::uint64_t> parse_size(const std::string& text) {
    std::size_t end = 0;
    double value = 0;
    try {
        value = std::stod(text, &end);
    } catch (const std::exception&) {
        return std::nullopt;
    }
    std::string unit;
    for (std::size_t i = end; i < text.size(); ++i)
        unit += static_cast<char>(std::toupper(static_cast<unsigned char>(text[i])));
    double scale = 1;
    if (unit.empty() || unit == "B") scale = 1;
    else if (unit == "K" || unit == "KB" || unit == "KIB") scale = 1024.0;
    else if (unit == "M" || unit == "MB" || unit == "MIB") scale = 1024.0 * 1024;
    else if (unit == "G" || unit == "GB" || unit == "GIB") scale = 1024.0 * 1024 * 1024;
    else if (unit == "T" || unit == "TB" || unit == "TIB") scale = 1024.0 * 1024 * 1024 * 1024;
    else return std::nullopt;
    const double bytes = value * scale;
    if (!std::isfinite(bytes) || bytes < 0 || bytes > 9.0e18) return std::nullopt;
    return static_cast<std::uint64_t>(bytes);
}

std::uint64_t read_number(const std::string& path) {
    std::ifstream in(path);
    std::string text;
    if (!(in >> text) || text == "max") return 0;
    try {
        return std::stoull(text);
    } catch (const std::exception&) {
        return 0;
    }
}

}  // namespace

void add_max_memory_option(CLI::App* command, std::uint64_t& max_memory) {
    command
        ->add_option_function<std::string>(
            "--max-memory",
            [&max_memory](const std::string& text) {
                const auto bytes = parse_size(text);
                if (!bytes)
                    throw CLI::ValidationError("--max-memory",
                                               fmt::format("'{}' is not a size (e.g. 4G, 500M)", text));
                max_memory = *bytes;
            },
            "refuse a run whose estimated peak memory exceeds SIZE (e.g. 4G, 500M; default: the "
            "machine's available memory)")
        ->type_name("SIZE");
}

std::uint64_t available_memory_bytes() {
    std::uint64_t available = 0;
    std::ifstream meminfo("/proc/meminfo");
    std::string key;
    std::uint64_t kib = 0;
    std::string unit;
    while (meminfo >> key >> kib) {
        std::getline(meminfo, unit);
        if (key == "MemAvailable:") available = kib * 1024;
    }
    // A cgroup (v2) limit below that: what is left of it.
    const std::uint64_t limit = read_number("/sys/fs/cgroup/memory.max");
    const std::uint64_t used = read_number("/sys/fs/cgroup/memory.current");
    if (limit > 0 && limit > used) {
        const std::uint64_t left = limit - used;
        if (available == 0 || left < available) available = left;
    }
    return available;
}

std::uint64_t free_disk_bytes(const std::string& path) {
    fs::path folder = fs::path(path).parent_path();
    if (folder.empty()) folder = ".";
    struct statvfs info {};
    if (statvfs(folder.c_str(), &info) != 0) return 0;
    return static_cast<std::uint64_t>(info.f_bavail) * static_cast<std::uint64_t>(info.f_frsize);
}

void check_resources(const ResourceEstimate& estimate, const ResourceOptions& options,
                     std::uint64_t max_memory, const std::string& output, std::uint64_t jobs,
                     const std::string& what) {
    jobs = std::max<std::uint64_t>(jobs, 1);
    const std::uint64_t memory = estimate.peak_memory_bytes * jobs;
    const std::uint64_t machine = available_memory_bytes();
    const std::string runs = jobs > 1 ? fmt::format(" ({} runs at once)", jobs) : "";
    if (max_memory > 0 && memory > max_memory)
        throw ConfigError(fmt::format(
            "{} would need about {} of memory{} (estimate), more than --max-memory {}; {}", what,
            format_bytes(memory), runs, format_bytes(max_memory), resource_advice(options)));
    if (max_memory == 0 && machine > 0 && memory > machine)
        throw ConfigError(fmt::format(
            "{} would need about {} of memory{} (estimate), more than the {} available on this "
            "machine; {} (or set a limit with --max-memory)",
            what, format_bytes(memory), runs, format_bytes(machine), resource_advice(options)));
    // A streamed run with checkpoints also keeps a partial file, a copy of
    // its run file so far, until it ends.
    const std::uint64_t copies = options.streamed && options.checkpoint_every > 0 ? 2 : 1;
    const std::uint64_t files = estimate.file_bytes * copies * jobs;
    const std::uint64_t disk = free_disk_bytes(output);
    if (disk > 0 && files > disk)
        throw ConfigError(fmt::format(
            "{} would write about {} of run files{} (estimate{}), more than the {} free where {} goes; {}",
            what, format_bytes(files), runs, copies > 1 ? ", with the partial file kept beside it" : "",
            format_bytes(disk), output, resource_advice(options)));
}

std::string describe_estimate(const ResourceEstimate& e, const ResourceOptions& options) {
    return fmt::format(
        "estimate of a run with {}: peak memory about {} (agents' state {}, graph of ~{} edges {}, "
        "snapshot or checkpoint being written {}, record buffers {}), run file about {}\n",
        options.checkpoint_every > 0 ? fmt::format("checkpoints every {} steps", options.checkpoint_every)
                                     : std::string("no checkpoints"),
        format_bytes(e.peak_memory_bytes), format_bytes(e.state_bytes), e.edges, format_bytes(e.graph_bytes),
        format_bytes(e.transient_bytes), format_bytes(e.record_bytes), format_bytes(e.file_bytes));
}

}  // namespace airace::cli
