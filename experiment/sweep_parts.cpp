// Parts of an aggregates-only sweep (see sweep_parts.hpp).

#include "experiment/sweep_parts.hpp"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unordered_map>

#include <fmt/format.h>

#include "base/errors.hpp"
#include "config/config_yaml.hpp"
#include "experiment/sweep_merge.hpp"
#include "record/run.hpp"

namespace fs = std::filesystem;

namespace airace {
namespace {

// This host's name as part names carry it.
std::string host_name() {
    char host[256] = {};
    ::gethostname(host, sizeof host - 1);
    std::string name = host;
    for (char& c : name)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '.') c = '_';
    return name;
}

// "<UTC time to the nanosecond>-<host>-<pid>-": parts sort in the order
// they were started, and two launchers never pick the same name.
std::string part_prefix(const std::string& dir) {
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(now).count();
    const std::time_t seconds = static_cast<std::time_t>(ns / 1'000'000'000);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    const std::string name = host_name();
    return (fs::path(sweep_parts_dir(dir)) /
            fmt::format("{:04d}{:02d}{:02d}T{:02d}{:02d}{:02d}.{:09d}Z-{}-{}-", utc.tm_year + 1900, utc.tm_mon + 1,
                        utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, ns % 1'000'000'000, name, ::getpid()))
        .string();
}

// Removes the temporary files (PART.h5.tmp.<pid>.<random>) that launchers
// of this host left in DIR/parts when they were killed mid-write: only those
// whose process is gone, since other launchers of the same sweep (Slurm
// array tasks, MPI ranks) may be writing theirs now, and only this host's,
// whose processes it can see.
void remove_dead_part_tmps(const std::string& parts_dir) {
    const std::string host = "-" + host_name() + "-";
    std::error_code error;
    for (fs::directory_iterator it(parts_dir, error), end; !error && it != end; it.increment(error)) {
        const std::string name = it->path().filename().string();
        const std::size_t tmp = name.find(".h5.tmp.");
        if (tmp == std::string::npos || name.find(host) == std::string::npos) continue;
        const std::string rest = name.substr(tmp + 8);  // <pid>.<random>
        char* end_of_pid = nullptr;
        const long pid = std::strtol(rest.c_str(), &end_of_pid, 10);
        if (pid <= 0 || end_of_pid == rest.c_str() || *end_of_pid != '.') continue;
        if (::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH) continue;  // alive, or not ours to judge
        std::error_code ignored;
        fs::remove(it->path(), ignored);
    }
}

std::string joined(const std::vector<std::string>& lines) {
    std::string out;
    for (const std::string& line : lines) out += (out.empty() ? "" : "\n") + line;
    return out;
}

std::string read_text(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

std::vector<std::string> series_names(const RunSeries& series) {
    std::vector<std::string> names;
    for (const Series& s : series.metrics) names.push_back(s.name);
    return names;
}

}  // namespace

std::string sweep_parts_dir(const std::string& dir) { return (fs::path(dir) / "parts").string(); }

PartWriter::PartWriter(const SweepJob& job, std::size_t flush_runs, double flush_seconds)
    : job_(job),
      flush_runs_(std::max<std::size_t>(flush_runs, 1)),
      flush_seconds_(flush_seconds),
      prefix_(part_prefix(job.dir)),
      // The manifest's text (DIR/base.yaml), from the job: under MPI a
      // worker makes its writer before rank 0 has written the manifest.
      header_(merge_rows::sweep_header(job.sweep, resolved_yaml(job.base), job.sweep.base)),
      last_(std::chrono::steady_clock::now()) {
    std::error_code error;
    fs::create_directories(sweep_parts_dir(job.dir), error);
    if (error)
        throw RuntimeFailure(fmt::format("cannot create {}: {}", sweep_parts_dir(job.dir), error.message()));
    remove_dead_part_tmps(sweep_parts_dir(job.dir));
}

void PartWriter::add(std::size_t index, std::shared_ptr<const RunSeries> series) {
    const std::lock_guard<std::mutex> lock(mutex_);
    pending_.emplace_back(index, std::move(series));
    const double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - last_).count();
    if (pending_.size() < flush_runs_ && waited < flush_seconds_) return;
    try {
        write_locked();
    } catch (const std::exception&) {
        // Kept gathered: the next part (or the last flush) tries again, and
        // the last flush reports it.
    }
}

void PartWriter::flush() {
    const std::lock_guard<std::mutex> lock(mutex_);
    try {
        write_locked();
    } catch (const std::exception& failure) {
        throw RuntimeFailure(fmt::format("{} finished run(s) could not be kept: {}; free the space and run the "
                                         "sweep again with --resume to redo them",
                                         pending_.size(), failure.what()));
    }
}

// The gathered runs as one sweep file, in run order. A run whose time axis
// or metric list is not the first run's is written as failed with the
// reason, as a merge of run files would count it.
void PartWriter::write_locked() {
    last_ = std::chrono::steady_clock::now();
    if (pending_.empty()) return;
    std::sort(pending_.begin(), pending_.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    SweepRecord r = header_;
    r.created_utc = creation_time_utc();
    r.part_of_runs = job_.plans.size();
    std::vector<RunSeries> series;
    const std::vector<std::string> names = series_names(*pending_.front().second);
    for (const auto& [index, run] : pending_) {
        const RunPlan& plan = job_.plans[index];
        merge_rows::add_design_row(r, plan, job_.design);
        const bool same = series_names(*run) == names;
        r.status.emplace_back(same ? "complete" : "failed");
        r.errors.push_back(same ? "" : fmt::format("its aggregates differ from run {}'s", job_.plans[pending_.front().first].id));
        r.files.emplace_back();
        series.push_back(same ? *run : RunSeries{});
    }
    merge_rows::stack_time(r, series);
    merge_rows::stack_metrics(r, series, names);
    const std::string path = fmt::format("{}{:06d}.h5", prefix_, written_);
    write_sweep_file(r, path, false);  // throws before anything is published
    ++written_;
    pending_.clear();
}

bool SweepParts::holds_current(const std::string& dir, const RunPlan& plan) const {
    const auto found = complete.find(plan.index);
    if (found == complete.end()) return false;
    std::error_code error;
    const auto failed_at = fs::last_write_time(sweep_error_file(dir, plan.id), error);
    return error || failed_at <= written[found->second.part];
}

RunSeries SweepParts::series(std::size_t index, const std::vector<std::string>& metrics) const {
    const Row& at = complete.at(index);
    const SweepRecord& r = records[at.part];
    const std::size_t steps = r.time.size();
    RunSeries out;
    out.meta.status = "complete";
    out.time = r.time;
    for (const std::string& name : metrics) {
        const auto found = std::find_if(r.aggregates.begin(), r.aggregates.end(),
                                        [&](const Series& s) { return s.name == name; });
        if (found == r.aggregates.end())
            throw RunFileError(fmt::format("a part of {} holds run {} without the aggregate '{}' (the sweep's "
                                           "metrics changed?); remove DIR/parts and rerun with --resume",
                                           r.name, r.run_ids[at.row], name));
        const auto begin = found->values.begin() + static_cast<std::ptrdiff_t>(at.row * steps);
        out.metrics.push_back({name, found->units, std::vector<double>(begin, begin + static_cast<std::ptrdiff_t>(steps))});
    }
    return out;
}

std::vector<std::string> SweepParts::metric_names() const {
    std::vector<std::string> names;
    for (const SweepRecord& r : records)
        if (r.count("complete") > 0) {
            for (const Series& s : r.aggregates) names.push_back(s.name);
            break;
        }
    return names;
}

SweepParts read_sweep_parts(const std::string& dir, const std::vector<RunPlan>& plans) {
    SweepParts parts;
    std::vector<fs::path> files;
    std::error_code error;
    for (fs::directory_iterator it(sweep_parts_dir(dir), error), end; !error && it != end; it.increment(error))
        if (it->path().extension() == ".h5" && it->is_regular_file()) files.push_back(it->path());
    std::sort(files.begin(), files.end());
    std::unordered_map<std::string, std::size_t> by_id;
    for (const RunPlan& plan : plans) by_id.emplace(plan.id, plan.index);
    const std::string base_text = read_text(fs::path(dir) / "base.yaml");
    for (const fs::path& file : files) {
        const std::string advice = fmt::format("remove it and run the sweep again with --resume to redo its runs");
        try {
            parts.records.push_back(read_sweep_file(file.string()));
            parts.written.push_back(fs::last_write_time(file));
        } catch (const RunFileError& failure) {
            throw RunFileError(fmt::format("{} (a part of the aggregates-only sweep in {}); {}", failure.what(),
                                           dir, advice));
        } catch (const fs::filesystem_error& failure) {
            throw RunFileError(fmt::format("cannot read {}: {}; {}", file.string(), failure.what(), advice));
        }
        // Its rows are checked against design.tsv below; its base scenario
        // here (a merge may read another metric_year's view of the same runs,
        // so the sweep file's text may differ).
        const SweepRecord& r = parts.records.back();
        if (r.base_yaml != base_text)
            throw RunFileError(fmt::format("{} is a part of another sweep (its base scenario is not {}'s); {}",
                                           file.string(), dir, advice));
        for (std::size_t row = 0; row < r.run_ids.size(); ++row) {
            const auto id = by_id.find(r.run_ids[row]);
            if (id == by_id.end()) continue;  // not a run of this design: nothing to attach it to
            const RunPlan& plan = plans[id->second];
            std::string problem;
            if (static_cast<std::size_t>(r.point[row]) != plan.point ||
                static_cast<std::size_t>(r.replicate[row]) != plan.replicate || r.seed[row] != plan.seed ||
                r.overrides[row] != joined(plan.overrides))
                problem = fmt::format("{}: its row of run {} is not design.tsv's (point, replicate, seed or "
                                      "swept values differ): not this run",
                                      file.string(), plan.id);
            else if (r.status[row] != "complete")
                problem = fmt::format("{}: {}", file.string(), r.errors[row]);
            if (problem.empty()) {
                parts.complete[plan.index] = {parts.records.size() - 1, row};
                parts.foreign.erase(plan.index);
            } else if (!parts.holds(plan.index)) {
                parts.foreign[plan.index] = problem;
            }
        }
    }
    return parts;
}

}  // namespace airace
