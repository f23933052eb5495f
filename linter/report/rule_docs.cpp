#include "linter/report/rule_docs.h"

#include <algorithm>

#include "linter/engine/rule.h"

namespace migsafe {
namespace {

bool blank(std::string_view text) { return text.find_first_not_of(" \t\r\n") == std::string_view::npos; }

std::string trimmed(std::string_view text) {
  std::size_t begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return {};
  std::size_t end = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(begin, end - begin + 1));
}

// Alembic examples are Python; everything else is SQL.
const char* example_language(std::string_view example) {
  for (std::string_view marker : {"op.", "sa.", "def ", "import "}) {
    if (example.find(marker) != std::string_view::npos) return "python";
  }
  return "sql";
}

// A fence longer than any backtick run inside the example, so that the example cannot close it.
std::string fence_for(std::string_view example) {
  std::size_t longest = 0, run = 0;
  for (char c : example) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  return std::string(std::max<std::size_t>(3, longest + 1), '`');
}

std::string indented(std::string_view text, std::string_view indent) {
  std::string out(indent);
  for (char c : text) {
    out += c;
    if (c == '\n') out += indent;
  }
  return out;
}

}  // namespace

std::string rule_engines(const RuleInfo& info) {
  std::string out;
  auto add = [&out](const char* name) { out += (out.empty() ? "" : ", ") + std::string(name); };
  if (info.engines & kPostgres) add("PostgreSQL");
  if (info.engines & kMySQL) add("MySQL/MariaDB");
  if (info.engines & kSQLite) add("SQLite");
  return out;
}

std::string truncate_text(std::string_view text, std::size_t limit) {
  if (text.size() <= limit) return std::string(text);
  const std::string_view ellipsis = "…";
  std::size_t cut = limit > ellipsis.size() ? limit - ellipsis.size() : 0;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  std::size_t space = text.rfind(' ', cut);
  if (space != std::string_view::npos && space > cut / 2) cut = space;
  return trimmed(text.substr(0, cut)) + std::string(ellipsis);
}

std::string rule_full_description(const RuleInfo& info, std::size_t limit) {
  std::string text = trimmed(info.what_it_does);
  if (!blank(info.why)) text += (text.empty() ? "" : " ") + trimmed(info.why);
  if (text.empty()) text = trimmed(info.summary);
  if (text.empty()) text = "migsafe rule " + std::string(info.id) + ".";
  return truncate_text(text, limit);
}

std::string rule_help_text(const RuleInfo& info) {
  std::string out = blank(info.summary) ? "migsafe rule " + std::string(info.id) + "." : trimmed(info.summary);
  auto section = [&out](std::string_view title, std::string_view body) {
    if (blank(body)) return;
    out += "\n\n" + std::string(title) + ":\n" + trimmed(body);
  };
  section("What it does", info.what_it_does);
  section("Why", info.why);
  section("Safe alternative", info.safe_alternative);
  if (!blank(info.bad_example)) out += "\n\nExample:\n" + indented(trimmed(info.bad_example), "    ");
  if (!blank(info.good_example)) out += "\n\nUse instead:\n" + indented(trimmed(info.good_example), "    ");
  section("Lock", info.lock);
  section("Versions", info.versions);
  section("Engines", rule_engines(info));
  section("References", info.references);
  return out;
}

std::string rule_help_markdown(const RuleInfo& info) {
  std::string out = blank(info.summary) ? "migsafe rule `" + std::string(info.id) + "`." : trimmed(info.summary);
  auto section = [&out](std::string_view title, std::string_view body) {
    if (blank(body)) return;
    out += "\n\n## " + std::string(title) + "\n\n" + trimmed(body);
  };
  auto example = [&out](std::string_view intro, std::string_view code) {
    if (blank(code)) return;
    std::string fence = fence_for(code);
    out += "\n\n" + std::string(intro) + "\n\n" + fence + example_language(code) + "\n" + trimmed(code) + "\n" + fence;
  };
  section("What it does", info.what_it_does);
  section("Why", info.why);
  section("Safe alternative", info.safe_alternative);
  if (!blank(info.bad_example) || !blank(info.good_example)) {
    out += "\n\n## Example";
    example("Unsafe:", info.bad_example);
    example("Use instead:", info.good_example);
  }
  section("Lock", info.lock);
  section("Versions", info.versions);
  section("Engines", rule_engines(info));
  section("References", info.references);
  return out;
}

}  // namespace migsafe
