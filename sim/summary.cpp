#include "sim/summary.hpp"

#include <cmath>
#include <map>

#include <fmt/format.h>

namespace airace {
namespace {

struct YearRow {
    int year = 0;
    double capability = NAN;
    double capability_gain = NAN;
    double largest_flop = NAN;
    double largest_cost = NAN;
    double investment = 0;
    double revenue = 0;
    double sentiment = NAN;
    double active_labs = NAN;
    double energy_twh = 0;
};

double value_at(const RunRecord& r, const char* name, std::size_t step) {
    const Series* s = r.aggregate(name);
    return s && step < s->values.size() ? s->values[step] : NAN;
}

// One row per simulated year: levels at the year's last step, flows summed.
std::vector<YearRow> yearly(const RunRecord& r) {
    std::vector<YearRow> rows;
    const int per_year = std::max(1, r.meta.steps_per_year);
    for (std::size_t t = 0; t < r.time.size(); ++t) {
        const int year = r.meta.start_year + static_cast<int>(t) / per_year;
        if (rows.empty() || rows.back().year != year) rows.push_back(YearRow{year});
        YearRow& row = rows.back();
        row.capability = value_at(r, "frontier_capability", t);
        row.capability_gain = value_at(r, "frontier_capability_gain", t);
        row.largest_flop = value_at(r, "largest_run_flop", t);
        row.largest_cost = value_at(r, "largest_run_cost", t);
        row.investment += value_at(r, "total_investment", t);
        row.revenue += value_at(r, "ai_revenue", t);
        row.sentiment = value_at(r, "mean_sentiment", t);
        row.active_labs = value_at(r, "active_labs", t);
        row.energy_twh += value_at(r, "energy_twh", t);
    }
    return rows;
}

std::string money(double usd) {
    if (!std::isfinite(usd)) return "-";
    const double a = std::abs(usd);
    if (a >= 1e12) return fmt::format("${:.2f}T", usd / 1e12);
    if (a >= 1e9) return fmt::format("${:.1f}B", usd / 1e9);
    if (a >= 1e6) return fmt::format("${:.1f}M", usd / 1e6);
    return fmt::format("${:.0f}", usd);
}

std::string number(double x, const char* spec) {
    if (!std::isfinite(x)) return "-";
    return fmt::format(fmt::runtime(spec), x);
}

std::string json_number(double x) {
    if (!std::isfinite(x)) return "null";
    return fmt::format("{}", x);
}

}  // namespace

const Series* RunRecord::aggregate(const std::string& name) const {
    for (const auto& s : aggregates)
        if (s.name == name) return &s;
    return nullptr;
}

const KindRecord* RunRecord::kind(const std::string& name) const {
    for (const auto& k : kinds)
        if (k.kind == name) return &k;
    return nullptr;
}

std::string json_string(const std::string& text) {
    std::string out = "\"";
    for (unsigned char ch : text) {
        switch (ch) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (ch < 0x20) out += fmt::format("\\u{:04x}", ch);
                else out += static_cast<char>(ch);
        }
    }
    return out + "\"";
}

std::string summary_table(const RunRecord& r) {
    std::string out = fmt::format("{:>4}  {:>8}  {:>8}  {:>9}  {:>9}  {:>10}  {:>10}  {:>9}  {:>6}  {:>7}\n",
                                  "year", "frontier", "gain", "largest", "largest", "investment",
                                  "AI revenue", "sentiment", "active", "energy");
    out += fmt::format("{:>4}  {:>8}  {:>8}  {:>9}  {:>9}  {:>10}  {:>10}  {:>9}  {:>6}  {:>7}\n", "",
                       "kappa", "OOM/yr", "run FLOP", "run cost", "per year", "per year", "",
                       "labs", "TWh/yr");
    for (const YearRow& row : yearly(r)) {
        out += fmt::format("{:>4}  {:>8}  {:>8}  {:>9}  {:>9}  {:>10}  {:>10}  {:>9}  {:>6}  {:>7}\n",
                           row.year, number(row.capability, "{:.2f}"),
                           number(row.capability_gain, "{:+.2f}"), number(row.largest_flop, "{:.2e}"),
                           money(row.largest_cost), money(row.investment), money(row.revenue),
                           number(row.sentiment, "{:+.2f}"), number(row.active_labs, "{:.0f}"),
                           number(row.energy_twh, "{:.1f}"));
    }
    return out;
}

std::string summary_json(const RunRecord& r) {
    std::string out = fmt::format("{{\"scenario\":{},\"seed\":{},\"start_year\":{},\"steps\":{},\"years\":[",
                                  json_string(r.meta.scenario_name), r.meta.seed, r.meta.start_year,
                                  r.meta.steps);
    bool first = true;
    for (const YearRow& row : yearly(r)) {
        out += fmt::format(
            "{}{{\"year\":{},\"frontier_capability\":{},\"frontier_capability_gain\":{},"
            "\"largest_run_flop\":{},\"largest_run_cost_usd\":{},\"investment_usd\":{},"
            "\"ai_revenue_usd\":{},\"mean_sentiment\":{},\"active_labs\":{},\"energy_twh\":{}}}",
            first ? "" : ",", row.year, json_number(row.capability), json_number(row.capability_gain),
            json_number(row.largest_flop), json_number(row.largest_cost), json_number(row.investment),
            json_number(row.revenue), json_number(row.sentiment), json_number(row.active_labs),
            json_number(row.energy_twh));
        first = false;
    }
    const Series* wall = r.aggregate("data_wall_year");
    double wall_year = NAN;
    if (wall)
        for (double v : wall->values)
            if (std::isfinite(v)) {
                wall_year = v;
                break;
            }
    return out + fmt::format("],\"data_wall_year\":{}}}", json_number(wall_year));
}

}  // namespace airace
