// StringSet and SortedStringMap, the containers of MigrationState: they must answer as std::set and
// std::map did (membership, insert-if-absent, key-ordered iteration of the map), also past the batch
// size at which StringSet merges its recent entries, and after clear().
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "linter/engine/string_containers.h"

namespace migsafe::testing {
namespace {

TEST(StringSet, AnswersAsAStdSetAcrossBatches) {
  StringSet set;
  std::set<std::string> expected;
  // A scrambled order with repeats, long enough to merge several batches.
  for (int i = 0; i < 500; ++i) {
    std::string name = "table_" + std::to_string((i * 37) % 211);
    EXPECT_EQ(set.insert(name), expected.insert(name).second) << name;
  }
  EXPECT_EQ(set.size(), expected.size());
  for (int i = 0; i < 300; ++i) {
    std::string name = "table_" + std::to_string(i);
    EXPECT_EQ(set.count(name), expected.count(name)) << name;
  }
  std::set<std::string> visited;
  set.for_each([&](const std::string& value) { EXPECT_TRUE(visited.insert(value).second) << value; });
  EXPECT_EQ(visited, expected);
  set.clear();
  EXPECT_TRUE(set.empty());
  EXPECT_FALSE(set.contains("table_1"));
  EXPECT_TRUE(set.insert("table_1"));
  EXPECT_TRUE(set.contains("table_1"));
}

TEST(SortedStringMap, KeepsTheFirstValueAndIteratesInKeyOrder) {
  SortedStringMap<int> map;
  EXPECT_TRUE(map.emplace("orders", 1));
  EXPECT_TRUE(map.emplace("accounts", 2));
  EXPECT_FALSE(map.emplace("orders", 3));  // as std::map::emplace: the first value stays
  map["users"] = 4;
  map["accounts"] = 5;  // operator[] assigns
  std::vector<std::pair<std::string, int>> entries(map.begin(), map.end());
  EXPECT_EQ(entries, (std::vector<std::pair<std::string, int>>{{"accounts", 5}, {"orders", 1}, {"users", 4}}));
  EXPECT_EQ(map.find("users")->second, 4);
  EXPECT_EQ(map.find("user"), map.end());
  EXPECT_EQ(map.count("orders"), 1u);
  map.clear();
  EXPECT_TRUE(map.empty());
  EXPECT_EQ(map.find("orders"), map.end());
}

}  // namespace
}  // namespace migsafe::testing
