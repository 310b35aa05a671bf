// base/markets.cpp: the uniform-price compute auction on books of two or three
// orders, funding rounds, logit revenue shares and Bass adoption.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <numeric>
#include <vector>

#include "base/markets.hpp"

using namespace airace;

namespace {

// Bids 10 @ 5 and 10 @ 3 against asks 8 @ 1, 8 @ 2, 8 @ 4 (ids = position + 1).
// By hand: bid 1 takes 8 from ask 1 and 2 from ask 2; bid 2 takes the other
// 6 from ask 2, then stops at ask 3 (4 > 3). 16 traded at the marginal ask, 2.
std::vector<Order> three_ask_bids() { return {{1, 10.0, 5.0}, {2, 10.0, 3.0}}; }
std::vector<Order> three_ask_asks() { return {{1, 8.0, 1.0}, {2, 8.0, 2.0}, {3, 8.0, 4.0}}; }

double sum(const std::vector<double>& values) {
    return std::accumulate(values.begin(), values.end(), 0.0);
}

// Fill per order id, so books given in different orders can be compared.
std::map<std::uint64_t, double> fills_by_id(const std::vector<Order>& orders,
                                            const std::vector<double>& fills) {
    std::map<std::uint64_t, double> out;
    for (std::size_t i = 0; i < orders.size(); ++i) out[orders[i].id] = fills[i];
    return out;
}

}  // namespace

TEST_CASE("uniform price is the marginal accepted ask", "[markets]") {
    const auto bids = three_ask_bids();
    const auto asks = three_ask_asks();
    const Clearing clearing = clear_uniform_price(bids, asks);
    CHECK(clearing.price == 2.0);
}

TEST_CASE("clearing fills the crossing quantities", "[markets]") {
    const auto bids = three_ask_bids();
    const auto asks = three_ask_asks();
    const Clearing clearing = clear_uniform_price(bids, asks);
    CHECK(clearing.quantity == 16.0);
    CHECK(clearing.bid_fills == std::vector<double>{10.0, 6.0});
    CHECK(clearing.ask_fills == std::vector<double>{8.0, 8.0, 0.0});
}

TEST_CASE("the marginal order is partially filled", "[markets]") {
    // One bid of 5 @ 3 against asks 4 @ 1 and 4 @ 2: the second ask sells 1 of 4.
    const std::vector<Order> bids{{1, 5.0, 3.0}};
    const std::vector<Order> asks{{1, 4.0, 1.0}, {2, 4.0, 2.0}};
    const Clearing clearing = clear_uniform_price(bids, asks);
    CHECK(clearing.quantity == 5.0);
    CHECK(clearing.bid_fills == std::vector<double>{5.0});
    CHECK(clearing.ask_fills == std::vector<double>{4.0, 1.0});
    CHECK(clearing.price == 2.0);
}

TEST_CASE("a partially filled marginal bid stops at the first ask above its limit", "[markets]") {
    const auto bids = three_ask_bids();
    const auto asks = three_ask_asks();
    const Clearing clearing = clear_uniform_price(bids, asks);
    // Bid 2 (limit 3) got 6 of its 10 and nothing from ask 3 (price 4).
    CHECK(clearing.bid_fills[1] == 6.0);
    CHECK(clearing.ask_fills[2] == 0.0);
    for (const Trade& trade : clearing.trades) CHECK(trade.ask != 2);
}

TEST_CASE("a bid below every ask does not trade; price is the cheapest ask", "[markets]") {
    const std::vector<Order> bids{{1, 10.0, 1.0}};
    const std::vector<Order> asks{{1, 5.0, 3.0}, {2, 5.0, 2.0}};
    const Clearing clearing = clear_uniform_price(bids, asks);
    CHECK(clearing.quantity == 0.0);
    CHECK(clearing.trades.empty());
    CHECK(clearing.bid_fills == std::vector<double>{0.0});
    CHECK(clearing.ask_fills == std::vector<double>{0.0, 0.0});
    CHECK(clearing.price == 2.0);
}

TEST_CASE("equal-price asks are filled lower id first regardless of input order", "[markets]") {
    // Two asks of 4 @ 2 (ids 3 and 7) and a bid for 5: id 3 sells 4, id 7 sells 1.
    const std::vector<Order> bids{{1, 5.0, 3.0}};
    const std::vector<Order> asks_forward{{3, 4.0, 2.0}, {7, 4.0, 2.0}};
    const std::vector<Order> asks_reversed{{7, 4.0, 2.0}, {3, 4.0, 2.0}};
    const Clearing forward = clear_uniform_price(bids, asks_forward);
    const Clearing reversed = clear_uniform_price(bids, asks_reversed);
    const auto forward_fills = fills_by_id(asks_forward, forward.ask_fills);
    const auto reversed_fills = fills_by_id(asks_reversed, reversed.ask_fills);
    CHECK(forward_fills.at(3) == 4.0);
    CHECK(forward_fills.at(7) == 1.0);
    CHECK(forward_fills == reversed_fills);
    CHECK(forward.price == reversed.price);
}

TEST_CASE("equal-price bids are filled lower id first under every permutation", "[markets]") {
    // Three bids of 4 @ 5 (ids 2, 5, 9) share 6 units of supply:
    // id 2 gets 4, id 5 gets 2, id 9 gets nothing.
    std::vector<Order> bids{{2, 4.0, 5.0}, {5, 4.0, 5.0}, {9, 4.0, 5.0}};
    const std::vector<Order> asks{{1, 6.0, 1.0}};
    const std::map<std::uint64_t, double> expected{{2, 4.0}, {5, 2.0}, {9, 0.0}};
    std::sort(bids.begin(), bids.end(), [](const Order& l, const Order& r) { return l.id < r.id; });
    int permutations = 0;
    do {
        const Clearing clearing = clear_uniform_price(bids, asks);
        CHECK(fills_by_id(bids, clearing.bid_fills) == expected);
        CHECK(clearing.quantity == 6.0);
        ++permutations;
    } while (std::next_permutation(bids.begin(), bids.end(),
                                   [](const Order& l, const Order& r) { return l.id < r.id; }));
    CHECK(permutations == 6);
}

TEST_CASE("trades sum to the fills of every order", "[markets]") {
    const auto bids = three_ask_bids();
    const auto asks = three_ask_asks();
    const Clearing clearing = clear_uniform_price(bids, asks);
    std::vector<double> bid_totals(bids.size(), 0.0);
    std::vector<double> ask_totals(asks.size(), 0.0);
    for (const Trade& trade : clearing.trades) {
        REQUIRE(trade.bid < bids.size());
        REQUIRE(trade.ask < asks.size());
        CHECK(trade.quantity > 0.0);
        bid_totals[trade.bid] += trade.quantity;
        ask_totals[trade.ask] += trade.quantity;
    }
    CHECK(clearing.trades.size() == 3);
    CHECK(bid_totals == clearing.bid_fills);
    CHECK(ask_totals == clearing.ask_fills);
    CHECK(sum(bid_totals) == clearing.quantity);
}

TEST_CASE("empty books clear nothing at price zero", "[markets]") {
    const std::vector<Order> none;
    const Clearing clearing = clear_uniform_price(none, none);
    CHECK(clearing.price == 0.0);
    CHECK(clearing.quantity == 0.0);
    CHECK(clearing.bid_fills.empty());
    CHECK(clearing.ask_fills.empty());
    CHECK(clearing.trades.empty());
}

TEST_CASE("a book with one empty side does not trade", "[markets]") {
    const std::vector<Order> none;
    const std::vector<Order> orders{{1, 5.0, 3.0}, {2, 5.0, 2.5}};

    const Clearing bids_only = clear_uniform_price(orders, none);
    CHECK(bids_only.price == 0.0);
    CHECK(bids_only.quantity == 0.0);
    CHECK(bids_only.bid_fills == std::vector<double>{0.0, 0.0});
    CHECK(bids_only.trades.empty());

    const Clearing asks_only = clear_uniform_price(none, orders);
    CHECK(asks_only.price == 2.5);
    CHECK(asks_only.quantity == 0.0);
    CHECK(asks_only.ask_fills == std::vector<double>{0.0, 0.0});
    CHECK(asks_only.trades.empty());
}

TEST_CASE("an over-subscribed round scales commitments pro rata to the ask", "[markets]") {
    const FundingRequest request{100.0, 400.0};
    const std::vector<double> commitments{60.0, 90.0};
    const RoundOutcome outcome = settle_round(request, commitments, 0.5, 0.5);
    CHECK(outcome.closed);
    CHECK(outcome.raised_usd == Approx(100.0));
    REQUIRE(outcome.investor_amounts.size() == 2);
    CHECK(outcome.investor_amounts[0] == Approx(40.0));
    CHECK(outcome.investor_amounts[1] == Approx(60.0));
    // Into the caller's array (whatever it held before), the same amounts.
    std::vector<double> amounts{-1.0, -1.0};
    const RoundOutcome into = settle_round(request, commitments, 0.5, 0.5, amounts);
    CHECK(into.investor_amounts.empty());
    CHECK(amounts == outcome.investor_amounts);
    CHECK(into.post_money_usd == outcome.post_money_usd);
    // A failed round leaves every amount 0.
    CHECK_FALSE(settle_round(request, std::vector<double>{1.0, 2.0}, 0.5, 0.5, amounts).closed);
    CHECK(amounts == std::vector<double>{0.0, 0.0});
}

TEST_CASE("an under-subscribed round above min_fill closes smaller", "[markets]") {
    const FundingRequest request{100.0, 400.0};
    const std::vector<double> commitments{30.0, 40.0};
    const RoundOutcome outcome = settle_round(request, commitments, 0.5, 0.5);
    CHECK(outcome.closed);
    CHECK(outcome.raised_usd == 70.0);
    CHECK(outcome.investor_amounts == std::vector<double>{30.0, 40.0});
    CHECK(outcome.partial);
}

TEST_CASE("a partial round closes at a pre-money scaled by fill^elasticity", "[markets]") {
    // 70% filled at elasticity 0.5: pre-money 400 * sqrt(0.7); the lab sells
    // 70 / (400 sqrt(0.7) + 70) of itself instead of 70 / 470.
    const FundingRequest request{100.0, 400.0};
    const std::vector<double> commitments{30.0, 40.0};
    const RoundOutcome outcome = settle_round(request, commitments, 0.05, 0.5);
    REQUIRE(outcome.closed);
    CHECK(outcome.pre_money_usd == Approx(400.0 * std::sqrt(0.7)));
    CHECK(outcome.post_money_usd == Approx(400.0 * std::sqrt(0.7) + 70.0));
    CHECK(70.0 / outcome.post_money_usd > 70.0 / 470.0);
    // A full round keeps its price.
    const std::vector<double> full{60.0, 90.0};
    const RoundOutcome at_ask = settle_round(request, full, 0.05, 0.5);
    CHECK_FALSE(at_ask.partial);
    CHECK(at_ask.pre_money_usd == Approx(400.0));
}

TEST_CASE("a round at a tenth of its ask closes above a small minimum fill", "[markets]") {
    const FundingRequest request{100.0, 400.0};
    const std::vector<double> commitments{4.0, 6.0};
    CHECK(settle_round(request, commitments, 0.05, 0.5).closed);
    CHECK_FALSE(settle_round(request, commitments, 0.25, 0.5).closed);
}

TEST_CASE("a round below min_fill fails and nobody pays", "[markets]") {
    const FundingRequest request{100.0, 400.0};
    const std::vector<double> commitments{10.0, 20.0};
    const RoundOutcome outcome = settle_round(request, commitments, 0.5, 0.5);
    CHECK_FALSE(outcome.closed);
    CHECK(outcome.raised_usd == 0.0);
    CHECK(outcome.investor_amounts == std::vector<double>{0.0, 0.0});
}

TEST_CASE("post-money is pre-money plus the amount raised", "[markets]") {
    const FundingRequest request{100.0, 400.0};
    const std::vector<double> over{60.0, 90.0};
    const std::vector<double> under{30.0, 40.0};
    CHECK(settle_round(request, over, 0.5, 0.5).post_money_usd == Approx(500.0));
    CHECK(settle_round(request, under, 0.5, 0.0).post_money_usd == Approx(470.0));
}

TEST_CASE("softmax sums to one and matches hand values", "[markets]") {
    // exp(0) : exp(ln 3) = 1 : 3
    const std::vector<double> scores{0.0, std::log(3.0)};
    const auto weights = softmax(scores, 1.0);
    REQUIRE(weights.size() == 2);
    CHECK(weights[0] == Approx(0.25));
    CHECK(weights[1] == Approx(0.75));
    const std::vector<double> more{0.3, -1.2, 2.5, 0.0};
    CHECK(sum(softmax(more, 0.7)) == Approx(1.0).epsilon(1e-12));
}

TEST_CASE("softmax is invariant to shifting every score", "[markets]") {
    const std::vector<double> scores{1.0, 2.0, 3.5};
    const std::vector<double> shifted{1001.0, 1002.0, 1003.5};
    const auto weights = softmax(scores, 0.5);
    const auto shifted_weights = softmax(shifted, 0.5);
    REQUIRE(shifted_weights.size() == 3);
    for (std::size_t i = 0; i < weights.size(); ++i)
        CHECK(shifted_weights[i] == Approx(weights[i]).epsilon(1e-12));
}

TEST_CASE("revenue shares are zero for labs not serving", "[markets]") {
    const std::vector<double> scores{3.0, 9.0, 2.0};
    const std::vector<std::uint8_t> serving{1, 0, 1};
    const auto shares = revenue_shares(scores, serving, 1.0);
    REQUIRE(shares.size() == 3);
    CHECK(shares[1] == 0.0);
    // e^3 / (e^3 + e^2) = 1 / (1 + e^-1)
    CHECK(shares[0] == Approx(1.0 / (1.0 + std::exp(-1.0))));
}

TEST_CASE("revenue shares favour the higher score and sum to one", "[markets]") {
    const std::vector<double> scores{40.0, 55.0, 50.0, 70.0};
    const std::vector<std::uint8_t> serving{1, 1, 1, 0};
    const auto shares = revenue_shares(scores, serving, 10.0);
    CHECK(shares[1] > shares[2]);
    CHECK(shares[2] > shares[0]);
    CHECK(shares[0] > 0.0);
    CHECK(sum(shares) == Approx(1.0).epsilon(1e-12));
}

TEST_CASE("users move toward the earned shares with the switching time", "[markets]") {
    const std::vector<double> previous{0.5, 0.5, 0.0};
    const std::vector<double> earned{0.2, 0.3, 0.5};
    const std::vector<std::uint8_t> serving{1, 1, 1};
    // A quarter at an e-folding time of one year moves 1 - e^-0.25 of the way.
    const double pull = 1.0 - std::exp(-0.25);
    const auto shares = switched_shares(previous, earned, serving, 1.0, 0.25);
    REQUIRE(shares.size() == 3);
    CHECK(shares[0] == Approx(0.5 + pull * (0.2 - 0.5)));
    CHECK(shares[2] == Approx(pull * 0.5));
    CHECK(sum(shares) == Approx(1.0).epsilon(1e-12));
    // Without switching time, the earned shares at once.
    CHECK(switched_shares(previous, earned, serving, 0.0, 0.25) == earned);
    // Repeated, the shares converge to the earned ones.
    std::vector<double> now = previous;
    for (int k = 0; k < 200; ++k) now = switched_shares(now, earned, serving, 1.0, 0.25);
    for (std::size_t i = 0; i < now.size(); ++i) CHECK(now[i] == Approx(earned[i]).epsilon(1e-9));
}

TEST_CASE("a lab that stops serving hands its users to the others in proportion", "[markets]") {
    const std::vector<double> previous{0.6, 0.3, 0.1};
    const std::vector<double> earned{0.0, 0.75, 0.25};
    const std::vector<std::uint8_t> serving{0, 1, 1};
    const auto shares = switched_shares(previous, earned, serving, 1.0, 0.25);
    CHECK(shares[0] == 0.0);
    CHECK(sum(shares) == Approx(1.0).epsilon(1e-12));
    // Both move the same share of the way to a 3:1 split, then share lab 0's users.
    const double pull = 1.0 - std::exp(-0.25);
    const double a = 0.3 + pull * (0.75 - 0.3);
    const double b = 0.1 + pull * (0.25 - 0.1);
    CHECK(shares[1] == Approx(a / (a + b)));
}

TEST_CASE("bass adoption rises toward a higher ceiling", "[markets]") {
    // 0.1 + 0.25 (0.03 + 0.4 * 0.1) (0.5 - 0.1) = 0.107
    CHECK(bass_adoption_step(0.1, 0.5, 0.03, 0.4, 0.25) == Approx(0.107));
    const double next = bass_adoption_step(0.2, 0.8, 0.03, 0.4, 0.25);
    CHECK(next > 0.2);
    CHECK(next < 0.8);
}

TEST_CASE("bass adoption falls toward a lower ceiling", "[markets]") {
    const double next = bass_adoption_step(0.6, 0.3, 0.03, 0.4, 0.25);
    CHECK(next < 0.6);
    CHECK(next > 0.3);
}

TEST_CASE("bass adoption stays within [0, 1]", "[markets]") {
    CHECK(bass_adoption_step(0.5, 1.0, 1.0, 1.0, 10.0) == 1.0);  // would be 8
    CHECK(bass_adoption_step(0.9, 0.0, 1.0, 1.0, 10.0) == 0.0);  // would be -16.2
}
