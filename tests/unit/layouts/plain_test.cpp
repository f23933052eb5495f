#include "layout_test_support.h"

namespace migsafe::testing {
namespace {


TEST(Plain, NaturalNameOrder) {
  Project project = load_with("plain", fixture("plain/analytics"));
  EXPECT_EQ(ids(project), (std::vector<std::string>{"1_events", "2_kind", "9_index", "10_at"}));
  for (const Migration& m : project.migrations) {
    EXPECT_EQ(m.downgrade_state, DowngradeState::NotApplicable);
    EXPECT_TRUE(m.parents.empty());
  }
}

TEST(Plain, StatementsAutocommitUnlessTheFileSaysBegin) {
  Project project = load_with("plain", fixture("plain/analytics"));
  EXPECT_EQ(transactions(migration(project, "2_kind")->upgrade), (std::vector<TransactionSource>{TransactionSource::None}));
  EXPECT_EQ(transactions(migration(project, "10_at")->upgrade), (std::vector<TransactionSource>{TransactionSource::Explicit, TransactionSource::Explicit, TransactionSource::Explicit}));
}

TEST(Plain, IsOnlyTheFallback) {
  int score = 0;
  EXPECT_EQ(LayoutRegistry::instance().detect(fixture("plain/analytics"), &score)->name(), "plain");
  EXPECT_EQ(score, 1);
  EXPECT_EQ(LayoutRegistry::instance().detect_file("notes.sql", "SELECT 1;")->name(), "plain");
}

TEST(NaturalOrder, NumbersCompareAsNumbers) {
  TempDir dir;
  for (const char* name : {"a10.sql", "a2.sql", "a02b.sql", "b.sql", "a.sql", "099999999999999999999_x.sql", "1_x.sql"}) {
    dir.write(name, "SELECT 1;\n");
  }
  Project project = load_with("plain", dir.path());
  EXPECT_EQ(ids(project), (std::vector<std::string>{"1_x", "099999999999999999999_x", "a", "a2", "a02b", "a10", "b"}));
}

}  // namespace
}  // namespace migsafe::testing
