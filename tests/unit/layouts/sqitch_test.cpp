#include "layout_test_support.h"

namespace migsafe::testing {
namespace {


TEST(Sqitch, DetectsThePlan) {
  EXPECT_EQ(LayoutRegistry::instance().detect(fixture("sqitch/inventory"))->name(), "sqitch");
  EXPECT_EQ(LayoutRegistry::instance().find("sqitch")->scope(), LayoutScope::Tree);
}

TEST(Sqitch, PlanOrderWithReworkedChanges) {
  Project project = load_with("sqitch", fixture("sqitch/inventory"));
  EXPECT_EQ(ids(project), (std::vector<std::string>{"appschema", "items@v1.0", "stock", "items"}));
  EXPECT_EQ(migration(project, "items@v1.0")->upgrade.file->display_path(), "deploy/items@v1.0.sql");
  EXPECT_EQ(migration(project, "items")->upgrade.file->display_path(), "deploy/items.sql");
  EXPECT_EQ(migration(project, "stock")->parents, (std::vector<std::string>{"items@v1.0"}));
  // Conflicts (!legacy_stock) and other projects' changes are not dependencies of this history.
  EXPECT_EQ(migration(project, "stock")->depends_on, (std::vector<std::string>{"items"}));
  EXPECT_EQ(migration(project, "items")->depends_on, (std::vector<std::string>{"items@v1.0"}));
  EXPECT_TRUE(project.problems.empty()) << problems_text(project);
}

TEST(Sqitch, RevertScriptsAreDowngrades) {
  Project project = load_with("sqitch", fixture("sqitch/inventory"));
  EXPECT_EQ(migration(project, "appschema")->downgrade_state, DowngradeState::Present);
  EXPECT_EQ(migration(project, "appschema")->downgrade->file->display_path(), "revert/appschema.sql");
  EXPECT_EQ(migration(project, "stock")->downgrade_state, DowngradeState::Missing);
}

TEST(Sqitch, ScriptsRunWithoutARunnerTransaction) {
  Project project = load_with("sqitch", fixture("sqitch/inventory"));
  EXPECT_EQ(transactions(migration(project, "appschema")->upgrade), (std::vector<TransactionSource>{TransactionSource::Explicit, TransactionSource::Explicit, TransactionSource::Explicit}));
  EXPECT_EQ(transactions(migration(project, "items")->upgrade), (std::vector<TransactionSource>{TransactionSource::None, TransactionSource::None}));
  LayoutOptions options;
  options.transaction_overrides["sqitch"] = RunnerTransaction::PerScript;
  Project wrapped = load_with("sqitch", fixture("sqitch/inventory"), options);
  EXPECT_EQ(transactions(migration(wrapped, "items")->upgrade), (std::vector<TransactionSource>{TransactionSource::Runner, TransactionSource::Runner}));
}

TEST(Sqitch, BrokenPlan) {
  Project project = load_with("sqitch", fixture("sqitch/broken"));
  EXPECT_EQ(count_problems(project, "for change 'second' has no planning timestamp", "syntax-error"), 1) << problems_text(project);
  EXPECT_EQ(count_problems(project, "Change 'second' in sqitch.plan has no deploy script deploy/second.sql", "syntax-error"), 1)
      << problems_text(project);
  EXPECT_EQ(count_problems(project, "Change 'first' appears twice", "broken-revision-graph"), 1) << problems_text(project);
  // The problem about the plan points at its line.
  for (const FileProblem& problem : project.problems) {
    if (problem.message.find("no deploy script") == std::string::npos) continue;
    ASSERT_TRUE(problem.file);
    EXPECT_EQ(problem.file->position_of(problem.range.begin).line, 4);
  }
}

TEST(Sqitch, ConfigMovesTheDirectories) {
  TempDir dir;
  dir.write("sqitch.conf", "[core]\n\tengine = pg\n\ttop_dir = db\n");
  dir.write("db/sqitch.plan", "%project=x\n\nfirst 2024-01-01T10:00:00Z A <a@example.com> # First.\n");
  dir.write("db/deploy/first.sql", "CREATE TABLE first (id int);\n");
  dir.write("db/revert/first.sql", "DROP TABLE first;\n");
  Project project = load_with("sqitch", dir.path());
  EXPECT_EQ(ids(project), (std::vector<std::string>{"first"}));
  EXPECT_EQ(project.migrations[0].downgrade_state, DowngradeState::Present);
  EXPECT_TRUE(project.problems.empty()) << problems_text(project);
}

}  // namespace
}  // namespace migsafe::testing
