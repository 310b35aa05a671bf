#include "record/summary.hpp"

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
    double stringency[3] = {NAN, NAN, NAN};
    double synthetic = NAN;
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
        row.stringency[0] = value_at(r, "stringency_us", t);
        row.stringency[1] = value_at(r, "stringency_eu", t);
        row.stringency[2] = value_at(r, "stringency_cn", t);
        row.synthetic = value_at(r, "synthetic_share", t);
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

double first_finite(const RunRecord& r, const char* name) {
    if (const Series* s = r.aggregate(name))
        for (double v : s->values)
            if (std::isfinite(v)) return v;
    return NAN;
}

std::string stringency_text(const YearRow& row) {
    if (!std::isfinite(row.stringency[0])) return "-";
    return fmt::format("{:.2f}/{:.2f}/{:.2f}", row.stringency[0], row.stringency[1], row.stringency[2]);
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
    constexpr const char* layout =
        "{:>4}  {:>8}  {:>7}  {:>9}  {:>9}  {:>10}  {:>10}  {:>9}  {:>6}  {:>7}  {:>9}  {:>14}\n";
    std::string out = fmt::format(fmt::runtime(layout), "year", "frontier", "gain", "largest",
                                  "largest", "investment", "AI revenue", "sentiment", "active",
                                  "energy", "synthetic", "stringency");
    out += fmt::format(fmt::runtime(layout), "", "kappa", "OOM/yr", "run FLOP", "run cost",
                       "per year", "per year", "", "labs", "TWh/yr", "share", "US/EU/CN");
    for (const YearRow& row : yearly(r)) {
        out += fmt::format(fmt::runtime(layout), row.year, number(row.capability, "{:.2f}"),
                           number(row.capability_gain, "{:+.2f}"), number(row.largest_flop, "{:.2e}"),
                           money(row.largest_cost), money(row.investment), money(row.revenue),
                           number(row.sentiment, "{:+.2f}"), number(row.active_labs, "{:.0f}"),
                           number(row.energy_twh, "{:.1f}"), number(row.synthetic, "{:.2f}"),
                           stringency_text(row));
    }
    const double wall = first_finite(r, "data_wall_year");
    const int end_year = r.meta.start_year + r.meta.steps / std::max(1, r.meta.steps_per_year);
    out += std::isfinite(wall)
               ? fmt::format("\ndata wall: the frontier first trained on all the human data it may use in {:.2f}\n", wall)
               : fmt::format("\ndata wall: not reached by {}\n", end_year);
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
            "\"ai_revenue_usd\":{},\"mean_sentiment\":{},\"active_labs\":{},\"energy_twh\":{},"
            "\"synthetic_share\":{},\"stringency\":{{\"US\":{},\"EU\":{},\"CN\":{}}}}}",
            first ? "" : ",", row.year, json_number(row.capability), json_number(row.capability_gain),
            json_number(row.largest_flop), json_number(row.largest_cost), json_number(row.investment),
            json_number(row.revenue), json_number(row.sentiment), json_number(row.active_labs),
            json_number(row.energy_twh), json_number(row.synthetic), json_number(row.stringency[0]),
            json_number(row.stringency[1]), json_number(row.stringency[2]));
        first = false;
    }
    return out + fmt::format("],\"data_wall_year\":{}}}", json_number(first_finite(r, "data_wall_year")));
}

}  // namespace airace
