// Arbitrary input never crashes, hangs or produces ranges outside the text.
#include <random>

#include "sql_test_support.h"

namespace migsafe::testing {
namespace {

void expect_sane(const ParsedSql& sql) {
  std::size_t previous_end = 0;
  const std::size_t size = sql.file->text().size();
  for (const Statement& statement : sql.result.statements) {
    EXPECT_LE(previous_end, statement.range.begin);
    EXPECT_LT(statement.range.begin, statement.range.end);
    EXPECT_LE(statement.range.end, size);
    previous_end = statement.range.end;
    EXPECT_NE(statement.operations.empty(), !statement.error.has_value());
    if (statement.error) {
      EXPECT_FALSE(statement.error->message.empty());
      EXPECT_LE(statement.error->range.end, size);
      EXPECT_LE(statement.error->range.begin, statement.error->range.end);
    }
    for (const Operation& op : statement.operations) {
      EXPECT_GE(op.range.begin, statement.range.begin);
      EXPECT_LE(op.range.end, statement.range.end);
    }
  }
  for (const Suppression& suppression : sql.result.suppressions) EXPECT_LE(suppression.range.end, size);
}

TEST(Robustness, RandomFragmentSoup) {
  const std::vector<std::string> fragments{
      "CREATE TABLE t (", "a int", ",", ")", ";", "ALTER TABLE t ADD COLUMN x text DEFAULT ", "now()", "'str",
      "'", "$$", "$tag$", "/*", "*/", "--", "\n", "\r\n", "(", "[", "]", "CHECK (", "NOT NULL", "DEFAULT",
      "CREATE INDEX CONCURRENTLY i ON t (", "lower(x)", "WHERE", "E'\\''", "\"q\"", "\"", "BEGIN ATOMIC",
      "END", "CREATE FUNCTION f() ", "SET lock_timeout = '1s'", "-- migsafe:ignore a", "\xC3\xA9", "\xFF",
      std::string(1, '\0'), "+", "::", "SELECT", " ", "UPDATE t SET a = 1", "COMMIT", "REFERENCES p (id)"};
  std::mt19937 random(12345);
  for (int round = 0; round < 400; ++round) {
    std::string text;
    int pieces = static_cast<int>(random() % 60);
    for (int i = 0; i < pieces; ++i) text += fragments[random() % fragments.size()];
    ParsedSql sql = parse_sql(text);
    expect_sane(sql);
  }
}

TEST(Robustness, RandomBytes) {
  std::mt19937 random(777);
  for (int round = 0; round < 200; ++round) {
    std::string text(random() % 300, ' ');
    for (char& c : text) c = static_cast<char>(random() % 256);
    expect_sane(parse_sql(text));
  }
}

TEST(Robustness, EveryPrefixOfAMigration) {
  const std::string migration =
      "-- migsafe:ignore adding-not-null-column -- reason\n"
      "CREATE TABLE a (id bigserial PRIMARY KEY, name text NOT NULL DEFAULT 'x', CHECK (id > 0));\n"
      "ALTER TABLE a ADD COLUMN b int REFERENCES a (id), ALTER COLUMN name SET DEFAULT upper('y');\n"
      "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END;\n"
      "CREATE INDEX CONCURRENTLY a_name ON a (lower(name)) WHERE id > 10;\n"
      "DO $body$ BEGIN RAISE NOTICE 'x;y'; END $body$;\n";
  for (std::size_t length = 0; length <= migration.size(); ++length) {
    expect_sane(parse_sql(migration.substr(0, length)));
  }
}

}  // namespace
}  // namespace migsafe::testing
