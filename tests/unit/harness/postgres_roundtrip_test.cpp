// Round trips on a private PostgreSQL cluster started by the harness itself (skipped only when no
// server binaries exist on this machine).
#include "harness_test_support.h"

namespace migsafe::harness::testing {
namespace {

class PostgresRoundtrip : public PostgresClusterTest {
 protected:
  RoundtripReport run(const std::string& name, RoundtripOptions options = {}) {
    return run_fixture(*engine_, name, Dialect::PostgreSQL, options);
  }
};

TEST_F(PostgresRoundtrip, CleanProjectHasNoFindings) {
  auto report = run("clean");
  EXPECT_EQ(summarize(report.findings), std::vector<std::string>{}) << messages(report);
  EXPECT_EQ(count_steps(report, StepRecord::Status::Failed), 0u);
  EXPECT_EQ(report.steps.size(), 12u);
}

TEST_F(PostgresRoundtrip, MissingDowngradeIsSkippedNotReported) {
  auto report = run("missing-downgrade");
  EXPECT_EQ(summarize(report.findings), std::vector<std::string>{}) << messages(report);
}

TEST_F(PostgresRoundtrip, ColumnLeftBehindIsSchemaDrift) {
  auto report = run("column-left-behind");
  EXPECT_EQ(summarize(report.findings), std::vector<std::string>{"roundtrip-schema-drift 002_add_avatar.down.sql:1"})
      << messages(report);
  ASSERT_EQ(report.findings.size(), 1u);
  EXPECT_NE(report.findings[0].message.find("column users.avatar_url (text) still exists after downgrade of"),
            std::string::npos)
      << report.findings[0].message;
}

TEST_F(PostgresRoundtrip, DroppedSequenceNotRecreated) {
  auto report = run("sequence-not-recreated");
  EXPECT_EQ(summarize(report.findings),
            std::vector<std::string>{"roundtrip-schema-drift 002_drop_sequence.down.sql:2"})
      << messages(report);
  ASSERT_EQ(report.findings.size(), 1u);
  EXPECT_NE(report.findings[0].message.find("sequence order_number_seq (bigint) is missing after downgrade"),
            std::string::npos)
      << report.findings[0].message;
}

TEST_F(PostgresRoundtrip, EnumTypeNotDropped) {
  auto report = run("enum-not-dropped");
  EXPECT_EQ(summarize(report.findings), std::vector<std::string>{"roundtrip-schema-drift 001_create_people.down.sql:1"})
      << messages(report);
  ASSERT_EQ(report.findings.size(), 1u);
  EXPECT_NE(report.findings[0].message.find("enum type mood ('happy', 'sad') still exists"), std::string::npos)
      << report.findings[0].message;
}

TEST_F(PostgresRoundtrip, NotNullColumnFailsOnlyWithData) {
  auto empty = run("not-null-with-data-pg");
  EXPECT_EQ(summarize(empty.findings), std::vector<std::string>{}) << messages(empty);
  RoundtripOptions options;
  options.with_data_rows = 5;
  auto with_rows = run("not-null-with-data-pg", options);
  EXPECT_EQ(summarize(with_rows.findings), std::vector<std::string>{"upgrade-fails-with-data 002_add_age.up.sql:1"})
      << messages(with_rows);
  ASSERT_EQ(with_rows.findings.size(), 1u);
  EXPECT_NE(with_rows.findings[0].message.find("contains null values"), std::string::npos);
}

TEST_F(PostgresRoundtrip, CreateIndexConcurrentlyInsideTheRunnersTransaction) {
  auto report = run("cic-in-transaction");
  EXPECT_EQ(summarize(report.findings),
            std::vector<std::string>{"roundtrip-upgrade-failed 20240102000000_index_email.sql:2"})
      << messages(report);
  ASSERT_EQ(report.findings.size(), 1u);
  EXPECT_NE(report.findings[0].message.find("cannot run inside a transaction block"), std::string::npos);
  EXPECT_NE(report.findings[0].help.find("transaction:false"), std::string::npos);
  // The migration after it builds on it: reported as not run, not as a second failure.
  EXPECT_EQ(count_steps(report, StepRecord::Status::Skipped), 2u);  // 20240103 + the chain
}

TEST_F(PostgresRoundtrip, StepTimeoutCancelsAHangingStatement) {
  RoundtripOptions options;
  options.step_timeout_seconds = 0.5;
  auto report = run("hang-pg", options);
  EXPECT_EQ(summarize(report.findings), std::vector<std::string>{"roundtrip-upgrade-failed 002_sleep.up.sql:1"})
      << messages(report);
}

TEST_F(PostgresRoundtrip, AlembicBranchesAndMergeRoundTripCleanly) {
  auto report = run("alembic-clean");
  EXPECT_EQ(summarize(report.findings), std::vector<std::string>{}) << messages(report);
  EXPECT_EQ(count_steps(report, StepRecord::Status::Failed), 0u);
}

TEST_F(PostgresRoundtrip, AlembicColumnLeftBehind) {
  auto report = run("alembic-drift");
  EXPECT_EQ(summarize(report.findings), std::vector<std::string>{"roundtrip-schema-drift 7a8b_add_avatar.py:16"})
      << messages(report);
}

TEST_F(PostgresRoundtrip, AlembicEnumTypeNotDropped) {
  auto report = run("alembic-enum");
  EXPECT_EQ(summarize(report.findings), std::vector<std::string>{"roundtrip-schema-drift e1_create_people.py:19"})
      << messages(report);
  ASSERT_EQ(report.findings.size(), 1u);
  EXPECT_NE(report.findings[0].message.find("enum type mood"), std::string::npos) << report.findings[0].message;
}

// Snapshots run prepared statements on the session migrations also run on; a migration that frees them
// must not break the run.
TEST_F(PostgresRoundtrip, MigrationThatDeallocatesPreparedStatementsIsFine) {
  auto report = run("deallocate-pg");
  EXPECT_EQ(summarize(report.findings), std::vector<std::string>{}) << messages(report);
  EXPECT_EQ(count_steps(report, StepRecord::Status::Failed), 0u);
}

// The driver keeps one connection per database between steps (docs/harness.md, "Speed"): every step
// must still start from a session as fresh as a new connection's, and copies must still work.
TEST_F(PostgresRoundtrip, AlembicStepsStartFromAFreshSession) {
  auto report = run("alembic-session-state");
  EXPECT_EQ(summarize(report.findings), std::vector<std::string>{}) << messages(report);
  EXPECT_EQ(count_steps(report, StepRecord::Status::Failed), 0u) << messages(report);
}

TEST_F(PostgresRoundtrip, AlembicCheckpointCopiesWorkWithKeptConnections) {
  RoundtripOptions options;
  options.checkpoints = CheckpointPolicy::Always;
  auto report = run("alembic-session-state", options);
  EXPECT_EQ(summarize(report.findings), std::vector<std::string>{}) << messages(report);
  EXPECT_EQ(report.checkpoints, 2u);
}

TEST_F(PostgresRoundtrip, AlembicEnvConnectHookRunsForEveryStep) {
  auto report = run("alembic-connect-listener");
  EXPECT_EQ(summarize(report.findings), std::vector<std::string>{}) << messages(report);
  EXPECT_EQ(count_steps(report, StepRecord::Status::Failed), 0u);
}

TEST_F(PostgresRoundtrip, AlembicBuiltinEnvStepsStartFromAFreshSession) {
  RoundtripOptions options;
  options.alembic_env = "builtin";
  auto report = run("alembic-session-state", options);
  EXPECT_EQ(summarize(report.findings), std::vector<std::string>{}) << messages(report);
}

}  // namespace
}  // namespace migsafe::harness::testing
