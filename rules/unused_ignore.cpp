// unused-ignore: a suppression comment naming an unknown rule, or one that suppressed nothing.
// The engine reports it (it is the one that applies suppressions); this file holds the rule's docs.
#include "linter/engine/rule.h"

namespace migsafe {
namespace {

constexpr RuleInfo kInfo{
    .id = "unused-ignore",
    .default_severity = Severity::Note,
    .category = RuleCategory::Meta,
    .engines = kAllEngines,
    .summary = "A suppression comment names an unknown rule or suppressed nothing.",
    .what_it_does =
        "Reports `-- migsafe:ignore ...` / `# migsafe: ignore[...]` comments (and their file-level forms) "
        "that matched no finding, and rule ids in them that migsafe does not know.",
    .why =
        "A stale suppression hides nothing today but silently hides the next real finding on that "
        "statement; a misspelt rule id suppresses nothing while the author believes it does.",
    .safe_alternative = "Remove the comment, fix the rule id, or move the comment next to the statement it is for.",
    .bad_example = "-- migsafe:ignore adding-not-null-column -- backfilled by hand\nALTER TABLE users ADD COLUMN nickname text;",
    .good_example = "ALTER TABLE users ADD COLUMN nickname text;",
    .lock = "",
    .versions = "",
    .references = "ruff RUF100 (unused-noqa)",
};

class UnusedIgnore final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
};

MIGSAFE_REGISTER_RULE(UnusedIgnore);

}  // namespace
}  // namespace migsafe
