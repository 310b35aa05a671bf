// Phase 5, data market: licences past their term expire; labs whose run needs
// more data than they may use buy (or renew) licences, cheapest first (price
// per token, then id), from providers that have not reached their most
// licensees, within a share of the run's budget; the richest seek one
// exclusive deal. Labs go in order of need (largest first, then id), so the
// outcome does not depend on thread timing. Then each lab's usable human
// tokens.

#include <algorithm>
#include <numeric>

#include "sim/phases/phases.hpp"
#include "sim/scaling.hpp"

namespace airace {
namespace {

// Labs short of data for their run and by how much, largest gap first
// (then id); false when none is. The need is in human tokens of the stock:
// the compute-optimal data less the new text the lab owns, quality-adjusted
// (data.quality_decay), so the deeper a run reaches into the stock the more
// human tokens it needs per token. A lab that may use all the stock it
// needs but is still short (the stock is worth less) buys new text only.
bool find_buyers(const LabTable& labs, const ScalingLaw& law, double stock, double decay,
                 DataMarketBook& book) {
    std::vector<double>& gap = book.gap;
    book.buyers.clear();
    gap.assign(labs.size(), 0.0);
    book.need.assign(labs.size(), 0.0);
    book.wanted.assign(labs.size(), 0.0);
    for (std::size_t i = 0; i < labs.size(); ++i) {
        if (!labs.active(i) || labs.run_target_flop[i] <= 0) continue;
        const double produced = labs.produced_tokens[i];
        book.wanted[i] = std::max(0.0, law.optimal_tokens(labs.run_target_flop[i]) - produced);
        book.need[i] = human_tokens_for(book.wanted[i], stock, decay);
        gap[i] = book.need[i] - (labs.usable_tokens[i] - produced);
        const double have = quality_adjusted_tokens(labs.usable_tokens[i] - produced, stock, decay);
        if (gap[i] > 0 || book.wanted[i] > have) book.buyers.push_back(i);
    }
    std::sort(book.buyers.begin(), book.buyers.end(), [&](std::size_t a, std::size_t b) {
        return gap[a] != gap[b] ? gap[a] > gap[b] : a < b;
    });
    return !book.buyers.empty();
}

// Licence offers, cheapest first (then index), and targets for exclusive
// deals, largest stock first (then index). Stocks do not change during the
// phase; providers only ever turn exclusive, so a "next open" link skips
// them for good (first_open). Also which labs hold an exclusive deal, and
// no provider marked as held by anyone yet.
void rank_providers(const DataProviderTable& providers, std::size_t lab_count,
                    DataMarketBook& book) {
    const std::size_t n = providers.size();
    book.offers.resize(n);
    std::iota(book.offers.begin(), book.offers.end(), 0);
    std::sort(book.offers.begin(), book.offers.end(), [&](std::size_t a, std::size_t b) {
        return providers.licence_price[a] != providers.licence_price[b]
                   ? providers.licence_price[a] < providers.licence_price[b]
                   : a < b;
    });
    std::vector<std::size_t>& by_stock = book.by_stock;
    by_stock.resize(n);
    std::iota(by_stock.begin(), by_stock.end(), 0);
    std::sort(by_stock.begin(), by_stock.end(), [&](std::size_t a, std::size_t b) {
        return providers.stock_tokens[a] != providers.stock_tokens[b]
                   ? providers.stock_tokens[a] > providers.stock_tokens[b]
                   : a < b;
    });
    book.next_open.resize(n + 1);  // into by_stock, n: none
    for (std::size_t k = 0; k <= n; ++k)
        book.next_open[k] = k < n && providers.exclusive_lab[by_stock[k]] >= 0 ? k + 1 : k;
    book.stock_rank.resize(n);
    for (std::size_t k = 0; k < n; ++k) book.stock_rank[by_stock[k]] = k;
    book.has_exclusive.assign(lab_count, 0);
    for (std::size_t p = 0; p < n; ++p)
        if (providers.exclusive_lab[p] >= 0)
            book.has_exclusive[static_cast<std::size_t>(providers.exclusive_lab[p])] = 1;
    book.held_by.assign(n, 0);
    book.held_until.assign(n, 0.0);
}

// The first place in by_stock at or after k whose provider is not exclusive
// (n: none), shortening the links on the way (path halving).
std::size_t first_open(std::vector<std::size_t>& next_open, std::size_t k) {
    while (next_open[k] != k) {
        next_open[k] = next_open[next_open[k]];
        k = next_open[k];
    }
    return k;
}

// The lab tries to lock up the largest open source it does not licence yet
// (providers marked with `stamp` it holds already).
void seek_exclusive_deal(const DataMarketIO& io, std::size_t lab, std::uint32_t stamp) {
    DataMarketBook& book = io.book;
    DataProviderTable& providers = io.data_providers;
    const DataConfig& config = io.config.data;
    const std::size_t n = providers.size();
    std::size_t target = n;
    for (std::size_t k = first_open(book.next_open, 0); k < n; k = first_open(book.next_open, k + 1))
        if (book.held_by[book.by_stock[k]] != stamp) {
            target = book.by_stock[k];
            break;
        }
    if (target == n) return;
    LabTable& labs = io.labs;
    const double cost = config.exclusive_premium * providers.stock_tokens[target] *
                        providers.licence_price[target];
    // A provider with many licensees gives up more by going exclusive: the
    // premium must beat one licence (1) plus a share per licensee.
    const bool accepts = config.exclusive_premium >=
                         1.0 + config.exclusive_premium_per_licensee * providers.licensees[target];
    if (!(accepts && cost <= config.exclusive_max_cash_share * labs.cash_usd[lab])) return;
    providers.exclusive_lab[target] = static_cast<std::int32_t>(lab);
    book.next_open[book.stock_rank[target]] = book.stock_rank[target] + 1;
    book.has_exclusive[lab] = 1;
    providers.openness[target] = 0;
    providers.licence_revenue[target] += cost;
    labs.cash_usd[lab] -= cost;
    labs.licence_spend_usd[lab] += cost;
    io.totals.licence_usd += cost;
    io.network.add(AgentKind::data_provider, index32(target), AgentKind::lab, index32(lab),
                   EdgeType::exclusive, cost);
    io.events.emit(EventType::exclusive_deal, AgentKind::lab, index32(lab), AgentKind::data_provider,
                   static_cast<std::int64_t>(target), cost, providers.stock_tokens[target]);
    book.gap[lab] -= providers.stock_tokens[target] *
                     io.regulators.copyright_usable(static_cast<std::size_t>(labs.run_region[lab]));
    book.held_by[target] = stamp;
}

// The lab licences closed tokens, cheapest offer first, while it lacks
// data and has budget; every offer looked at records the demand, also where
// the provider has all the licensees it takes (demand it turns away still
// raises its price). A licence runs data.licence_years and costs the price
// (per token-year) times its tokens and years; the edge's stake is the year
// it runs to (a renewal moves it on). Under strict copyright a licensed
// token counts for its usable share only (`usable`).
double buy_licences(const DataMarketIO& io, std::size_t lab, std::uint32_t stamp, double budget,
                    double usable) {
    DataMarketBook& book = io.book;
    DataProviderTable& providers = io.data_providers;
    const DataConfig& config = io.config.data;
    LabTable& labs = io.labs;
    double& gap = book.gap[lab];
    const double until = io.env.year + config.licence_years;
    for (const std::size_t p : book.offers) {
        if (gap <= 0 || budget <= 0) break;
        if (book.held_by[p] == stamp || providers.exclusive_lab[p] >= 0) continue;
        const double tokens = providers.closed_tokens(p);
        providers.tokens_demanded[p] += std::min(tokens, gap);
        const double cost = tokens * providers.licence_price[p] * config.licence_years;
        if (tokens <= 0 || cost > budget || providers.licensees[p] >= config.max_licensees) continue;
        budget -= cost;
        gap -= tokens * usable;
        providers.licence_revenue[p] += cost;
        providers.licensees[p] += 1;
        labs.cash_usd[lab] -= cost;
        labs.licence_spend_usd[lab] += cost;
        io.totals.licence_usd += cost;
        io.network.add(AgentKind::data_provider, index32(p), AgentKind::lab, index32(lab),
                       EdgeType::licence, tokens, until - book.held_until[p]);
        io.events.emit(EventType::licence, AgentKind::lab, index32(lab), AgentKind::data_provider,
                       static_cast<std::int64_t>(p), cost, tokens);
    }
    return budget;
}

// With what is left of its budget, a lab still short of effective tokens
// after its licences commissions new human text at
// data.produced_cost_usd_per_token, as far as the capacity left this step
// allows (labs go in order of need). The text is its own for good and
// counts in full (unique_human_tokens).
void commission_text(const DataMarketIO& io, std::size_t lab, double budget) {
    DataMarketBook& book = io.book;
    const DataConfig& config = io.config.data;
    const double reached = std::max(0.0, book.need[lab] - book.gap[lab]);  // stock tokens it may use
    const double shortfall = book.wanted[lab] - quality_adjusted_tokens(
                                                    reached, io.env.human_stock_tokens, config.quality_decay);
    const double tokens = std::min({shortfall, std::max(0.0, budget) / config.produced_cost_usd_per_token,
                                    book.production_left});
    if (tokens <= 0) return;
    const double cost = tokens * config.produced_cost_usd_per_token;
    LabTable& labs = io.labs;
    labs.produced_tokens[lab] += tokens;
    labs.cash_usd[lab] -= cost;
    book.production_left -= tokens;
    io.totals.data_production_usd += cost;
}

// One buyer's turn: its licence budget (a share of the run's cost, at most
// data.licence_max_cash_share of its cash), the providers it licences
// already (marked with `stamp`; an expired licence's end is kept for its
// renewal), an exclusive deal if it is rich enough and has none, then
// licences.
void buy_data(const DataMarketIO& io, std::size_t lab, std::uint32_t stamp) {
    DataMarketBook& book = io.book;
    const LabTable& labs = io.labs;
    const DataConfig& config = io.config.data;
    // USD per training FLOP of the run.
    const double price = io.compute_market.price[static_cast<int>(labs.run_region[lab])] /
                         io.env.training_flop_per_hardware_flop;
    const double budget = std::min(config.licence_budget_share * labs.run_target_flop[lab] * price,
                                   config.licence_max_cash_share * std::max(0.0, labs.cash_usd[lab]));
    std::fill(book.held_until.begin(), book.held_until.end(), 0.0);
    io.network.visit_in_index(AgentKind::lab, index32(lab), EdgeType::licence,
                              [&](std::uint32_t p, double, double until) {
                                  book.held_until[p] = until;
                                  if (until > io.env.year) book.held_by[p] = stamp;
                              });
    if (!book.has_exclusive[lab] && labs.cash_usd[lab] > config.exclusive_min_cash_usd)
        seek_exclusive_deal(io, lab, stamp);
    const auto host = static_cast<std::size_t>(labs.run_region[lab]);
    const double left = buy_licences(io, lab, stamp, budget, io.regulators.copyright_usable(host));
    commission_text(io, lab, left);
}

// New human text for sale this step: a base capacity plus, as supply grows
// with spending, data.production_growth_per_year per token produced to date.
double production_capacity(const LabTable& labs, const DataConfig& config, double dt) {
    double produced = 0;
    for (const double tokens : labs.produced_tokens) produced += tokens;
    return (config.production_tokens_per_year + config.production_growth_per_year * produced) * dt;
}

// Each provider's licensees: the active labs whose licence has not expired.
void count_licensees(DataProviderTable& providers, const LabTable& labs, const Network& network,
                     double year) {
    std::fill(providers.licensees.begin(), providers.licensees.end(), 0);
    for (std::size_t i = 0; i < labs.size(); ++i) {
        if (!labs.active(i)) continue;
        network.visit_in_index(AgentKind::lab, index32(i), EdgeType::licence,
                               [&](std::uint32_t p, double, double until) {
                                   if (until > year) providers.licensees[p] += 1;
                               });
    }
}

}  // namespace

void compute_usable_tokens(LabTable& labs, const DataProviderTable& providers,
                           const RegulatorTable& regulators, const Network& network,
                           double open_tokens, double year) {
    std::fill(labs.licensed_tokens.begin(), labs.licensed_tokens.end(), 0.0);
    for (std::size_t p = 0; p < providers.size(); ++p)
        if (providers.exclusive_lab[p] >= 0)
            labs.licensed_tokens[static_cast<std::size_t>(providers.exclusive_lab[p])] +=
                providers.stock_tokens[p];
    for (std::size_t i = 0; i < labs.size(); ++i) {
        if (labs.dormant(i)) continue;  // a slot for a new lab holds nothing
        network.visit_in_index(AgentKind::lab, index32(i), EdgeType::licence,
                               [&](std::uint32_t p, double, double until) {
                                   // A licence in its term covers the provider's closed
                                   // tokens, which grow with its stock.
                                   if (until > year &&
                                       providers.exclusive_lab[p] != static_cast<std::int32_t>(i))
                                       labs.licensed_tokens[i] += providers.closed_tokens(p);
                               });
        // Strict copyright reaches licensed tokens too: a licensor grants
        // only the rights it holds, so the regime's usable share applies to
        // the whole stock the lab reaches.
        // New text the lab paid for is its own: no copyright share applies.
        const auto host = static_cast<std::size_t>(labs.run_region[i]);
        labs.usable_tokens[i] =
            (open_tokens + labs.licensed_tokens[i]) * regulators.copyright_usable(host) +
            labs.produced_tokens[i];
    }
}

void phase_data_market(const DataMarketIO& io) {
    const auto usable_tokens = [&] {
        compute_usable_tokens(io.labs, io.data_providers, io.regulators, io.network,
                              io.env.open_tokens, io.env.year);
    };
    usable_tokens();
    if (io.data_providers.size() == 0) return;
    count_licensees(io.data_providers, io.labs, io.network, io.env.year);
    DataMarketBook& book = io.book;
    if (find_buyers(io.labs, ScalingLaw::from(io.config.scaling), io.env.human_stock_tokens,
                    io.config.data.quality_decay, book)) {
        rank_providers(io.data_providers, io.labs.size(), book);
        book.production_left = production_capacity(io.labs, io.config.data, io.config.dt_years());
        std::uint32_t stamp = 0;
        for (const std::size_t lab : book.buyers) buy_data(io, lab, ++stamp);
    }
    usable_tokens();
}

}  // namespace airace
