#include "linter/util/string_distance.h"

#include <gtest/gtest.h>

namespace migsafe {
namespace {

TEST(DamerauLevenshtein, CountsEditsWithTranspositionAsOne) {
  EXPECT_EQ(damerau_levenshtein("", ""), 0u);
  EXPECT_EQ(damerau_levenshtein("select", "select"), 0u);
  EXPECT_EQ(damerau_levenshtein("", "abc"), 3u);
  EXPECT_EQ(damerau_levenshtein("selcet", "select"), 1u);   // transposition
  EXPECT_EQ(damerau_levenshtein("selct", "select"), 1u);    // deletion
  EXPECT_EQ(damerau_levenshtein("sellect", "select"), 1u);  // insertion
  EXPECT_EQ(damerau_levenshtein("solect", "select"), 1u);   // substitution
  EXPECT_EQ(damerau_levenshtein("kitten", "sitting"), 3u);
  EXPECT_EQ(damerau_levenshtein("ca", "abc"), 3u);  // optimal string alignment: no edit of a transposed pair
}

TEST(ClosestMatch, SuggestsPlausibleTyposOnly) {
  std::vector<std::string> keys = {"select", "extend-select", "ignore", "target-version"};
  EXPECT_EQ(closest_match("selcet", keys), "select");
  EXPECT_EQ(closest_match("Select", keys), "select");
  EXPECT_EQ(closest_match("target_version", keys), "target-version");
  EXPECT_EQ(closest_match("extend_select", keys), "extend-select");
  EXPECT_EQ(closest_match("colour", keys), std::nullopt);
  EXPECT_EQ(closest_match("x", keys), std::nullopt);
}

TEST(ClosestMatch, FallsBackToAFragmentOfALongName) {
  std::vector<std::string> ids = {"adding-not-null-column", "renaming-column", "setting-not-null"};
  EXPECT_EQ(closest_match("not-null", ids), "adding-not-null-column");
  EXPECT_EQ(closest_match("adding-not-null", ids), "adding-not-null-column");  // prefix beats 3 edits
  EXPECT_EQ(closest_match("setting-not-nul", ids), "setting-not-null");       // one edit beats a prefix
  EXPECT_EQ(closest_match("col", ids), std::nullopt);  // too short to be a meaningful fragment
}

TEST(DidYouMean, FormatsTheSuggestion) {
  EXPECT_EQ(did_you_mean("ignor", {"ignore"}), "; did you mean 'ignore'?");
  EXPECT_EQ(did_you_mean("zzz", {"ignore"}), "");
}

}  // namespace
}  // namespace migsafe
