// syntax-error: a statement or file that cannot be parsed. The rest of the file and the run continue.
#include "linter/engine/rule.h"

namespace migsafe {
namespace {

constexpr RuleInfo kInfo{
    .id = "syntax-error",
    .default_severity = Severity::Error,
    .category = RuleCategory::Meta,
    .engines = kAllEngines,
    .summary = "A statement or file could not be parsed, so migsafe could not check it.",
    .what_it_does =
        "Reports every SQL statement the dialect's parser rejects, and every file that cannot be read as a "
        "migration: binary content, invalid UTF-8, unreadable files, Python that is not valid Python. Other "
        "statements and files are still linted.",
    .why =
        "A statement the parser rejects will most likely be rejected by the database too, failing the "
        "deploy halfway. And whatever migsafe cannot parse it cannot check for locks, rewrites or data loss.",
    .safe_alternative =
        "Fix the statement so that it parses (the message quotes the parser), or, if the statement uses "
        "syntax of another dialect, set `dialect` in the configuration.",
    .bad_example = "ALTER TABLE users ADD COLUMN;",
    .good_example = "ALTER TABLE users ADD COLUMN nickname text;",
    .lock = "",
    .versions = "",
    .references = "",
};

class SyntaxErrorRule final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }

  void check_statement(const StatementContext& context) const override {
    if (!context.statement.error) return;
    const SyntaxError& error = *context.statement.error;
    ByteRange range = error.range.empty() ? context.statement.range : error.range;
    context.report_at(context.script.file, range,
                      "This statement cannot be parsed (" + error.message +
                          "), so the database will most likely reject it and migsafe could not check it.",
                      "Fix the syntax; if the statement is valid for another engine, set `dialect` in migsafe.toml "
                      "or pass --dialect.",
                      context.migration.id, std::string(context.statement_text()));
  }
};

MIGSAFE_REGISTER_RULE(SyntaxErrorRule);

}  // namespace
}  // namespace migsafe
