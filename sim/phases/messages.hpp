#pragma once
// What the phases of a step hand to each other, and each market's working
// arrays. They live in the World (World::messages) so that their vectors
// keep their capacity from step to step: no phase allocates them anew. Each
// type says which phase writes it and which reads it; none of it is state
// (a checkpoint leaves it out, and every step rewrites what it reads).

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "agents/investor.hpp"
#include "agents/lab.hpp"
#include "base/markets.hpp"

namespace airace {

// Written by phase 2 (decide), one intent per lab; read by phase 3 (capital
// market: funding requests) and phase 4 (compute market: compute bids).
struct LabPlans {
    std::vector<LabIntent> intents;  // per lab
};

// Phase 2 (decide) only: what each compute provider may build this step.
struct CapacityLimits {
    std::vector<double> ceiling;       // per provider: FLOP/step its share of the region's power allows
    std::vector<double> supply_share;  // per provider: share of chip supply it may buy (export controls)
};

// Phase 3 (capital market) only: the funding requests, investors'
// commitments to them and the rounds they close.
struct CapitalMarketBook {
    std::vector<RequestView> requests;          // this step's requests, in lab order
    RequestBook request_book;                   // the requests as every investor scores them
    DealGroups deal_groups;                     // like-minded investors (large books only)
    std::vector<Deal> deals;                    // [investors x deals_per_step]
    std::vector<std::size_t> deal_offsets;      // per request, into deal_investor / deal_amount
    std::vector<std::size_t> deal_cursor;
    std::vector<std::uint32_t> deal_investor;   // commitments grouped by request, investor order
    std::vector<double> deal_amount;
    std::vector<std::size_t> deal_place;        // per deal (as deals): its place in deal_investor
    std::vector<RoundOutcome> rounds;           // per request
    std::vector<double> round_amounts;          // what each commitment paid (as deal_amount)
    std::vector<std::uint64_t> digest_changes;  // per request: its dilution's change of the edge digest
    std::vector<std::size_t> round_first;       // per request + 1: where its new holdings start
    std::vector<std::uint32_t> round_lead;      // per request: its lead investor (a closed round)
    // The step's new holdings (investor, lab, amount paid, stake), added as
    // equity edges after the last round.
    std::vector<std::uint32_t> round_holders;
    std::vector<std::uint32_t> round_labs;
    std::vector<double> round_paid;
    std::vector<double> round_stakes;
};

// Phase 4 (compute market) only: one region's auction at a time.
struct ComputeOrders {
    std::vector<Order> bids;  // labs' training and serving bids, then outside users'
    std::vector<Order> asks;  // providers' tranches
};

// Phase 5 (data market) only: buyers, offers and exclusive-deal targets.
struct DataMarketBook {
    std::vector<std::size_t> buyers;
    std::vector<double> gap;             // per lab: tokens of the stock it still lacks
    std::vector<double> need;            // per lab: stock tokens its run needs (gap's reference)
    std::vector<double> wanted;          // per lab: effective tokens wanted beyond its produced ones
    double production_left = 0;          // tokens of new human text still for sale this step
    std::vector<std::size_t> offers;     // providers by licence price
    std::vector<std::size_t> by_stock;   // providers by stock
    std::vector<std::size_t> stock_rank; // per provider, its place in by_stock
    std::vector<std::size_t> next_open;  // skips exclusive providers in by_stock
    std::vector<std::uint8_t> has_exclusive;  // per lab
    std::vector<std::uint32_t> held_by;  // per provider, the stamp of the lab looking if it holds a licence
    std::vector<double> held_until;      // per provider, the year the looking lab's licence ran to (0: none)
};

// Phase 9 (account) only: labs that could acquire a bankrupt one, by cash.
struct Acquirers {
    std::vector<std::pair<double, std::uint32_t>> heap;  // (cash, lab), richest on top
};

// What the investors' views read of a lab, side by side: each holding
// reads all of it, and the labs a million investors hold are scattered
// (one cache line a holding instead of one per field).
struct LabView {
    double equity_scale = 1;        // the lab's equity scale (Network::equity_scale)
    double valuation_usd = 0;       // its valuation
    double weighted_sentiment = 0;  // its holders' stake-weighted sentiment
    double stakes = 0;              // its holders' stakes
    double momentum = 0;            // its momentum against the frontier; -1 once it is gone
};

// Phase 9 (account): written by the portfolio views from the equity edges,
// read by the investors' sentiment update.
struct PortfolioViews {
    std::vector<double> co_investor;         // per investor: co-investors' mean sentiment
    std::vector<double> portfolio_momentum;  // per investor: its labs' mean momentum
    std::vector<LabView> labs;               // per lab
};

struct PhaseMessages {
    LabPlans plans;              // 2 -> 3, 4
    CapacityLimits capacity;     // 2
    CapitalMarketBook capital;   // 3
    ComputeOrders compute;       // 4
    DataMarketBook data;         // 5
    Acquirers acquirers;         // 9
    PortfolioViews portfolios;   // 9
};

}  // namespace airace
