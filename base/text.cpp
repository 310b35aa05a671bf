#include "base/text.hpp"

#include <fmt/format.h>

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

std::string clip(const std::string& text, std::size_t max) {
    std::string out;
    std::size_t shown = 0;
    for (std::size_t i = 0; i < text.size() && shown < max; ++i) {
        const char c = text[i];
        out += c == '\n' || c == '\r' || c == '\t' ? ' ' : c;
        // Count characters, not the continuation bytes of UTF-8.
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++shown;
    }
    // Finish a UTF-8 character cut in the middle.
    std::size_t i = out.size();
    while (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) out += text[i++];
    if (i >= text.size()) return out;
    return fmt::format("{}... ({} characters)", out, text.size());
}

}  // namespace airace
