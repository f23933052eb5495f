// Edit distances for "did you mean ...?" suggestions in configuration and command-line errors.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace migsafe {

// Damerau-Levenshtein distance (optimal string alignment variant): insertions, deletions,
// substitutions and transpositions of two adjacent characters each cost 1. "selcet" -> "select" is 1.
std::size_t damerau_levenshtein(std::string_view a, std::string_view b);

// The candidate closest to `word`, when it is close enough to be a plausible typo: at most a third of
// the longer word's length (minimum 1, at least 2 for words of 5+ characters). Unless the closest is a
// single edit away, a candidate that starts with (or else contains) `word` (4+ characters) is preferred:
// "adding-not-null" means "adding-not-null-column". Ties go to the first candidate in the list, so
// callers pass candidates in a stable order. Case is ignored.
std::optional<std::string> closest_match(std::string_view word, const std::vector<std::string>& candidates);

// "; did you mean 'x'?" when a close candidate exists, otherwise "".
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace migsafe
