#include <gtest/gtest.h>

#include "linter/model/source.h"

namespace migsafe {
namespace {

TEST(SourceFile, PositionsAreOneBasedAndCountCodePoints) {
  SourceFile file("a.sql", "a.sql", "SELECT 1;\n-- é\nALTER TABLE t;");
  EXPECT_EQ(file.position_of(0), (Position{1, 1}));
  EXPECT_EQ(file.position_of(7), (Position{1, 8}));
  EXPECT_EQ(file.position_of(10), (Position{2, 1}));
  // "-- é" : 'é' is two bytes, so the offset after it is column 5, not 6.
  EXPECT_EQ(file.position_of(15), (Position{2, 5}));
  EXPECT_EQ(file.position_of(16), (Position{3, 1}));
}

TEST(SourceFile, CountsCodePointsOnLongLinesOfMixedWidth) {
  // Longer than the eight-byte steps of position_of: every column is checked against a byte-by-byte count.
  std::string line = "SELECT 'é€😀 ab', 'ünïcödé ñ' || 'x€x€x€x€' AS \"naïve\";";
  SourceFile file("a.sql", "a.sql", "-- header\n" + line);
  int expected_column = 1;
  for (std::size_t i = 0; i <= line.size(); ++i) {
    EXPECT_EQ(file.position_of(10 + i), (Position{2, expected_column})) << "byte " << i;
    if (i < line.size() && (static_cast<unsigned char>(line[i]) & 0xC0) != 0x80) ++expected_column;
  }
}

TEST(SourceFile, HandlesCrlfAndLoneCr) {
  SourceFile file("a.sql", "a.sql", "a;\r\nb;\rc;");
  EXPECT_EQ(file.line_count(), 3u);
  EXPECT_EQ(file.position_of(4), (Position{2, 1}));
  EXPECT_EQ(file.position_of(7), (Position{3, 1}));
  EXPECT_EQ(file.line_text(1), "a;");
  EXPECT_EQ(file.line_text(2), "b;");
}

TEST(SourceFile, StripsByteOrderMark) {
  SourceFile file("a.sql", "a.sql", "\xEF\xBB\xBFSELECT 1;");
  EXPECT_TRUE(file.had_bom());
  EXPECT_EQ(file.text(), "SELECT 1;");
  EXPECT_EQ(file.position_of(0), (Position{1, 1}));
}

TEST(SourceFile, ClampsOffsetsPastTheEnd) {
  SourceFile file("a.sql", "a.sql", "abc");
  EXPECT_EQ(file.position_of(100), (Position{1, 4}));
  EXPECT_EQ(file.slice({1, 100}), "bc");
}

}  // namespace
}  // namespace migsafe
