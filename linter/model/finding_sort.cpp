#include <algorithm>
#include <cstdint>
#include <numeric>

#include "linter/model/finding.h"

namespace migsafe {

void sort_findings(std::vector<Finding>& findings, bool stable) {
  // Both algorithms decide only from comparison outcomes, so sorting indices compared through the
  // findings gives the permutation sorting the findings themselves gives, ties included.
  std::vector<std::uint32_t> order(findings.size());
  std::iota(order.begin(), order.end(), 0u);
  auto before = [&findings](std::uint32_t a, std::uint32_t b) { return finding_order(findings[a], findings[b]); };
  if (stable) {
    std::stable_sort(order.begin(), order.end(), before);
  } else {
    std::sort(order.begin(), order.end(), before);
  }
  std::vector<Finding> sorted;
  sorted.reserve(findings.size());
  for (std::uint32_t index : order) sorted.push_back(std::move(findings[index]));
  findings = std::move(sorted);
}

}  // namespace migsafe
