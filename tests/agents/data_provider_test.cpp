// agents/data_provider.cpp: licence prices read their keys.

#include <catch2/catch.hpp>

#include <cmath>

#include "agents/data_provider.hpp"

using namespace airace;

namespace {

// Licence price after one quarter of a provider with 100 closed tokens of
// which labs asked to licence `demanded`.
double price_after(const DataConfig& config, double demanded) {
    DataProviderTable providers;
    providers.resize(1);
    providers.stock_share[0] = 1;
    providers.openness[0] = 0;
    providers.quality[0] = 1;
    providers.licence_price[0] = 1;
    providers.tokens_demanded[0] = demanded;
    update_data_providers(providers, config, 100, DataPressure{}, 0.25, 0, 1);
    return providers.licence_price[0];
}

}  // namespace

TEST_CASE("data.price_neutral_demand_share: the demand at which licence prices hold",
          "[agents][data]") {
    DataConfig config;
    CHECK(price_after(config, 50) == 1.0);  // half the closed tokens: steady
    config.price_neutral_demand_share = 0.2;
    CHECK(price_after(config, 50) == Approx(std::exp(0.5 * 0.25 * 0.3)));
    CHECK(price_after(config, 20) == 1.0);
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
