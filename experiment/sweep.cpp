// Sweep runner (see sweep.hpp): plans, the sweep directory and its manifest,
// one run at a time (execute_run) and the in-process launcher.
//
// Why runs record their own failures: a sweep of thousands of runs must not
// stop because one point is invalid or one write fails, and a launcher that
// dies must leave nothing that looks finished. So every run writes either its
// complete run file (tmp + fsync + rename, by write_run_file) or a .error
// file with the message, and --resume trusts only complete run files.

#include "experiment/sweep.hpp"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "output/reader.hpp"
#include "output/writer.hpp"
#include "config/config_yaml.hpp"
#include "base/errors.hpp"
#include "base/parallel.hpp"
#include "record/record_sink.hpp"
#include "record/run.hpp"
#include "experiment/sweep_parts.hpp"

namespace fs = std::filesystem;

namespace airace {
namespace {

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return {};
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

// Writes `text` to a name unique to this process, then renames it over
// `path`: concurrent launchers writing the same manifest never see a torn file.
void write_file_atomically(const std::string& path, const std::string& text) {
    char host[256] = {};
    ::gethostname(host, sizeof host - 1);
    const std::string tmp = fmt::format("{}.tmp.{}.{}", path, host, ::getpid());
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out << text;
        out.flush();
        if (!out) throw RuntimeFailure(fmt::format("cannot write {}", tmp));
    }
    std::error_code error;
    fs::rename(tmp, path, error);
    if (error) {
        fs::remove(tmp, error);
        throw RuntimeFailure(fmt::format("cannot write {}: {}", path, error.message()));
    }
}

std::string where_base(const SweepConfig& sweep) {
    return fmt::format("{}:{}:{}: sweep.base", sweep.source, sweep.base_line, sweep.base_column);
}

// A swept list item ("influencers.0.weight.us") must exist in the base: an
// override may not create items (apply_override allows only the next one,
// and every run would then differ in more than the swept value).
void check_list_items(const SweepConfig& sweep, const ScenarioConfig& base) {
    for (std::size_t i = 0; i < sweep.parameters.size(); ++i) {
        const SweepParameter& p = sweep.parameters[i];
        for (const std::string& list : list_sections()) {
            if (p.key.rfind(list + ".", 0) != 0) continue;
            const std::size_t item = std::stoul(p.key.substr(list.size() + 1));
            if (item >= list_size(base, list))
                throw ConfigError(fmt::format(
                    "{}:{}:{}: sweep.parameters.{}.key: '{}' needs {} item {} in the base scenario {}, "
                    "which has {}; use a base that defines it (e.g. one that extends the baseline)",
                    sweep.source, p.line, p.column, i, p.key, list, item, sweep.base,
                    list_size(base, list)));
        }
    }
}

std::string design_table(const SweepJob& job) {
    std::string out = "index\tid\tpoint\treplicate\tseed\tgroup\tstep";
    for (const SweepParameter& p : job.sweep.parameters) out += "\t" + p.key;
    out += "\n";
    for (const RunPlan& plan : job.plans) {
        out += fmt::format("{}\t{}\t{}\t{}\t{}\t{}\t{}", plan.index, plan.id, plan.point, plan.replicate,
                           plan.seed, job.design.group[plan.point], job.design.step[plan.point]);
        for (const std::string& assignment : plan.overrides)
            out += "\t" + assignment.substr(assignment.find('=') + 1);
        out += "\n";
    }
    return out;
}

// The manifest of a fresh directory, or a check that an existing one was
// made from the same sweep file and base scenario.
void write_manifest(const SweepJob& job) {
    const std::string base_yaml = resolved_yaml(job.base);
    const std::pair<std::string, const std::string*> files[] = {
        {"sweep.yaml", &job.sweep.text}, {"base.yaml", &base_yaml}};
    for (const auto& [name, text] : files) {
        const std::string path = (fs::path(job.dir) / name).string();
        if (fs::exists(path) && read_file(path) != *text)
            throw ConfigError(fmt::format(
                "{}: {} was started with a different {} (see {}); use a new -o directory, or "
                "restore the original file",
                job.sweep.source, job.dir, name == "sweep.yaml" ? "sweep file" : "base scenario", path));
    }
    for (const auto& [name, text] : files) write_file_atomically((fs::path(job.dir) / name).string(), *text);
    write_file_atomically((fs::path(job.dir) / "design.tsv").string(), design_table(job));
}

}  // namespace

std::string run_id(std::size_t point, std::size_t replicate) {
    return fmt::format("p{:05d}-r{}", point, replicate);
}

std::vector<RunPlan> plan_runs(const SweepConfig& sweep, const Design& design) {
    std::vector<RunPlan> plans;
    plans.reserve(design.points() * sweep.seeds.size());
    for (std::size_t point = 0; point < design.points(); ++point) {
        std::vector<std::string> overrides;
        for (std::size_t d = 0; d < sweep.parameters.size(); ++d)
            overrides.push_back(override_assignment(sweep.parameters[d], design.values[point][d]));
        for (std::size_t r = 0; r < sweep.seeds.size(); ++r)
            plans.push_back({plans.size(), run_id(point, r), point, r, sweep.seeds[r], overrides});
    }
    return plans;
}

std::string sweep_run_file(const std::string& dir, const std::string& id) {
    return (fs::path(dir) / "runs" / (id + ".h5")).string();
}

std::string sweep_error_file(const std::string& dir, const std::string& id) {
    return (fs::path(dir) / "runs" / (id + ".error")).string();
}

std::pair<std::size_t, std::size_t> parse_shard(const std::string& text) {
    const auto slash = text.find('/');
    const auto number = [&](const std::string& part, std::size_t& out) {
        if (part.empty() || part.size() > 9 || part.find_first_not_of("0123456789") != std::string::npos)
            return false;
        out = std::stoul(part);
        return true;
    };
    std::size_t index = 0, count = 0;
    if (slash == std::string::npos || !number(text.substr(0, slash), index) ||
        !number(text.substr(slash + 1), count) || count == 0 || index >= count)
        throw ConfigError(fmt::format("--shard '{}': expected I/N with 0 <= I < N (e.g. 3/16)", text));
    return {index, count};
}

std::vector<std::size_t> select_runs(const std::vector<RunPlan>& plans, const RunSelection& selection) {
    std::vector<std::size_t> selected;
    if (selection.index) {
        if (*selection.index >= plans.size())
            throw ConfigError(fmt::format("--index {}: the sweep has runs 0 to {}", *selection.index,
                                          plans.size() - 1));
        return {*selection.index};
    }
    for (const RunPlan& plan : plans)
        if (!selection.shard || plan.index % selection.shard->second == selection.shard->first)
            selected.push_back(plan.index);
    return selected;
}

SweepJob prepare_sweep(const SweepConfig& sweep, const std::string& dir, bool manifest) {
    SweepJob job;
    job.sweep = sweep;
    job.dir = dir;
    std::string problem;  // a bounded read: the base may name a FIFO or a device
    if (!read_config_text(sweep.base, "scenario file", job.base_text, problem))
        throw ConfigError(fmt::format("{}: '{}': {}", where_base(sweep), sweep.base, problem));
    job.base = load_scenario_text(job.base_text, sweep.base);
    check_list_items(sweep, job.base);
    job.design = build_design(sweep);
    job.plans = plan_runs(sweep, job.design);
    std::error_code error;
    fs::create_directories(fs::path(dir) / "runs", error);
    if (error)
        throw RuntimeFailure(fmt::format("cannot create {}/runs: {}", dir, error.message()));
    if (manifest) write_manifest(job);
    return job;
}

SweepIdentity sweep_identity(const RunPlan& plan) {
    return {plan.id, plan.index, plan.point, plan.replicate, plan.overrides};
}

std::string identity_mismatch(const RunMetadata& meta, const RunPlan& plan) {
    const SweepIdentity& found = meta.sweep;
    if (found.run_id.empty()) return "it has no sweep_run_id: it is not a run of a sweep";
    if (found.run_id != plan.id)
        return fmt::format("it is run {} (sweep_run_id), not {}: copied over another run?", found.run_id, plan.id);
    if (found.index != plan.index || found.point != plan.point || found.replicate != plan.replicate)
        return fmt::format("its sweep_index, sweep_point and sweep_replicate ({}, {}, {}) are not design.tsv's "
                           "({}, {}, {})", found.index, found.point, found.replicate, plan.index, plan.point,
                           plan.replicate);
    if (found.values != plan.overrides)
        return fmt::format("its swept values ({}) are not design.tsv's ({})", fmt::join(found.values, ", "),
                           fmt::join(plan.overrides, ", "));
    if (meta.seed != plan.seed)
        return fmt::format("its seed {} is not design.tsv's {}", meta.seed, plan.seed);
    return {};
}

bool run_is_complete(const std::string& dir, const RunPlan& plan) {
    const std::string path = sweep_run_file(dir, plan.id);
    if (!fs::exists(path)) return false;
    try {
        const RunMetadata meta = read_run_metadata(path);
        return meta.status == "complete" && identity_mismatch(meta, plan).empty();
    } catch (const RunFileError&) {
        return false;  // damaged or foreign: redo it
    }
}

std::unique_ptr<publish::LockFile> lock_runs(const SweepJob& job, const std::vector<std::size_t>& selected,
                                             bool wait) {
    auto file = std::make_unique<publish::LockFile>((fs::path(job.dir) / "sweep.lock").string());
    // Ascending, in runs of consecutive indices: launchers that wait never
    // wait for each other in a circle.
    for (std::size_t i = 0; i < selected.size();) {
        std::size_t end = i + 1;
        while (end < selected.size() && selected[end] == selected[end - 1] + 1) ++end;
        const auto start = static_cast<off_t>(selected[i]);
        off_t held = start;
        const long holder = file->lock(start, static_cast<off_t>(end - i), wait, &held);
        const auto held_run = static_cast<std::size_t>(held);
        if (holder != 0)
            throw ConfigError(fmt::format(
                "{}: run {} is being run by another airace sweep ({}; lock {}); wait for it to finish, "
                "pass --wait to start when it has, or run another --shard",
                job.dir, job.plans[held_run < job.plans.size() ? held_run : selected[i]].id,
                publish::describe_holder(holder), file->path()));
        i = end;
    }
    // The temporary files of these runs are left by killed launchers: no
    // live writer owns them now (one pass over runs/, not one per run).
    std::set<std::string> ids;
    for (std::size_t index : selected) ids.insert(job.plans[index].id);
    std::error_code error;
    for (fs::directory_iterator it(fs::path(job.dir) / "runs", error), end; !error && it != end;
         it.increment(error)) {
        const std::string name = it->path().filename().string();
        const std::size_t tmp = name.find(".h5.tmp");
        if (tmp != std::string::npos && ids.count(name.substr(0, tmp)) > 0) {
            std::error_code ignored;
            fs::remove(it->path(), ignored);
        }
    }
    return file;
}

std::vector<std::size_t> runs_to_do(const SweepJob& job, const SweepOptions& options, std::size_t& skipped) {
    skipped = 0;
    std::vector<std::size_t> todo;
    std::size_t existing = 0;
    // Runs that parts of an aggregates-only launch hold count like complete
    // run files (read once: a part holds many runs).
    const SweepParts parts = fs::exists(sweep_parts_dir(job.dir)) ? read_sweep_parts(job.dir, job.plans)
                                                                     : SweepParts{};
    for (std::size_t index : select_runs(job.plans, options.selection)) {
        const std::string& id = job.plans[index].id;
        // A run kept with a run file needs its file; any other run is done
        // when a part holds it (resumed with or without --aggregates-only).
        const bool kept = options.aggregates_only && options.keep_runs.count(index) > 0;
        const bool done = (!kept && parts.holds_current(job.dir, job.plans[index])) ||
                          run_is_complete(job.dir, job.plans[index]);
        if (options.resume && !options.force && done) {
            ++skipped;
            continue;
        }
        if (!options.resume && !options.force &&
            (parts.holds(index) || fs::exists(sweep_run_file(job.dir, id)) ||
             fs::exists(sweep_error_file(job.dir, id))))
            ++existing;
        todo.push_back(index);
    }
    if (existing > 0)
        throw ConfigError(fmt::format("{}: {} of the selected runs already have results in {}/runs or {}; "
                                      "pass --resume to run only what is missing, or --force to redo them",
                                      job.dir, existing, job.dir, sweep_parts_dir(job.dir)));
    return todo;
}

std::set<std::size_t> parse_keep_runs(const std::string& text, const std::vector<RunPlan>& plans) {
    std::set<std::size_t> keep;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t comma = std::min(text.find(',', start), text.size());
        const std::string item = text.substr(start, comma - start);
        start = comma + 1;
        if (item.empty()) continue;
        const bool number = item.size() <= 12 && item.find_first_not_of("0123456789") == std::string::npos;
        const auto found = std::find_if(plans.begin(), plans.end(), [&](const RunPlan& plan) {
            return number ? plan.index == std::stoull(item) : plan.id == item;
        });
        if (found == plans.end())
            throw ConfigError(fmt::format("--keep-runs: the sweep has no run '{}' (expected run ids such as {} "
                                          "or indices 0 to {}, separated by commas)",
                                          item.size() > 40 ? item.substr(0, 40) + "..." : item,
                                          plans.empty() ? "p00000-r0" : plans.back().id,
                                          plans.empty() ? 0 : plans.size() - 1));
        keep.insert(found->index);
    }
    return keep;
}

RunSeries kept_series(const RunRecord& record, const SweepConfig& sweep) {
    RunSeries series;
    series.meta = record.meta;
    series.time = record.time;
    if (sweep.metrics.empty()) {
        series.metrics = record.aggregates;
        return series;
    }
    for (const std::string& metric : sweep.metrics)
        if (const Series* found = record.aggregate(metric)) series.metrics.push_back(*found);
    return series;
}

RunOutcome execute_run(const SweepJob& job, const RunPlan& plan, const SweepOptions& sweep_options) {
    const double timeout_s = sweep_options.run_timeout_s;
    RunOutcome outcome{plan.index, false, {}, nullptr};
    const std::string run_file = sweep_run_file(job.dir, plan.id);
    const std::string error_file = sweep_error_file(job.dir, plan.id);
    try {
        // The base text is re-read with the overrides so that every value and
        // every relation between keys is checked as for `airace run --set`.
        ScenarioConfig config = load_scenario_text(job.base_text, job.sweep.base, plan.overrides);
        RunOptions options;
        options.seed = plan.seed;
        options.threads = 0;  // the launcher's task arena decides
        options.checkpoint_every = sweep_options.checkpoint_every;
        const bool file_wanted = !sweep_options.aggregates_only || sweep_options.keep_runs.count(plan.index) > 0;
        DiscardSink discard;
        if (!file_wanted) {
            options.checkpoint_every = 0;
            options.record.max_agents = 0;
            options.record.network = RecordOptions::Snapshots::none;
            options.sink = &discard;
        }
        if (timeout_s > 0) {
            // Between steps: the run's own thread stops it, no thread is killed.
            const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_s);
            options.progress = [deadline, timeout_s](int done, int total) {
                if (done < total && std::chrono::steady_clock::now() > deadline)
                    throw RuntimeFailure(fmt::format("run timed out: still running after --run-timeout {} s, "
                                                     "at step {} of {}",
                                                     timeout_s, done, total));
            };
        }
        RunRecord record = run(std::move(config), options);
        record.meta.sweep = sweep_identity(plan);
        for (const std::string& metric : job.sweep.metrics)
            if (record.aggregate(metric) == nullptr)
                throw ConfigError(fmt::format("{}: sweep.metrics: '{}' is not an /aggregates series of "
                                              "airace runs (see docs/output-schema.md)",
                                              job.sweep.source, metric));
        std::error_code ignored;
        if (file_wanted) {
            write_run_file(record, run_file, true);
        } else {
            outcome.series = std::make_shared<const RunSeries>(kept_series(record, job.sweep));
            fs::remove(run_file, ignored);  // an older result of this run is not this run's
        }
        fs::remove(error_file, ignored);
        outcome.ok = true;
    } catch (const std::exception& failure) {
        outcome.error = failure.what();
    } catch (...) {
        outcome.error = "unknown exception";
    }
    if (!outcome.ok) {
        std::error_code ignored;
        fs::remove(run_file, ignored);  // an older result of this run is not this run's
        try {
            write_file_atomically(error_file, outcome.error + "\n");
        } catch (const std::exception& failure) {
            outcome.error += fmt::format(" (and the error file could not be written: {})", failure.what());
        }
    }
    return outcome;
}

std::string progress_line(const std::string& name, const SweepCounts& c) {
    const std::size_t finished = c.done + c.failed;
    const std::size_t remaining = c.to_run - std::min(c.to_run, finished);
    const double rate = c.elapsed_s > 0 ? static_cast<double>(finished) / c.elapsed_s : 0.0;
    std::string line = fmt::format("sweep {}: {} done, {} failed, {} remaining", name, c.done, c.failed, remaining);
    if (c.skipped > 0) line += fmt::format(" ({} already complete)", c.skipped);
    line += fmt::format(", {:.2f} runs/s", rate);
    if (remaining > 0 && rate > 0) line += fmt::format(", ~{:.0f} s left", static_cast<double>(remaining) / rate);
    return line;
}

SweepCounts run_sweep(const SweepJob& job, const SweepOptions& options, const SweepProgress& progress) {
    const auto start = std::chrono::steady_clock::now();
    SweepCounts counts;
    const auto held = lock_runs(job, select_runs(job.plans, options.selection), options.wait);
    const std::vector<std::size_t> todo = runs_to_do(job, options, counts.skipped);
    counts.selected = todo.size() + counts.skipped;
    counts.to_run = todo.size();
    std::unique_ptr<PartWriter> parts;
    if (options.aggregates_only) parts = std::make_unique<PartWriter>(job);
    std::mutex mutex;
    parallel_each(todo.size(), options.jobs, [&](std::size_t i) {
        const RunOutcome outcome = execute_run(job, job.plans[todo[i]], options);
        if (outcome.series) parts->add(outcome.index, outcome.series);
        const std::lock_guard<std::mutex> lock(mutex);
        ++(outcome.ok ? counts.done : counts.failed);
        if (!outcome.ok) counts.failed_ids.push_back(job.plans[todo[i]].id);
        counts.elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (progress) progress(counts);
    });
    if (parts) parts->flush();
    counts.elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return counts;
}

namespace {
std::string shell_quote(const std::string& text) {
    std::string out = "'";
    for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

// Every value in the script is checked before any of it is written: a
// control character (a newline above all) would end a comment or an
// #SBATCH line and start a command of its own.
void check_script_value(const std::string& option, const std::string& value) {
    for (char c : value)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
            throw ConfigError(fmt::format("sweep slurm: {} contains a control character (code {}); the job "
                                          "script cannot hold it safely",
                                          option, static_cast<int>(static_cast<unsigned char>(c))));
}

// #SBATCH lines are read by sbatch, not bash: a value goes in double quotes
// (sbatch keeps spaces inside them), so it may not hold one itself.
std::string sbatch_quote(const std::string& option, const std::string& value) {
    if (value.find('"') != std::string::npos || value.find('\\') != std::string::npos)
        throw ConfigError(fmt::format("sweep slurm: {} '{}' contains '\"' or '\\', which an #SBATCH line "
                                      "cannot hold; use another path",
                                      option, value));
    return "\"" + value + "\"";
}

// Slurm's time formats: MM, MM:SS, HH:MM:SS, D-HH, D-HH:MM, D-HH:MM:SS.
bool slurm_time(const std::string& text) {
    if (text == "UNLIMITED" || text == "INFINITE") return true;
    std::size_t fields = 0;
    bool digits = false, day = false;
    for (char c : text) {
        if (c >= '0' && c <= '9') {
            digits = true;
        } else if ((c == ':' || (c == '-' && !day && fields == 0)) && digits) {
            day = day || c == '-';
            fields += c == ':' ? 1 : 0;
            digits = false;
        } else {
            return false;
        }
    }
    return digits && fields <= 2 && text.size() <= 20;
}
}  // namespace

void check_slurm_options(const SlurmScriptOptions& o) {
    const std::pair<const char*, const std::string*> values[] = {
        {"the airace path", &o.airace}, {"the sweep file path", &o.sweep_file}, {"-o", &o.dir},
        {"sweep.name", &o.name},        {"--time", &o.time_limit},              {"--partition", &o.partition},
        {"--keep-runs", &o.keep_runs}};
    for (const auto& [option, value] : values) check_script_value(option, *value);
    sbatch_quote("-o", o.dir);
    if (!o.time_limit.empty() && !slurm_time(o.time_limit))
        throw ConfigError(fmt::format("sweep slurm: --time '{}': expected a Slurm time limit such as 90, "
                                      "02:00:00 or 1-12:00:00",
                                      o.time_limit));
    if (o.partition.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.,-") !=
        std::string::npos)
        throw ConfigError(fmt::format("sweep slurm: --partition '{}': expected partition names (letters, "
                                      "digits, '_', '.', '-', separated by ',')",
                                      o.partition));
}

std::string slurm_array_script(const SlurmScriptOptions& o) {
    check_slurm_options(o);
    std::string job_name = o.name;  // cosmetic: kept to what every shell and sbatch read as one word
    for (char& c : job_name)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '.' && c != '-') c = '_';
    std::string escaped;  // '%' is sbatch's pattern character: a literal one is "%%"
    for (std::size_t i = 0; i < o.dir.size(); ++i) escaped += o.dir[i] == '%' ? "%%" : std::string(1, o.dir[i]);
    std::string s = "#!/bin/bash\n";
    s += fmt::format("# airace sweep {} as a Slurm job array of {} task(s): task I runs the sweep's\n"
                     "# runs whose index % {} == I. Re-submitting this script runs only what is\n"
                     "# missing (--resume skips complete run files). When every task is done:\n"
                     "#   {} sweep merge {} -o {}\n",
                     shell_quote(o.name), o.tasks, o.tasks, shell_quote(o.airace), shell_quote(o.dir),
                     shell_quote(o.dir + "/sweep.h5"));
    s += fmt::format("#SBATCH --job-name=airace-{}\n", job_name);
    s += fmt::format("#SBATCH --array=0-{}\n", o.tasks - 1);
    s += "#SBATCH --ntasks=1\n";
    s += fmt::format("#SBATCH --cpus-per-task={}\n", o.cpus_per_task);
    s += fmt::format("#SBATCH --output={}\n", sbatch_quote("-o", escaped + "/slurm/%A_%a.out"));
    if (!o.time_limit.empty()) s += fmt::format("#SBATCH --time={}\n", o.time_limit);
    if (!o.partition.empty()) s += fmt::format("#SBATCH --partition={}\n", o.partition);
    s += "set -euo pipefail\n";
    s += "# Runs share the task's CPUs through oneTBB: one run per CPU at a time.\n";
    std::string checkpoints =
        o.checkpoint_every == default_checkpoint_every ? "" : fmt::format(" --checkpoint-every {}", o.checkpoint_every);
    if (o.aggregates_only) checkpoints += " --aggregates-only";
    if (!o.keep_runs.empty()) checkpoints += " --keep-runs " + shell_quote(o.keep_runs);
    s += fmt::format("exec {} sweep {} -o {} --shard \"${{SLURM_ARRAY_TASK_ID}}/{}\" --resume "
                     "--jobs \"${{SLURM_CPUS_PER_TASK:-1}}\"{}\n",
                     shell_quote(o.airace), shell_quote(o.sweep_file), shell_quote(o.dir), o.tasks, checkpoints);
    return s;
}

}  // namespace airace
