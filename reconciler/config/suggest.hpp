#pragma once
// "did you mean ...?" for misspelt field names, enum values, kinds and references.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace idform::config {

// The candidate closest to `word` when it is close enough to be a likely typo (case-insensitive
// edit distance, transpositions counting once), else nullopt.
std::optional<std::string> closest_match(std::string_view word,
                                         const std::vector<std::string>& candidates);

// " (did you mean \"x\"?)" or "".
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace idform::config
