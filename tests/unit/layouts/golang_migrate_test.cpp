#include "layout_test_support.h"

namespace migsafe::testing {
namespace {


TEST(GolangMigrate, DetectsTheDirectoryAndNotOthers) {
  const Layout* layout = LayoutRegistry::instance().find("golang-migrate");
  ASSERT_NE(layout, nullptr);
  EXPECT_GT(layout->detect(fixture("golang-migrate/shop")), 0);
  EXPECT_EQ(layout->detect(fixture("flyway/billing")), 0);
  EXPECT_EQ(layout->detect(fixture("plain/analytics")), 0);
  EXPECT_EQ(LayoutRegistry::instance().detect(fixture("golang-migrate/shop"))->name(), "golang-migrate");
}

TEST(GolangMigrate, OrdersVersionsNumerically) {
  Project project = load_with("golang-migrate", fixture("golang-migrate/shop"));
  EXPECT_EQ(ids(project), (std::vector<std::string>{"1", "2", "10"}));
  EXPECT_EQ(project.migrations[0].name, "create_users");
  EXPECT_EQ(project.migrations[2].name, "add_age");
  EXPECT_TRUE(project.migrations[0].parents.empty());
  EXPECT_EQ(project.migrations[1].parents, (std::vector<std::string>{"1"}));
  EXPECT_EQ(project.migrations[2].parents, (std::vector<std::string>{"2"}));
  EXPECT_EQ(project.migrations[0].upgrade.file->display_path(), "1_create_users.up.sql");
  EXPECT_TRUE(project.problems.empty()) << problems_text(project);
}

TEST(GolangMigrate, DowngradeStates) {
  Project project = load_with("golang-migrate", fixture("golang-migrate/shop"));
  const Migration* present = migration(project, "1");
  const Migration* missing = migration(project, "2");
  const Migration* empty = migration(project, "10");
  ASSERT_TRUE(present && missing && empty);
  EXPECT_EQ(present->downgrade_state, DowngradeState::Present);
  ASSERT_TRUE(present->downgrade.has_value());
  EXPECT_EQ(present->downgrade->file->display_path(), "1_create_users.down.sql");
  EXPECT_EQ(missing->downgrade_state, DowngradeState::Missing);
  EXPECT_FALSE(missing->downgrade.has_value());
  // A missing downgrade is reported at the up file's first line.
  EXPECT_EQ(missing->downgrade_anchor_file->display_path(), "2_add_email.up.sql");
  EXPECT_EQ(missing->downgrade_anchor.begin, 0u);
  EXPECT_EQ(missing->downgrade_anchor.end, std::string("ALTER TABLE users ADD COLUMN email text;").size());
  EXPECT_EQ(empty->downgrade_state, DowngradeState::Empty);
}

TEST(GolangMigrate, MultiStatementFilesRunInOneImplicitTransactionOnPostgres) {
  Project project = load_with("golang-migrate", fixture("golang-migrate/shop"));
  const Migration* single = migration(project, "2");
  const Migration* multi = migration(project, "10");
  EXPECT_EQ(single->upgrade.runner, RunnerTransaction::ImplicitIfMultiStatement);
  EXPECT_EQ(transactions(single->upgrade), (std::vector<TransactionSource>{TransactionSource::None}));
  EXPECT_EQ(transactions(multi->upgrade), (std::vector<TransactionSource>{TransactionSource::ImplicitMultiStatement, TransactionSource::ImplicitMultiStatement}));
}

TEST(GolangMigrate, RunnerModeFollowsTheDialect) {
  LayoutOptions options;
  options.dialect = Dialect::MySQL;
  Project mysql = load_with("golang-migrate", fixture("golang-migrate/shop"), options);
  EXPECT_EQ(migration(mysql, "10")->upgrade.runner, RunnerTransaction::None);
  options.dialect = Dialect::SQLite;
  Project sqlite = load_with("golang-migrate", fixture("golang-migrate/shop"), options);
  EXPECT_EQ(migration(sqlite, "10")->upgrade.runner, RunnerTransaction::PerScript);
}

TEST(GolangMigrate, ConfigurationOverridesTheRunnerMode) {
  LayoutOptions options;
  options.transaction_overrides["golang-migrate"] = RunnerTransaction::None;
  Project project = load_with("golang-migrate", fixture("golang-migrate/shop"), options);
  EXPECT_EQ(transactions(migration(project, "10")->upgrade), (std::vector<TransactionSource>{TransactionSource::None, TransactionSource::None}));
  options.transaction_overrides["golang-migrate"] = RunnerTransaction::PerScript;
  project = load_with("golang-migrate", fixture("golang-migrate/shop"), options);
  EXPECT_EQ(transactions(migration(project, "2")->upgrade), (std::vector<TransactionSource>{TransactionSource::Runner}));
}

TEST(GolangMigrate, FileCommentOverridesTheRunnerMode) {
  TempDir dir;
  dir.write("1_a.up.sql", "-- adds two columns\n-- migsafe:transaction none\nALTER TABLE t ADD a int;\nALTER TABLE t ADD b int;\n");
  dir.write("2_b.up.sql", "-- migsafe:transaction per-script\nALTER TABLE t ADD c int;\n");
  dir.write("3_c.up.sql", "-- migsafe:transaction sometimes\nALTER TABLE t ADD d int;\nALTER TABLE t ADD e int;\n");
  Project project = load_with("golang-migrate", dir.path());
  EXPECT_EQ(transactions(migration(project, "1")->upgrade), (std::vector<TransactionSource>{TransactionSource::None, TransactionSource::None}));
  EXPECT_EQ(transactions(migration(project, "2")->upgrade), (std::vector<TransactionSource>{TransactionSource::Runner}));
  // An unknown mode is reported and the layout default stays.
  EXPECT_EQ(count_problems(project, "Unknown transaction mode 'sometimes'", "syntax-error"), 1) << problems_text(project);
  EXPECT_EQ(transactions(migration(project, "3")->upgrade), (std::vector<TransactionSource>{TransactionSource::ImplicitMultiStatement, TransactionSource::ImplicitMultiStatement}));
}

TEST(GolangMigrate, DuplicateVersionsAndStrayDownFilesBreakTheGraph) {
  TempDir dir;
  dir.write("1_a.up.sql", "CREATE TABLE a (id int);\n");
  dir.write("001_b.up.sql", "CREATE TABLE b (id int);\n");
  dir.write("2_c.down.sql", "DROP TABLE c;\n");
  Project project = load_with("golang-migrate", dir.path());
  EXPECT_EQ(count_problems(project, "Version 1 is used by both", "broken-revision-graph"), 1) << problems_text(project);
  EXPECT_EQ(count_problems(project, "2_c.down.sql has no matching 2_c.up.sql", "broken-revision-graph"), 1)
      << problems_text(project);
  EXPECT_EQ(ids(project), (std::vector<std::string>{"001"}));
}

}  // namespace
}  // namespace migsafe::testing
