// After a failing step the stairway rebuilds the last good state from a checkpoint copy (PostgreSQL
// CREATE DATABASE ... TEMPLATE, SQLite backup API) or by replaying upgrades: the findings must not
// depend on which, and copies must save replays.
#include "harness/pg_cluster.h"
#include "harness_test_support.h"

namespace migsafe::harness::testing {
namespace {

const std::vector<std::string> kExpected = {"roundtrip-downgrade-failed 004_create_c.down.sql:1",
                                            "roundtrip-schema-drift 002_create_a.down.sql:2"};

RoundtripReport run_with(Engine& engine, Dialect dialect, CheckpointPolicy policy) {
  RoundtripOptions options;
  options.checkpoints = policy;
  return run_fixture(engine, "several-failures", dialect, options);
}

void expect_policies_agree(Engine& engine, Dialect dialect) {
  auto never = run_with(engine, dialect, CheckpointPolicy::Never);
  auto lazy = run_with(engine, dialect, CheckpointPolicy::AfterFirstFailure);
  auto always = run_with(engine, dialect, CheckpointPolicy::Always);
  for (const auto* report : {&never, &lazy, &always}) {
    EXPECT_EQ(summarize(report->findings), kExpected) << messages(*report);
    EXPECT_EQ(count_steps(*report, StepRecord::Status::Passed), 4u * 3 + 2);  // 001,003,005,006; ups of 002, 004
    EXPECT_EQ(report->rebuilds, 2u);
  }
  // Replay: 001-002 after the drift, 001-004 after the failed downgrade.
  EXPECT_EQ(never.checkpoints, 0u);
  EXPECT_EQ(never.replayed_upgrades, 6u);
  // After the first failure: a copy after 003, so the second rebuild replays only 004.
  EXPECT_EQ(lazy.replayed_upgrades, 3u);
  EXPECT_GE(lazy.checkpoints, 1u);
  // A copy after every good step: each rebuild replays only the failing migration's upgrade.
  EXPECT_EQ(always.replayed_upgrades, 2u);
}

TEST(Checkpoints, SqliteBackupCopies) {
  EngineOptions options;
  auto engine = make_sqlite_engine(options);
  expect_policies_agree(*engine, Dialect::SQLite);
}

TEST(Checkpoints, PostgresTemplateCopies) {
  if (!find_pg_server_binaries(std::nullopt)) GTEST_SKIP() << "no PostgreSQL server binaries on this machine";
  EngineOptions options;
  options.engine = "postgresql";
  auto engine = make_postgres_engine(options);
  expect_policies_agree(*engine, Dialect::PostgreSQL);
  // Every database the runs created (checkpoints included) was dropped again.
  auto db = engine->create_database();
  auto rows = db->query("SELECT count(*) FROM pg_database WHERE datname LIKE 'migsafe\\_rt\\_%'");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][0].value_or(""), "1");  // only `db` itself
}

}  // namespace
}  // namespace migsafe::harness::testing
