// Phase 3, capital market: labs' funding requests meet investors'
// commitments; rounds close or fail, dilute earlier holders and add equity
// edges.

#include <span>

#include "base/parallel.hpp"
#include "base/profile.hpp"
#include "sim/phases/phases.hpp"

namespace airace {

void phase_capital_market(World& world) {
    LabTable& labs = world.labs;
    InvestorTable& investors = world.investors;
    auto& requests = world.messages.capital.requests;
    requests.clear();
    for (std::size_t i = 0; i < labs.size(); ++i) {
        const LabIntent& intent = world.messages.plans.intents[i];
        if (intent.funding_request_usd <= 0) continue;
        RequestView view;
        view.lab = index32(i);
        view.region = labs.region[i];
        view.amount_usd = intent.funding_request_usd;
        view.pre_money_usd = intent.pre_money_usd;
        view.momentum = labs.model_kappa[i] - labs.kappa_year_ago(i, world.step);
        view.frontier_gap = labs.model_kappa[i] - world.frontier_kappa;
        view.revenue_usd = labs.revenue_last_year(i);
        requests.push_back(view);
    }
    const std::size_t width = requests.size();
    if (width == 0) return;
    // Each investor commits to its best few requests (sparse: at a million
    // investors a dense [investors x requests] table would not fit).
    ProfileScope decide(world.profiler, "3 capital market / commitments");
    CapitalMarketBook& book = world.messages.capital;
    prepare_requests(requests, world.config.investors, book.request_book);
    const auto slots = static_cast<std::size_t>(world.config.investors.deals_per_step);
    book.deals.resize(investors.size() * slots);
    if (width > 4 * slots && investors.size() >= 1024) {
        // Many investors and requests: score only the requests each group
        // of like-minded investors could choose (the same choices).
        group_investors(investors, book.deal_groups);
        parallel_for(book.deal_groups.groups.size(), 8, [&](std::size_t b, std::size_t e) {
            decide_deals_grouped(investors, world.config.investors, book.request_book,
                                 book.deal_groups, b, e, book.deals);
        });
    } else {
        parallel_for(investors.size(), investor_grain, [&](std::size_t b, std::size_t e) {
            decide_deals(investors, world.config.investors, book.request_book, b, e, book.deals);
        });
    }
    // Each request's commitments, in investor order (a counting sort).
    auto& offsets = book.deal_offsets;
    offsets.assign(width + 1, 0);
    for (const Deal& deal : book.deals)
        if (deal.request != Deal::no_request) ++offsets[deal.request + 1];
    for (std::size_t j = 0; j < width; ++j) offsets[j + 1] += offsets[j];
    auto& investor_of = book.deal_investor;
    auto& amount_of = book.deal_amount;
    investor_of.resize(offsets[width]);
    amount_of.resize(offsets[width]);
    {
        auto& cursor = book.deal_cursor;
        cursor.assign(offsets.begin(), offsets.end() - 1);
        for (std::size_t i = 0; i < investors.size(); ++i)
            for (std::size_t d = 0; d < slots; ++d) {
                const Deal& deal = book.deals[i * slots + d];
                if (deal.request == Deal::no_request) continue;
                const std::size_t at = cursor[deal.request]++;
                investor_of[at] = index32(i);
                amount_of[at] = deal.amount_usd;
            }
    }
    decide.stop();
    ProfileScope settle(world.profiler, "3 capital market / settle");
    // Each round's outcome, and the dilution of a closed round's existing
    // holders by pre / post, lab by lab in parallel: a round touches only
    // its own lab's equity edges (one request per lab). The sums run over a
    // round's commitments in investor order; investors who did not commit
    // add nothing to them.
    auto& rounds = book.rounds;
    rounds.resize(width);
    auto& digest_changes = book.digest_changes;
    digest_changes.assign(width, 0);
    parallel_for(width, 4, [&](std::size_t b, std::size_t e) {
        for (std::size_t j = b; j < e; ++j) {
            const RequestView& request = requests[j];
            const std::size_t first = offsets[j];
            const std::span<const double> column(amount_of.data() + first, offsets[j + 1] - first);
            rounds[j] = settle_round({request.amount_usd, request.pre_money_usd}, column,
                                     world.config.investors.min_round_fill);
            if (!rounds[j].closed) continue;
            const double dilution = request.pre_money_usd / rounds[j].post_money_usd;
            digest_changes[j] = world.network.visit_in_apart(
                AgentKind::lab, request.lab, EdgeType::equity,
                [&](AgentKind, std::uint32_t, double&, double& stake) { stake *= dilution; });
        }
    });
    // Then the rounds settle in lab order: new holders, cash, events; the
    // holders' equity edges are added after the last round, in the same
    // order (a round touches only its own lab's edges).
    auto& holders = book.round_holders;
    auto& holder_labs = book.round_labs;
    auto& paid = book.round_paid;
    auto& stakes = book.round_stakes;
    holders.clear();
    holder_labs.clear();
    paid.clear();
    stakes.clear();
    for (std::size_t j = 0; j < width; ++j) {
        const RequestView& request = requests[j];
        const std::uint32_t lab = request.lab;
        const std::size_t first = offsets[j];
        const std::size_t count = offsets[j + 1] - first;
        const std::span<const double> column(amount_of.data() + first, count);
        const RoundOutcome& round = rounds[j];
        world.network.add_digest_change(digest_changes[j]);
        labs.last_round_step[lab] = world.step;
        if (!round.closed) {
            double committed = 0;
            for (double c : column) committed += c;
            emit(world, EventType::round_failed, AgentKind::lab, lab, AgentKind::world, -1,
                 request.amount_usd, committed);
            world.totals.rounds_failed += 1;
            continue;
        }
        // The lead is the first investor with the largest amount (investor
        // 0 when nobody paid more than it).
        std::uint32_t lead = 0;
        double lead_amount = count > 0 && investor_of[first] == 0 ? round.investor_amounts[0] : 0.0;
        for (std::size_t c = 0; c < count; ++c) {
            const double amount = round.investor_amounts[c];
            if (amount <= 0) continue;
            const std::uint32_t i = investor_of[first + c];
            if (amount > lead_amount) {
                lead = i;
                lead_amount = amount;
            }
            holders.push_back(i);
            holder_labs.push_back(lab);
            paid.push_back(amount);
            stakes.push_back(amount / round.post_money_usd);
            investors.invested_usd[i] += amount;
            investors.invested_total_usd[i] += amount;
        }
        labs.cash_usd[lab] += round.raised_usd;
        labs.funding_usd[lab] += round.raised_usd;
        labs.raised_total_usd[lab] += round.raised_usd;
        labs.valuation_usd[lab] = round.post_money_usd;
        emit(world, EventType::funding_round, AgentKind::lab, lab, AgentKind::investor,
             static_cast<std::int64_t>(lead), round.raised_usd, round.post_money_usd);
        world.totals.investment_usd += round.raised_usd;
        world.totals.rounds_closed += 1;
    }
    settle.stop();
    const ProfileScope edges(world.profiler, "3 capital market / equity edges");
    world.network.add_many(AgentKind::investor, holders, AgentKind::lab, holder_labs, EdgeType::equity, paid,
                           stakes);
}
}  // namespace airace
