#include "layout_test_support.h"

namespace migsafe::testing {
namespace {


TEST(Dbmate, DetectsByTheMigrateUpMarker) {
  EXPECT_EQ(LayoutRegistry::instance().detect(fixture("dbmate/blog"))->name(), "dbmate");
  EXPECT_EQ(LayoutRegistry::instance().find("dbmate")->detect(fixture("plain/analytics")), 0);
  EXPECT_EQ(LayoutRegistry::instance().detect_file("x.sql", "-- migrate:up\nSELECT 1;\n")->name(), "dbmate");
}

TEST(Dbmate, SectionsBecomeUpgradeAndDowngrade) {
  Project project = load_with("dbmate", fixture("dbmate/blog"));
  EXPECT_EQ(ids(project), (std::vector<std::string>{"20240101120000", "20240102120000", "20240103120000", "20240104120000"}));
  const Migration* create = migration(project, "20240101120000");
  EXPECT_EQ(create->name, "create_posts");
  EXPECT_EQ(create->upgrade.statements.size(), 2u);
  ASSERT_TRUE(create->downgrade.has_value());
  EXPECT_EQ(create->downgrade->statements.size(), 2u);
  EXPECT_EQ(create->downgrade_state, DowngradeState::Present);
  const SourceFile& file = *create->upgrade.file;
  EXPECT_EQ(file.position_of(create->upgrade.statements[0].range.begin).line, 2);
  EXPECT_EQ(file.position_of(create->downgrade->statements[0].range.begin).line, 6);
  EXPECT_EQ(migration(project, "20240102120000")->parents, (std::vector<std::string>{"20240101120000"}));
  EXPECT_TRUE(project.problems.empty()) << problems_text(project);
}

TEST(Dbmate, EachSectionIsATransactionUnlessTransactionFalse) {
  Project project = load_with("dbmate", fixture("dbmate/blog"));
  EXPECT_EQ(transactions(migration(project, "20240101120000")->upgrade), (std::vector<TransactionSource>{TransactionSource::Runner, TransactionSource::Runner}));
  const Migration* concurrent = migration(project, "20240102120000");
  EXPECT_EQ(concurrent->upgrade.runner, RunnerTransaction::None);
  EXPECT_EQ(transactions(concurrent->upgrade), (std::vector<TransactionSource>{TransactionSource::None}));
  EXPECT_EQ(transactions(*concurrent->downgrade), (std::vector<TransactionSource>{TransactionSource::None}));
}

TEST(Dbmate, MissingAndEmptyDownSections) {
  Project project = load_with("dbmate", fixture("dbmate/blog"));
  const Migration* missing = migration(project, "20240103120000");
  EXPECT_EQ(missing->downgrade_state, DowngradeState::Missing);
  EXPECT_EQ(missing->downgrade_anchor.begin, 0u);
  const Migration* empty = migration(project, "20240104120000");
  EXPECT_EQ(empty->downgrade_state, DowngradeState::Empty);
  // Reported at the empty section's marker line.
  EXPECT_EQ(empty->upgrade.file->position_of(empty->downgrade_anchor.begin).line, 4);
  EXPECT_EQ(empty->upgrade.file->slice(empty->downgrade_anchor), "-- migrate:down");
}

TEST(Dbmate, BrokenFilesAreReported) {
  Project project = load_with("dbmate", fixture("dbmate/broken"));
  EXPECT_EQ(count_problems(project, "20240102000000_no_marker.sql has no `-- migrate:up` line", "syntax-error"), 1)
      << problems_text(project);
  EXPECT_EQ(count_problems(project, "has its `-- migrate:down` section before `-- migrate:up`"), 1) << problems_text(project);
  const Migration* down_first = migration(project, "20240103000000");
  ASSERT_NE(down_first, nullptr);
  EXPECT_EQ(down_first->upgrade.statements.size(), 1u);
  EXPECT_EQ(down_first->downgrade->statements.size(), 1u);
}

TEST(Dbmate, CrLfLineEndings) {
  TempDir dir;
  dir.write("20240101000000_a.sql", "-- migrate:up transaction:false\r\nCREATE TABLE a (id int);\r\n\r\n-- migrate:down\r\nDROP TABLE a;\r\n");
  Project project = load_with("dbmate", dir.path());
  ASSERT_EQ(project.migrations.size(), 1u);
  const Migration& m = project.migrations[0];
  EXPECT_EQ(m.upgrade.runner, RunnerTransaction::None);
  EXPECT_EQ(m.downgrade->runner, RunnerTransaction::PerScript);
  EXPECT_EQ(m.downgrade_state, DowngradeState::Present);
  EXPECT_EQ(m.upgrade.file->position_of(m.downgrade->statements.at(0).range.begin).line, 5);
}

TEST(Dbmate, MigsafeCommentInASection) {
  TempDir dir;
  dir.write("1_a.sql", "-- migrate:up\n-- migsafe:transaction none\nALTER TABLE a ADD b int;\n-- migrate:down\nALTER TABLE a DROP b;\n");
  Project project = load_with("dbmate", dir.path());
  ASSERT_EQ(project.migrations.size(), 1u);
  EXPECT_EQ(transactions(project.migrations[0].upgrade), (std::vector<TransactionSource>{TransactionSource::None}));
  EXPECT_EQ(transactions(*project.migrations[0].downgrade), (std::vector<TransactionSource>{TransactionSource::Runner}));
}

TEST(Dbmate, MarkerLinesAsDbmateReadsThem) {
  auto detected = [](const char* text) {
    const Layout* layout = LayoutRegistry::instance().detect_file("x.sql", text);
    return layout && layout->name() == "dbmate";
  };
  EXPECT_TRUE(detected("--migrate:up\nSELECT 1;\n"));
  EXPECT_TRUE(detected("--   migrate:up transaction:false\nSELECT 1;\n"));
  EXPECT_FALSE(detected("-- migrate:upgrade\nSELECT 1;\n"));  // not the word `up`
  EXPECT_FALSE(detected("SELECT 1; -- migrate:up\n"));         // only at the start of a line
}

}  // namespace
}  // namespace migsafe::testing
