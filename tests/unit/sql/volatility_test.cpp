#include "sql_test_support.h"

namespace migsafe::testing {
namespace {

Volatility default_volatility(const std::string& expression) {
  ParsedSql sql = parse_sql("ALTER TABLE t ADD COLUMN c text DEFAULT " + expression + ";");
  const auto& column = sql.op<AddColumn>().column;
  EXPECT_TRUE(column.default_value) << expression;
  EXPECT_EQ(column.default_value->text, expression);
  return column.default_value->volatility;
}

TEST(Volatility, DefaultsTable) {
  EXPECT_EQ(default_volatility("NULL"), Volatility::Null);
  EXPECT_EQ(default_volatility("NULL::text"), Volatility::Null);
  EXPECT_EQ(default_volatility("42"), Volatility::Constant);
  EXPECT_EQ(default_volatility("'a' || 'b'"), Volatility::Constant);
  EXPECT_EQ(default_volatility("'{}'::jsonb"), Volatility::Constant);
  EXPECT_EQ(default_volatility("-1"), Volatility::Constant);
  EXPECT_EQ(default_volatility("true"), Volatility::Constant);
  EXPECT_EQ(default_volatility("ARRAY[1, 2]"), Volatility::Constant);
  EXPECT_EQ(default_volatility("lower('X')"), Volatility::Constant);
  EXPECT_EQ(default_volatility("now()"), Volatility::Stable);
  EXPECT_EQ(default_volatility("CURRENT_TIMESTAMP"), Volatility::Stable);
  EXPECT_EQ(default_volatility("CURRENT_DATE"), Volatility::Stable);
  EXPECT_EQ(default_volatility("transaction_timestamp()"), Volatility::Stable);
  EXPECT_EQ(default_volatility("statement_timestamp()"), Volatility::Stable);
  EXPECT_EQ(default_volatility("pg_catalog.now()"), Volatility::Stable);
  EXPECT_EQ(default_volatility("now() + interval '1 day'"), Volatility::Stable);
  EXPECT_EQ(default_volatility("gen_random_uuid()"), Volatility::Volatile);
  EXPECT_EQ(default_volatility("uuid_generate_v4()"), Volatility::Volatile);
  EXPECT_EQ(default_volatility("uuid_generate_v1()"), Volatility::Volatile);
  EXPECT_EQ(default_volatility("random()"), Volatility::Volatile);
  EXPECT_EQ(default_volatility("clock_timestamp()"), Volatility::Volatile);
  EXPECT_EQ(default_volatility("timeofday()"), Volatility::Volatile);
  EXPECT_EQ(default_volatility("nextval('s'::regclass)"), Volatility::Volatile);
  EXPECT_EQ(default_volatility("my_function()"), Volatility::Volatile);
  EXPECT_EQ(default_volatility("app.now()"), Volatility::Volatile);
  EXPECT_EQ(default_volatility("(random() * 10)::int"), Volatility::Volatile);
  EXPECT_EQ(default_volatility("coalesce(NULL, 1)"), Volatility::Constant);
}

TEST(Volatility, DefaultTextStopsAtTheNextConstraint) {
  ParsedSql sql = parse_sql(
      "CREATE TABLE t (a int DEFAULT 1 + 2 NOT NULL, b text DEFAULT 'x' COLLATE \"C\", "
      "c int DEFAULT (1) CHECK (c > 0), d boolean DEFAULT false NULL, e int DEFAULT 5)");
  const auto& columns = sql.op<CreateTable>().columns;
  EXPECT_EQ(columns[0].default_value->text, "1 + 2");
  EXPECT_TRUE(columns[0].not_null);
  EXPECT_EQ(columns[1].default_value->text, "'x'");
  EXPECT_EQ(columns[2].default_value->text, "(1)");
  EXPECT_EQ(columns[3].default_value->text, "false");
  EXPECT_FALSE(columns[3].not_null);
  EXPECT_EQ(columns[4].default_value->text, "5");
}

}  // namespace
}  // namespace migsafe::testing
