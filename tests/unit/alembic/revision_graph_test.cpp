// Apply order of revision graphs: linear, merge, two heads, cycle, missing parent, branch labels.
#include <gtest/gtest.h>

#include "linter/alembic/revision_graph.h"

namespace migsafe::alembic {
namespace {

Migration revision(const std::string& id, std::vector<std::string> parents, const std::string& file,
                   std::vector<std::string> labels = {}, std::vector<std::string> depends_on = {}) {
  Migration migration;
  migration.id = id;
  migration.parents = std::move(parents);
  migration.branch_labels = std::move(labels);
  migration.depends_on = std::move(depends_on);
  migration.upgrade.file = std::make_shared<const SourceFile>(file, file, "");
  return migration;
}

std::vector<std::string> order(std::vector<Migration> migrations) {
  order_revisions(migrations);
  std::vector<std::string> ids;
  for (const Migration& migration : migrations) ids.push_back(migration.id);
  return ids;
}

TEST(RevisionOrder, LinearHistoryWhateverTheFileNames) {
  EXPECT_EQ(order({revision("c", {"b"}, "versions/1_c.py"), revision("a", {}, "versions/9_a.py"),
                   revision("b", {"a"}, "versions/5_b.py")}),
            (std::vector<std::string>{"a", "b", "c"}));
}

TEST(RevisionOrder, MergePointComesAfterBothParents) {
  EXPECT_EQ(order({revision("m", {"x", "y"}, "a_m.py"), revision("y", {"base"}, "b_y.py"),
                   revision("x", {"base"}, "c_x.py"), revision("base", {}, "d_base.py")}),
            (std::vector<std::string>{"base", "y", "x", "m"}));  // ties broken by file path
}

TEST(RevisionOrder, TwoHeadsAreBothOrdered) {
  EXPECT_EQ(order({revision("h2", {"r"}, "2.py"), revision("h1", {"r"}, "1.py"), revision("r", {}, "0.py")}),
            (std::vector<std::string>{"r", "h1", "h2"}));
}

TEST(RevisionOrder, MissingParentIsTreatedAsARoot) {
  EXPECT_EQ(order({revision("b", {"a"}, "1.py"), revision("a", {"gone"}, "2.py")}),
            (std::vector<std::string>{"a", "b"}));
}

TEST(RevisionOrder, CyclesGoLastInPathOrder) {
  EXPECT_EQ(order({revision("x", {"y"}, "3.py"), revision("y", {"x"}, "2.py"), revision("root", {}, "9.py")}),
            (std::vector<std::string>{"root", "y", "x"}));
}

TEST(RevisionOrder, DependsOnRevisionsAndBranchLabels) {
  EXPECT_EQ(order({revision("uses", {}, "0.py", {}, {"lib@head"}), revision("lib1", {}, "5.py", {"lib"}),
                   revision("dep", {}, "1.py", {}, {"other"}), revision("other", {}, "9.py")}),
            (std::vector<std::string>{"lib1", "uses", "other", "dep"}));  // ready ones in path order
}

TEST(RevisionOrder, DeterministicForIdenticalInputs) {
  std::vector<Migration> first = {revision("a", {}, "x/a.py"), revision("b", {}, "x/b.py"), revision("c", {"a", "b"}, "x/c.py")};
  std::vector<Migration> second = {first[2], first[1], first[0]};
  EXPECT_EQ(order(first), order(second));
}

TEST(RevisionOrder, DuplicateIdsAreKept) {
  EXPECT_EQ(order({revision("a", {}, "1.py"), revision("a", {}, "2.py"), revision("b", {"a"}, "3.py")}).size(), 3u);
}

}  // namespace
}  // namespace migsafe::alembic
