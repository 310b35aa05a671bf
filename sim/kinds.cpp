// The World's kinds (sim/kinds.hpp): their start counts and what a run file
// records of each, /<kind>/<column> with units, in the order listed here (the
// writer and docs/output-schema.md follow it). Their builds are in
// sim/world.cpp.

#include "sim/kinds.hpp"

namespace airace {

std::array<std::size_t, agent_kind_count> agent_counts(const ScenarioConfig& config) {
    std::array<std::size_t, agent_kind_count> counts{};
    WorldKinds::each([&](auto kind) {
        using Kind = decltype(kind);
        counts[static_cast<std::size_t>(Kind::kind)] = Kind::count(config);
    });
    return counts;
}

// The labs of the start, then the dormant slots for new labs.
std::size_t LabKind::count(const ScenarioConfig& config) {
    return static_cast<std::size_t>(config.labs.count) +
           static_cast<std::size_t>(config.labs.entrant_slots);
}

std::size_t InvestorKind::count(const ScenarioConfig& config) {
    return static_cast<std::size_t>(config.investors.count);
}

std::size_t ComputeProviderKind::count(const ScenarioConfig& config) {
    return static_cast<std::size_t>(config.compute.providers);
}

std::size_t DataProviderKind::count(const ScenarioConfig& config) {
    return static_cast<std::size_t>(config.data.providers);
}

std::span<const RecordColumn<LabTable>> LabKind::recorded() {
    static constexpr RecordColumn<LabTable> columns[] = {
        {"status", "0 active, 1 bankrupt, 2 acquired, 3 dormant (not entered yet)",
         fill_column<&LabTable::status>},
        {"cash", "USD", fill_column<&LabTable::cash_usd>},
        {"valuation", "USD", fill_column<&LabTable::valuation_usd>},
        {"funding", "USD/step", fill_column<&LabTable::funding_usd>},
        {"revenue", "USD/step", fill_column<&LabTable::revenue_usd>},
        {"revenue_share", "share", fill_column<&LabTable::revenue_share>},
        {"opex", "USD/step", fill_column<&LabTable::opex_usd>},
        {"compute_spend", "USD/step", fill_column<&LabTable::compute_spend_usd>},
        {"training_flop_bought", "FLOP/step", fill_column<&LabTable::training_flop_bought>},
        {"inference_flop_bought", "FLOP/step", fill_column<&LabTable::inference_flop_bought>},
        {"tokens_served", "tokens/step (reasoning tokens included)", fill_column<&LabTable::tokens_served>},
        {"algorithmic_efficiency", "x (frontier labs at start = 1)", fill_column<&LabTable::efficiency>},
        {"model_training_flop", "FLOP", fill_column<&LabTable::model_flop>},
        {"model_params", "parameters", fill_column<&LabTable::model_params>},
        {"model_tokens", "tokens", fill_column<&LabTable::model_tokens>},
        {"model_loss", "nats/token", fill_column<&LabTable::model_loss>},
        {"model_cost", "USD", fill_column<&LabTable::model_cost_usd>},
        {"capability", "log10 effective FLOP (kappa)", fill_column<&LabTable::model_kappa>},
        {"score", "0-100", fill_column<&LabTable::model_score>},
        {"reasoning_intensity", "x tokens per task", fill_column<&LabTable::reasoning_intensity>},
        {"served_param_share", "share of the trained model's parameters served", fill_column<&LabTable::served_param_share>},
        {"task_cost_ratio", "serving cost of a task / the mean task's value", fill_column<&LabTable::task_cost_ratio>},
        {"run_target_flop", "FLOP", fill_column<&LabTable::run_target_flop>},
        {"run_done_flop", "FLOP", fill_column<&LabTable::run_done_flop>},
        {"run_region", "0 US, 1 EU, 2 CN", fill_column<&LabTable::run_region>},
        {"usable_tokens", "tokens (open allowed + licensed)", fill_column<&LabTable::usable_tokens>},
        {"licensed_tokens", "tokens", fill_column<&LabTable::licensed_tokens>},
        {"produced_tokens", "tokens (new human text paid for, owned)", fill_column<&LabTable::produced_tokens>},
        {"licence_spend", "USD/step", fill_column<&LabTable::licence_spend_usd>},
        {"synthetic_share", "share of effective tokens", fill_column<&LabTable::model_synthetic_share>},
        {"collapse_penalty", "relative increase of reducible loss", fill_column<&LabTable::collapse_penalty>},
        {"compliance_cost", "USD/step", fill_column<&LabTable::compliance_usd>},
        {"fines", "USD/step", fill_column<&LabTable::fines_usd>},
    };
    return columns;
}

std::span<const RecordColumn<InvestorTable>> InvestorKind::recorded() {
    static constexpr RecordColumn<InvestorTable> columns[] = {
        {"aum", "USD", fill_column<&InvestorTable::aum_usd>},
        {"budget", "USD/step", fill_column<&InvestorTable::budget_usd>},
        {"dry_powder", "USD", fill_column<&InvestorTable::dry_powder_usd>},
        {"invested", "USD/step", fill_column<&InvestorTable::invested_usd>},
        {"invested_total", "USD", fill_column<&InvestorTable::invested_total_usd>},
        {"portfolio_value", "USD", fill_column<&InvestorTable::portfolio_value_usd>},
        {"paper_roi", "share", fill_column<&InvestorTable::paper_roi>},
        {"sentiment", "index (0 neutral)", fill_column<&InvestorTable::sentiment>},
        {"expected_wow", "OOM/yr", fill_column<&InvestorTable::expected_wow>},
    };
    return columns;
}

std::span<const RecordColumn<ComputeProviderTable>> ComputeProviderKind::recorded() {
    static constexpr RecordColumn<ComputeProviderTable> columns[] = {
        {"capacity", "FLOP/step", fill_column<&ComputeProviderTable::capacity_flop>},
        {"sold", "FLOP/step", fill_column<&ComputeProviderTable::sold_flop>},
        {"utilisation", "share", fill_column<&ComputeProviderTable::utilisation>},
        {"unit_cost", "USD/FLOP", fill_column<&ComputeProviderTable::unit_cost>},
        {"revenue", "USD/step", fill_column<&ComputeProviderTable::revenue_usd>},
        {"capex", "USD/step", fill_column<&ComputeProviderTable::capex_usd>},
        {"earning_ratio", "x (earnings / cost of capacity)", fill_column<&ComputeProviderTable::earning_ratio>},
        {"energy_cost", "USD/step", fill_column<&ComputeProviderTable::energy_usd>},
    };
    return columns;
}

std::span<const RecordColumn<DataProviderTable>> DataProviderKind::recorded() {
    static constexpr RecordColumn<DataProviderTable> columns[] = {
        {"stock", "tokens", fill_column<&DataProviderTable::stock_tokens>},
        {"openness", "share crawlable", fill_column<&DataProviderTable::openness>},
        {"licence_price", "USD/token", fill_column<&DataProviderTable::licence_price>},
        {"licence_revenue", "USD/step", fill_column<&DataProviderTable::licence_revenue>},
        {"licensees", "labs", fill_column<&DataProviderTable::licensees>},
        {"exclusive_lab", "lab index (-1 none)", fill_column<&DataProviderTable::exclusive_lab>},
    };
    return columns;
}

namespace {

template <Instrument I>
void instrument_active(const RegulatorTable& regulators, double* row, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) row[i] = regulators.is_active(i, I) ? 1.0 : 0.0;
}

template <Instrument I>
void instrument_value(const RegulatorTable& regulators, double* row, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) row[i] = regulators.value_of(i, I);
}

}  // namespace

std::span<const RecordColumn<RegulatorTable>> RegulatorKind::recorded() {
    using R = RegulatorTable;
    using enum Instrument;
    static constexpr RecordColumn<RegulatorTable> columns[] = {
        {"stringency", "index 0-1", fill_column<&R::stringency>},
        {"concern", "index", fill_column<&R::concern>},
        {"lobbying", "USD/step", fill_column<&R::lobbying_usd>},
        {"influence", "index", fill_column<&R::influence>},
        {"fines", "USD/step", fill_column<&R::fines_usd>},
        {"power_available", "GW", fill_column<&R::power_gw>},
        {"power_used", "GW", fill_column<&R::power_used_gw>},
        {"compute_threshold_active", "0/1", instrument_active<compute_threshold>},
        {"compute_threshold_flop", "FLOP", instrument_value<compute_threshold>},
        {"training_cap_active", "0/1", instrument_active<training_cap>},
        {"training_cap_flop", "FLOP", instrument_value<training_cap>},
        {"copyright_strict", "0/1", instrument_active<copyright>},
        {"copyright_usable_share", "share", instrument_value<copyright>},
        {"power_permitting_active", "0/1", instrument_active<power_permitting>},
        {"power_permitting_gw_per_year", "GW/yr", instrument_value<power_permitting>},
        {"export_controls_active", "0/1", instrument_active<export_controls>},
        {"export_control_share", "share", instrument_value<export_controls>},
    };
    return columns;
}

std::span<const RecordColumn<InfluencerTable>> InfluencerKind::recorded() {
    static constexpr RecordColumn<InfluencerTable> columns[] = {
        {"stance", "-1..1", fill_column<&InfluencerTable::stance>},
        {"active", "0/1", fill_column<&InfluencerTable::active>},
    };
    return columns;
}

}  // namespace airace
