// agents/data_provider.cpp: licence prices read their keys.

#include <catch2/catch.hpp>

#include <cmath>

#include "agents/data_provider.hpp"

using namespace airace;

namespace {

// Licence price after one quarter, relative to the price before, of a
// provider with 100 closed tokens of which labs asked to licence `demanded`
// (the price before, 1e-4 USD per token-year, is below the default cap).
double price_after(const DataConfig& config, double demanded) {
    const double before = 1e-4;
    DataProviderTable providers;
    providers.resize(1);
    providers.stock_share[0] = 1;
    providers.openness[0] = 0;
    providers.quality[0] = 1;
    providers.licence_price[0] = before;
    providers.tokens_demanded[0] = demanded;
    update_data_providers(providers, config, 100, DataPressure{}, 0.25, 0, 1);
    return providers.licence_price[0] / before;
}

}  // namespace

TEST_CASE("data.price_neutral_demand_share: the demand at which licence prices hold",
          "[agents][data]") {
    DataConfig config;
    CHECK(price_after(config, 50) == Approx(1.0));  // half the closed tokens: steady
    config.price_neutral_demand_share = 0.2;
    CHECK(price_after(config, 50) == Approx(std::exp(0.5 * 0.25 * 0.3)));
    CHECK(price_after(config, 20) == Approx(1.0));
}

TEST_CASE("data.price_signal_floor and cap bound how fast licence prices move", "[agents][data]") {
    DataConfig config;
    CHECK(price_after(config, 1e6) == Approx(std::exp(0.5 * 0.25 * 2.0)));
    CHECK(price_after(config, 0) == Approx(std::exp(0.5 * 0.25 * -0.5)));
    config.price_signal_cap = 0.5;
    config.price_signal_floor = -0.1;
    CHECK(price_after(config, 1e6) == Approx(std::exp(0.5 * 0.25 * 0.5)));
    CHECK(price_after(config, 0) == Approx(std::exp(0.5 * 0.25 * -0.1)));
}

TEST_CASE("data.produced_cost_usd_per_token caps what a licence costs over its term",
          "[agents][data]") {
    DataConfig config;
    config.produced_cost_usd_per_token = 3e-4;  // over 3 years: at most the price before
    config.licence_years = 3;
    CHECK(price_after(config, 1e6) == Approx(1.0));  // would rise without the cap
    CHECK(price_after(config, 0) < 1.0);             // falls freely below it
    config.produced_cost_usd_per_token = 3e-3;
    CHECK(price_after(config, 1e6) == Approx(std::exp(0.5 * 0.25 * 2.0)));
}
