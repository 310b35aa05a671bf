#pragma once
// Small text helpers for messages a user can act on ("did you mean ...").

#include <cstddef>
#include <string>
#include <vector>

namespace airace {

// Levenshtein distance (insertions, deletions, substitutions each cost 1).
std::size_t edit_distance(const std::string& a, const std::string& b);

// The candidate closest to `word` by edit distance, or "" when none is within
// max(3, |word| / 3) edits.
std::string closest_of(const std::string& word, const std::vector<std::string>& candidates);

// `text` as a message shows it: on one line (line breaks as spaces) and at
// most `max` characters, then "... (N characters)", so that a message never
// echoes a whole file or a megabyte-long value.
std::string clip(const std::string& text, std::size_t max = 80);

}  // namespace airace
