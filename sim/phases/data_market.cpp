// Phase 5, data market: licences and exclusive deals; then each lab's
// usable human tokens.

#include <algorithm>
#include <numeric>

#include "sim/phases/phases.hpp"
#include "sim/scaling.hpp"

namespace airace {

void compute_usable_tokens(World& world) {
    LabTable& labs = world.labs;
    const DataProviderTable& providers = world.data_providers;
    std::fill(labs.licensed_tokens.begin(), labs.licensed_tokens.end(), 0.0);
    for (std::size_t p = 0; p < providers.size(); ++p)
        if (providers.exclusive_lab[p] >= 0)
            labs.licensed_tokens[static_cast<std::size_t>(providers.exclusive_lab[p])] +=
                providers.stock_tokens[p];
    for (std::size_t i = 0; i < labs.size(); ++i) {
        world.network.visit_in_index(AgentKind::lab, index32(i), EdgeType::licence,
                                     [&](std::uint32_t p, double, double) {
                                         // A licence covers the provider's closed tokens,
                                         // which grow with its stock.
                                         if (providers.exclusive_lab[p] != static_cast<std::int32_t>(i))
                                             labs.licensed_tokens[i] += providers.closed_tokens(p);
                                     });
        const auto host = static_cast<std::size_t>(labs.run_region[i]);
        labs.usable_tokens[i] =
            world.env.open_tokens * world.regulators.copyright_usable(host) + labs.licensed_tokens[i];
    }
}

// Labs whose run needs more data than they may use buy licences, cheapest
// first (price per token, then id), within a share of the run's budget; the
// richest seek one exclusive deal. Labs go in order of need (largest first,
// then id), so the outcome does not depend on thread timing.
void phase_data_market(World& world) {
    LabTable& labs = world.labs;
    DataProviderTable& providers = world.data_providers;
    const DataConfig& config = world.config.data;
    const ScalingLaw law = ScalingLaw::from(world.config.scaling);
    compute_usable_tokens(world);
    if (providers.size() == 0) return;
    DataMarketBook& book = world.messages.data;
    std::vector<std::size_t>& buyers = book.buyers;
    std::vector<double>& gap = book.gap;
    buyers.clear();
    gap.assign(labs.size(), 0.0);
    for (std::size_t i = 0; i < labs.size(); ++i) {
        if (!labs.active(i) || labs.run_target_flop[i] <= 0) continue;
        gap[i] = law.optimal_tokens(labs.run_target_flop[i]) - labs.usable_tokens[i];
        if (gap[i] > 0) buyers.push_back(i);
    }
    if (buyers.empty()) {
        compute_usable_tokens(world);
        return;
    }
    std::sort(buyers.begin(), buyers.end(), [&](std::size_t a, std::size_t b) {
        return gap[a] != gap[b] ? gap[a] > gap[b] : a < b;
    });
    const std::size_t n = providers.size();
    std::vector<std::size_t>& offers = book.offers;
    offers.resize(n);
    std::iota(offers.begin(), offers.end(), 0);
    std::sort(offers.begin(), offers.end(), [&](std::size_t a, std::size_t b) {
        return providers.licence_price[a] != providers.licence_price[b]
                   ? providers.licence_price[a] < providers.licence_price[b]
                   : a < b;
    });
    // Targets for exclusive deals: largest stock first (then index). Stocks
    // do not change during the phase; providers only ever turn exclusive,
    // so a "next open" link skips them for good (path halving).
    std::vector<std::size_t>& by_stock = book.by_stock;
    by_stock.resize(n);
    std::iota(by_stock.begin(), by_stock.end(), 0);
    std::sort(by_stock.begin(), by_stock.end(), [&](std::size_t a, std::size_t b) {
        return providers.stock_tokens[a] != providers.stock_tokens[b]
                   ? providers.stock_tokens[a] > providers.stock_tokens[b]
                   : a < b;
    });
    std::vector<std::size_t>& next_open = book.next_open;  // into by_stock, n: none
    next_open.resize(n + 1);
    for (std::size_t k = 0; k <= n; ++k)
        next_open[k] = k < n && providers.exclusive_lab[by_stock[k]] >= 0 ? k + 1 : k;
    const auto first_open = [&](std::size_t k) {
        while (next_open[k] != k) {
            next_open[k] = next_open[next_open[k]];
            k = next_open[k];
        }
        return k;
    };
    std::vector<std::size_t>& stock_rank = book.stock_rank;
    stock_rank.resize(n);
    for (std::size_t k = 0; k < n; ++k) stock_rank[by_stock[k]] = k;
    // Labs holding an exclusive deal; what a lab holds, marked with its stamp.
    std::vector<std::uint8_t>& has_exclusive_deal = book.has_exclusive;
    has_exclusive_deal.assign(labs.size(), 0);
    for (std::size_t p = 0; p < n; ++p)
        if (providers.exclusive_lab[p] >= 0)
            has_exclusive_deal[static_cast<std::size_t>(providers.exclusive_lab[p])] = 1;
    std::vector<std::uint32_t>& held_by = book.held_by;
    held_by.assign(n, 0);
    std::uint32_t stamp = 0;
    for (const std::size_t lab : buyers) {
        const double price = world.compute_market.price[static_cast<int>(labs.run_region[lab])];
        double budget = std::min(config.licence_budget_share * labs.run_target_flop[lab] * price,
                                 0.5 * std::max(0.0, labs.cash_usd[lab]));
        ++stamp;
        const auto holds = [&](std::size_t p) { return held_by[p] == stamp; };
        world.network.visit_in_index(AgentKind::lab, index32(lab), EdgeType::licence,
                                     [&](std::uint32_t p, double, double) { held_by[p] = stamp; });
        // The richest labs try to lock up the largest open source first.
        if (!has_exclusive_deal[lab] && labs.cash_usd[lab] > config.exclusive_min_cash_usd) {
            std::size_t target = n;
            for (std::size_t k = first_open(0); k < n; k = first_open(k + 1))
                if (!holds(by_stock[k])) {
                    target = by_stock[k];
                    break;
                }
            if (target < n) {
                const double cost = config.exclusive_premium * providers.stock_tokens[target] *
                                    providers.licence_price[target];
                // A provider with many licensees gives up more by going exclusive.
                const bool accepts = config.exclusive_premium >= 1.0 + 0.5 * providers.licensees[target];
                if (accepts && cost <= 0.25 * labs.cash_usd[lab]) {
                    providers.exclusive_lab[target] = static_cast<std::int32_t>(lab);
                    next_open[stock_rank[target]] = stock_rank[target] + 1;
                    has_exclusive_deal[lab] = 1;
                    providers.openness[target] = 0;
                    providers.licence_revenue[target] += cost;
                    labs.cash_usd[lab] -= cost;
                    labs.licence_spend_usd[lab] += cost;
                    world.totals.licence_usd += cost;
                    world.network.add(AgentKind::data_provider, index32(target), AgentKind::lab, index32(lab),
                                      EdgeType::exclusive, cost);
                    emit(world, EventType::exclusive_deal, AgentKind::lab, index32(lab),
                         AgentKind::data_provider, static_cast<std::int64_t>(target), cost,
                         providers.stock_tokens[target]);
                    gap[lab] -= providers.stock_tokens[target];
                    held_by[target] = stamp;
                }
            }
        }
        // Cheapest first; every offer looked at records the demand.
        for (const std::size_t p : offers) {
            if (gap[lab] <= 0 || budget <= 0) break;
            if (holds(p) || providers.exclusive_lab[p] >= 0) continue;
            const double tokens = providers.closed_tokens(p);
            providers.tokens_demanded[p] += std::min(tokens, gap[lab]);
            const double cost = tokens * providers.licence_price[p];
            if (tokens <= 0 || cost > budget) continue;
            budget -= cost;
            gap[lab] -= tokens;
            providers.licence_revenue[p] += cost;
            providers.licensees[p] += 1;
            labs.cash_usd[lab] -= cost;
            labs.licence_spend_usd[lab] += cost;
            world.totals.licence_usd += cost;
            world.network.add(AgentKind::data_provider, index32(p), AgentKind::lab, index32(lab),
                              EdgeType::licence, tokens);
            emit(world, EventType::licence, AgentKind::lab, index32(lab), AgentKind::data_provider,
                 static_cast<std::int64_t>(p), cost, tokens);
        }
    }
    compute_usable_tokens(world);
}
}  // namespace airace
