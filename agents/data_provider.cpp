#include "agents/data_provider.hpp"

#include <algorithm>
#include <cmath>

namespace airace {

void DataProviderTable::resize(std::size_t n) {
    name.resize(n);
    region.resize(n);
    for (auto* column : {&quality, &stock_share, &stock_tokens, &openness, &licence_price,
                         &licence_revenue, &tokens_demanded})
        column->resize(n, 0.0);
    exclusive_lab.resize(n, -1);
    licensees.resize(n, 0);
}

void update_data_providers(DataProviderTable& providers, const DataConfig& config,
                           double world_stock_tokens, const DataPressure& pressure, double dt,
                           std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
        providers.stock_tokens[i] = providers.stock_share[i] * world_stock_tokens;
        // Sources close as AI demand and legal pressure rise, the best ones
        // first (Longpre et al. 2024: 5% of all C4 tokens, 28% of the most
        // critical sources restricted within a year).
        // Pressure is a share of full pressure, so at most 1 (a definition).
        const double push =
            std::min(1.0, pressure.ai_pressure +
                              pressure.legal_pressure[static_cast<int>(providers.region[i])]);
        const double rate = config.closing_rate_per_year * push * providers.quality[i];
        providers.openness[i] *= std::exp(-rate * dt);
        if (providers.exclusive_lab[i] >= 0) providers.openness[i] = 0;
        // Prices follow demand: up when labs asked to licence more than the
        // neutral share of the closed tokens, down when less.
        const double closed = providers.closed_tokens(i);
        const double ratio = closed > 0 ? providers.tokens_demanded[i] / closed : 0.0;
        const double signal = std::clamp(ratio - config.price_neutral_demand_share,
                                         config.price_signal_floor, config.price_signal_cap);
        // No licence costs more over its term than writing the tokens anew:
        // labs would commission new text instead.
        providers.licence_price[i] =
            std::min(providers.licence_price[i] * std::exp(config.price_adjustment_per_year * dt * signal),
                     config.produced_cost_usd_per_token / config.licence_years);
        providers.tokens_demanded[i] = 0;
        providers.licence_revenue[i] = 0;
    }
}

double open_tokens(const DataProviderTable& providers) {
    double total = 0;
    for (std::size_t i = 0; i < providers.size(); ++i) total += providers.open_tokens(i);
    return total;
}

}  // namespace airace
