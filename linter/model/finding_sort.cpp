#include <algorithm>
#include <cstdint>
#include <limits>
#include <string_view>

#include "linter/model/finding.h"

namespace migsafe {

namespace {

// What finding_order compares, with the path replaced by its rank among the findings' distinct paths:
// ranks order like the paths, so every comparison has the outcome finding_order gives, at the price
// of two integer compares instead of a string compare for most pairs.
struct SortKey {
  std::uint32_t path_rank;
  int line;
  int column;
  std::uint32_t index;  // into the findings, for the rule id and message when the rest is equal
};

std::vector<SortKey> sort_keys(const std::vector<Finding>& findings) {
  // Findings come in runs of one file: rank each run, not each finding.
  std::vector<std::string_view> paths;
  for (std::size_t i = 0; i < findings.size(); ++i) {
    if (i == 0 || findings[i].path != findings[i - 1].path) paths.push_back(findings[i].path);
  }
  std::sort(paths.begin(), paths.end());
  paths.erase(std::unique(paths.begin(), paths.end()), paths.end());
  std::vector<SortKey> keys(findings.size());
  std::uint32_t rank = 0;
  for (std::size_t i = 0; i < findings.size(); ++i) {
    const Finding& finding = findings[i];
    if (i == 0 || finding.path != findings[i - 1].path) {
      rank = static_cast<std::uint32_t>(std::lower_bound(paths.begin(), paths.end(), std::string_view(finding.path)) -
                                        paths.begin());
    }
    keys[i] = SortKey{rank, finding.start.line, finding.start.column, static_cast<std::uint32_t>(i)};
  }
  return keys;
}

}  // namespace

void sort_findings(std::vector<Finding>& findings, bool stable) {
  std::vector<SortKey> keys = sort_keys(findings);
  auto before = [&findings](const SortKey& a, const SortKey& b) {
    if (a.path_rank != b.path_rank) return a.path_rank < b.path_rank;
    if (a.line != b.line) return a.line < b.line;
    if (a.column != b.column) return a.column < b.column;
    const Finding& x = findings[a.index];
    const Finding& y = findings[b.index];
    if (int order = x.rule_id.compare(y.rule_id); order != 0) return order < 0;
    return x.message.compare(y.message) < 0;
  };
  // Both algorithms decide only from comparison outcomes, and these equal finding_order's, so the
  // permutation is the one sorting the findings themselves gives, ties included.
  if (stable) {
    std::stable_sort(keys.begin(), keys.end(), before);
  } else {
    std::sort(keys.begin(), keys.end(), before);
  }
  // The permutation is applied in place, one cycle at a time: a second array of findings (272 bytes
  // each, megabytes for a large history) cost fresh pages and page faults for every sort.
  constexpr std::uint32_t kPlaced = std::numeric_limits<std::uint32_t>::max();
  for (std::size_t start = 0; start < keys.size(); ++start) {
    if (keys[start].index == kPlaced) continue;
    if (keys[start].index == start) {
      keys[start].index = kPlaced;
      continue;
    }
    // Position k receives the finding at keys[k].index; the cycle through `start` closes when that
    // index comes back to `start`, whose finding waits in `first`.
    Finding first = std::move(findings[start]);
    std::size_t k = start;
    while (keys[k].index != start) {
      std::size_t from = keys[k].index;
      findings[k] = std::move(findings[from]);
      keys[k].index = kPlaced;
      k = from;
    }
    findings[k] = std::move(first);
    keys[k].index = kPlaced;
  }
}

}  // namespace migsafe
