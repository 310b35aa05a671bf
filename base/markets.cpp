#include "base/markets.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "base/errors.hpp"

namespace airace {

namespace {

std::vector<std::size_t> sorted_indices(std::span<const Order> orders, bool descending) {
    std::vector<std::size_t> order(orders.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](std::size_t l, std::size_t r) {
        if (orders[l].price != orders[r].price)
            return descending ? orders[l].price > orders[r].price
                              : orders[l].price < orders[r].price;
        return orders[l].id < orders[r].id;
    });
    return order;
}

}  // namespace

Clearing clear_uniform_price(std::span<const Order> bids, std::span<const Order> asks) {
    Clearing out;
    out.bid_fills.assign(bids.size(), 0.0);
    out.ask_fills.assign(asks.size(), 0.0);
    const auto bid_order = sorted_indices(bids, true);
    const auto ask_order = sorted_indices(asks, false);
    std::size_t bi = 0;
    std::size_t ai = 0;
    double bid_left = bi < bid_order.size() ? bids[bid_order[bi]].quantity : 0;
    double ask_left = ai < ask_order.size() ? asks[ask_order[ai]].quantity : 0;
    double marginal_price = -1;
    while (bi < bid_order.size() && ai < ask_order.size()) {
        const Order& bid = bids[bid_order[bi]];
        const Order& ask = asks[ask_order[ai]];
        if (bid.price < ask.price) break;
        const double traded = std::min(bid_left, ask_left);
        if (traded > 0) {
            out.bid_fills[bid_order[bi]] += traded;
            out.ask_fills[ask_order[ai]] += traded;
            out.quantity += traded;
            out.trades.push_back({bid_order[bi], ask_order[ai], traded});
            marginal_price = ask.price;
            bid_left -= traded;
            ask_left -= traded;
        }
        if (bid_left <= 0) {
            if (++bi < bid_order.size()) bid_left = bids[bid_order[bi]].quantity;
        }
        if (ask_left <= 0) {
            if (++ai < ask_order.size()) ask_left = asks[ask_order[ai]].quantity;
        }
    }
    if (marginal_price >= 0) {
        out.price = marginal_price;
    } else {
        out.price = ask_order.empty() ? 0.0 : asks[ask_order.front()].price;
    }
    return out;
}

RoundOutcome settle_round(const FundingRequest& request, std::span<const double> commitments,
                          double min_fill, double down_round_elasticity) {
    std::vector<double> amounts(commitments.size());
    RoundOutcome out = settle_round(request, commitments, min_fill, down_round_elasticity, amounts);
    out.investor_amounts = std::move(amounts);
    return out;
}

RoundOutcome settle_round(const FundingRequest& request, std::span<const double> commitments,
                          double min_fill, double down_round_elasticity, std::span<double> amounts) {
    AIRACE_ASSERT(amounts.size() == commitments.size());
    RoundOutcome out;
    std::fill(amounts.begin(), amounts.end(), 0.0);
    double committed = 0;
    for (double c : commitments) committed += c;  // fixed order: investor index
    if (request.amount_usd <= 0 || committed <= 0 || committed < min_fill * request.amount_usd)
        return out;
    const double raised = std::min(committed, request.amount_usd);
    const double scale = raised / committed;
    for (std::size_t i = 0; i < commitments.size(); ++i) amounts[i] = commitments[i] * scale;
    const double fill = raised / request.amount_usd;
    out.closed = true;
    out.partial = fill < 1.0;
    out.raised_usd = raised;
    out.pre_money_usd = request.pre_money_usd * std::pow(fill, down_round_elasticity);
    out.post_money_usd = out.pre_money_usd + raised;
    return out;
}

std::vector<double> softmax(std::span<const double> scores, double temperature) {
    std::vector<double> weights(scores.size(), 0.0);
    if (scores.empty()) return weights;
    const double top = *std::max_element(scores.begin(), scores.end());
    double total = 0;
    for (std::size_t i = 0; i < scores.size(); ++i) {
        weights[i] = std::exp((scores[i] - top) / temperature);
        total += weights[i];
    }
    for (double& w : weights) w /= total;
    return weights;
}

std::vector<double> revenue_shares(std::span<const double> scores,
                                   std::span<const std::uint8_t> serving,
                                   double temperature) {
    AIRACE_ASSERT(serving.size() == scores.size());
    std::vector<double> shares(scores.size(), 0.0);
    double top = -1e300;
    for (std::size_t i = 0; i < scores.size(); ++i)
        if (serving[i]) top = std::max(top, scores[i]);
    double total = 0;
    for (std::size_t i = 0; i < scores.size(); ++i) {
        if (!serving[i]) continue;
        shares[i] = std::exp((scores[i] - top) / temperature);
        total += shares[i];
    }
    if (total > 0)
        for (double& s : shares) s /= total;
    return shares;
}

std::vector<double> switched_shares(std::span<const double> previous, std::vector<double> earned,
                                    std::span<const std::uint8_t> serving, double switching_years,
                                    double dt) {
    AIRACE_ASSERT(previous.size() == earned.size() && serving.size() == earned.size());
    if (!(switching_years > 0)) return earned;
    const double pull = -std::expm1(-dt / switching_years);
    double total = 0;
    for (std::size_t i = 0; i < earned.size(); ++i) {
        earned[i] = serving[i] ? previous[i] + pull * (earned[i] - previous[i]) : 0.0;
        total += earned[i];
    }
    if (total > 0)
        for (double& s : earned) s /= total;
    return earned;
}

double bass_adoption_step(double adoption, double ceiling, double p, double q, double dt) {
    const double next = adoption + dt * (p + q * adoption) * (ceiling - adoption);
    return std::clamp(next, 0.0, 1.0);
}

}  // namespace airace
