// Round trips on SQLite: fixture projects (SQL layouts and Alembic) with exactly the expected findings.
#include "harness_test_support.h"

namespace migsafe::harness::testing {
namespace {

class SqliteRoundtrip : public ::testing::Test {
 protected:
  void SetUp() override { engine_ = make_sqlite_engine({}); }
  RoundtripReport run(const std::string& name, RoundtripOptions options = {}) {
    return run_fixture(*engine_, name, Dialect::SQLite, options);
  }
  std::unique_ptr<Engine> engine_;
};

TEST_F(SqliteRoundtrip, CleanProjectHasNoFindingsAndRunsTheChain) {
  auto report = run("clean");
  EXPECT_EQ(summarize(report.findings), std::vector<std::string>{}) << messages(report);
  EXPECT_EQ(report.migrations, 3u);
  EXPECT_EQ(count_steps(report, StepRecord::Status::Failed), 0u);
  EXPECT_EQ(count_steps(report, StepRecord::Status::Skipped), 0u);
  // 3 x (up, down, up) + chain up, down, up
  EXPECT_EQ(report.steps.size(), 12u);
}

TEST_F(SqliteRoundtrip, MissingDowngradeIsSkippedNotReported) {
  auto report = run("missing-downgrade");
  EXPECT_EQ(summarize(report.findings), std::vector<std::string>{}) << messages(report);
  bool skipped = false;
  for (const auto& step : report.steps) {
    if (step.step == "downgrade" && step.status == StepRecord::Status::Skipped) skipped = true;
  }
  EXPECT_TRUE(skipped);
}

TEST_F(SqliteRoundtrip, ColumnLeftBehindIsSchemaDrift) {
  auto report = run("column-left-behind");
  EXPECT_EQ(summarize(report.findings), std::vector<std::string>{"roundtrip-schema-drift 002_add_avatar.down.sql:1"})
      << messages(report);
  ASSERT_EQ(report.findings.size(), 1u);
  EXPECT_NE(report.findings[0].message.find("column users.avatar_url (text) still exists after downgrade of"),
            std::string::npos)
      << report.findings[0].message;
}

TEST_F(SqliteRoundtrip, NotNullRebuildFailsOnlyWithData) {
  auto empty = run("not-null-with-data-sqlite");
  EXPECT_EQ(summarize(empty.findings), std::vector<std::string>{}) << messages(empty);
  RoundtripOptions options;
  options.with_data_rows = 3;
  auto with_rows = run("not-null-with-data-sqlite", options);
  EXPECT_EQ(summarize(with_rows.findings), std::vector<std::string>{"upgrade-fails-with-data 002_add_age.up.sql:6"})
      << messages(with_rows);
}

TEST_F(SqliteRoundtrip, StepTimeoutInterruptsAHangingStatement) {
  RoundtripOptions options;
  options.step_timeout_seconds = 0.5;
  auto report = run("hang-sqlite", options);
  EXPECT_EQ(summarize(report.findings), std::vector<std::string>{"roundtrip-upgrade-failed 002_spin.up.sql:1"})
      << messages(report);
  ASSERT_EQ(report.findings.size(), 1u);
  EXPECT_NE(report.findings[0].message.find("--step-timeout"), std::string::npos) << report.findings[0].message;
}

TEST_F(SqliteRoundtrip, AlembicBranchesAndMergeRoundTripCleanly) {
  auto report = run("alembic-clean");
  EXPECT_EQ(summarize(report.findings), std::vector<std::string>{}) << messages(report);
  EXPECT_EQ(report.migrations, 4u);
  EXPECT_EQ(count_steps(report, StepRecord::Status::Failed), 0u);
}

TEST_F(SqliteRoundtrip, AlembicColumnLeftBehindAndMissingDowngrade) {
  auto report = run("alembic-drift");
  EXPECT_EQ(summarize(report.findings), std::vector<std::string>{"roundtrip-schema-drift 7a8b_add_avatar.py:16"})
      << messages(report);
  ASSERT_EQ(report.findings.size(), 1u);
  EXPECT_NE(report.findings[0].message.find("column users.avatar_url (text) still exists after downgrade of 7a8b9c0d1e2f"),
            std::string::npos)
      << report.findings[0].message;
}

TEST_F(SqliteRoundtrip, AlembicDriverIsKilledAfterTheStepTimeout) {
  RoundtripOptions options;
  options.step_timeout_seconds = 1;
  auto report = run("alembic-hang", options);
  EXPECT_EQ(summarize(report.findings).size(), 1u) << messages(report);
  ASSERT_EQ(report.findings.size(), 1u);
  EXPECT_EQ(report.findings[0].rule_id, "roundtrip-upgrade-failed");
  EXPECT_NE(report.findings[0].message.find("--step-timeout"), std::string::npos) << report.findings[0].message;
}

TEST(SchemaDiff, DescribesUnexpectedMissingAndChangedObjects) {
  Schema before, after;
  before.add({"table", "users", "", {}});
  before.add({"column", "users.email", "varchar(50)", {{"table", "users"}, {"type", "varchar(50)"}}});
  before.add({"sequence", "order_seq", "bigint", {{"type", "bigint"}}});
  after.add({"table", "users", "", {}});
  after.add({"column", "users.email", "varchar(100)", {{"table", "users"}, {"type", "varchar(100)"}}});
  after.add({"column", "users.avatar_url", "text", {{"table", "users"}, {"type", "text"}}});
  after.add({"table", "extra", "", {}});
  after.add({"column", "extra.id", "integer", {{"table", "extra"}, {"type", "integer"}}});
  DiffWording wording{"still exists after downgrade of X", "is missing after downgrade of X", "differs after downgrade of X"};
  std::vector<std::string> lines;
  for (const auto& difference : diff_schemas(before, after)) lines.push_back(describe_difference(difference, wording));
  std::vector<std::string> expected{
      "column users.avatar_url (text) still exists after downgrade of X",
      "table extra still exists after downgrade of X",  // its columns are not listed separately
      "sequence order_seq (bigint) is missing after downgrade of X",
      "column users.email differs after downgrade of X: type varchar(100) instead of varchar(50)",
  };
  EXPECT_EQ(lines, expected);
}

TEST(SchemaDiff, NormalizesSqlOutsideQuotes) {
  EXPECT_EQ(normalize_sql("CREATE  VIEW v AS\n SELECT  a , 'X  Y' FROM t ;"), "create view v as select a,'X  Y' from t");
}

}  // namespace
}  // namespace migsafe::harness::testing

namespace migsafe::harness::testing {
namespace {

TEST(SqliteExamples, NotesRoundTripsCleanlyAndTheBrokenDowngradeIsReported) {
  auto engine = make_sqlite_engine({});
  std::filesystem::path examples = std::filesystem::path(MIGSAFE_SOURCE_DIR) / "examples";
  for (const char* name : {"sqlite-notes", "sqlite-notes-broken-downgrade"}) {
    auto projects = load_roundtrip_projects((examples / name).string(), "auto", Dialect::SQLite);
    ASSERT_EQ(projects.size(), 1u) << name;
    RoundtripOptions options;
    options.with_data_rows = 5;
    auto report = roundtrip_project(projects[0], *engine, options);
    if (std::string(name) == "sqlite-notes") {
      EXPECT_EQ(summarize(report.findings), std::vector<std::string>{}) << messages(report);
      EXPECT_EQ(report.migrations, 4u);
    } else {
      EXPECT_EQ(summarize(report.findings),
                std::vector<std::string>{"roundtrip-downgrade-failed 000004_add_pinned.down.sql:2"})
          << messages(report);
    }
  }
}

}  // namespace
}  // namespace migsafe::harness::testing
