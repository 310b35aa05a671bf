// `airace compare A B`: two runs or two ensembles side by side
// (experiment/compare.hpp; docs/cli.md, docs/analysis.md).

#include <algorithm>
#include <cmath>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "base/errors.hpp"
#include "cli_support.hpp"
#include "commands.hpp"
#include "experiment/compare.hpp"
#include "record/summary.hpp"

namespace airace::cli {
namespace {

struct CompareArgs {
    std::string a, b;
    bool json = false;
    std::vector<std::string> metrics;  // empty: every aggregate both have
    std::vector<int> years;            // empty: the middle and the last year
    int persist = 4;
    double k = 2.0;
};

std::string number(double x) { return std::isfinite(x) ? fmt::format("{}", x) : "null"; }

std::string numbers(const std::vector<double>& values) {
    std::string out = "[";
    for (std::size_t i = 0; i < values.size(); ++i) out += (i ? "," : "") + number(values[i]);
    return out + "]";
}

std::string side_json(const CompareSide& s) {
    return fmt::format("{{\"path\":{},\"kind\":{},\"label\":{},\"runs\":{}}}", json_string(s.path),
                       json_string(s.kind), json_string(s.label), s.seeds.size());
}

std::string event_json(const EventRow& e) {
    return fmt::format("{{\"step\":{},\"time\":{},\"type\":{},\"agent\":{},\"other\":{},\"amount\":{}}}", e.step,
                       number(e.time), e.type, e.agent, e.other, number(e.amount));
}

bool wanted(const CompareArgs& args, const std::string& name) {
    return args.metrics.empty() || std::find(args.metrics.begin(), args.metrics.end(), name) != args.metrics.end();
}

void print_json(const CompareArgs& args, const CompareSide& a, const CompareSide& b, const Comparison& c) {
    std::string metrics;
    for (const MetricComparison& m : c.metrics) {
        if (!wanted(args, m.name)) continue;
        metrics += fmt::format("{}{{\"name\":{},\"units\":{},\"diverges\":{},\"a\":{},\"b\":{},\"diff\":{},\"se\":{}}}",
                               metrics.empty() ? "" : ",", json_string(m.name), json_string(m.units),
                               number(m.diverges), numbers(m.a), numbers(m.b), numbers(m.diff), numbers(m.se));
    }
    std::string events;
    for (const EventComparison& e : c.events)
        events += fmt::format("{}{{\"type\":{},\"a\":{},\"b\":{}}}", events.empty() ? "" : ",", json_string(e.type),
                              number(e.a), number(e.b));
    std::string first = "null";
    if (c.events_differ)
        first = fmt::format("{{\"a\":{},\"b\":{}}}", c.has_first_event_a ? event_json(c.first_event_a) : "null",
                            c.has_first_event_b ? event_json(c.first_event_b) : "null");
    fmt::print("{{\"a\":{},\"b\":{},\"pairing\":{},\"pairs\":{},\"k\":{},\"persist_steps\":{},\"time\":{},"
               "\"metrics\":[{}],\"events\":{},\"first_event_difference\":{}}}\n",
               side_json(a), side_json(b), json_string(c.pairing), c.pairs, number(args.k), args.persist,
               numbers(c.time), metrics, c.events_known ? "[" + events + "]" : std::string("null"), first);
}

// The last step within `year` (time in (year, year + 1]); -1 if none.
long year_step(const std::vector<double>& time, int year) {
    for (std::size_t t = time.size(); t-- > 0;)
        if (time[t] > year + 1e-9 && time[t] <= year + 1 + 1e-9) return static_cast<long>(t);
    return -1;
}

std::vector<int> shown_years(const CompareArgs& args, const std::vector<double>& time) {
    if (!args.years.empty()) return args.years;
    if (time.empty()) return {};
    const int first = static_cast<int>(std::floor(time.front() - 1e-9));
    const int last = static_cast<int>(std::ceil(time.back() - 1e-9)) - 1;
    return first + (last - first) / 2 == last ? std::vector<int>{last} : std::vector<int>{first + (last - first) / 2, last};
}

std::string cell(const MetricComparison& m, long t) {
    if (t < 0) return "-";
    const auto i = static_cast<std::size_t>(t);
    std::string out = fmt::format("{:+.4g}", m.diff[i]);
    if (m.se[i] > 0) out += fmt::format(" ± {:.2g}", m.se[i]);
    if (std::isfinite(m.a[i]) && m.a[i] != 0 && std::isfinite(m.diff[i]))
        out += fmt::format(" ({:+.1f}%)", 100 * m.diff[i] / std::abs(m.a[i]));
    return out;
}

std::string side_line(const char* which, const CompareSide& s) {
    return fmt::format("{}: {} — {} ({}{})\n", which, s.label, s.path, s.kind,
                       s.kind == "ensemble" ? fmt::format(" of {} runs", s.seeds.size()) : "");
}

void print_text(const CompareArgs& args, const CompareSide& a, const CompareSide& b, const Comparison& c) {
    fmt::print("{}{}", side_line("A", a), side_line("B", b));
    fmt::print("{}; a difference counts from the first step where |B - A| > {} standard errors for {} steps in "
               "a row{}\n\n",
               c.pairing == "paired by seed" ? fmt::format("paired by seed ({} seeds)", c.pairs) : c.pairing, args.k,
               args.persist, c.pairing == "single runs" ? " (single runs: where any value differs)" : "");
    const std::vector<int> years = shown_years(args, c.time);
    fmt::print("{:<30}{:>14}", "metric", "diverges from");
    for (const int y : years) fmt::print("{:>34}", fmt::format("{}: B - A", y));
    fmt::print("\n");
    std::size_t diverging = 0, shown = 0;
    for (const MetricComparison& m : c.metrics) {
        if (!wanted(args, m.name)) continue;
        ++shown;
        if (!std::isnan(m.diverges)) ++diverging;
        fmt::print("{:<30}{:>14}", m.name, std::isnan(m.diverges) ? "never" : fmt::format("{:.2f}", m.diverges));
        for (const int y : years) fmt::print("{:>34}", cell(m, year_step(c.time, y)));
        fmt::print("\n");
    }
    fmt::print("\n{} of {} aggregates differ beyond noise.\n", diverging, shown);
    std::string events;
    for (const EventComparison& e : c.events)
        if (e.a != e.b) events += fmt::format("  {:<28}{:>12.4g}{:>12.4g}\n", e.type, e.a, e.b);
    if (!c.events_known) {
        fmt::print("Events: not compared (an ensemble of aggregates-only runs keeps no events).\n");
    } else if (events.empty()) {
        fmt::print("Events: the same counts of every type.\n");
    } else {
        fmt::print("\nEvents per run that differ:\n  {:<28}{:>12}{:>12}\n{}", "type", "A", "B", events);
    }
    if (c.events_differ) {
        const auto show = [](bool has, const EventRow& e) {
            return has ? fmt::format("step {} ({:.2f}), type {}, agent {}, amount {:.4g}", e.step, e.time, e.type,
                                     e.agent, e.amount)
                       : std::string("none (the run has no more events)");
        };
        fmt::print("First event that differs:\n  A: {}\n  B: {}\n", show(c.has_first_event_a, c.first_event_a),
                   show(c.has_first_event_b, c.first_event_b));
    }
}

int command_compare(const CompareArgs& args) {
    if (args.persist < 1) throw ConfigError(fmt::format("--persist: expected at least 1 step, got {}", args.persist));
    if (!(args.k > 0) || !std::isfinite(args.k))
        throw ConfigError(fmt::format("--k: expected a positive number of standard errors, got {}", args.k));
    const CompareSide a = read_compare_side(args.a);
    const CompareSide b = read_compare_side(args.b);
    CompareOptions options;
    options.persist_steps = args.persist;
    options.k = args.k;
    const Comparison c = compare_sides(a, b, options);
    for (const std::string& name : args.metrics)
        if (std::none_of(c.metrics.begin(), c.metrics.end(), [&](const MetricComparison& m) { return m.name == name; }))
            throw ConfigError(fmt::format("--metrics: '{}' is not an aggregate both files have", name));
    if (args.json) {
        print_json(args, a, b, c);
    } else {
        print_text(args, a, b, c);
    }
    return exit_ok;
}

}  // namespace

void add_compare_commands(CLI::App& app, Commands& commands) {
    auto args = std::make_shared<CompareArgs>();
    auto* cmd = app.add_subcommand(
        "compare", "two runs or two ensembles side by side: B - A of every aggregate with its standard error, "
                   "when they diverge beyond noise, which events differ");
    cmd->add_option("a", args->a, "run file or ensemble file A (the reference)")->required();
    cmd->add_option("b", args->b, "run file or ensemble file B")->required();
    cmd->add_flag("--json", args->json, "print the whole comparison (every step) as JSON");
    cmd->add_option("--metrics", args->metrics, "only these aggregates (comma-separated or repeated)")->delimiter(',');
    cmd->add_option("--years", args->years, "years shown in the table (default: the middle and the last)")
        ->delimiter(',')
        ->transform(number_in(1900, 2200, true));
    cmd->add_option("--persist", args->persist,
                    "steps in a row a difference must stay beyond noise to count as diverging (default 4)")
        ->transform(number_in(1, 100000, true));
    cmd->add_option("--k", args->k, "standard errors that count as beyond noise (default 2)")
        ->transform(number_in(1e-6, 1e6, false));
    examples(cmd, {"airace run configs/baseline.yaml --seeds 20 -o base.h5",
                   "airace run configs/scenarios/compute_cap.yaml --seeds 20 -o cap.h5",
                   "airace compare base.h5 cap.h5",
                   "airace compare base.h5 cap.h5 --metrics frontier_capability,ai_revenue --json",
                   "airace compare parent.h5 fork.h5   # where a fork departs from its parent"});
    commands.push_back({cmd, [args] { return command_compare(*args); }});
}

}  // namespace airace::cli
