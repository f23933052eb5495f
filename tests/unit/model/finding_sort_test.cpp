// sort_findings sorts indices and applies the permutation in place; the result must be exactly what
// sorting the findings themselves by finding_order gives (std::sort or std::stable_sort), ties included,
// since reports print findings in this order.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "linter/model/finding.h"

namespace migsafe {
namespace {

// Many ties on purpose: few paths, lines, columns and rules, and messages that repeat. The migration id
// (not part of the order) tells the findings apart.
std::vector<Finding> random_findings(unsigned seed, std::size_t count) {
  std::mt19937 random(seed);
  auto pick = [&random](int n) { return static_cast<int>(random() % static_cast<unsigned>(n)); };
  std::vector<Finding> findings(count);
  for (std::size_t i = 0; i < count; ++i) {
    Finding& finding = findings[i];
    finding.path = pick(5) == 0 ? "" : "migrations/" + std::to_string(pick(4)) + ".sql";
    finding.start = {pick(6), pick(3)};
    finding.rule_id = "rule-" + std::to_string(pick(3));
    finding.message = "message " + std::to_string(pick(2));
    finding.migration_id = std::to_string(i);
  }
  return findings;
}

std::vector<std::string> ids(const std::vector<Finding>& findings) {
  std::vector<std::string> result;
  for (const Finding& finding : findings) result.push_back(finding.migration_id);
  return result;
}

TEST(SortFindings, SamePermutationAsSortingTheFindings) {
  for (unsigned seed = 1; seed <= 40; ++seed) {
    for (std::size_t count : {0u, 1u, 2u, 17u, 300u}) {
      std::vector<Finding> findings = random_findings(seed, count);
      std::vector<Finding> expected = findings;
      std::vector<Finding> expected_stable = findings;
      std::sort(expected.begin(), expected.end(), finding_order);
      std::stable_sort(expected_stable.begin(), expected_stable.end(), finding_order);
      std::vector<Finding> sorted = findings;
      sort_findings(sorted, /*stable=*/false);
      ASSERT_EQ(ids(sorted), ids(expected)) << seed << " " << count;
      sorted = findings;
      sort_findings(sorted, /*stable=*/true);
      ASSERT_EQ(ids(sorted), ids(expected_stable)) << seed << " " << count;
      // Every finding arrives whole, not only its id.
      for (std::size_t i = 0; i < sorted.size(); ++i) {
        ASSERT_EQ(sorted[i].path, expected_stable[i].path);
        ASSERT_EQ(sorted[i].message, expected_stable[i].message);
      }
    }
  }
}

}  // namespace
}  // namespace migsafe
