#include "agents/data_provider.hpp"

namespace airace {

void DataProviderTable::resize(std::size_t n) {
    name.resize(n);
    region.resize(n);
    stock_share.resize(n, 0.0);
    stock_tokens.resize(n, 0.0);
    openness.resize(n, 0.0);
}

double update_data_providers(DataProviderTable& providers, double world_stock_tokens) {
    double open_tokens = 0;
    for (std::size_t i = 0; i < providers.size(); ++i) {
        providers.stock_tokens[i] = providers.stock_share[i] * world_stock_tokens;
        open_tokens += providers.stock_tokens[i] * providers.openness[i];
    }
    return open_tokens;
}

}  // namespace airace
