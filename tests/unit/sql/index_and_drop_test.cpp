#include "sql_test_support.h"

namespace migsafe::testing {
namespace {

TEST(Indexes, CreateIndexForms) {
  ParsedSql sql = parse_sql(
      "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS users_email_idx ON public.users (lower(email), id DESC);\n"
      "CREATE INDEX ON users USING gin (tags);\n"
      "CREATE INDEX active_idx ON ONLY users ((status || 'x') text_pattern_ops, created_at) INCLUDE (id) "
      "WITH (fillfactor = 80) WHERE deleted_at IS NULL AND (status = 'active');\n"
      "CREATE INDEX explicit_btree ON users USING btree (id);\n");
  ASSERT_EQ(sql.result.statements.size(), 4u);
  const IndexSpec& first = sql.op<CreateIndex>(0).index;
  EXPECT_EQ(first.name, "users_email_idx");
  EXPECT_EQ(first.table, (QualifiedName{"public", "users"}));
  EXPECT_TRUE(first.unique);
  EXPECT_TRUE(first.concurrently);
  EXPECT_TRUE(first.if_not_exists);
  EXPECT_EQ(first.method, "");
  EXPECT_EQ(first.columns, (std::vector<std::string>{"lower(email)", "id"}));
  const IndexSpec& gin = sql.op<CreateIndex>(1).index;
  EXPECT_EQ(gin.name, "");
  EXPECT_EQ(gin.method, "gin");
  EXPECT_EQ(gin.columns, std::vector<std::string>{"tags"});
  const IndexSpec& partial = sql.op<CreateIndex>(2).index;
  EXPECT_EQ(partial.columns, (std::vector<std::string>{"status || 'x'", "created_at"}));
  EXPECT_EQ(partial.where, "deleted_at IS NULL AND (status = 'active')");
  EXPECT_FALSE(partial.concurrently);
  EXPECT_EQ(sql.op<CreateIndex>(3).index.method, "btree");
}

TEST(Indexes, DropAndReindex) {
  ParsedSql sql = parse_sql(
      "DROP INDEX CONCURRENTLY IF EXISTS a_idx;\n"
      "DROP INDEX a_idx, s.b_idx;\n"
      "REINDEX INDEX CONCURRENTLY a_idx;\n"
      "REINDEX TABLE users;\n"
      "REINDEX (VERBOSE) SCHEMA app;\n"
      "REINDEX DATABASE prod;\n");
  const auto& concurrent = sql.op<DropIndex>(0);
  EXPECT_TRUE(concurrent.concurrently);
  EXPECT_TRUE(concurrent.if_exists);
  EXPECT_EQ(concurrent.indexes, std::vector<QualifiedName>{(QualifiedName{"", "a_idx"})});
  EXPECT_EQ(sql.op<DropIndex>(1).indexes.size(), 2u);
  EXPECT_EQ(sql.op<DropIndex>(1).indexes[1], (QualifiedName{"s", "b_idx"}));
  EXPECT_FALSE(sql.op<DropIndex>(1).concurrently);
  EXPECT_EQ(sql.op<Reindex>(2).target, ReindexTarget::Index);
  EXPECT_TRUE(sql.op<Reindex>(2).concurrently);
  EXPECT_EQ(sql.op<Reindex>(3).target, ReindexTarget::Table);
  EXPECT_EQ(sql.op<Reindex>(3).name.name, "users");
  EXPECT_FALSE(sql.op<Reindex>(3).concurrently);
  EXPECT_EQ(sql.op<Reindex>(4).target, ReindexTarget::Schema);
  EXPECT_EQ(sql.op<Reindex>(4).name.name, "app");
  EXPECT_EQ(sql.op<Reindex>(5).target, ReindexTarget::Database);
}

TEST(Drops, EveryObjectKind) {
  ParsedSql sql = parse_sql(
      "DROP TABLE IF EXISTS a, s.b CASCADE;\n"
      "DROP VIEW v;\n"
      "DROP MATERIALIZED VIEW mv;\n"
      "DROP SEQUENCE IF EXISTS seq;\n"
      "DROP TYPE IF EXISTS mood CASCADE;\n"
      "DROP SCHEMA app, archive CASCADE;\n"
      "DROP FUNCTION f(int), g;\n"
      "DROP EXTENSION pgcrypto;\n"
      "DROP TRIGGER audit ON users;\n"
      "DROP DOMAIN email_address;\n"
      "DROP DATABASE prod;\n"
      "TRUNCATE users, orders CASCADE;\n"
      "DROP PROCEDURE p;\n");
  const auto& tables = sql.op<DropTable>(0);
  EXPECT_TRUE(tables.if_exists);
  EXPECT_TRUE(tables.cascade);
  EXPECT_EQ(tables.tables, (std::vector<QualifiedName>{{"", "a"}, {"s", "b"}}));
  EXPECT_EQ(sql.op<DropObject>(1).kind, ObjectKind::View);
  EXPECT_EQ(sql.op<DropObject>(2).kind, ObjectKind::MaterializedView);
  EXPECT_TRUE(sql.op<DropSequence>(3).if_exists);
  EXPECT_EQ(sql.op<DropType>(4).types, std::vector<QualifiedName>{(QualifiedName{"", "mood"})});
  EXPECT_TRUE(sql.op<DropType>(4).cascade);
  EXPECT_EQ(sql.op<DropSchema>(5).names, (std::vector<std::string>{"app", "archive"}));
  EXPECT_TRUE(sql.op<DropSchema>(5).cascade);
  const auto& functions = sql.op<DropObject>(6);
  EXPECT_EQ(functions.kind, ObjectKind::Function);
  EXPECT_EQ(functions.names, (std::vector<QualifiedName>{{"", "f"}, {"", "g"}}));
  EXPECT_EQ(sql.op<DropObject>(7).kind, ObjectKind::Extension);
  EXPECT_EQ(sql.op<DropObject>(7).names[0].name, "pgcrypto");
  EXPECT_EQ(sql.op<DropObject>(8).kind, ObjectKind::Trigger);
  EXPECT_EQ(sql.op<DropObject>(8).names[0].name, "audit");
  EXPECT_EQ(sql.op<DropObject>(9).kind, ObjectKind::Domain);
  EXPECT_EQ(sql.op<DropDatabase>(10).name, "prod");
  EXPECT_EQ(sql.op<TruncateTable>(11).tables.size(), 2u);
  EXPECT_TRUE(sql.op<TruncateTable>(11).cascade);
  EXPECT_EQ(sql.op<DropObject>(12).kind, ObjectKind::Procedure);
}

TEST(Types, EnumsSequencesAndObjects) {
  ParsedSql sql = parse_sql(
      "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');\n"
      "ALTER TYPE mood ADD VALUE IF NOT EXISTS 'ecstatic' AFTER 'happy';\n"
      "ALTER TYPE app.mood ADD VALUE 'meh' BEFORE 'ok';\n"
      "ALTER TYPE mood RENAME VALUE 'sad' TO 'blue';\n"
      "CREATE SEQUENCE IF NOT EXISTS s.counter START 10;\n"
      "CREATE OR REPLACE VIEW active AS SELECT 1;\n"
      "CREATE OR REPLACE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END;$$;\n"
      "CREATE PROCEDURE p() LANGUAGE sql AS 'SELECT 1';\n"
      "CREATE TRIGGER touch BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION touch();\n"
      "CREATE EXTENSION IF NOT EXISTS pgcrypto;\n"
      "CREATE SCHEMA IF NOT EXISTS app;\n"
      "CREATE DOMAIN email AS text CHECK (VALUE LIKE '%@%');\n"
      "CREATE TYPE pair AS (a int, b int);\n");
  const auto& enumeration = sql.op<CreateEnumType>(0);
  EXPECT_EQ(enumeration.type.name, "mood");
  EXPECT_EQ(enumeration.values, (std::vector<std::string>{"sad", "ok", "happy"}));
  const auto& added = sql.op<AddEnumValue>(1);
  EXPECT_EQ(added.value, "ecstatic");
  EXPECT_TRUE(added.if_not_exists);
  EXPECT_EQ(sql.op<AddEnumValue>(2).type, (QualifiedName{"app", "mood"}));
  EXPECT_FALSE(sql.op<AddEnumValue>(2).if_not_exists);
  EXPECT_EQ(sql.op<RenameEnumValue>(3).old_value, "sad");
  EXPECT_EQ(sql.op<RenameEnumValue>(3).new_value, "blue");
  EXPECT_EQ(sql.op<CreateSequence>(4).sequence, (QualifiedName{"s", "counter"}));
  EXPECT_TRUE(sql.op<CreateSequence>(4).if_not_exists);
  EXPECT_EQ(sql.op<CreateObject>(5).kind, ObjectKind::View);
  EXPECT_TRUE(sql.op<CreateObject>(5).or_replace);
  EXPECT_EQ(sql.op<CreateObject>(6).kind, ObjectKind::Function);
  EXPECT_EQ(sql.op<CreateObject>(6).name.name, "touch");
  EXPECT_EQ(sql.op<CreateObject>(7).kind, ObjectKind::Procedure);
  const auto& trigger = sql.op<CreateObject>(8);
  EXPECT_EQ(trigger.kind, ObjectKind::Trigger);
  EXPECT_EQ(trigger.name.name, "touch");
  EXPECT_EQ(trigger.table.name, "users");
  EXPECT_EQ(sql.op<CreateObject>(9).kind, ObjectKind::Extension);
  EXPECT_EQ(sql.op<CreateObject>(10).kind, ObjectKind::Schema);
  EXPECT_EQ(sql.op<CreateObject>(11).kind, ObjectKind::Domain);
  EXPECT_EQ(sql.op<CreateObject>(12).name.name, "pair");
}

TEST(Types, SchemaElementsAreTranslatedToo) {
  ParsedSql sql = parse_sql("CREATE SCHEMA app CREATE TABLE t (id int) CREATE VIEW v AS SELECT 1;");
  ASSERT_EQ(sql.statement(0).operations.size(), 3u);
  EXPECT_EQ(sql.op<CreateObject>(0, 0).kind, ObjectKind::Schema);
  EXPECT_EQ(sql.op<CreateTable>(0, 1).table.name, "t");
  EXPECT_EQ(sql.op<CreateObject>(0, 2).kind, ObjectKind::View);
}

TEST(Types, SqlStandardFunctionBodyIsOneStatementEvenWhenRecovering) {
  ParsedSql sql = parse_sql(
      "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT CASE WHEN true THEN 2 END; END;\n"
      "SELEC 1;\n"
      "SELECT 3;\n");
  ASSERT_EQ(sql.result.statements.size(), 3u);
  EXPECT_EQ(sql.op<CreateObject>(0).kind, ObjectKind::Function);
  EXPECT_TRUE(sql.statement(1).error);
  EXPECT_FALSE(sql.statement(2).error);
}

}  // namespace
}  // namespace migsafe::testing
