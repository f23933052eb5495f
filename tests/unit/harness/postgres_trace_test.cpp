// --trace on a private PostgreSQL cluster started by the harness itself: the exact observed-* findings
// for known statements (engines.md 1.2), for a SQL layout and for Alembic.
#include "harness_test_support.h"

namespace migsafe::harness::testing {
namespace {

class PostgresTrace : public PostgresClusterTest {
 protected:
  RoundtripReport run(const std::string& name, std::vector<std::string>* notes = nullptr) {
    RoundtripOptions options;
    options.trace = true;
    if (notes) options.note = [notes](const std::string& text) { notes->push_back(text); };
    return run_fixture(*engine_, name, Dialect::PostgreSQL, options);
  }
  static const Finding* find(const RoundtripReport& report, const std::string& rule, const std::string& file) {
    for (const auto& finding : report.findings) {
      if (finding.rule_id == rule && finding.file && finding.file->path().find(file) != std::string::npos) return &finding;
    }
    return nullptr;
  }
  static bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }
};

TEST_F(PostgresTrace, SqlLayoutReportsWhatTheServerDid) {
  std::vector<std::string> notes;
  auto report = run("trace-sql", &notes);
  EXPECT_EQ(summarize(report.findings),
            (std::vector<std::string>{
                "observed-blocking-lock 20240102000000_add_token.sql:2",
                "observed-blocking-lock 20240103000000_email_not_null.sql:2",
                "observed-blocking-lock 20240104000000_index_name.sql:2",
                "observed-blocking-lock 20240105000000_check_not_valid.sql:2",
                "observed-blocking-lock 20240108000000_create_orders.sql:2",
                "observed-table-rewrite 20240102000000_add_token.sql:2",
            }))
      << messages(report);

  // ADD COLUMN ... DEFAULT gen_random_uuid(): a rewrite of the table and its indexes, predicted.
  const Finding* rewrite = find(report, "observed-table-rewrite", "add_token");
  ASSERT_NE(rewrite, nullptr);
  EXPECT_TRUE(contains(rewrite->message, "rewrites table users")) << rewrite->message;
  EXPECT_TRUE(contains(rewrite->message, "users_email_idx")) << rewrite->message;
  EXPECT_TRUE(contains(rewrite->message, "users_pkey")) << rewrite->message;
  EXPECT_TRUE(contains(rewrite->help, "`adding-column-volatile-default` predicted this")) << rewrite->help;
  EXPECT_EQ(rewrite->severity, Severity::Warning);

  // SET NOT NULL: ACCESS EXCLUSIVE and a validation scan under it.
  const Finding* not_null = find(report, "observed-blocking-lock", "email_not_null");
  ASSERT_NE(not_null, nullptr);
  EXPECT_TRUE(contains(not_null->message, "reads and writes of users wait")) << not_null->message;
  EXPECT_TRUE(contains(not_null->message, "ACCESS EXCLUSIVE on users")) << not_null->message;
  EXPECT_TRUE(contains(not_null->message, "scan every row of users")) << not_null->message;
  EXPECT_TRUE(contains(not_null->help, "`setting-not-null`")) << not_null->help;

  // CREATE INDEX without CONCURRENTLY on an existing table: SHARE, writes blocked, reads not.
  const Finding* index = find(report, "observed-blocking-lock", "index_name");
  ASSERT_NE(index, nullptr);
  EXPECT_TRUE(contains(index->message, "writes to users wait")) << index->message;
  EXPECT_TRUE(contains(index->message, "take SHARE on users")) << index->message;
  EXPECT_TRUE(contains(index->help, "`blocking-index-build`")) << index->help;

  // ADD CONSTRAINT ... NOT VALID is a short ACCESS EXCLUSIVE without a scan; its VALIDATE (20240106)
  // takes SHARE UPDATE EXCLUSIVE and is not reported.
  const Finding* not_valid = find(report, "observed-blocking-lock", "check_not_valid");
  ASSERT_NE(not_valid, nullptr);
  EXPECT_FALSE(contains(not_valid->message, "scan every row")) << not_valid->message;

  // A new table referencing users takes SHARE ROW EXCLUSIVE on users, which no static rule flags.
  const Finding* foreign_key = find(report, "observed-blocking-lock", "create_orders");
  ASSERT_NE(foreign_key, nullptr);
  EXPECT_TRUE(contains(foreign_key->message, "SHARE ROW EXCLUSIVE on users")) << foreign_key->message;

  // CREATE INDEX CONCURRENTLY cannot run in a transaction: traced without locks, and said so.
  bool noted = false;
  for (const auto& note : notes) noted = noted || (contains(note, "index_token.sql:2") && contains(note, "locks not observed"));
  EXPECT_TRUE(noted);
  EXPECT_EQ(count_steps(report, StepRecord::Status::Failed), 0u);
}

TEST_F(PostgresTrace, AlembicStatementsAreMappedToTheirOperation) {
  std::vector<std::string> notes;
  auto report = run("alembic-trace", &notes);
  EXPECT_EQ(summarize(report.findings),
            (std::vector<std::string>{
                "observed-blocking-lock t2_add_token.py:13",
                "observed-blocking-lock t3_email_not_null.py:12",
                "observed-blocking-lock t4_index_and_check.py:11",
                "observed-blocking-lock t4_index_and_check.py:12",
                "observed-table-rewrite t2_add_token.py:13",
            }))
      << messages(report);
  const Finding* not_null = find(report, "observed-blocking-lock", "t3_email_not_null");
  ASSERT_NE(not_null, nullptr);
  EXPECT_TRUE(contains(not_null->message, "scan every row of users")) << not_null->message;
  const Finding* rewrite = find(report, "observed-table-rewrite", "t2_add_token");
  ASSERT_NE(rewrite, nullptr);
  EXPECT_TRUE(contains(rewrite->message, "rewrites table users")) << rewrite->message;
  bool noted = false;
  for (const auto& note : notes) noted = noted || (contains(note, "t5_validate.py:13") && contains(note, "locks not observed"));
  EXPECT_TRUE(noted);
  EXPECT_EQ(count_steps(report, StepRecord::Status::Failed), 0u);
}

TEST_F(PostgresTrace, CleanMigrationsHaveNoObservedFindings) {
  auto report = run("trace-clean");
  EXPECT_EQ(summarize(report.findings), std::vector<std::string>{}) << messages(report);
}

TEST(Trace, NeedsPostgres) {
  EngineOptions options;
  auto engine = make_sqlite_engine(options);
  RoundtripOptions roundtrip;
  roundtrip.trace = true;
  auto projects = load_roundtrip_projects(fixture("clean").string(), "auto", Dialect::SQLite);
  EXPECT_THROW(roundtrip_project(projects.front(), *engine, roundtrip), UsageError);
}

}  // namespace
}  // namespace migsafe::harness::testing
