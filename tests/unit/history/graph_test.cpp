// multiple-heads and broken-revision-graph on revision graphs built in memory.
#include <gtest/gtest.h>

#include "tests/unit/history/history_support.h"

namespace migsafe::testing {
namespace {

std::vector<Finding> heads(std::vector<Migration> migrations, bool allow_labelled = false) {
  LintSettings settings;
  settings.allow_labelled_heads = allow_labelled;
  return lint(project_of(std::move(migrations), "alembic"), "multiple-heads", settings);
}

std::vector<Finding> broken(std::vector<Migration> migrations) {
  return lint(project_of(std::move(migrations), "alembic"), "broken-revision-graph");
}

std::string messages(const std::vector<Finding>& findings) {
  std::string text;
  for (const Finding& finding : findings) text += finding.path + ":" + std::to_string(finding.start.line) + ": " + finding.message + "\n";
  return text;
}

// Line numbers of the generated revision file (see history_support.h).
constexpr int kRevisionLine = 7;
constexpr int kDownRevisionLine = 8;
constexpr int kDependsOnLine = 10;

TEST(RevisionGraph, LinearHistoryIsFine) {
  std::vector<Migration> chain{revision("a0", {}), revision("a1", {"a0"}), revision("a2", {"a1"})};
  EXPECT_TRUE(heads(chain).empty());
  EXPECT_TRUE(broken(chain).empty());
}

TEST(RevisionGraph, MergedBranchesAreFine) {
  std::vector<Migration> merged{revision("f0", {}), revision("a1", {"f0"}), revision("b2", {"f0"}),
                                revision("c3", {"a1", "b2"})};
  EXPECT_TRUE(heads(merged).empty());
  EXPECT_TRUE(broken(merged).empty());
}

TEST(MultipleHeads, TwoHeadsAreListedWithTheirFiles) {
  auto findings = heads({revision("f0", {}), revision("b2", {"f0"}), revision("a1", {"f0"})});
  ASSERT_EQ(findings.size(), 1u) << messages(findings);
  const Finding& finding = findings[0];
  EXPECT_EQ(finding.severity, Severity::Error);
  // Listed by id, pointing at the last head's down_revision line.
  EXPECT_NE(finding.message.find("`a1` (alembic/versions/a1_change.py), `b2` (alembic/versions/b2_change.py)"),
            std::string::npos)
      << finding.message;
  EXPECT_EQ(finding.path, "alembic/versions/a1_change.py");
  EXPECT_EQ(finding.start.line, kDownRevisionLine);
  EXPECT_NE(finding.help.find("alembic merge"), std::string::npos);
  EXPECT_NE(finding.help.find("a1 b2"), std::string::npos) << finding.help;
}

TEST(MultipleHeads, TwoBasesAreTwoHeads) {
  EXPECT_EQ(heads({revision("a0", {}), revision("b0", {})}).size(), 1u);
}

TEST(MultipleHeads, LabelledBranchesAllowedByConfig) {
  // Labels sit on each branch's first revision and carry over to its descendants.
  std::vector<Migration> branches{revision("f0", {}), revision("n1", {"f0"}, {"networking"}), revision("n2", {"n1"}),
                                  revision("b1", {"f0"}, {"billing"})};
  EXPECT_TRUE(heads(branches, /*allow_labelled=*/true).empty());
  EXPECT_EQ(heads(branches, /*allow_labelled=*/false).size(), 1u);
}

TEST(MultipleHeads, UnlabelledOrSharedLabelHeadsAreStillReported) {
  // Both heads inherit the same label: `alembic upgrade networking@head` is ambiguous.
  std::vector<Migration> shared{revision("n0", {}, {"networking"}), revision("n1", {"n0"}), revision("n2", {"n0"})};
  EXPECT_EQ(heads(shared, true).size(), 1u);
  std::vector<Migration> half{revision("f0", {}), revision("n1", {"f0"}, {"networking"}), revision("x1", {"f0"})};
  EXPECT_EQ(heads(half, true).size(), 1u);
}

TEST(MultipleHeads, SqlLayoutsWithoutParentsHaveNoHeads) {
  Project project = project_of({sql_migration("1", "ALTER TABLE users ADD COLUMN bio text;\n", std::nullopt),
                                sql_migration("2", "ALTER TABLE users ADD COLUMN locale text;\n", std::nullopt)});
  EXPECT_TRUE(lint(project, "multiple-heads").empty());
}

TEST(BrokenRevisionGraph, MissingParent) {
  auto findings = broken({revision("a0", {}), revision("a2", {"a1"})});
  ASSERT_EQ(findings.size(), 1u) << messages(findings);
  EXPECT_EQ(findings[0].path, "alembic/versions/a2_change.py");
  EXPECT_EQ(findings[0].start.line, kDownRevisionLine);
  EXPECT_NE(findings[0].message.find("parent `a1` does not exist"), std::string::npos) << findings[0].message;
}

TEST(BrokenRevisionGraph, UnknownDependencyButLabelsAndPrefixesResolve) {
  auto findings = broken({revision("a0", {}, {"core"}), revision("ab12cd", {"a0"}),
                          revision("b1", {"ab12cd"}, {}, {"core@head", "ab12", "zz99"})});
  ASSERT_EQ(findings.size(), 1u) << messages(findings);
  EXPECT_EQ(findings[0].start.line, kDependsOnLine);
  EXPECT_NE(findings[0].message.find("`zz99`"), std::string::npos);
}

TEST(BrokenRevisionGraph, DuplicateRevisionId) {
  auto findings = broken({revision("a0", {}), revision("a1", {"a0"}), revision("a1", {"a0"})});
  ASSERT_EQ(findings.size(), 1u) << messages(findings);
  EXPECT_EQ(findings[0].start.line, kRevisionLine);
  EXPECT_NE(findings[0].message.find("also used by alembic/versions/a1_change.py"), std::string::npos);
}

TEST(BrokenRevisionGraph, DuplicateVersionInSqlLayout) {
  Project project = project_of({sql_migration("20240101120000", "ALTER TABLE users ADD COLUMN bio text;\n", "SELECT 1;\n"),
                                sql_migration("20240101120000", "ALTER TABLE users ADD COLUMN locale text;\n", "SELECT 1;\n")});
  auto findings = lint(project, "broken-revision-graph");
  ASSERT_EQ(findings.size(), 1u) << messages(findings);
  EXPECT_EQ(findings[0].start.line, 1);
  EXPECT_NE(findings[0].message.find("Version `20240101120000`"), std::string::npos);
}

TEST(BrokenRevisionGraph, CycleIsReportedOnce) {
  auto findings = broken({revision("a0", {"a2"}), revision("a1", {"a0"}), revision("a2", {"a1"}), revision("b0", {})});
  ASSERT_EQ(findings.size(), 1u) << messages(findings);
  EXPECT_EQ(findings[0].path, "alembic/versions/a0_change.py");
  EXPECT_NE(findings[0].message.find("`a0` -> `a2` -> `a1` -> `a0`"), std::string::npos) << findings[0].message;
}

TEST(BrokenRevisionGraph, SelfParentIsACycle) {
  EXPECT_EQ(broken({revision("a0", {"a0"})}).size(), 1u);
}

TEST(BrokenRevisionGraph, UnreadableRevision) {
  Migration unreadable = revision("", {"a0"});
  unreadable.revision_readable = false;
  auto findings = broken({revision("a0", {}), unreadable});
  ASSERT_EQ(findings.size(), 1u) << messages(findings);
  EXPECT_NE(findings[0].message.find("cannot read the `revision`"), std::string::npos);
  // An unreadable revision is not a head of its own.
  EXPECT_TRUE(heads({revision("a0", {}), unreadable}).size() <= 1u);
}

TEST(BrokenRevisionGraph, FindingsComeInADeterministicOrder) {
  std::vector<Migration> mess{revision("a1", {"x"}), revision("a0", {"y"}), revision("a0", {})};
  auto first = broken(mess);
  auto second = broken(mess);
  ASSERT_EQ(first.size(), 3u) << messages(first);
  for (std::size_t i = 0; i < first.size(); ++i) EXPECT_EQ(first[i].message, second[i].message);
}

}  // namespace
}  // namespace migsafe::testing
