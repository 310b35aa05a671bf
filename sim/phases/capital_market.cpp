// Phase 3, capital market: labs' funding requests meet investors'
// commitments; rounds close (in full, or partially at a lower price) or fail,
// dilute earlier holders and add equity edges. A dormant slot's founding
// round that closes makes a new lab enter.

#include <algorithm>
#include <cmath>
#include <span>

#include "base/parallel.hpp"
#include "base/profile.hpp"
#include "sim/phases/phases.hpp"

namespace airace {
namespace {

// The labs' funding requests, in lab order, as investors see them. A lab
// with no model yet (a founding round, or an entrant before its first
// release) is judged by its know-how: its gap to the frontier is that of its
// efficiency (a founding team's: labs.entrant_efficiency_share of the
// field's) to the field's, in OOM of effective compute, and its momentum 0.
void collect_requests(const CapitalMarketIO& io, std::vector<RequestView>& requests) {
    const LabTable& labs = io.labs;
    const std::span<const LabIntent> intents = io.plans.intents;
    requests.clear();
    double field = 0;  // the field's efficiency, once a lab without a model asks
    for (std::size_t i = 0; i < labs.size(); ++i) {
        const LabIntent& intent = intents[i];
        if (intent.funding_request_usd <= 0) continue;
        RequestView view;
        view.lab = index32(i);
        view.region = labs.region[i];
        view.amount_usd = intent.funding_request_usd;
        view.pre_money_usd = intent.pre_money_usd;
        if (labs.has_model(i)) {
            view.momentum = labs.model_kappa[i] - labs.kappa_year_ago(i, io.step);
            view.frontier_gap = labs.model_kappa[i] - io.frontier_kappa;
        } else {
            if (field <= 0) field = field_efficiency(labs);
            const double share = labs.dormant(i) ? io.config.labs.entrant_efficiency_share
                                                 : labs.efficiency[i] / field;
            view.frontier_gap = std::min(0.0, std::log10(share));
        }
        view.revenue_usd = labs.revenue_last_year(i);
        requests.push_back(view);
    }
}

// Each investor commits to its best few requests (sparse: at a million
// investors a dense [investors x requests] table would not fit).
void choose_requests(const InvestorTable& investors, const InvestorsConfig& config,
                     CapitalMarketBook& book) {
    prepare_requests(book.requests, config, book.request_book);
    const auto slots = static_cast<std::size_t>(config.deals_per_step);
    book.deals.resize(investors.size() * slots);
    // Both searches make exactly the same choices (checked by
    // tests/agents/investor_deals_test.cpp); the thresholds only pick the
    // faster one, so they are not behaviour: grouping pays once there are
    // many more requests than an investor's slots and enough investors to
    // fill groups.
    if (book.requests.size() > 4 * slots && investors.size() >= 1024) {
        // Many investors and requests: score only the requests each group
        // of like-minded investors could choose (the same choices).
        group_investors(investors, book.request_book, book.deal_groups);
        parallel_for(book.deal_groups.groups.size(), 8, [&](std::size_t b, std::size_t e) {
            decide_deals_grouped(investors, config, book.request_book, book.deal_groups, b, e,
                                 book.deals);
        });
    } else {
        parallel_for(investors.size(), investor_grain, [&](std::size_t b, std::size_t e) {
            decide_deals(investors, config, book.request_book, b, e, book.deals);
        });
    }
}

// Each request's commitments, in investor order (a counting sort).
void group_by_request(std::size_t investor_count, std::size_t slots, CapitalMarketBook& book) {
    const std::size_t width = book.requests.size();
    auto& offsets = book.deal_offsets;
    offsets.assign(width + 1, 0);
    for (const Deal& deal : book.deals)
        if (deal.request != Deal::no_request) ++offsets[deal.request + 1];
    for (std::size_t j = 0; j < width; ++j) offsets[j + 1] += offsets[j];
    book.deal_investor.resize(offsets[width]);
    book.deal_amount.resize(offsets[width]);
    book.deal_place.resize(book.deals.size());
    auto& cursor = book.deal_cursor;
    cursor.assign(offsets.begin(), offsets.end() - 1);
    for (std::size_t i = 0; i < investor_count; ++i)
        for (std::size_t d = 0; d < slots; ++d) {
            const Deal& deal = book.deals[i * slots + d];
            if (deal.request == Deal::no_request) continue;
            const std::size_t at = cursor[deal.request]++;
            book.deal_investor[at] = index32(i);
            book.deal_amount[at] = deal.amount_usd;
            book.deal_place[i * slots + d] = at;
        }
}

// Request j's commitments, in investor order.
std::span<const double> commitments(const CapitalMarketBook& book, std::size_t j) {
    const std::size_t first = book.deal_offsets[j];
    return {book.deal_amount.data() + first, book.deal_offsets[j + 1] - first};
}

// Each round's outcome, and the dilution of a closed round's existing
// holders by pre / post, lab by lab in parallel: a round touches only its
// own lab's equity edges (one request per lab). The sums run over a round's
// commitments in investor order; investors who did not commit add nothing
// to them. The edge digest's changes are kept for settle_in_lab_order().
void settle_rounds(const InvestorsConfig& config, CapitalMarketBook& book, Network& network) {
    const std::size_t width = book.requests.size();
    book.rounds.resize(width);
    book.round_amounts.resize(book.deal_offsets[width]);
    book.digest_changes.assign(width, 0);
    parallel_for(width, 4, [&](std::size_t b, std::size_t e) {
        for (std::size_t j = b; j < e; ++j) {
            const RequestView& request = book.requests[j];
            RoundOutcome& round = book.rounds[j];
            const std::size_t first = book.deal_offsets[j];
            round = settle_round({request.amount_usd, request.pre_money_usd}, commitments(book, j),
                                 config.min_round_fill, config.down_round_elasticity,
                                 {book.round_amounts.data() + first, book.deal_offsets[j + 1] - first});
            if (!round.closed) continue;
            const double dilution = round.pre_money_usd / round.post_money_usd;
            book.digest_changes[j] = network.dilute_apart(request.lab, dilution);
        }
    });
}

// A closed round's commitments that paid, and its lead: the first investor
// with the largest amount (investor 0 when nobody paid more than it).
struct Payers {
    std::size_t count = 0;
    std::uint32_t lead = 0;
};

Payers payers(const CapitalMarketBook& book, std::size_t j) {
    const std::size_t first = book.deal_offsets[j];
    const std::size_t count = book.deal_offsets[j + 1] - first;
    Payers out;
    double lead_amount = count > 0 && book.deal_investor[first] == 0 ? book.round_amounts[first] : 0.0;
    for (std::size_t c = 0; c < count; ++c) {
        const double amount = book.round_amounts[first + c];
        if (amount <= 0) continue;
        out.count += 1;
        if (amount > lead_amount) {
            out.lead = book.deal_investor[first + c];
            lead_amount = amount;
        }
    }
    return out;
}

// The step's new holdings (the book's round_* lists) in lab order, and
// what each investor paid, lab by lab in parallel: each closed round's
// payers are counted (a prefix sum gives where its holdings start), then
// written; each investor adds what it paid in lab order, as a pass over
// the rounds in lab order would, so the sums are the same to the bit.
void collect_holdings(const CapitalMarketIO& io) {
    CapitalMarketBook& book = io.book;
    const std::size_t width = book.requests.size();
    book.round_first.assign(width + 1, 0);
    book.round_lead.assign(width, 0);
    parallel_for(width, 64, [&](std::size_t b, std::size_t e) {
        for (std::size_t j = b; j < e; ++j) {
            if (!book.rounds[j].closed) continue;
            const Payers p = payers(book, j);
            book.round_first[j + 1] = p.count;
            book.round_lead[j] = p.lead;
        }
    });
    for (std::size_t j = 0; j < width; ++j) book.round_first[j + 1] += book.round_first[j];
    const std::size_t total = book.round_first[width];
    book.round_holders.resize(total);
    book.round_labs.resize(total);
    book.round_paid.resize(total);
    book.round_stakes.resize(total);
    parallel_for(width, 64, [&](std::size_t b, std::size_t e) {
        for (std::size_t j = b; j < e; ++j) {
            const RoundOutcome& round = book.rounds[j];
            if (!round.closed) continue;
            const std::size_t first = book.deal_offsets[j];
            std::size_t at = book.round_first[j];
            for (std::size_t c = first; c < book.deal_offsets[j + 1]; ++c) {
                const double amount = book.round_amounts[c];
                if (amount <= 0) continue;
                book.round_holders[at] = book.deal_investor[c];
                book.round_labs[at] = book.requests[j].lab;
                book.round_paid[at] = amount;
                book.round_stakes[at] = amount / round.post_money_usd;
                ++at;
            }
        }
    });
    InvestorTable& investors = io.investors;
    const auto slots = static_cast<std::size_t>(io.config.investors.deals_per_step);
    parallel_for(investors.size(), investor_grain, [&](std::size_t b, std::size_t e) {
        std::vector<std::pair<std::uint32_t, double>> paid;  // (request, amount), in lab order
        for (std::size_t i = b; i < e; ++i) {
            paid.clear();
            for (std::size_t d = 0; d < slots; ++d) {
                const Deal& deal = book.deals[i * slots + d];
                if (deal.request == Deal::no_request || !book.rounds[deal.request].closed) continue;
                const double amount = book.round_amounts[book.deal_place[i * slots + d]];
                if (!(amount <= 0)) paid.emplace_back(deal.request, amount);  // (as payers())
            }
            if (paid.size() > 1)  // (an investor's slots in slot order within a request)
                std::stable_sort(paid.begin(), paid.end(),
                                 [](const auto& x, const auto& y) { return x.first < y.first; });
            for (const auto& [request, amount] : paid) {
                investors.invested_usd[i] += amount;
                investors.invested_total_usd[i] += amount;
            }
        }
    });
}

// A closed round: its investors are holders already (collect_holdings),
// the lab gets the money.
void close_round(const CapitalMarketIO& io, std::size_t j) {
    CapitalMarketBook& book = io.book;
    const RoundOutcome& round = book.rounds[j];
    const std::uint32_t lab = book.requests[j].lab;
    LabTable& labs = io.labs;
    // A down-round: priced below what the lab was worth before it.
    if (round.pre_money_usd < labs.valuation_usd[lab]) io.totals.down_rounds += 1;
    labs.cash_usd[lab] += round.raised_usd;
    labs.funding_usd[lab] += round.raised_usd;
    labs.raised_total_usd[lab] += round.raised_usd;
    labs.valuation_usd[lab] = round.post_money_usd;
    io.events.emit(EventType::funding_round, AgentKind::lab, lab, AgentKind::investor,
                   static_cast<std::int64_t>(book.round_lead[j]), round.raised_usd, round.post_money_usd);
    io.totals.investment_usd += round.raised_usd;
    io.totals.rounds_closed += 1;
}

// A dormant slot whose founding round closed enters (its cash is in), with
// its share of the know-how of the field before this step's entries.
void enter(const CapitalMarketIO& io, std::size_t j, double field, std::uint32_t lead) {
    const std::uint32_t lab = io.book.requests[j].lab;
    enter_lab(io.labs, io.config, lab, field, io.book.rounds[j].raised_usd, io.step);
    io.events.emit(EventType::lab_entry, AgentKind::lab, lab, AgentKind::investor,
                   static_cast<std::int64_t>(lead), io.book.rounds[j].raised_usd,
                   io.labs.efficiency[lab]);
    io.totals.entries += 1;
}

// Then the rounds settle in lab order: new holders, cash, events, entries;
// the holders' equity edges are added after the last round, in the same
// order (a round touches only its own lab's edges).
void settle_in_lab_order(const CapitalMarketIO& io) {
    CapitalMarketBook& book = io.book;
    collect_holdings(io);
    const double field = field_efficiency(io.labs);
    for (std::size_t j = 0; j < book.requests.size(); ++j) {
        const RequestView& request = book.requests[j];
        io.network.add_digest_change(book.digest_changes[j]);
        io.labs.last_round_step[request.lab] = io.step;
        if (book.rounds[j].closed) {
            const bool founding = io.labs.dormant(request.lab);
            close_round(io, j);
            if (founding) enter(io, j, field, book.round_lead[j]);
            continue;
        }
        double committed = 0;
        for (double c : commitments(book, j)) committed += c;
        io.events.emit(EventType::round_failed, AgentKind::lab, request.lab, AgentKind::world, -1,
                       request.amount_usd, committed);
        io.totals.rounds_failed += 1;
    }
}

// What investors did not invest this step is their dry powder, carried
// into the next step's budget (agents/investor.hpp decide_budgets).
void carry_dry_powder(InvestorTable& investors) {
    parallel_for(investors.size(), investor_grain, [&](std::size_t b, std::size_t e) {
        for (std::size_t i = b; i < e; ++i)
            investors.dry_powder_usd[i] = std::max(0.0, investors.budget_usd[i] - investors.invested_usd[i]);
    });
}

void settle_market(const CapitalMarketIO& io) {
    CapitalMarketBook& book = io.book;
    collect_requests(io, book.requests);
    if (book.requests.empty()) return;
    const InvestorsConfig& config = io.config.investors;
    ProfileScope decide(io.profiler, "3 capital market / commitments");
    choose_requests(io.investors, config, book);
    group_by_request(io.investors.size(), static_cast<std::size_t>(config.deals_per_step), book);
    decide.stop();
    ProfileScope settle(io.profiler, "3 capital market / settle");
    settle_rounds(config, book, io.network);
    settle_in_lab_order(io);
    settle.stop();
    const ProfileScope edges(io.profiler, "3 capital market / equity edges");
    io.network.add_many(AgentKind::investor, book.round_holders, AgentKind::lab, book.round_labs,
                        EdgeType::equity, book.round_paid, book.round_stakes);
}

}  // namespace

void phase_capital_market(const CapitalMarketIO& io) {
    settle_market(io);
    carry_dry_powder(io.investors);
}

}  // namespace airace
