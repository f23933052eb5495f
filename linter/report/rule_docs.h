// Rule documentation generated from RuleInfo, in the shapes reports need (SARIF help.text and
// help.markdown, fullDescription). `migsafe explain` and docs/rules/ID.md can use the same functions so
// that every place a user reads about a rule says the same thing.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace migsafe {

struct RuleInfo;

// What it does, why, the safe alternative, examples, lock, versions, engines and references, as plain
// text (sections separated by blank lines, examples indented by four spaces).
std::string rule_help_text(const RuleInfo& info);
// The same as Markdown (headings, fenced SQL/Python examples).
std::string rule_help_markdown(const RuleInfo& info);
// One paragraph for SARIF fullDescription: what it does and why, at most `limit` bytes.
std::string rule_full_description(const RuleInfo& info, std::size_t limit = 1024);
// "PostgreSQL, MySQL/MariaDB, SQLite".
std::string rule_engines(const RuleInfo& info);
// Cuts text to at most `limit` bytes at a word boundary (never inside a UTF-8 sequence), adding "…".
std::string truncate_text(std::string_view text, std::size_t limit);

}  // namespace migsafe
