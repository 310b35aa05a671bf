#include "sim/step.hpp"

#include <algorithm>
#include <cmath>

#include "base/parallel.hpp"
#include "base/profile.hpp"
#include "sim/scaling.hpp"
#include "sim/walls.hpp"

namespace airace {
namespace {

// Rows per parallel chunk: a chunk should be tens of microseconds of work,
// or waking a worker costs more than it saves (small worlds stay serial).
constexpr std::size_t agent_grain = 256;     // labs: a few hundred ns each
constexpr std::size_t investor_grain = 1024; // investors: tens of ns each

std::uint32_t u32(std::size_t i) { return static_cast<std::uint32_t>(i); }

}  // namespace

void phase_environment(World& world) {
    world.events.clear();
    world.totals = StepTotals{};
    std::fill(world.labs.funding_usd.begin(), world.labs.funding_usd.end(), 0.0);
    std::fill(world.labs.compliance_usd.begin(), world.labs.compliance_usd.end(), 0.0);
    std::fill(world.labs.fines_usd.begin(), world.labs.fines_usd.end(), 0.0);
    std::fill(world.regulators.fines_usd.begin(), world.regulators.fines_usd.end(), 0.0);
    update_environment(world.env, world.config, world.step);
    apply_policy_events(world);
    update_influencers(world);
    update_power(world);
    update_data_supply(world);
}

void phase_decide(World& world) {
    const ScenarioConfig& config = world.config;
    LabTable& labs = world.labs;
    auto& intents = world.scratch.lab_intents;
    intents.assign(labs.size(), LabIntent{});
    LabContext context;
    context.config = &config;
    context.step = world.step;
    context.year = world.env.year;
    context.expected_price = world.compute_market.price;
    context.unit_cost.fill(world.env.costs.unit());
    context.tokens_demand = world.env.adoption * world.env.tokens_per_step_full_adoption;
    context.revenue_pool_usd =
        world.env.adoption * world.env.addressable_spend_usd_per_year * config.dt_years();
    context.reasoning_available = world.env.reasoning_available;
    fill_regulation_context(world, context);
    parallel_for(labs.size(), agent_grain, [&](std::size_t b, std::size_t e) {
        decide_labs(labs, context, b, e, intents);
    });
    // Plans take effect in lab order.
    for (std::size_t i = 0; i < labs.size(); ++i) {
        const LabIntent& intent = intents[i];
        labs.inference_flop_wanted[i] = intent.inference_bid_flop;
        if (intent.start_run) {
            labs.run_target_flop[i] = intent.run_target_flop;
            labs.run_done_flop[i] = 0;
            labs.run_spend_usd[i] = 0;
            labs.run_start_step[i] = world.step + intent.start_delay;
            labs.last_run_start_step[i] = world.step;
            labs.postponed[i] = 0;
            labs.run_region[i] = intent.run_region;
            labs.run_evading[i] = intent.evade ? 1 : 0;
            const auto host = static_cast<std::size_t>(intent.run_region);
            const double price = world.compute_market.price[host];
            emit(world, EventType::run_started, AgentKind::lab, u32(i), AgentKind::world, -1,
                 intent.run_target_flop, intent.run_target_flop * price);
            if (intent.relocated)
                emit(world, EventType::relocation, AgentKind::lab, u32(i), AgentKind::regulator,
                     static_cast<std::int64_t>(host), intent.run_target_flop, 0);
            if (intent.compliance_usd > 0) {
                labs.cash_usd[i] -= intent.compliance_usd;
                labs.compliance_usd[i] += intent.compliance_usd;
                emit(world, EventType::compliance, AgentKind::lab, u32(i), AgentKind::regulator,
                     static_cast<std::int64_t>(host), intent.compliance_usd, intent.run_target_flop);
            }
        } else if (intent.postpone && !labs.postponed[i]) {
            labs.postponed[i] = 1;
            emit(world, EventType::run_postponed, AgentKind::lab, u32(i), AgentKind::world, -1,
                 labs.model_flop[i] * labs.ambition[i], labs.cash_usd[i]);
        }
    }
    parallel_for(world.investors.size(), investor_grain, [&](std::size_t b, std::size_t e) {
        decide_budgets(world.investors, config.investors, config.dt_years(), b, e);
    });
    std::vector<double> ceiling;
    std::vector<double> supply_share;
    capacity_limits(world, ceiling, supply_share);
    parallel_for(world.compute_providers.size(), agent_grain, [&](std::size_t b, std::size_t e) {
        plan_capacity(world.compute_providers, config.compute, world.env.costs, config.dt_years(),
                      ceiling, supply_share, b, e);
    });
}

void phase_capital_market(World& world) {
    LabTable& labs = world.labs;
    InvestorTable& investors = world.investors;
    auto& requests = world.scratch.requests;
    requests.clear();
    for (std::size_t i = 0; i < labs.size(); ++i) {
        const LabIntent& intent = world.scratch.lab_intents[i];
        if (intent.funding_request_usd <= 0) continue;
        RequestView view;
        view.lab = u32(i);
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
    StepScratch& scratch = world.scratch;
    prepare_requests(requests, world.config.investors, scratch.request_book);
    const auto slots = static_cast<std::size_t>(world.config.investors.deals_per_step);
    scratch.deals.resize(investors.size() * slots);
    if (width > 4 * slots && investors.size() >= 1024) {
        // Many investors and requests: score only the requests each group
        // of like-minded investors could choose (the same choices).
        group_investors(investors, scratch.deal_groups);
        parallel_for(scratch.deal_groups.groups.size(), 8, [&](std::size_t b, std::size_t e) {
            decide_deals_grouped(investors, world.config.investors, scratch.request_book,
                                 scratch.deal_groups, b, e, scratch.deals);
        });
    } else {
        parallel_for(investors.size(), investor_grain, [&](std::size_t b, std::size_t e) {
            decide_deals(investors, world.config.investors, scratch.request_book, b, e, scratch.deals);
        });
    }
    // Each request's commitments, in investor order (a counting sort).
    auto& offsets = scratch.deal_offsets;
    offsets.assign(width + 1, 0);
    for (const Deal& deal : scratch.deals)
        if (deal.request != Deal::no_request) ++offsets[deal.request + 1];
    for (std::size_t j = 0; j < width; ++j) offsets[j + 1] += offsets[j];
    auto& investor_of = scratch.deal_investor;
    auto& amount_of = scratch.deal_amount;
    investor_of.resize(offsets[width]);
    amount_of.resize(offsets[width]);
    {
        auto& cursor = scratch.deal_cursor;
        cursor.assign(offsets.begin(), offsets.end() - 1);
        for (std::size_t i = 0; i < investors.size(); ++i)
            for (std::size_t d = 0; d < slots; ++d) {
                const Deal& deal = scratch.deals[i * slots + d];
                if (deal.request == Deal::no_request) continue;
                const std::size_t at = cursor[deal.request]++;
                investor_of[at] = u32(i);
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
    auto& rounds = scratch.rounds;
    rounds.resize(width);
    auto& digest_changes = scratch.digest_changes;
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
    auto& holders = scratch.round_holders;
    auto& holder_labs = scratch.round_labs;
    auto& paid = scratch.round_paid;
    auto& stakes = scratch.round_stakes;
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

void phase_compute_market(World& world) {
    const ScenarioConfig& config = world.config;
    LabTable& labs = world.labs;
    ComputeProviderTable& providers = world.compute_providers;
    const std::size_t n_labs = labs.size();
    for (std::size_t i = 0; i < n_labs; ++i) {
        labs.training_flop_bought[i] = 0;
        labs.inference_flop_bought[i] = 0;
        labs.compute_spend_usd[i] = 0;
    }
    for (std::size_t p = 0; p < providers.size(); ++p) {
        providers.sold_flop[p] = 0;
        providers.revenue_usd[p] = 0;
        providers.energy_usd[p] = 0;
    }
    auto& bids = world.scratch.bids;
    auto& asks = world.scratch.asks;
    for (int r = 0; r < region_count; ++r) {
        const auto region = static_cast<Region>(r);
        bids.clear();
        asks.clear();
        // Bid ids: 2*lab for training, 2*lab+1 for inference, 2*n for outside
        // users (they lose ties to labs).
        double lab_demand = 0;
        // Labs train where their run is hosted and serve at home.
        for (std::size_t i = 0; i < n_labs; ++i) {
            if (!labs.active(i)) continue;
            const LabIntent& intent = world.scratch.lab_intents[i];
            if (labs.run_region[i] == region && intent.training_bid_flop > 0) {
                bids.push_back({2 * i, intent.training_bid_flop, intent.training_bid_price});
                lab_demand += intent.training_bid_flop;
            }
            if (labs.region[i] == region && intent.inference_bid_flop > 0) {
                bids.push_back({2 * i + 1, intent.inference_bid_flop, intent.inference_bid_price});
                lab_demand += intent.inference_bid_flop;
            }
        }
        const double outside = world.env.external_demand_flop * config.regions[region].compute_share;
        if (outside > 0)
            bids.push_back({2 * n_labs, outside,
                            world.env.costs.unit() *
                                (1.0 + config.compute.base_markup + 0.5 * config.compute.scarcity_markup)});
        double capacity = 0;
        for (std::size_t p = 0; p < providers.size(); ++p) {
            if (providers.region[p] != region) continue;
            const std::size_t first = asks.size();
            asks.resize(first + ask_tranches);
            provider_asks(providers, config.compute, p, std::span<Order>(asks).subspan(first));
            capacity += providers.capacity_flop[p];
        }
        double demand = 0;
        for (const Order& bid : bids) demand += bid.quantity;
        const Clearing clearing = clear_uniform_price(bids, asks);
        world.compute_market.demand[r] = demand;
        world.compute_market.price[r] = clearing.price;
        world.compute_market.quantity[r] = clearing.quantity;
        world.compute_market.capacity[r] = capacity;
        world.compute_market.lab_demand[r] = lab_demand;
        for (const Trade& trade : clearing.trades) {
            const std::uint64_t bid_id = bids[trade.bid].id;
            const std::size_t provider = asks[trade.ask].id / ask_tranches;
            providers.sold_flop[provider] += trade.quantity;
            if (bid_id >= 2 * n_labs) continue;
            const std::size_t lab = bid_id / 2;
            const double cost = trade.quantity * clearing.price;
            if (bid_id % 2 == 0) {
                labs.training_flop_bought[lab] += trade.quantity;
                labs.run_done_flop[lab] += trade.quantity;
                labs.run_spend_usd[lab] += cost;
                world.totals.training_flop += trade.quantity;
            } else {
                labs.inference_flop_bought[lab] += trade.quantity;
                world.totals.inference_flop += trade.quantity;
            }
            labs.compute_spend_usd[lab] += cost;
            labs.cash_usd[lab] -= cost;
            world.totals.compute_spend_usd += cost;
            world.network.add(AgentKind::compute_provider, u32(provider), AgentKind::lab, u32(lab),
                              EdgeType::compute_contract, trade.quantity);
        }
    }
    for (std::size_t p = 0; p < providers.size(); ++p) {
        const double sold = providers.sold_flop[p];
        const int r = static_cast<int>(providers.region[p]);
        providers.revenue_usd[p] = sold * world.compute_market.price[r];
        providers.energy_usd[p] = sold * world.env.costs.energy_usd_per_flop;
        providers.utilisation[p] = providers.capacity_flop[p] > 0 ? sold / providers.capacity_flop[p] : 0;
        const double region_capacity = world.compute_market.capacity[r];
        providers.demand_flop[p] = region_capacity > 0 ? world.compute_market.demand[r] *
                                                             providers.capacity_flop[p] / region_capacity
                                                       : 0;
        world.totals.capex_usd += providers.capex_usd[p];
        world.totals.energy_joules += sold / world.env.flop_per_joule;
    }
    const double seconds = seconds_per_year * config.dt_years();
    for (std::size_t r = 0; r < world.regulators.size(); ++r)
        world.regulators.power_used_gw[r] =
            world.compute_market.quantity[r] / world.env.flop_per_joule / seconds / 1e9;
}

void phase_train_and_release(World& world) {
    const ScenarioConfig& config = world.config;
    LabTable& labs = world.labs;
    const ScalingLaw law = ScalingLaw::from(config.scaling);
    const double dt = config.dt_years();
    const double field_log = std::log(world.env.field_efficiency);
    const double field_rate = std::log(config.algorithms.frontier_growth_per_year);
    const double intensity =
        world.env.reasoning_available ? config.scaling.reasoning_intensity : 1.0;
    const double years = world.env.years_elapsed;
    // Algorithmic efficiency: own R&D moves a lab at up to the field's rate;
    // diffusion closes part of the gap; nobody passes the field's frontier.
    parallel_for(labs.size(), agent_grain, [&](std::size_t b, std::size_t e) {
        for (std::size_t i = b; i < e; ++i) {
            if (!labs.active(i)) continue;
            const double rd_per_year = lab_opex(labs, i, years, dt) / dt *
                                       config.algorithms.rd_share_of_opex;
            const double rd_factor =
                std::clamp(0.5 + config.algorithms.rd_boost_per_log10_usd *
                                     std::log10(std::max(rd_per_year, 1.0) / 1e8),
                           0.0, 1.2);
            double log_a = std::log(labs.efficiency[i]);
            log_a += dt * (field_rate * rd_factor +
                           config.algorithms.diffusion_per_year * (field_log - log_a));
            labs.efficiency[i] = std::exp(std::min(log_a, field_log));
        }
    });
    // Runs finish when their compute is bought, or give up waiting: a run
    // stalled two quarters past plan releases what it has if that beats the
    // deployed model, and is abandoned otherwise.
    for (std::size_t i = 0; i < labs.size(); ++i) {
        if (!labs.active(i) || labs.run_start_step[i] < 0) continue;
        const std::int32_t elapsed = world.step - labs.run_start_step[i] + 1;
        const bool complete = labs.run_done_flop[i] >= 0.999 * labs.run_target_flop[i];
        const bool overdue = elapsed >= config.labs.run_quarters + 2;
        if (!complete && !overdue) continue;
        const double flop = labs.run_done_flop[i];
        if (flop * labs.efficiency[i] > labs.model_flop[i] * labs.model_efficiency[i]) {
            check_evasion(world, i, flop);
            const TrainingOutcome outcome = train_with_synthetic(
                law, flop, labs.efficiency[i], labs.usable_tokens[i], synthetic_plan(world, i));
            const double kappa =
                outcome.kappa + reasoning_gain(intensity, config.scaling.reasoning_kappa_per_log10,
                                               config.scaling.reasoning_max_kappa);
            labs.model_flop[i] = flop;
            labs.model_params[i] = outcome.params;
            labs.model_tokens[i] = outcome.tokens_seen;
            labs.model_loss[i] = outcome.loss;
            labs.model_kappa[i] = kappa;
            labs.model_score[i] =
                capability_score(kappa, config.scaling.score_k50, config.scaling.score_width);
            labs.model_cost_usd[i] = labs.run_spend_usd[i];
            labs.model_efficiency[i] = labs.efficiency[i];
            labs.model_data_limited[i] = outcome.data_limited ? 1 : 0;
            labs.model_synthetic_share[i] = outcome.synthetic_share;
            labs.collapse_penalty[i] = outcome.collapse_penalty;
            labs.reasoning_intensity[i] = intensity;
            emit(world, EventType::release, AgentKind::lab, u32(i), AgentKind::world, -1, flop, kappa);
            world.totals.releases += 1;
        }
        labs.run_start_step[i] = -1;
        labs.run_target_flop[i] = 0;
        labs.run_done_flop[i] = 0;
        labs.run_spend_usd[i] = 0;
        labs.run_evading[i] = 0;
    }
    update_frontier(world);
    // The data wall: the first time the frontier model trained on all the
    // human data its lab may use.
    if (world.data_wall_year < 0) {
        for (std::size_t i = 0; i < labs.size(); ++i)
            if (labs.active(i) && labs.model_kappa[i] >= world.frontier_kappa &&
                labs.model_data_limited[i]) {
                world.data_wall_year = world.env.year + dt;
                emit(world, EventType::data_wall, AgentKind::lab, u32(i), AgentKind::world, -1,
                     labs.usable_tokens[i], world.data_wall_year);
                break;
            }
    }
    // The largest run's power draw this step.
    const double seconds = seconds_per_year * dt;
    for (std::size_t i = 0; i < labs.size(); ++i)
        world.totals.largest_run_power_w =
            std::max(world.totals.largest_run_power_w,
                     labs.training_flop_bought[i] / seconds / world.env.flop_per_joule);
    settle_incidents(world);
}

void phase_product_market(World& world) {
    const ScenarioConfig& config = world.config;
    const ProductConfig& product = config.product;
    LabTable& labs = world.labs;
    const std::size_t n = labs.size();
    double best_score = 0;
    std::vector<double> scores(n, 0.0);
    std::vector<std::uint8_t> serving(n, 0);
    for (std::size_t i = 0; i < n; ++i) {
        scores[i] = labs.model_score[i];
        serving[i] = labs.active(i) && labs.model_flop[i] > 0 ? 1 : 0;
        if (serving[i]) best_score = std::max(best_score, scores[i]);
    }
    // Adoption diffuses toward a ceiling set by the best model's usefulness.
    const double ceiling = product.max_adoption * best_score / 100.0;
    world.env.adoption = bass_adoption_step(world.env.adoption, ceiling, product.bass_p,
                                            product.bass_q, config.dt_years());
    const std::vector<double> shares = revenue_shares(scores, serving, product.share_temperature);
    const double pool = world.env.adoption * world.env.addressable_spend_usd_per_year *
                        config.dt_years();
    const double tokens = world.env.adoption * world.env.tokens_per_step_full_adoption;
    for (std::size_t i = 0; i < n; ++i) {
        // Revenue needs the serving compute the lab planned to buy; a lab
        // short of it serves (and earns) that much less.
        const double wanted = labs.inference_flop_wanted[i];
        const double served = wanted > 0 ? std::min(1.0, labs.inference_flop_bought[i] / wanted) : 1.0;
        // The first quarter has no serving bought yet: serve from own capacity.
        const double fill = world.step == 0 ? 1.0 : served;
        const double wanted_tokens = shares[i] * tokens;
        labs.revenue_share[i] = shares[i];
        labs.tokens_served[i] = wanted_tokens * fill;
        labs.revenue_usd[i] = pool * shares[i] * fill;
        labs.cash_usd[i] += labs.revenue_usd[i];
        world.totals.ai_revenue_usd += labs.revenue_usd[i];
    }
}

}  // namespace airace
