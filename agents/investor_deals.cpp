// Investors' choice of funding rounds: each joins its best few requests and
// spreads its budget over them by a softmax of their scores.
//
// Why this file is more than a loop: at a million investors and tens of
// thousands of requests a quarter, scoring every request for every investor
// is 10^10 scores a step. An investor's score for request j is, up to
// rounding, intercept_j + a * momentum_j + (same region ? home bias : 0) with
// intercept_j = gap_j - penalty_j and a = wow sensitivity + w * sentiment (w:
// investors.sentiment_momentum_weight), a line in a. So investors with close
// values of a want nearly the same
// requests. Investors are grouped by region and a; for a group, any k
// requests give a floor under every member's k-th best score (each line's
// minimum over the group's range of a), and a request whose line stays
// under that floor over the whole range cannot enter any member's best k.
// The book's index (requests by region, cut into momentum slices, each
// sorted by intercept) finds the few that can. Those are scored with the one
// expression deal_score(), and the best k chosen with the same ordering
// (score, then request order) as the plain search, so the choices are
// identical; a margin far above rounding error (1e-9 of the scores' scale)
// keeps the bounds safe.

#include <algorithm>
#include <cmath>
#include <numeric>

#include "agents/investor.hpp"

namespace airace {
namespace {

// The k best (score desc, then request index asc), best first.
struct Best {
    std::vector<double> score;
    std::vector<std::uint32_t> request;
    std::size_t k = 0;
    std::size_t count = 0;

    void reset(std::size_t capacity) {
        k = capacity;
        count = 0;
        score.resize(k);
        request.resize(k);
    }
    static bool better(double sa, std::uint32_t ra, double sb, std::uint32_t rb) {
        return sa != sb ? sa > sb : ra < rb;
    }
    void offer(double s, std::uint32_t j) {
        if (count == k && !better(s, j, score[k - 1], request[k - 1])) return;
        std::size_t at = count < k ? count++ : k - 1;
        while (at > 0 && better(s, j, score[at - 1], request[at - 1])) {
            score[at] = score[at - 1];
            request[at] = request[at - 1];
            --at;
        }
        score[at] = s;
        request[at] = j;
    }
};

// The score of request j for an investor: the one expression every path
// uses (momentum and rank pull money toward labs whose releases impress;
// valuation far above revenue pushes it away; home bias is mild). The book
// holds the per-request parts with their weights applied.
inline double deal_score(double wow, double sentiment, Region home, const RequestBook& book,
                         std::size_t j) {
    const double m = book.momentum[j];
    return wow * m + book.gap[j] - book.penalty[j] + (book.region[j] == home ? book.home_bias : 0.0) +
           book.sentiment_momentum_weight * sentiment * m;
}

// Spreads the budget over the chosen requests by a softmax of their scores
// (markets.cpp softmax(), unrolled here to avoid an allocation per investor).
void spread_budget(const Best& best, double budget, double temperature, std::span<Deal> out,
                   std::vector<double>& weights) {
    weights.resize(best.count);
    double top = best.score[0];
    for (std::size_t d = 1; d < best.count; ++d) top = std::max(top, best.score[d]);
    double total = 0;
    for (std::size_t d = 0; d < best.count; ++d) {
        weights[d] = std::exp((best.score[d] - top) / temperature);
        total += weights[d];
    }
    for (std::size_t d = 0; d < best.count; ++d) weights[d] /= total;
    for (std::size_t d = 0; d < out.size(); ++d)
        out[d] = d < best.count ? Deal{best.request[d], budget * weights[d]} : Deal{};
}

// Momentum slices per region: more slices bound the slope term tighter but
// cost more to scan per group.
std::size_t slices_for(std::size_t requests) {
    return std::clamp<std::size_t>(requests / 64, 1, 24);
}

// The slope a of investor i's score in a request's momentum.
double slope_of(const InvestorTable& investors, std::size_t i, double sentiment_momentum_weight) {
    return investors.wow_sensitivity[i] + sentiment_momentum_weight * investors.sentiment[i];
}

// Investors per group: narrow enough in a that few requests qualify.
constexpr std::size_t group_target = 64;

// Investor i's deals: its best k of the requests candidate(0), ...,
// candidate(count - 1) (in request order; ties go to the earlier request),
// the budget spread by a softmax over them. `best` keeps investor i's choice.
template <class Candidate>
void choose_deals(const InvestorTable& investors, const InvestorsConfig& config, const RequestBook& book,
                  std::size_t i, std::size_t k, std::size_t count, const Candidate& candidate, Best& best,
                  std::vector<double>& weights, std::span<Deal> out) {
    if (k == 0) {
        for (Deal& d : out) d = Deal{};
        return;
    }
    best.reset(k);
    const double wow = investors.wow_sensitivity[i];
    const double sentiment = investors.sentiment[i];
    const Region home = investors.region[i];
    for (std::size_t n = 0; n < count; ++n) {
        const std::uint32_t j = candidate(n);
        best.offer(deal_score(wow, sentiment, home, book, j), j);
    }
    spread_budget(best, investors.budget_usd[i], config.softmax_temperature, out, weights);
}

}  // namespace

void prepare_requests(std::span<const RequestView> requests, const InvestorsConfig& config,
                      RequestBook& book) {
    const std::size_t n = requests.size();
    book.momentum.resize(n);
    book.gap.resize(n);
    book.penalty.resize(n);
    book.region.resize(n);
    book.max_momentum = 0;
    book.max_intercept = 0;
    book.home_bias = config.home_bias;
    book.sentiment_momentum_weight = config.sentiment_momentum_weight;
    for (std::size_t j = 0; j < n; ++j) {
        const RequestView& request = requests[j];
        const double multiple =
            request.pre_money_usd / std::max(request.revenue_usd, config.revenue_floor_usd);
        book.momentum[j] = request.momentum;
        book.gap[j] = config.gap_weight * request.frontier_gap;
        book.penalty[j] = config.overvaluation_weight *
                          std::max(0.0, std::log10(multiple / config.target_revenue_multiple));
        book.region[j] = request.region;
        book.max_momentum = std::max(book.max_momentum, std::abs(book.momentum[j]));
        book.max_intercept = std::max(book.max_intercept, std::abs(book.gap[j] - book.penalty[j]));
    }
    // The index: by region, then momentum (then index), cut into slices of
    // equal count, each slice sorted by intercept (best first, then index).
    book.order.resize(n);
    std::iota(book.order.begin(), book.order.end(), 0u);
    std::sort(book.order.begin(), book.order.end(), [&](std::uint32_t a, std::uint32_t b) {
        if (book.region[a] != book.region[b]) return book.region[a] < book.region[b];
        if (book.momentum[a] != book.momentum[b]) return book.momentum[a] < book.momentum[b];
        return a < b;
    });
    book.slices.clear();
    book.intercept.resize(n);
    std::size_t first = 0;
    while (first < n) {
        std::size_t last = first;
        while (last < n && book.region[book.order[last]] == book.region[book.order[first]]) ++last;
        const std::size_t count = last - first;
        const std::size_t slices = slices_for(count);
        for (std::size_t s = 0; s < slices; ++s) {
            RequestBook::Slice slice;
            slice.region = book.region[book.order[first]];
            slice.begin = static_cast<std::uint32_t>(first + count * s / slices);
            slice.end = static_cast<std::uint32_t>(first + count * (s + 1) / slices);
            if (slice.begin == slice.end) continue;
            slice.momentum_low = book.momentum[book.order[slice.begin]];
            slice.momentum_high = book.momentum[book.order[slice.end - 1]];
            std::sort(book.order.begin() + slice.begin, book.order.begin() + slice.end,
                      [&](std::uint32_t a, std::uint32_t b) {
                          const double ia = book.gap[a] - book.penalty[a];
                          const double ib = book.gap[b] - book.penalty[b];
                          return ia != ib ? ia > ib : a < b;
                      });
            book.slices.push_back(slice);
        }
        first = last;
    }
    for (std::size_t p = 0; p < n; ++p)
        book.intercept[p] = book.gap[book.order[p]] - book.penalty[book.order[p]];
}

void decide_deals(const InvestorTable& investors, const InvestorsConfig& config,
                  const RequestBook& book, std::size_t begin, std::size_t end,
                  std::span<Deal> deals) {
    const std::size_t width = book.size();
    const auto slots = static_cast<std::size_t>(config.deals_per_step);
    const std::size_t k = std::min(width, slots);
    Best best;
    std::vector<double> weights;
    // Investors join only their best few rounds, scoring every request.
    const auto every_request = [](std::size_t n) { return static_cast<std::uint32_t>(n); };
    for (std::size_t i = begin; i < end; ++i)
        choose_deals(investors, config, book, i, k, width, every_request, best, weights,
                     deals.subspan(i * slots, slots));
}

void decide_commitments(const InvestorTable& investors, const InvestorsConfig& config,
                        std::span<const RequestView> requests, std::size_t begin, std::size_t end,
                        std::span<double> commitments) {
    const std::size_t width = requests.size();
    RequestBook book;
    prepare_requests(requests, config, book);
    const auto slots = static_cast<std::size_t>(config.deals_per_step);
    std::vector<Deal> deals(end * slots);
    decide_deals(investors, config, book, begin, end, deals);
    for (std::size_t i = begin; i < end; ++i) {
        for (std::size_t j = 0; j < width; ++j) commitments[i * width + j] = 0.0;
        for (std::size_t d = 0; d < slots; ++d) {
            const Deal& deal = deals[i * slots + d];
            if (deal.request != Deal::no_request) commitments[i * width + deal.request] = deal.amount_usd;
        }
    }
}

void group_investors(const InvestorTable& investors, const RequestBook& book, DealGroups& groups) {
    const double weight = book.sentiment_momentum_weight;
    const std::size_t n = investors.size();
    groups.groups.clear();
    groups.investors.resize(n);
    groups.bin_of.resize(n);
    // Per region, bins of equal width in a; a bin of more than group_target
    // investors is cut into groups of that size (sorting by a within a bin
    // would tighten groups but costs more than it saves).
    for (int r = 0; r < region_count; ++r) {
        const auto region = static_cast<Region>(r);
        double low = INFINITY;
        double high = -INFINITY;
        std::size_t members = 0;
        for (std::size_t i = 0; i < n; ++i) {
            if (investors.region[i] != region) continue;
            const double a = slope_of(investors, i, weight);
            low = std::min(low, a);
            high = std::max(high, a);
            ++members;
        }
        if (members == 0) continue;
        const std::size_t bins = std::max<std::size_t>(1, members / group_target);
        const double width = high > low ? (high - low) / static_cast<double>(bins) : 1.0;
        groups.bin_counts.assign(bins + 1, 0);
        for (std::size_t i = 0; i < n; ++i) {
            if (investors.region[i] != region) continue;
            const auto bin =
                std::min(bins - 1, static_cast<std::size_t>((slope_of(investors, i, weight) - low) / width));
            groups.bin_of[i] = static_cast<std::uint32_t>(bin);
            ++groups.bin_counts[bin + 1];
        }
        std::uint32_t base = groups.groups.empty() ? 0 : groups.groups.back().end;
        for (std::size_t b = 0; b < bins; ++b) groups.bin_counts[b + 1] += groups.bin_counts[b];
        std::vector<std::uint32_t> cursor(groups.bin_counts.begin(), groups.bin_counts.end() - 1);
        for (std::size_t i = 0; i < n; ++i)
            if (investors.region[i] == region)
                groups.investors[base + cursor[groups.bin_of[i]]++] = static_cast<std::uint32_t>(i);
        for (std::size_t b = 0; b < bins; ++b) {
            for (std::uint32_t g = groups.bin_counts[b]; g < groups.bin_counts[b + 1]; g += group_target) {
                DealGroups::Group group;
                group.region = region;
                group.begin = base + g;
                group.end = base + std::min<std::uint32_t>(g + group_target, groups.bin_counts[b + 1]);
                groups.groups.push_back(group);
            }
        }
    }
}

namespace {

// A group's range of slopes a and the scale of its slope terms, with the
// book's weight (whatever weight the investors were binned by), and the
// bounds of each request's score line over that range.
struct GroupLines {
    const RequestBook& book;
    Region region;
    double a_low = INFINITY;
    double a_high = -INFINITY;
    double scale = 0;  // largest |wow sensitivity| + |w * sentiment|

    GroupLines(const InvestorTable& investors, const RequestBook& book_, const DealGroups& groups,
               const DealGroups::Group& group)
        : book(book_), region(group.region) {
        for (std::uint32_t m = group.begin; m < group.end; ++m) {
            const std::size_t i = groups.investors[m];
            const double a = slope_of(investors, i, book.sentiment_momentum_weight);
            a_low = std::min(a_low, a);
            a_high = std::max(a_high, a);
            scale = std::max(scale, std::abs(investors.wow_sensitivity[i]) +
                                        std::abs(book.sentiment_momentum_weight * investors.sentiment[i]));
        }
    }
    double bonus_of(Region r) const { return r == region ? book.home_bias : 0.0; }
    double low(std::size_t j) const {
        const double base = book.gap[j] - book.penalty[j] + bonus_of(book.region[j]);
        return base + std::min(a_low * book.momentum[j], a_high * book.momentum[j]);
    }
    double high(std::size_t j) const {
        const double base = book.gap[j] - book.penalty[j] + bonus_of(book.region[j]);
        return base + std::max(a_low * book.momentum[j], a_high * book.momentum[j]);
    }
    double margin() const {
        return 1e-9 * (1.0 + scale * book.max_momentum + book.max_intercept + std::abs(book.home_bias));
    }
};

// The floor a candidate must reach: any k requests give one (the least of
// their lines' lows over the range); good ones give a high floor. The
// previous group of the region (close in a) chose good ones; otherwise take
// the best heads of the slices at mid-range.
double seed_floor(const GroupLines& lines, std::size_t k, const std::vector<std::uint32_t>& previous,
                  bool previous_usable, std::vector<std::pair<double, std::uint32_t>>& seeds) {
    const RequestBook& book = lines.book;
    double floor = INFINITY;
    if (previous_usable) {
        for (const std::uint32_t j : previous) floor = std::min(floor, lines.low(j));
        return floor;
    }
    const double a_mid = 0.5 * (lines.a_low + lines.a_high);
    seeds.clear();  // (score at the group's middle, request)
    for (const RequestBook::Slice& slice : book.slices) {
        const std::uint32_t stop =
            std::min<std::uint32_t>(slice.end, slice.begin + static_cast<std::uint32_t>(k));
        for (std::uint32_t p = slice.begin; p < stop; ++p) {
            const std::uint32_t j = book.order[p];
            seeds.emplace_back(book.intercept[p] + a_mid * book.momentum[j] + lines.bonus_of(slice.region), j);
        }
    }
    const std::size_t take = std::min(k, seeds.size());
    std::partial_sort(seeds.begin(), seeds.begin() + static_cast<std::ptrdiff_t>(take), seeds.end(),
                      [](const auto& l, const auto& r) { return l.first > r.first; });
    for (std::size_t s = 0; s < take; ++s) floor = std::min(floor, lines.low(seeds[s].second));
    if (take < k) floor = -INFINITY;  // fewer seeds than choices: keep everything
    return floor;
}

// Candidates: requests whose line can reach `cut` somewhere in the range.
// Slices are sorted by intercept, so a slice is left at its first request
// that cannot, even at the slice's steepest slope.
void gather_candidates(const GroupLines& lines, double cut, std::vector<std::uint32_t>& candidates) {
    const RequestBook& book = lines.book;
    for (const RequestBook::Slice& slice : book.slices) {
        const double bonus = lines.bonus_of(slice.region);
        const double steepest =
            std::max({lines.a_low * slice.momentum_low, lines.a_low * slice.momentum_high,
                      lines.a_high * slice.momentum_low, lines.a_high * slice.momentum_high});
        for (std::uint32_t p = slice.begin; p < slice.end; ++p) {
            if (book.intercept[p] + steepest + bonus < cut) break;
            const std::uint32_t j = book.order[p];
            if (lines.high(j) >= cut) candidates.push_back(j);
        }
    }
}

}  // namespace

void decide_deals_grouped(const InvestorTable& investors, const InvestorsConfig& config,
                          const RequestBook& book, const DealGroups& groups, std::size_t begin,
                          std::size_t end, std::span<Deal> deals) {
    const std::size_t width = book.size();
    const auto slots = static_cast<std::size_t>(config.deals_per_step);
    const std::size_t k = std::min(width, slots);
    Best best;
    std::vector<double> weights;
    std::vector<std::uint32_t> candidates;
    std::vector<std::pair<double, std::uint32_t>> seeds;
    std::vector<std::uint32_t> previous;  // the last investor's choices, of the previous group
    Region previous_region = Region::us;
    for (std::size_t g = begin; g < end; ++g) {
        const DealGroups::Group& group = groups.groups[g];
        const GroupLines lines(investors, book, groups, group);
        candidates.clear();
        if (width <= 4 * k) {
            for (std::size_t j = 0; j < width; ++j) candidates.push_back(static_cast<std::uint32_t>(j));
        } else {
            const bool previous_usable = previous.size() == k && previous_region == group.region;
            const double floor = seed_floor(lines, k, previous, previous_usable, seeds);
            gather_candidates(lines, floor - lines.margin(), candidates);
        }
        for (std::uint32_t m = group.begin; m < group.end; ++m) {
            const std::size_t i = groups.investors[m];
            choose_deals(investors, config, book, i, k, candidates.size(),
                         [&](std::size_t n) { return candidates[n]; }, best, weights,
                         deals.subspan(i * slots, slots));
        }
        if (k > 0 && group.end > group.begin) {
            previous.assign(best.request.begin(), best.request.begin() + static_cast<std::ptrdiff_t>(best.count));
            previous_region = group.region;
        }
    }
}

}  // namespace airace
