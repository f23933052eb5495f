// Inline suppressions in SQL: `-- migsafe:ignore rule-a, rule-b -- optional reason` (or the same inside
// /* ... */) applies to the next statement, or to the statement the comment trails or sits in;
// `-- migsafe:ignore-file rule-a` covers the whole file. No rule list means every rule.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "linter/model/migration.h"
#include "linter/model/project.h"

namespace migsafe {

struct SuppressionDirective {
  bool file_level = false;
  std::vector<std::string> rules;
  std::string reason;
};

// Parses a comment body (without `--` or `/* */`); nullopt when it is not a migsafe directive.
// Fixture annotations (`-- expect: ...`, `-- migsafe-test: ...`) that follow the reason are not part of it.
std::optional<SuppressionDirective> parse_suppression_directive(std::string_view body);

// The suppressions written in `region` of `file`, attached to `statements` (sorted by position).
std::vector<Suppression> sql_suppressions(const SourceFilePtr& file, ByteRange region,
                                          const std::vector<Statement>& statements);

}  // namespace migsafe
