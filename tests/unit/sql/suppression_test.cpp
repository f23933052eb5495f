#include "linter/sql/suppression_comments.h"
#include "sql_test_support.h"

namespace migsafe::testing {
namespace {

TEST(SuppressionDirective, Parsing) {
  auto directive = parse_suppression_directive(" migsafe:ignore adding-not-null-column, missing-lock-timeout -- backfilled");
  ASSERT_TRUE(directive);
  EXPECT_FALSE(directive->file_level);
  EXPECT_EQ(directive->rules, (std::vector<std::string>{"adding-not-null-column", "missing-lock-timeout"}));
  EXPECT_EQ(directive->reason, "backfilled");

  auto file = parse_suppression_directive(" migsafe:ignore-file prefer-text-over-varchar");
  ASSERT_TRUE(file);
  EXPECT_TRUE(file->file_level);
  EXPECT_EQ(file->rules, std::vector<std::string>{"prefer-text-over-varchar"});

  auto all = parse_suppression_directive("migsafe:ignore");
  ASSERT_TRUE(all);
  EXPECT_TRUE(all->rules.empty());

  auto fixture = parse_suppression_directive(" migsafe:ignore a b -- why -- expect: unused-ignore");
  ASSERT_TRUE(fixture);
  EXPECT_EQ(fixture->rules, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(fixture->reason, "why");

  EXPECT_FALSE(parse_suppression_directive(" expect: adding-not-null-column"));
  EXPECT_FALSE(parse_suppression_directive(" migsafe:ignored a"));
  EXPECT_FALSE(parse_suppression_directive(" migsafe:check a"));
  EXPECT_FALSE(parse_suppression_directive(" see migsafe:ignore a"));
}

TEST(Suppressions, NextStatementTrailingAndInside) {
  ParsedSql sql = parse_sql(
      "-- migsafe:ignore-file prefer-bigint\n"            // 1
      "-- migsafe:ignore adding-not-null-column -- ok\n"  // 2
      "ALTER TABLE t\n"                                    // 3
      "  ADD COLUMN c int NOT NULL;\n"                     // 4
      "SELECT 1; -- migsafe:ignore rule-b\n"               // 5
      "ALTER TABLE t /* migsafe:ignore rule-c */\n"        // 6
      "  DROP COLUMN d;\n"                                 // 7
      "SELECT '-- migsafe:ignore not-a-comment';\n"        // 8
      "-- migsafe:ignore dangling\n");                     // 9
  const auto& s = sql.result.suppressions;
  ASSERT_EQ(s.size(), 5u);
  EXPECT_TRUE(s[0].file_level);
  EXPECT_EQ(s[0].rules, std::vector<std::string>{"prefer-bigint"});
  EXPECT_EQ(s[0].first_line, 1);
  EXPECT_EQ(s[0].last_line, 10);

  EXPECT_FALSE(s[1].file_level);
  EXPECT_EQ(s[1].rules, std::vector<std::string>{"adding-not-null-column"});
  EXPECT_EQ(s[1].reason, "ok");
  EXPECT_EQ(s[1].first_line, 3);
  EXPECT_EQ(s[1].last_line, 4);
  EXPECT_EQ(sql.text(s[1].range), "-- migsafe:ignore adding-not-null-column -- ok");
  EXPECT_EQ(s[1].file, sql.file);

  EXPECT_EQ(s[2].rules, std::vector<std::string>{"rule-b"});
  EXPECT_EQ(s[2].first_line, 5);
  EXPECT_EQ(s[2].last_line, 5);

  EXPECT_EQ(s[3].rules, std::vector<std::string>{"rule-c"});
  EXPECT_EQ(s[3].first_line, 6);
  EXPECT_EQ(s[3].last_line, 7);

  EXPECT_EQ(s[4].rules, std::vector<std::string>{"dangling"});
  EXPECT_EQ(s[4].first_line, 9);
  EXPECT_EQ(s[4].last_line, 9);
}

TEST(Suppressions, OnlyInsideTheRegion) {
  std::string text = "-- migsafe:ignore a\nSELECT 1;\n-- migsafe:ignore b\nSELECT 2;\n";
  auto file = std::make_shared<SourceFile>("x.sql", "x.sql", text);
  std::size_t second = text.find("-- migsafe:ignore b");
  SqlScriptResult result = parse_postgres_script(file, ByteRange{second, text.size()});
  ASSERT_EQ(result.suppressions.size(), 1u);
  EXPECT_EQ(result.suppressions[0].rules, std::vector<std::string>{"b"});
  EXPECT_EQ(result.suppressions[0].first_line, 4);
}

TEST(Suppressions, AppliesToAnErrorStatementToo) {
  ParsedSql sql = parse_sql("-- migsafe:ignore syntax-error\nSELEC 1;\n");
  ASSERT_EQ(sql.result.suppressions.size(), 1u);
  EXPECT_EQ(sql.result.suppressions[0].first_line, 2);
}

}  // namespace
}  // namespace migsafe::testing
