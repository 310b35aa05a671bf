#pragma once
// Data providers: stocks of human-made tokens and how open they are to
// crawlers. Thin in this version: stocks grow with the field's trend and a
// fixed share is open; licensing and closing come with the data-wall work.

#include <string>
#include <vector>

#include "sim/config.hpp"
#include "sim/ids.hpp"

namespace airace {

struct DataProviderTable {
    std::vector<std::string> name;
    std::vector<Region> region;
    std::vector<double> stock_share;    // share of the world's human text stock
    std::vector<double> stock_tokens;
    std::vector<double> openness;       // share crawlable without a licence

    std::size_t size() const { return name.size(); }
    void resize(std::size_t n);
};

// Sets each provider's stock from the world stock; returns the open tokens.
double update_data_providers(DataProviderTable& providers, double world_stock_tokens);

}  // namespace airace
