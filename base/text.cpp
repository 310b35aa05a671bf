#include "base/text.hpp"

#include <algorithm>

namespace airace {

std::size_t edit_distance(const std::string& a, const std::string& b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
            diagonal = above;
        }
    }
    return row[b.size()];
}

std::string closest_of(const std::string& word, const std::vector<std::string>& candidates) {
    std::string best;
    std::size_t best_distance = std::max<std::size_t>(3, word.size() / 3) + 1;
    for (const auto& candidate : candidates) {
        // The length difference bounds the distance from below: skipping
        // those keeps a long unknown key (up to the file size) from costing
        // seconds per candidate.
        const std::size_t length_gap = word.size() > candidate.size() ? word.size() - candidate.size()
                                                                        : candidate.size() - word.size();
        if (length_gap >= best_distance) continue;
        const std::size_t d = edit_distance(word, candidate);
        if (d < best_distance) {
            best_distance = d;
            best = candidate;
        }
    }
    return best;
}

}  // namespace airace
