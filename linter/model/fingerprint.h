// fingerprint() (finding.h) in two steps, for reports that number identical statements: the hash of a
// finding's rule id, path and statement identity is computed once, and the fingerprint for each
// occurrence index only adds the index. fingerprint(f, n) == fingerprint_hex(fingerprint_with_occurrence(
// fingerprint_prefix(f), n)).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "linter/model/finding.h"

namespace migsafe {

// Equal for findings with the same rule id, path and statement identity.
std::uint64_t fingerprint_prefix(const Finding& finding);
std::uint64_t fingerprint_with_occurrence(std::uint64_t prefix, int occurrence);
// The 16 lowercase hex digits reports and baselines show, held inline: reporters write one per finding,
// and a std::string of 16 characters is a heap allocation.
class FingerprintDigits {
 public:
  explicit FingerprintDigits(std::uint64_t value);
  std::string_view view() const { return {digits_, sizeof digits_}; }

 private:
  char digits_[16];
};
// The same digits as a string.
std::string fingerprint_hex(std::uint64_t value);

}  // namespace migsafe
