// display_path: the string fast path for normal absolute paths must agree with the general
// (lexically_normal / lexically_relative) form it short-cuts.
#include <gtest/gtest.h>

#include "linter/layouts/source_reader.h"

namespace migsafe {
namespace {

TEST(DisplayPath, FileUnderRootIsRelative) {
  EXPECT_EQ(display_path("/repo/migrations/1_a.sql", "/repo"), "migrations/1_a.sql");
  EXPECT_EQ(display_path("/repo/a.sql", "/repo"), "a.sql");
}

TEST(DisplayPath, FileOutsideRootIsAbsolute) {
  EXPECT_EQ(display_path("/other/a.sql", "/repo"), "/other/a.sql");
  EXPECT_EQ(display_path("/repository/a.sql", "/repo"), "/repository/a.sql");  // a prefix, not a parent
  EXPECT_EQ(display_path("/repo", "/repo/sub"), "/repo");
}

TEST(DisplayPath, RootItselfIsDot) { EXPECT_EQ(display_path("/repo", "/repo"), "."); }

TEST(DisplayPath, UnnormalizedPathsAreNormalizedFirst) {
  EXPECT_EQ(display_path("/repo/./migrations//1_a.sql", "/repo"), "migrations/1_a.sql");
  EXPECT_EQ(display_path("/repo/x/../a.sql", "/repo/"), "a.sql");
  EXPECT_EQ(display_path("/repo/../other/a.sql", "/repo"), "/other/a.sql");
  EXPECT_EQ(display_path("/a.sql", "/"), "a.sql");
}

}  // namespace
}  // namespace migsafe
