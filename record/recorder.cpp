// Which columns a run file holds, and how they are read off the World: the
// aggregates and markets listed below, and each kind's columns as its
// descriptor lists them (sim/kinds.cpp); the writer and
// docs/output-schema.md follow these lists.

#include "record/recorder.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <new>

#include <fmt/format.h>
#include <xxhash.h>

#include "base/errors.hpp"
#include "base/parallel.hpp"
#include "record/kind_record.hpp"
#include "sim/kinds.hpp"

namespace airace {

// /network/edges stores kinds and edge types in one byte each (EdgeRow).
static_assert(agent_kind_count <= 127 && edge_type_count <= 127, "EdgeRow's int8 fields");
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// Aggregates: (name, units, value).
struct AggregateDef {
    const char* name;
    const char* units;
    std::function<double(const World&)> value;
};

// The deployed model with the highest capability among active labs.
std::size_t frontier_lab(const World& w) {
    std::size_t best = w.labs.size();
    for (std::size_t i = 0; i < w.labs.size(); ++i)
        if (w.labs.active(i) && w.labs.has_model(i) &&
            (best == w.labs.size() || w.labs.model_kappa[i] > w.labs.model_kappa[best]))
            best = i;
    return best;
}

std::size_t largest_model_lab(const World& w) {
    std::size_t best = w.labs.size();
    for (std::size_t i = 0; i < w.labs.size(); ++i)
        if (w.labs.active(i) && (best == w.labs.size() || w.labs.model_flop[i] > w.labs.model_flop[best]))
            best = i;
    return best;
}

double lab_value(const World& w, std::size_t i, const std::vector<double>& column) {
    return i < w.labs.size() ? column[i] : nan;
}

// World average compute price, weighted by the quantity sold in each region.
double compute_price(const World& w) {
    double value = 0, quantity = 0;
    for (int r = 0; r < region_count; ++r) {
        value += w.compute_market.price[r] * w.compute_market.quantity[r];
        quantity += w.compute_market.quantity[r];
    }
    return quantity > 0 ? value / quantity : w.compute_market.price[0];
}

double mean_sentiment(const World& w) {
    double sum = 0;
    for (double s : w.investors.sentiment) sum += s;
    return w.investors.size() ? sum / static_cast<double>(w.investors.size()) : 0.0;
}

double power_available_gw(const World& w) {
    double sum = 0;
    for (double p : w.regulators.power_gw) sum += p;
    return sum;
}

double instruments_active(const World& w) {
    double n = 0;
    for (auto a : w.regulators.active) n += a;
    return n;
}

// Herfindahl-Hirschman index of the compute labs bought this step.
double hhi_compute(const World& w) {
    double total = 0, sum_sq = 0;
    for (std::size_t i = 0; i < w.labs.size(); ++i)
        total += w.labs.training_flop_bought[i] + w.labs.inference_flop_bought[i];
    if (total <= 0) return nan;
    for (std::size_t i = 0; i < w.labs.size(); ++i) {
        const double share = (w.labs.training_flop_bought[i] + w.labs.inference_flop_bought[i]) / total;
        sum_sq += share * share;
    }
    return sum_sq;
}

double active_labs(const World& w) {
    double n = 0;
    for (std::size_t i = 0; i < w.labs.size(); ++i) n += w.labs.active(i) ? 1 : 0;
    return n;
}

const std::vector<AggregateDef>& aggregate_defs() {
    static const std::vector<AggregateDef> defs = {
        {"frontier_capability", "log10 effective FLOP (kappa)", [](const World& w) { return w.frontier_kappa; }},
        {"frontier_capability_gain", "OOM/yr", [](const World& w) { return w.frontier_gain_year; }},
        {"frontier_score", "0-100", [](const World& w) { return lab_value(w, frontier_lab(w), w.labs.model_score); }},
        {"frontier_training_flop", "FLOP", [](const World& w) { return lab_value(w, frontier_lab(w), w.labs.model_flop); }},
        {"frontier_run_cost", "USD", [](const World& w) { return lab_value(w, frontier_lab(w), w.labs.model_cost_usd); }},
        {"largest_run_flop", "FLOP", [](const World& w) { return lab_value(w, largest_model_lab(w), w.labs.model_flop); }},
        {"largest_run_cost", "USD", [](const World& w) { return lab_value(w, largest_model_lab(w), w.labs.model_cost_usd); }},
        {"total_training_flop", "FLOP/step", [](const World& w) { return w.totals.training_flop; }},
        {"total_inference_flop", "FLOP/step", [](const World& w) { return w.totals.inference_flop; }},
        {"serving_spend", "USD/step", [](const World& w) { return w.totals.serving_spend_usd; }},
        {"tokens_served", "tokens/step (reasoning tokens included)", [](const World& w) { return w.totals.tokens_served; }},
        {"value_served_share", "share (revenue / value of the tasks users would buy at zero cost)",
         [](const World& w) {
             return w.totals.value_pool_usd > 0 ? w.totals.ai_revenue_usd / w.totals.value_pool_usd : 1.0;
         }},
        {"compute_price", "USD/FLOP", compute_price},
        {"compute_spend", "USD/step", [](const World& w) { return w.totals.compute_spend_usd; }},
        {"compute_capex", "USD/step", [](const World& w) { return w.totals.capex_usd; }},
        {"total_investment", "USD/step", [](const World& w) { return w.totals.investment_usd; }},
        {"ai_revenue", "USD/step", [](const World& w) { return w.totals.ai_revenue_usd; }},
        {"adoption", "share of firms", [](const World& w) { return w.env.adoption; }},
        {"mean_sentiment", "index (0 neutral)", mean_sentiment},
        {"human_data_stock", "tokens", [](const World& w) { return w.env.human_stock_tokens; }},
        {"human_data_accessible", "tokens (frontier lab: open allowed + licensed)", [](const World& w) { return lab_value(w, frontier_lab(w), w.labs.usable_tokens); }},
        {"human_data_open", "tokens crawlable", [](const World& w) { return w.env.open_tokens; }},
        {"frontier_data_used", "tokens seen", [](const World& w) { return lab_value(w, frontier_lab(w), w.labs.model_tokens); }},
        {"synthetic_share", "share of effective tokens", [](const World& w) { return lab_value(w, frontier_lab(w), w.labs.model_synthetic_share); }},
        {"frontier_collapse_penalty", "relative increase of reducible loss", [](const World& w) { return lab_value(w, frontier_lab(w), w.labs.collapse_penalty); }},
        {"licence_spend", "USD/step", [](const World& w) { return w.totals.licence_usd; }},
        {"data_wall_year", "year (NaN until reached)", [](const World& w) { return w.data_wall_year < 0 ? nan : w.data_wall_year; }},
        {"energy_twh", "TWh/step", [](const World& w) { return w.totals.energy_joules / joules_per_twh; }},
        {"largest_run_power_mw", "MW", [](const World& w) { return w.totals.largest_run_power_w / watts_per_megawatt; }},
        {"site_power_mw", "MW", [](const World& w) { return w.env.site_power_w / watts_per_megawatt; }},
        {"training_flop_per_hardware_flop", "x (1 in 2024)", [](const World& w) { return w.env.training_flop_per_hardware_flop; }},
        {"power_available_gw", "GW", power_available_gw},
        {"stringency_us", "index 0-1", [](const World& w) { return w.regulators.stringency[0]; }},
        {"stringency_eu", "index 0-1", [](const World& w) { return w.regulators.stringency[1]; }},
        {"stringency_cn", "index 0-1", [](const World& w) { return w.regulators.stringency[2]; }},
        {"instruments_active", "count", instruments_active},
        {"incidents", "incidents (cumulative)", [](const World& w) { return w.cumulative_incidents; }},
        {"fines", "USD/step", [](const World& w) { return w.totals.fines_usd; }},
        {"hhi_compute", "0-1", hhi_compute},
        {"active_labs", "labs", active_labs},
        {"releases", "models/step", [](const World& w) { return w.totals.releases; }},
        {"generation_shortfall", "OOM/step (sum over releases of expected - realised kappa)", [](const World& w) { return w.totals.generation_shortfall; }},
        {"generations_delayed", "models/step", [](const World& w) { return w.totals.generations_delayed; }},
        {"generations_disappointing", "models/step", [](const World& w) { return w.totals.generations_disappointing; }},
        {"bankruptcies", "labs (cumulative)", [](const World& w) { return w.cumulative_bankruptcies; }},
        {"acquisitions", "labs (cumulative)", [](const World& w) { return w.cumulative_acquisitions; }},
        {"entries", "labs (cumulative)", [](const World& w) { return w.cumulative_entries; }},
    };
    return defs;
}

// A market's column, /markets/<market>/<name> [T, labels]: fill writes one
// step's values, one per label.
struct MarketColumnDef {
    const char* name;
    const char* units;
    void (*fill)(const World&, double* row);
};

// A market: by region (labels "US", "EU", "CN") or one value for the world.
struct MarketDef {
    const char* market;
    bool by_region;
    std::vector<MarketColumnDef> columns;
};

template <class Values>
void per_region(const Values& values, double* row) {
    for (std::size_t r = 0; r < static_cast<std::size_t>(region_count); ++r) row[r] = values[r];
}

const std::vector<MarketDef>& market_defs() {
    static const std::vector<MarketDef> defs = {
        {"compute", true, {
            {"price", "USD/FLOP", [](const World& w, double* row) { per_region(w.compute_market.price, row); }},
            {"quantity", "FLOP/step", [](const World& w, double* row) { per_region(w.compute_market.quantity, row); }},
            {"capacity", "FLOP/step", [](const World& w, double* row) { per_region(w.compute_market.capacity, row); }},
            {"lab_demand", "FLOP/step", [](const World& w, double* row) { per_region(w.compute_market.lab_demand, row); }},
        }},
        {"capital", false, {
            {"raised", "USD/step", [](const World& w, double* row) { *row = w.totals.investment_usd; }},
            {"rounds_closed", "rounds/step", [](const World& w, double* row) { *row = w.totals.rounds_closed; }},
            {"rounds_failed", "rounds/step", [](const World& w, double* row) { *row = w.totals.rounds_failed; }},
            {"down_rounds", "rounds/step", [](const World& w, double* row) { *row = w.totals.down_rounds; }},
        }},
        {"energy", true, {
            {"power_available", "GW", [](const World& w, double* row) { per_region(w.regulators.power_gw, row); }},
            {"power_used", "GW", [](const World& w, double* row) { per_region(w.regulators.power_used_gw, row); }},
            {"power_ceiling", "FLOP/step", [](const World& w, double* row) { per_region(w.compute_market.power_ceiling, row); }},
            {"price_multiplier", "x", [](const World& w, double* row) { per_region(w.compute_market.energy_price_multiplier, row); }},
        }},
        {"data", false, {
            {"licence_spend", "USD/step", [](const World& w, double* row) { *row = w.totals.licence_usd; }},
            {"production_spend", "USD/step", [](const World& w, double* row) { *row = w.totals.data_production_usd; }},
            {"produced_tokens", "tokens (new human text owned by labs)", [](const World& w, double* row) {
                 double sum = 0;
                 for (double t : w.labs.produced_tokens) sum += t;
                 *row = sum;
             }},
            {"open_tokens", "tokens", [](const World& w, double* row) { *row = w.env.open_tokens; }},
            {"mean_licence_price", "USD/token", [](const World& w, double* row) {
                 double sum = 0;
                 for (double p : w.data_providers.licence_price) sum += p;
                 const std::size_t n = w.data_providers.size();
                 *row = n ? sum / static_cast<double>(n) : 0.0;
             }},
        }},
        {"product", false, {
            {"adoption", "share of firms", [](const World& w, double* row) { *row = w.env.adoption; }},
            {"revenue", "USD/step", [](const World& w, double* row) { *row = w.totals.ai_revenue_usd; }},
            {"addressable_spend", "USD/yr", [](const World& w, double* row) { *row = w.env.addressable_spend_usd_per_year; }},
        }},
    };
    return defs;
}

}  // namespace

Recorder::Recorder(const World& world, int steps, const RecordOptions& options, RecordSink* sink)
    : sink_(sink), steps_(steps), options_(options) {
    const auto rows = static_cast<std::size_t>(steps);
    record_.time.assign(rows, 0.0);
    record_.hashes.assign(rows, 0);
    for (const auto& def : aggregate_defs())
        record_.aggregates.push_back({def.name, def.units, std::vector<double>(rows, nan)});
    // Streamed: the columns hold the current row only.
    const std::size_t column_rows = sink ? 1 : rows;
    for_each_kind(world, [&](auto kind, const auto& table) {
        record_.kinds.push_back(kind_record<decltype(kind)>(table, column_rows, options.max_agents));
    });
    std::vector<std::string> region_labels;
    for (int r = 0; r < region_count; ++r) region_labels.emplace_back(region_name(static_cast<Region>(r)));
    for (const MarketDef& def : market_defs()) {
        MarketRecord market{def.market, def.by_region ? region_labels : std::vector<std::string>{"world"}, {}};
        const std::size_t width = market.labels.size();
        for (const MarketColumnDef& column : def.columns)
            market.columns.push_back(
                {column.name, column.units, column_rows, width, std::vector<double>(column_rows * width, 0.0)});
        record_.markets.push_back(std::move(market));
    }
    for (int t = 0; t < event_type_count; ++t)
        record_.event_types.emplace_back(event_type_name(static_cast<EventType>(t)));
    for (int t = 0; t < edge_type_count; ++t)
        record_.edge_types.emplace_back(edge_type_name(static_cast<EdgeType>(t)));
    record_.network_snapshots = snapshots_name(options.network);
    if (sink_) sink_->begin(record_, rows);
}

void Recorder::record(const World& world) {
    ProfileScope columns_scope(world.profiler, "10 record / columns");
    const auto row = static_cast<std::size_t>(world.step - 1);
    record_.time[row] = world.env.year + world.config.dt_years();
    const auto& defs = aggregate_defs();
    for (std::size_t a = 0; a < defs.size(); ++a) record_.aggregates[a].values[row] = defs[a].value(world);
    const std::size_t column_row = sink_ ? 0 : row;
    std::size_t k = 0;
    for_each_kind(world, [&](auto kind, const auto& table) {
        record_kind_row<decltype(kind)>(table, column_row, record_.kinds[k++]);
    });
    const auto& markets = market_defs();
    for (std::size_t m = 0; m < markets.size(); ++m)
        for (std::size_t c = 0; c < markets[m].columns.size(); ++c) {
            Matrix& matrix = record_.markets[m].columns[c];
            markets[m].columns[c].fill(world, matrix.values.data() + column_row * matrix.cols);
        }
    columns_scope.stop();
    if (sink_) {
        const ProfileScope stream_scope(world.profiler, "10 record / stream to the run file");
        sink_->row(row, record_);
        sink_->events(world.events);
    } else {
        record_.events.insert(record_.events.end(), world.events.begin(), world.events.end());
    }
    const ProfileScope hash_scope(world.profiler, "10 record / world hash");
    record_.hashes[row] = world_hash(world);
}

void Recorder::record_network(const World& world) {
    const Network& network = world.network;
    // In pieces (a type, a range of sources) filled in parallel: each
    // piece's rows start after those of the pieces before it. Small enough
    // that a streamed batch holds several pieces (an investor holds tens of
    // stakes: 1,024 investors' equity edges are tens of thousands of rows).
    constexpr std::size_t vertices_per_piece = 1 << 10;
    const std::size_t blocks = std::max<std::size_t>(
        1, (network.vertex_count() + vertices_per_piece - 1) / vertices_per_piece);
    const std::size_t pieces = blocks * edge_type_count;
    std::vector<std::size_t> offset(pieces + 1, 0);
    const auto piece_range = [&](std::size_t p) {
        const std::size_t b = p % blocks;
        return std::pair{b * vertices_per_piece, std::min(network.vertex_count(), (b + 1) * vertices_per_piece)};
    };
    // A small graph is done on this thread (waking workers would cost more).
    const std::size_t grain = network.edge_count() < (1u << 16) ? pieces : 1;
    parallel_for(pieces, grain, [&](std::size_t b, std::size_t e) {
        for (std::size_t p = b; p < e; ++p) {
            const auto [low, high] = piece_range(p);
            offset[p + 1] = network.count_sorted(static_cast<EdgeType>(p / blocks), low, high);
        }
    });
    for (std::size_t p = 0; p < pieces; ++p) offset[p + 1] += offset[p];
    AIRACE_ASSERT(offset[pieces] == network.edge_count());
    const std::int32_t step = world.step - 1;
    // The rows of pieces [first, last) into `rows` (row offset[first] first).
    const auto fill = [&](std::size_t first, std::size_t last, EdgeRow* rows) {
        parallel_for(last - first, grain, [&](std::size_t b, std::size_t e) {
            for (std::size_t p = first + b; p < first + e; ++p) {
                const auto [low, high] = piece_range(p);
                EdgeRow* row = rows + (offset[p] - offset[first]);
                network.for_each_sorted(static_cast<EdgeType>(p / blocks), low, high, [&](const EdgeView& edge) {
                    AIRACE_ASSERT(edge.src <= std::numeric_limits<std::int32_t>::max() &&
                                  edge.dst <= std::numeric_limits<std::int32_t>::max());
                    // Made in place: the streamed batch is raw memory.
                    ::new (static_cast<void*>(row)) EdgeRow{step,
                                                            static_cast<std::int32_t>(edge.src),
                                                            static_cast<std::int32_t>(edge.dst),
                                                            static_cast<std::int8_t>(edge.src_kind),
                                                            static_cast<std::int8_t>(edge.dst_kind),
                                                            static_cast<std::int8_t>(edge.type),
                                                            edge.weight};
                    ++row;
                });
            }
        });
    };
    if (!sink_) {
        // Kept whole: grow geometrically, snapshots come every year.
        const std::size_t first_row = record_.edges.size();
        const std::size_t needed = first_row + network.edge_count();
        if (needed > record_.edges.capacity())
            record_.edges.reserve(std::max(needed, 2 * record_.edges.capacity()));
        record_.edges.resize(needed);
        fill(0, pieces, record_.edges.data() + first_row);
        return;
    }
    // Streamed: handed over a batch of whole pieces at a time, in the same
    // order (RecordOptions::snapshot_batch_rows).
    const std::size_t batch_rows = options_.snapshot_batch_rows;
    for (std::size_t p = 0; p < pieces;) {
        std::size_t q = p + 1;
        while (q < pieces && offset[q + 1] - offset[p] <= batch_rows) ++q;
        const std::size_t rows = offset[q] - offset[p];
        if (rows > batch_rows_) {  // kept for the next batch and snapshot
            batch_ = std::make_unique_for_overwrite<std::byte[]>(rows * sizeof(EdgeRow));
            batch_rows_ = rows;
        }
        auto* batch = reinterpret_cast<EdgeRow*>(batch_.get());
        fill(p, q, batch);
        if (rows > 0) sink_->edges({batch, rows});
        p = q;
    }
}

RunRecord Recorder::finish() {
    return std::move(record_);
}

void Recorder::add_checkpoint(Checkpoint checkpoint) {
    if (sink_)
        sink_->take_checkpoint(std::move(checkpoint));
    else
        record_.checkpoints.push_back(std::move(checkpoint));
}

namespace {

// XXH3 64 over a stream of byte ranges (libxxhash's streaming state).
class Xxh3 {
public:
    Xxh3() : state_(XXH3_createState()) {
        if (state_ == nullptr || XXH3_64bits_reset(state_) != XXH_OK) throw std::bad_alloc();
    }
    ~Xxh3() { XXH3_freeState(state_); }
    Xxh3(const Xxh3&) = delete;
    Xxh3& operator=(const Xxh3&) = delete;
    void bytes(const void* data, std::size_t size) { XXH3_64bits_update(state_, data, size); }
    std::uint64_t digest() const { return XXH3_64bits_digest(state_); }

private:
    XXH3_state_t* state_;
};

// The bytes the world hash covers, in its order: the step, the columns each
// kind's descriptor hashes (sim/kinds.hpp), markets, then the graph's edge count and its edge digest (an order-free
// sum over every edge's type, ends, weight and stored stake, kept up to date by
// the graph itself, so the hash never walks tens of millions of edges), and
// the labs' equity scales (which, with the stored stakes, give every stake).
template <class Sink>
void hash_stream(const World& w, Sink& f) {
    const auto value = [&](double x) { f.bytes(&x, sizeof x); };
    f.bytes(&w.step, sizeof w.step);
    for (int pass = 0; pass < hash_passes; ++pass)
        for_each_kind(w, [&](auto kind, const auto& table) { hash_kind<decltype(kind)>(table, pass, f); });
    for (int r = 0; r < region_count; ++r) value(w.compute_market.price[r]);
    value(w.env.adoption);
    value(w.frontier_kappa);
    const std::uint64_t edges[2] = {w.network.edge_count(), w.network.edge_digest()};
    f.bytes(edges, sizeof edges);
    const std::vector<double>& scales = w.network.equity_scales();
    f.bytes(scales.data(), scales.size() * sizeof(double));
}

}  // namespace

std::uint64_t world_hash(const World& w) {
    Xxh3 f;
    hash_stream(w, f);
    return f.digest();
}

}  // namespace airace
