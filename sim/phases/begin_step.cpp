// Before phase 1: this step's flows start at zero. No phase zeroes a flow
// itself; two agent updates still clear their own column as well
// (decide_budgets: invested_usd, update_data_providers: licence_revenue),
// which changes nothing.

#include <algorithm>
#include <vector>

#include "sim/phases/phases.hpp"

namespace airace {
namespace {

void zero(std::vector<double>& column) { std::fill(column.begin(), column.end(), 0.0); }

}  // namespace

// The flows are the per-step amounts the recorder reports (USD/step,
// FLOP/step, ...): the phases add to them or set them. Per-step columns that
// the next step reads before their phase sets them again carry over and are
// not zeroed: a lab's revenue_share (phase 2 plans serving from it) and
// opex_usd (phase 8 takes lobbying from it), a compute provider's
// demand_flop (phase 2 builds toward it), a data provider's tokens_demanded
// (phase 1 moves its price with it, then clears it).
void begin_step(const BeginStepIO& io) {
    io.events.clear();
    io.totals = StepTotals{};
    LabTable& labs = io.labs;
    for (auto* column : {&labs.funding_usd, &labs.compliance_usd, &labs.fines_usd,
                         &labs.licence_spend_usd, &labs.training_flop_bought,
                         &labs.inference_flop_bought, &labs.inference_flop_wanted,
                         &labs.compute_spend_usd, &labs.revenue_usd, &labs.tokens_served})
        zero(*column);
    zero(io.investors.invested_usd);
    ComputeProviderTable& providers = io.compute_providers;
    for (auto* column : {&providers.sold_flop, &providers.revenue_usd, &providers.capex_usd,
                         &providers.energy_usd})
        zero(*column);
    zero(io.data_providers.licence_revenue);
    RegulatorTable& regulators = io.regulators;
    for (auto* column : {&regulators.lobbying_usd, &regulators.influence, &regulators.fines_usd,
                         &regulators.power_used_gw})
        zero(*column);
}

}  // namespace airace
