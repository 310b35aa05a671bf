#pragma once
// The markets as pure functions from orders to fills, each testable on a book
// of three orders (tests/base/markets_test.cpp). Ties are broken by order id, so the
// outcome never depends on the order orders arrive in or on thread timing.

#include <cstdint>
#include <span>
#include <vector>

namespace airace {

// --- compute market: uniform-price double auction ---------------------------

struct Order {
    std::uint64_t id = 0;   // unique within its side; lower id wins ties
    double quantity = 0;    // FLOP
    double price = 0;       // limit price, USD/FLOP
};

struct Trade {
    std::size_t bid = 0;  // index into the caller's bids
    std::size_t ask = 0;  // index into the caller's asks
    double quantity = 0;
};

struct Clearing {
    double price = 0;        // uniform price paid by every filled bid (USD/FLOP)
    double quantity = 0;     // FLOP traded
    std::vector<double> bid_fills;  // per bid, in the caller's order
    std::vector<double> ask_fills;  // per ask, in the caller's order
    std::vector<Trade> trades;      // who bought from whom, in matching order
};

// Bids sorted by price (high first), asks by price (low first), ties by id;
// units trade while the bid's limit is at least the ask's. The uniform price
// is the marginal (highest) accepted ask: every buyer pays what the last
// tranche of supply needed. With no trade, the price is the cheapest ask
// (0 with no asks), a reference for next quarter's expectations.
Clearing clear_uniform_price(std::span<const Order> bids, std::span<const Order> asks);

// --- capital market: funding rounds -------------------------------------------

struct FundingRequest {
    double amount_usd = 0;
    double pre_money_usd = 0;
};

struct RoundOutcome {
    bool closed = false;
    bool partial = false;     // closed below its ask, at a lower price
    double raised_usd = 0;
    double pre_money_usd = 0; // the price it closed at (the ask's, scaled down when partial)
    double post_money_usd = 0;
    std::vector<double> investor_amounts;  // per investor, what it actually paid (see below)
};

// Closes a round from investors' commitments: over-subscribed rounds scale
// every commitment down pro rata to the ask; an under-subscribed round closes
// with what was committed at a pre-money scaled by fill^elasticity (fill =
// committed / ask), so the lab sells more of itself; a round filled below
// `min_fill` of the ask fails and nobody pays.
RoundOutcome settle_round(const FundingRequest& request, std::span<const double> commitments,
                          double min_fill, double down_round_elasticity);
// The same with what each investor paid written into `amounts` (one per
// commitment) instead of investor_amounts, which stays empty: a market of
// many rounds keeps one array for all of them, step after step.
RoundOutcome settle_round(const FundingRequest& request, std::span<const double> commitments,
                          double min_fill, double down_round_elasticity, std::span<double> amounts);

// --- product market ----------------------------------------------------------

// Logit revenue shares over the labs that serve a model: share ~
// exp(score / temperature); zero for those not serving.
std::vector<double> revenue_shares(std::span<const double> scores,
                                   std::span<const std::uint8_t> serving,
                                   double temperature);

// Users move from the shares they had (`previous`) toward the shares
// capability earns (`earned`) with e-folding time `switching_years`: each
// serving lab's share becomes previous + (1 - exp(-dt / switching_years)) *
// (earned - previous), those not serving get none, and the shares are scaled
// to sum to one over the labs that serve (a lab that stops serving hands its
// users to the others in proportion). switching_years 0 gives `earned`.
std::vector<double> switched_shares(std::span<const double> previous, std::vector<double> earned,
                                    std::span<const std::uint8_t> serving, double switching_years,
                                    double dt);

// Bass diffusion step: a' = a + dt (p + q a)(ceiling - a), kept in [0, 1].
double bass_adoption_step(double adoption, double ceiling, double p, double q, double dt);

// Deterministic softmax of scores / temperature (numerically stable).
std::vector<double> softmax(std::span<const double> scores, double temperature);

}  // namespace airace
