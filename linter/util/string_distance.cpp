#include "linter/util/string_distance.h"

#include <algorithm>
#include <cctype>

#include "linter/util/text.h"

namespace migsafe {

std::size_t damerau_levenshtein(std::string_view a, std::string_view b) {
  const std::size_t rows = a.size() + 1;
  const std::size_t columns = b.size() + 1;
  // Three rolling rows are enough: a transposition looks two rows back.
  std::vector<std::size_t> two_back(columns), previous(columns), current(columns);
  for (std::size_t j = 0; j < columns; ++j) previous[j] = j;
  for (std::size_t i = 1; i < rows; ++i) {
    current[0] = i;
    for (std::size_t j = 1; j < columns; ++j) {
      std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        current[j] = std::min(current[j], two_back[j - 2] + 1);
      }
    }
    std::swap(two_back, previous);
    std::swap(previous, current);
  }
  return previous[columns - 1];
}

namespace {

}  // namespace

std::optional<std::string> closest_match(std::string_view word, const std::vector<std::string>& candidates) {
  // Case differences are not typos worth counting: "Select" is as close to "select" as it gets.
  const std::string needle = ascii_lowered(word);
  std::optional<std::string> best;
  std::size_t best_distance = 0;
  for (const std::string& candidate : candidates) {
    std::size_t distance = damerau_levenshtein(needle, ascii_lowered(candidate));
    std::size_t longest = std::max(needle.size(), candidate.size());
    std::size_t limit = std::max<std::size_t>(longest >= 5 ? 2 : 1, longest / 3);
    if (distance > limit) continue;
    if (!best || distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  // One edit away is a typo for sure. Otherwise a fragment of a long name ("adding-not-null" for
  // "adding-not-null-column") says more than a name that happens to be a few edits away.
  if ((best && best_distance <= 1) || needle.size() < 4) return best;
  for (const std::string& candidate : candidates) {
    if (ascii_lowered(candidate).rfind(needle, 0) == 0) return candidate;
  }
  for (const std::string& candidate : candidates) {
    if (ascii_lowered(candidate).find(needle) != std::string::npos) return candidate;
  }
  return best;
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  if (auto match = closest_match(word, candidates)) return "; did you mean '" + *match + "'?";
  return {};
}

}  // namespace migsafe
