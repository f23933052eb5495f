#include "layout_test_support.h"

namespace migsafe::testing {
namespace {


TEST(Flyway, Detects) {
  EXPECT_EQ(LayoutRegistry::instance().detect(fixture("flyway/billing"))->name(), "flyway");
  EXPECT_EQ(LayoutRegistry::instance().find("flyway")->detect(fixture("golang-migrate/shop")), 0);
}

TEST(Flyway, VersionedInNumericOrderIncludingSubfoldersThenRepeatablesByDescription) {
  Project project = load_with("flyway", fixture("flyway/billing"));
  EXPECT_EQ(ids(project), (std::vector<std::string>{"V1", "V1_1", "V2", "V3", "V4", "V10", "R__a_functions", "R__views"}));
  EXPECT_EQ(migration(project, "V1_1")->name, "add total");
  EXPECT_EQ(migration(project, "V3")->upgrade.file->display_path(), "2024/V3__add_due.sql");
  EXPECT_EQ(migration(project, "R__a_functions")->parents, (std::vector<std::string>{"V10"}));
  EXPECT_TRUE(project.problems.empty()) << problems_text(project);
}

TEST(Flyway, EachScriptRunsInATransactionUnlessFlywayWouldNot) {
  Project project = load_with("flyway", fixture("flyway/billing"));
  EXPECT_EQ(transactions(migration(project, "V1")->upgrade), (std::vector<TransactionSource>{TransactionSource::Runner}));
  // Only statements that cannot run in a transaction: Flyway runs the script without one.
  EXPECT_EQ(migration(project, "V2")->upgrade.runner, RunnerTransaction::None);
  EXPECT_EQ(transactions(migration(project, "V2")->upgrade), (std::vector<TransactionSource>{TransactionSource::None}));
  // Mixed with a transactional statement it stays per-script (Flyway refuses it unless `mixed`).
  EXPECT_EQ(transactions(migration(project, "V10")->upgrade), (std::vector<TransactionSource>{TransactionSource::Runner, TransactionSource::Runner}));
  // executeInTransaction=false in V4__no_transaction.sql.conf.
  EXPECT_EQ(transactions(migration(project, "V4")->upgrade), (std::vector<TransactionSource>{TransactionSource::None}));
}

TEST(Flyway, ConfigurationOverride) {
  LayoutOptions options;
  options.transaction_overrides["flyway"] = RunnerTransaction::None;
  Project project = load_with("flyway", fixture("flyway/billing"), options);
  EXPECT_EQ(transactions(migration(project, "V1")->upgrade), (std::vector<TransactionSource>{TransactionSource::None}));
}

TEST(Flyway, NoUndoFilesMeansDowngradesDoNotApply) {
  Project project = load_with("flyway", fixture("flyway/billing"));
  for (const Migration& m : project.migrations) EXPECT_EQ(m.downgrade_state, DowngradeState::NotApplicable) << m.id;
}

TEST(Flyway, UndoFilesAreDowngradesOnceTheProjectUsesThem) {
  Project project = load_with("flyway", fixture("flyway/undo"));
  EXPECT_EQ(ids(project), (std::vector<std::string>{"V1", "V2", "V3"}));
  EXPECT_EQ(migration(project, "V1")->downgrade_state, DowngradeState::Present);
  EXPECT_EQ(migration(project, "V1")->downgrade->file->display_path(), "U1__a.sql");
  EXPECT_EQ(migration(project, "V2")->downgrade_state, DowngradeState::Missing);
  EXPECT_EQ(migration(project, "V3")->downgrade_state, DowngradeState::Empty);
  EXPECT_EQ(count_problems(project, "U4__d.sql undoes version 4, but no V4__ script exists", "broken-revision-graph"), 1)
      << problems_text(project);
}

TEST(Flyway, VersionsThatCompareEqualAreDuplicates) {
  Project project = load_with("flyway", fixture("flyway/duplicates"));
  // 1.1, 1_1 and 1.1.0 are one version for Flyway.
  EXPECT_EQ(count_problems(project, "has the same version 1", "broken-revision-graph"), 2) << problems_text(project);
  EXPECT_EQ(project.migrations.size(), 2u);
}

TEST(Flyway, SingleFileDetectionByName) {
  const Layout* layout = LayoutRegistry::instance().detect_file("db/V12__add_index.sql", "");
  ASSERT_NE(layout, nullptr);
  EXPECT_EQ(layout->name(), "flyway");
  EXPECT_EQ(LayoutRegistry::instance().detect_file("R__views.sql", "")->name(), "flyway");
}

TEST(Flyway, FileNamesFollowFlywaysNamingRules) {
  auto layout_of = [](const char* name) {
    const Layout* layout = LayoutRegistry::instance().detect_file(name, "");
    return layout ? std::string(layout->name()) : std::string();
  };
  for (const char* name : {"V1__a.sql", "V1_2__a.sql", "V1.2.3__a_b.sql", "U7__undo.sql", "R__x.sql", "V1___x.sql"}) {
    EXPECT_EQ(layout_of(name), "flyway") << name;
  }
  // No version, an empty description, a separator without digits after it, other prefixes or extensions.
  for (const char* name : {"V__a.sql", "V1__.sql", "V1._2__a.sql", "X1__a.sql", "V1__a.sql.bak", "V1_a.sql", "R_x.sql"}) {
    EXPECT_NE(layout_of(name), "flyway") << name;
  }
}

}  // namespace
}  // namespace migsafe::testing
