// Helpers the reporters share: line-break folding (gitlab descriptions, gcc lines), report order and
// severity totals, which take shortcuts for the common already-sorted input.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "linter/model/fingerprint.h"
#include "linter/report/report_support.h"

namespace migsafe {
namespace {

TEST(ReportSupport, SingleLineFoldsEveryLineBreakToOneSpace) {
  EXPECT_EQ(single_line(""), "");
  EXPECT_EQ(single_line("no breaks"), "no breaks");
  EXPECT_EQ(single_line("a\nb\r\nc\rd"), "a b c d");
  EXPECT_EQ(single_line("\r\n\r\n"), "  ");
  EXPECT_EQ(single_line("\n\r"), "  ");
  EXPECT_EQ(single_line("ends with cr\r"), "ends with cr ");
  EXPECT_EQ(single_line("ends with crlf\r\n"), "ends with crlf ");
  std::string out = "prefix:";
  append_single_line(out, "x\ny");
  EXPECT_EQ(out, "prefix:x y");
}

TEST(ReportSupport, PrintableTextKeepsCleanTextAndReplacesTheRest) {
  EXPECT_EQ(printable_text("plain text\twith\r\nbreaks"), "plain text\twith\r\nbreaks");
  EXPECT_EQ(printable_text("caf\xc3\xa9 \xe2\x80\x94 \xc2\x85"), "caf\xc3\xa9 \xe2\x80\x94 \xc2\x85");  // C1 kept
  EXPECT_EQ(printable_text("esc\x1b[31m"), "esc\xe2\x90\x9b[31m");                                     // U+241B
  EXPECT_EQ(printable_text("del\x7f"), "del\xe2\x90\xa1");                                              // U+2421
  EXPECT_EQ(printable_text(std::string("nul\0", 4)), "nul\xe2\x90\x80");                                // U+2400
  EXPECT_EQ(printable_text("bad \xff byte"), "bad \xef\xbf\xbd byte");                                    // U+FFFD
  EXPECT_EQ(printable_text("cut \xe2\x80"), "cut \xef\xbf\xbd");
}

// The check skips eight plain bytes at a time: a byte to replace (or to keep) at every offset.
TEST(ReportSupport, PrintableTextAtEveryOffset) {
  for (std::string special : {"\x1b", "\x7f", "\x01", "\xff", "\xe2\x80", "\xc3\xa9", "\t", "\r\n", "~", " "}) {
    for (std::size_t offset = 0; offset <= 20; ++offset) {
      std::string prefix(offset, 'a');
      std::string suffix(offset % 11, 'b');
      std::string text = prefix + special + suffix;
      EXPECT_EQ(printable_text(text), prefix + printable_text(special) + suffix) << offset;
      std::string line = "x";
      append_printable_single_line(line, text);
      EXPECT_EQ(line, "x" + single_line(printable_text(text))) << offset;
    }
  }
}

Finding at(std::string path, int line, std::string rule, Severity severity = Severity::Error) {
  Finding finding;
  finding.path = std::move(path);
  finding.start = {line, 1};
  finding.rule_id = std::move(rule);
  finding.severity = severity;
  return finding;
}

TEST(ReportSupport, ReportOrderSortsUnsortedInputStably) {
  std::vector<Finding> findings = {at("b.sql", 1, "r"), at("a.sql", 2, "r"), at("a.sql", 1, "r", Severity::Note),
                                   at("a.sql", 1, "r", Severity::Warning)};
  std::vector<const Finding*> ordered = in_report_order(findings);
  ASSERT_EQ(ordered.size(), 4u);
  EXPECT_EQ(ordered[0], &findings[2]);  // equal keys keep the caller's order
  EXPECT_EQ(ordered[1], &findings[3]);
  EXPECT_EQ(ordered[2], &findings[1]);
  EXPECT_EQ(ordered[3], &findings[0]);
  std::vector<const Finding*> again = in_report_order({});
  EXPECT_TRUE(again.empty());
}

TEST(ReportSupport, TotalsCountDistinctPathsEvenWhenNotGrouped) {
  std::vector<Finding> findings = {at("a.sql", 1, "r"), at("b.sql", 1, "r", Severity::Warning), at("a.sql", 2, "r"),
                                   at("", 0, "r", Severity::Note)};
  std::vector<const Finding*> pointers;
  for (const Finding& finding : findings) pointers.push_back(&finding);
  SeverityTotals totals = count_findings(pointers);
  EXPECT_EQ(totals.errors, 2u);
  EXPECT_EQ(totals.warnings, 1u);
  EXPECT_EQ(totals.notes, 1u);
  EXPECT_EQ(totals.files_with_findings, 2u);

  // Report order (grouped, ascending, findings about no file first) and a late step back.
  findings = {at("", 0, "r"), at("a.sql", 1, "r"), at("a.sql", 2, "r"), at("b.sql", 1, "r"), at("c.sql", 1, "r")};
  pointers.clear();
  for (const Finding& finding : findings) pointers.push_back(&finding);
  EXPECT_EQ(count_findings(pointers).files_with_findings, 3u);
  findings.push_back(at("b.sql", 3, "r"));
  findings.push_back(at("d.sql", 1, "r"));
  pointers.clear();
  for (const Finding& finding : findings) pointers.push_back(&finding);
  EXPECT_EQ(count_findings(pointers).files_with_findings, 4u);
}


// Identical statements of one rule in one file are numbered in report order; any other rule, file or
// statement starts at occurrence 0. Each value is the one fingerprint() gives (baselines store them).
TEST(ReportSupport, UniqueFingerprintsNumberIdenticalStatements) {
  auto statement = [](std::string path, std::string rule, std::string text) {
    Finding finding = at(std::move(path), 1, std::move(rule));
    finding.fingerprint_text = std::move(text);
    return finding;
  };
  std::vector<Finding> findings = {
      statement("a.sql", "r", "ALTER TABLE t ADD c int;"), statement("a.sql", "r", "ALTER  TABLE t\nADD c int;"),
      statement("a.sql", "s", "ALTER TABLE t ADD c int;"), statement("b.sql", "r", "ALTER TABLE t ADD c int;"),
      statement("a.sql", "r", "ALTER TABLE t ADD c int;"), statement("a.sql", "r", "DROP TABLE t;")};
  std::vector<const Finding*> pointers;
  for (const Finding& finding : findings) pointers.push_back(&finding);
  std::vector<std::uint64_t> values = unique_fingerprints(pointers);
  ASSERT_EQ(values.size(), findings.size());
  // The second differs only in whitespace: its own key (raw text), whose occurrence 0 gives the first's
  // value, so it moves on to 1; the fifth, the first's key again, then finds 1 taken as well.
  int expected_occurrence[] = {0, 1, 0, 0, 2, 0};
  for (std::size_t i = 0; i < findings.size(); ++i) {
    EXPECT_EQ(FingerprintDigits(values[i]).view(), fingerprint(findings[i], expected_occurrence[i])) << i;
  }
  EXPECT_TRUE(unique_fingerprints({}).empty());
}

}  // namespace
}  // namespace migsafe
