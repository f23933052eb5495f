#include "linter/cli/rule_catalog.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "linter/engine/rule.h"

namespace migsafe {
namespace {

const RuleInfo& sample() {
  const RuleInfo* info = RuleRegistry::instance().find_info("adding-not-null-column");
  EXPECT_NE(info, nullptr);
  return *info;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(RuleCatalog, PageHasEverySection) {
  std::string page = rule_page_markdown(sample());
  EXPECT_TRUE(contains(page, "# adding-not-null-column\n"));
  EXPECT_TRUE(contains(page, "| error | locks | PostgreSQL, MySQL/MariaDB, SQLite | yes |"));
  for (const char* heading : {"## What it does", "## Why", "## Safe alternative", "## Example", "## Configuration"}) {
    EXPECT_TRUE(contains(page, heading)) << heading;
  }
  EXPECT_TRUE(contains(page, "```sql\n"));
}

TEST(RuleCatalog, IndexGroupsByCategoryAndEscapesPipes) {
  RuleInfo piped;
  piped.id = "x-rule";
  piped.category = RuleCategory::Style;
  piped.enabled_by_default = false;
  piped.summary = "a | b";
  std::string index = rules_index_markdown({&sample(), &piped});
  EXPECT_TRUE(contains(index, "2 rules."));
  EXPECT_TRUE(contains(index, "## Locks and rewrites (`locks`)"));
  EXPECT_TRUE(contains(index, "## Style (off by default) (`style`)"));
  EXPECT_TRUE(contains(index, "| [x-rule](x-rule.md) | error | pg,mysql,sqlite | no | a \\| b |"));
  EXPECT_LT(index.find("(`locks`)"), index.find("(`style`)"));
}

TEST(RuleCatalog, TableAndJson) {
  std::string table = rules_table_text({&sample()});
  EXPECT_EQ(table.rfind("ID  ", 0), 0u);
  EXPECT_TRUE(contains(table, "adding-not-null-column  error"));
  nlohmann::json json = rules_json({&sample()});
  ASSERT_EQ(json.size(), 1u);
  EXPECT_EQ(json[0]["id"], "adding-not-null-column");
  EXPECT_EQ(json[0]["engines"], nlohmann::json::array({"postgresql", "mysql", "sqlite"}));
  EXPECT_EQ(json[0]["enabled_by_default"], true);
  EXPECT_FALSE(json[0]["why"].get<std::string>().empty());
}

TEST(RuleCatalog, WriteDocsReplacesStaleGeneratedPagesOnly) {
  std::filesystem::path dir = std::filesystem::temp_directory_path() / "migsafe-rule-docs-test";
  std::filesystem::remove_all(dir);
  RuleInfo gone;
  gone.id = "gone-rule";
  gone.summary = "removed";
  write_rule_docs(dir, {&sample(), &gone});
  EXPECT_TRUE(std::filesystem::exists(dir / "gone-rule.md"));
  std::ofstream(dir / "notes.md") << "hand-written\n";
  EXPECT_EQ(write_rule_docs(dir, {&sample()}), 2u);
  EXPECT_FALSE(std::filesystem::exists(dir / "gone-rule.md"));
  EXPECT_TRUE(std::filesystem::exists(dir / "notes.md"));
  EXPECT_TRUE(std::filesystem::exists(dir / "README.md"));
  std::ifstream page(dir / "adding-not-null-column.md");
  std::stringstream text;
  text << page.rdbuf();
  EXPECT_EQ(text.str(), rule_page_markdown(sample()));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace migsafe
