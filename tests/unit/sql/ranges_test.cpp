// Exact positions (1-based line and column, end exclusive) of the clauses operations point at.
#include "sql_test_support.h"

namespace migsafe::testing {
namespace {

TEST(Ranges, AlterTableSubcommandsAfterQuotedAndQualifiedNames) {
  ParsedSql sql = parse_sql(
      "ALTER TABLE ONLY \"App\".\"My Table\" ADD COLUMN a int,\n"
      "    ADD CONSTRAINT c CHECK (a IN (1, 2)) NOT VALID, ALTER COLUMN a SET DEFAULT f(1, 2);");
  const Statement& statement = sql.statement(0);
  ASSERT_EQ(statement.operations.size(), 3u);
  EXPECT_EQ(sql.op<AddColumn>(0, 0).table, (QualifiedName{"App", "My Table"}));
  EXPECT_EQ(sql.start(statement.operations[0].range), (Position{1, 35}));
  EXPECT_EQ(sql.end(statement.operations[0].range), (Position{1, 51}));
  EXPECT_EQ(sql.text(statement.operations[1].range), "ADD CONSTRAINT c CHECK (a IN (1, 2)) NOT VALID");
  EXPECT_EQ(sql.start(statement.operations[1].range), (Position{2, 5}));
  EXPECT_EQ(sql.text(statement.operations[2].range), "ALTER COLUMN a SET DEFAULT f(1, 2)");
  EXPECT_EQ(sql.op<SetColumnDefault>(0, 2).value->text, "f(1, 2)");
  EXPECT_EQ(sql.op<AddConstraint>(0, 1).constraint.expression, "a IN (1, 2)");
}

TEST(Ranges, CreateTableColumnsAndConstraintsWithMultibyteText) {
  ParsedSql sql = parse_sql(
      "CREATE TABLE t (\n"
      "  \"naïve\" text DEFAULT 'ünïcode' NOT NULL,\n"
      "  b int CONSTRAINT b_pos CHECK (b > 0)\n"
      ");");
  const auto& table = sql.op<CreateTable>();
  EXPECT_EQ(sql.start(table.columns[0].range), (Position{2, 3}));
  EXPECT_EQ(sql.end(table.columns[0].range), (Position{2, 42}));
  EXPECT_EQ(table.columns[0].default_value->text, "'ünïcode'");
  const ConstraintSpec& check = table.columns[1].constraints.at(0);
  EXPECT_EQ(check.name, "b_pos");
  EXPECT_EQ(sql.start(check.range), (Position{3, 9}));
  EXPECT_EQ(sql.end(check.range), (Position{3, 39}));
  EXPECT_EQ(sql.operation(0).range, sql.statement(0).range);
  EXPECT_EQ(sql.end(sql.statement(0).range), (Position{4, 2}));
}

TEST(Ranges, SubcommandRangesFallBackToTheStatementWhenTheyCannotBeMatched) {
  // A comment between subcommands does not confuse the matching; the ranges stay inside the statement.
  ParsedSql sql = parse_sql("ALTER TABLE t ADD a int, -- first\n ADD b int;");
  ASSERT_EQ(sql.statement(0).operations.size(), 2u);
  EXPECT_EQ(sql.text(sql.operation(0, 1).range), "ADD b int");
}

TEST(Ranges, CreateRuleWithSeveralActionsStaysOneStatement) {
  ParsedSql sql = parse_sql(
      "CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2));\n"
      "SELEC 1;\nSELECT 2;");
  ASSERT_EQ(sql.result.statements.size(), 3u);
  EXPECT_EQ(sql.op<OtherStatement>(0).description, "CREATE RULE");
  EXPECT_TRUE(sql.statement(1).error);
}

}  // namespace
}  // namespace migsafe::testing
