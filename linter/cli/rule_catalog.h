// The rule catalogue as users read it outside reports, generated from RuleInfo alone: `migsafe rules`
// (text, JSON, markdown), `migsafe explain RULE`, and docs/rules/<id>.md plus docs/rules/README.md.
// The rule text itself comes from linter/report/rule_docs.h (also SARIF's help), so every place says
// the same thing; a test compares the committed docs with this output, so they cannot drift.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace migsafe {

struct RuleInfo;

// "pg,mysql,sqlite".
std::string engines_short(unsigned engines);

// The page docs/rules/<id>.md.
std::string rule_page_markdown(const RuleInfo& info);
// docs/rules/README.md: every rule by category, linked to its page.
std::string rules_index_markdown(const std::vector<const RuleInfo*>& rules);
// `migsafe explain`: the full text for a terminal.
std::string rule_explanation_text(const RuleInfo& info);
// `migsafe rules`: an aligned table.
std::string rules_table_text(const std::vector<const RuleInfo*>& rules);
// `migsafe rules --format json`: every field of every rule.
nlohmann::json rules_json(const std::vector<const RuleInfo*>& rules);

// Writes <id>.md for every rule and README.md into `directory` (created when missing) and removes
// generated pages of rules that no longer exist. Returns the number of files written. Throws
// EnvironmentError when a file cannot be written.
std::size_t write_rule_docs(const std::filesystem::path& directory, const std::vector<const RuleInfo*>& rules);

}  // namespace migsafe
