#include "sql_test_support.h"

namespace migsafe::testing {
namespace {

TEST(Session, SetAndReset) {
  ParsedSql sql = parse_sql(
      "SET lock_timeout = '2s';\n"
      "SET LOCAL statement_timeout TO 0;\n"
      "SET TIME ZONE 'UTC';\n"
      "SET TimeZone = 'Europe/Oslo';\n"
      "RESET lock_timeout;\n"
      "RESET ALL;\n"
      "SET SESSION search_path = app, public;\n"
      "SET lock_timeout TO DEFAULT;\n"
      "SELECT set_config('lock_timeout', '5s', true);\n"
      "SELECT pg_catalog.set_config('statement_timeout', '0', false), set_config('TimeZone', 'UTC', false);\n"
      "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE;\n");
  const auto& lock = sql.op<SetSetting>(0);
  EXPECT_EQ(lock.name, "lock_timeout");
  EXPECT_EQ(lock.value, "2s");
  EXPECT_FALSE(lock.local);
  EXPECT_FALSE(lock.reset);
  EXPECT_EQ(sql.op<SetSetting>(1).name, "statement_timeout");
  EXPECT_EQ(sql.op<SetSetting>(1).value, "0");
  EXPECT_TRUE(sql.op<SetSetting>(1).local);
  EXPECT_EQ(sql.op<SetSetting>(2).name, "timezone");
  EXPECT_EQ(sql.op<SetSetting>(2).value, "UTC");
  EXPECT_EQ(sql.op<SetSetting>(3).name, "timezone");
  EXPECT_EQ(sql.op<SetSetting>(3).value, "Europe/Oslo");
  EXPECT_TRUE(sql.op<SetSetting>(4).reset);
  EXPECT_EQ(sql.op<SetSetting>(5).name, "all");
  EXPECT_EQ(sql.op<SetSetting>(6).value, "app, public");
  EXPECT_EQ(sql.op<SetSetting>(7).value, "default");
  const auto& function_form = sql.op<SetSetting>(8);
  EXPECT_EQ(function_form.name, "lock_timeout");
  EXPECT_EQ(function_form.value, "5s");
  EXPECT_TRUE(function_form.local);
  ASSERT_EQ(sql.statement(9).operations.size(), 2u);
  EXPECT_EQ(sql.op<SetSetting>(9, 0).name, "statement_timeout");
  EXPECT_FALSE(sql.op<SetSetting>(9, 0).local);
  EXPECT_EQ(sql.op<SetSetting>(9, 1).name, "timezone");
  EXPECT_TRUE(sql.operation(10).is<OtherStatement>());
}

TEST(Session, TransactionControl) {
  ParsedSql sql = parse_sql(
      "BEGIN; START TRANSACTION; COMMIT; END; ROLLBACK; ABORT; SAVEPOINT s; RELEASE SAVEPOINT s;"
      " ROLLBACK TO SAVEPOINT s; COMMIT AND CHAIN;");
  std::vector<TransactionControlKind> kinds;
  for (const Statement& statement : sql.result.statements) {
    kinds.push_back(statement.operations.at(0).as<TransactionControl>()->kind);
  }
  using K = TransactionControlKind;
  EXPECT_EQ(kinds, (std::vector<K>{K::Begin, K::Begin, K::Commit, K::Commit, K::Rollback, K::Rollback, K::Savepoint,
                                   K::Release, K::RollbackToSavepoint, K::Commit}));
  ASSERT_EQ(sql.statement(9).operations.size(), 2u);
  EXPECT_EQ(sql.op<TransactionControl>(9, 1).kind, K::Begin);
}

TEST(Session, DataChangesAndMaintenance) {
  ParsedSql sql = parse_sql(
      "UPDATE users SET active = true;\n"
      "UPDATE users SET active = true WHERE id < 1000;\n"
      "DELETE FROM s.logs;\n"
      "DELETE FROM logs WHERE created < now() - interval '30 days';\n"
      "INSERT INTO users (id) VALUES (1);\n"
      "MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE;\n"
      "COPY users FROM '/tmp/users.csv';\n"
      "COPY users TO STDOUT;\n"
      "VACUUM FULL users, orders;\n"
      "VACUUM (ANALYZE) users;\n"
      "CLUSTER users USING users_pkey;\n"
      "ANALYZE users;\n"
      "GRANT SELECT ON users TO reader;\n"
      "COMMENT ON TABLE users IS 'people';\n"
      "DO $$ BEGIN PERFORM 1; END $$;\n"
      "SELECT 1;\n");
  EXPECT_FALSE(sql.op<DataChange>(0).has_where);
  EXPECT_EQ(sql.op<DataChange>(0).kind, DataChangeKind::Update);
  EXPECT_TRUE(sql.op<DataChange>(1).has_where);
  EXPECT_EQ(sql.op<DataChange>(2).kind, DataChangeKind::Delete);
  EXPECT_EQ(sql.op<DataChange>(2).table, (QualifiedName{"s", "logs"}));
  EXPECT_FALSE(sql.op<DataChange>(2).has_where);
  EXPECT_TRUE(sql.op<DataChange>(3).has_where);
  EXPECT_EQ(sql.op<DataChange>(4).kind, DataChangeKind::Insert);
  EXPECT_EQ(sql.op<DataChange>(5).kind, DataChangeKind::Merge);
  EXPECT_EQ(sql.op<DataChange>(6).kind, DataChangeKind::Copy);
  EXPECT_TRUE(sql.operation(7).is<OtherStatement>());
  EXPECT_TRUE(sql.op<Vacuum>(8).full);
  EXPECT_EQ(sql.op<Vacuum>(8).tables.size(), 2u);
  EXPECT_FALSE(sql.op<Vacuum>(9).full);
  EXPECT_EQ(sql.op<Cluster>(10).table.name, "users");
  EXPECT_EQ(sql.op<OtherStatement>(11).description, "ANALYZE");
  EXPECT_EQ(sql.op<OtherStatement>(12).description, "GRANT");
  EXPECT_EQ(sql.op<OtherStatement>(13).description, "COMMENT ON");
  EXPECT_EQ(sql.op<OtherStatement>(14).description, "DO");
  EXPECT_EQ(sql.op<OtherStatement>(15).description, "SELECT");
  for (const Statement& statement : sql.result.statements) {
    EXPECT_EQ(statement.operations.front().range, statement.range);
  }
}

}  // namespace
}  // namespace migsafe::testing
