#pragma once
// Data providers (publishers, platforms, code hosts, archives): stocks of
// human-made tokens, how open they are to crawlers, licence prices and
// exclusive deals (docs/model.md section 8). Licences are rival and expire: a
// provider licenses at most data.max_licensees labs at once, for
// data.licence_years each; an exclusive deal closes it to everyone else.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "base/ids.hpp"

namespace airace {

struct DataProviderTable {
    std::vector<std::string> name;
    std::vector<Region> region;
    std::vector<double> quality;          // mean-one weight: closes faster, priced higher
    std::vector<double> stock_share;      // share of the world's human text stock
    std::vector<double> stock_tokens;
    std::vector<double> openness;         // share crawlable without a licence
    std::vector<double> licence_price;    // USD per token
    std::vector<double> licence_revenue;  // USD this step
    std::vector<double> tokens_demanded;  // tokens labs asked to licence this step
    std::vector<std::int32_t> exclusive_lab;  // -1: none
    std::vector<std::int32_t> licensees;  // active labs holding a licence in its term

    std::size_t size() const { return name.size(); }
    void resize(std::size_t n);
    double closed_tokens(std::size_t i) const { return stock_tokens[i] * (1.0 - openness[i]); }
    // Crawlable tokens anyone may use (exclusive providers are closed to all).
    double open_tokens(std::size_t i) const {
        return exclusive_lab[i] >= 0 ? 0.0 : stock_tokens[i] * openness[i];
    }

    // Every column but the name, for checkpoints: visit("column", vector).
    template <class Self, class Visit>
    static void columns(Self& self, Visit&& visit) {
        visit("region", self.region);
        visit("quality", self.quality);
        visit("stock_share", self.stock_share);
        visit("stock_tokens", self.stock_tokens);
        visit("openness", self.openness);
        visit("licence_price", self.licence_price);
        visit("licence_revenue", self.licence_revenue);
        visit("tokens_demanded", self.tokens_demanded);
        visit("exclusive_lab", self.exclusive_lab);
        visit("licensees", self.licensees);
    }
};

// What pushes providers to close: AI demand and legal pressure in their region.
struct DataPressure {
    double ai_pressure = 0;                            // 0..1, world
    std::array<double, region_count> legal_pressure{};  // >= 0, per region (sum capped at 1)
};

// Grows stocks, closes sources under pressure and moves licence prices toward
// demand (rows [begin, end)).
void update_data_providers(DataProviderTable& providers, const DataConfig& config,
                           double world_stock_tokens, const DataPressure& pressure, double dt,
                           std::size_t begin, std::size_t end);

// Sum of crawlable tokens over providers.
double open_tokens(const DataProviderTable& providers);

}  // namespace airace
