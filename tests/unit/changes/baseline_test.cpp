// Baselines: the statement identity behind fingerprints, the file format, and matching by count.
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "linter/changes/baseline.h"
#include "linter/config/config.h"
#include "linter/model/finding.h"
#include "linter/model/source.h"

namespace migsafe {
namespace {

namespace fs = std::filesystem;

const fs::path kRoot = "/repo";

// A finding on the first occurrence of `statement` in `text`, as the engine reports it.
Finding finding_in(const std::string& path, const std::string& text, const std::string& statement,
                   const std::string& rule = "adding-not-null-column") {
  auto file = std::make_shared<const SourceFile>(path, path, text);
  std::size_t begin = text.find(statement);
  EXPECT_NE(begin, std::string::npos) << statement;
  Finding finding;
  finding.rule_id = rule;
  finding.file = file;
  finding.path = path;
  finding.range = {begin, begin + statement.size()};
  finding.start = file->position_of(begin);
  finding.end = file->position_of(begin + statement.size());
  finding.message = "Adding a NOT NULL column without a default fails on a table with rows.";
  finding.fingerprint_text = statement;
  return finding;
}

TEST(StatementIdentity, IgnoresWhitespaceAndCommentsButNotStrings) {
  std::string one = statement_identity("ALTER TABLE users ADD COLUMN email text NOT NULL;", false);
  EXPECT_EQ(one, "ALTER TABLE users ADD COLUMN email text NOT NULL;");
  EXPECT_EQ(statement_identity("ALTER TABLE users\n    ADD COLUMN email text -- the address\n    NOT NULL ;", false),
            one);
  EXPECT_EQ(statement_identity("ALTER  TABLE /* note */ users ADD COLUMN email text NOT NULL;", false), one);
  EXPECT_EQ(statement_identity("f(a,b)", false), statement_identity("f( a , b )", false));
  // Literals and quoted identifiers are kept verbatim: changing them changes the statement.
  EXPECT_NE(statement_identity("UPDATE t SET a = 'x  y';", false), statement_identity("UPDATE t SET a = 'x y';", false));
  EXPECT_EQ(statement_identity("SELECT '-- not a comment'", false), "SELECT'-- not a comment'");
  EXPECT_EQ(statement_identity("SELECT \"a  b\" FROM t", false), "SELECT\"a  b\"FROM t");
  EXPECT_EQ(statement_identity("$body$ -- kept\n $body$", false), "$body$ -- kept\n $body$");
  EXPECT_EQ(statement_identity("/* outer /* nested */ still comment */ x", false), "x");
  // A different statement keeps a different identity.
  EXPECT_NE(statement_identity("ALTER TABLE users ADD COLUMN phone text NOT NULL;", false), one);
}

TEST(StatementIdentity, PythonComments) {
  std::string one = statement_identity("op.add_column('users', sa.Column('email', sa.Text(), nullable=False))", true);
  EXPECT_EQ(statement_identity("op.add_column(\n    'users',  # the table\n    sa.Column('email', sa.Text(), "
                               "nullable=False),\n)",
                               true),
            statement_identity("op.add_column('users',sa.Column('email',sa.Text(),nullable=False),)", true));
  EXPECT_EQ(statement_identity("op.execute('# kept')", true), "op.execute('# kept')");
  EXPECT_EQ(statement_identity("op.execute(\"\"\"a  # kept\n\"\"\")", true), "op.execute(\"\"\"a  # kept\n\"\"\")");
  EXPECT_NE(one, "");
}

TEST(Fingerprint, DoesNotDependOnLinesOrLayout) {
  std::string statement = "ALTER TABLE users ADD COLUMN email text NOT NULL;";
  Finding top = finding_in("m/0002.sql", statement + "\n", statement);
  Finding moved = finding_in("m/0002.sql", "-- header\n\n\nSELECT 1;\n" + statement + "\n", statement);
  EXPECT_NE(top.start.line, moved.start.line);
  EXPECT_EQ(fingerprint(top), fingerprint(moved));
  Finding reformatted = top;
  reformatted.fingerprint_text = "ALTER TABLE users\n  ADD COLUMN email text NOT NULL; -- why";
  EXPECT_EQ(fingerprint(top), fingerprint(reformatted));
  Finding other_file = top;
  other_file.path = "m/0003.sql";
  EXPECT_NE(fingerprint(top), fingerprint(other_file));
  Finding other_rule = top;
  other_rule.rule_id = "prefer-bigint";
  EXPECT_NE(fingerprint(top), fingerprint(other_rule));
}

TEST(Baseline, FileKeyIsRelativeToTheBaselineDirectory) {
  EXPECT_EQ(baseline_file_key("migrations/0001.sql", "/repo", "/repo"), "migrations/0001.sql");
  EXPECT_EQ(baseline_file_key("0001.sql", "/repo/migrations", "/repo"), "migrations/0001.sql");
  EXPECT_EQ(baseline_file_key("/repo/migrations/0001.sql", "/elsewhere", "/repo"), "migrations/0001.sql");
  EXPECT_EQ(baseline_file_key("", "/repo", "/repo"), "");
}

TEST(Baseline, WritesSortedEntriesWithCounts) {
  std::string statement = "ALTER TABLE users ADD COLUMN email text NOT NULL;";
  std::string text = statement + "\n" + statement + "\n";
  std::vector<Finding> findings{finding_in("m/b.sql", text, statement), finding_in("m/b.sql", text, statement),
                                finding_in("m/a.sql", statement, statement)};
  Baseline baseline = make_baseline(findings, kRoot, kRoot);
  ASSERT_EQ(baseline.entries.size(), 2u);
  EXPECT_EQ(baseline.entries[0].file, "m/a.sql");
  EXPECT_EQ(baseline.entries[0].count, 1u);
  EXPECT_EQ(baseline.entries[1].file, "m/b.sql");
  EXPECT_EQ(baseline.entries[1].count, 2u);
  EXPECT_EQ(baseline.entries[1].fingerprint.size(), 16u);

  std::string json = baseline_json(baseline, "1.2.3");
  EXPECT_NE(json.find("\"version\": 1"), std::string::npos);
  EXPECT_NE(json.find("\"migsafe_version\": \"1.2.3\""), std::string::npos);
  EXPECT_NE(json.find("\"count\": 2"), std::string::npos);
  EXPECT_EQ(json.find("\"count\": 1"), std::string::npos);  // only when several
  EXPECT_EQ(json.back(), '\n');
  // The same findings in another order give the same bytes (diff-friendly).
  std::vector<Finding> shuffled{findings[2], findings[0], findings[1]};
  EXPECT_EQ(baseline_json(make_baseline(shuffled, kRoot, kRoot), "1.2.3"), json);

  Baseline read = parse_baseline(json, "b.json");
  ASSERT_EQ(read.entries.size(), 2u);
  EXPECT_EQ(read.entries[1].count, 2u);
  EXPECT_EQ(read.entries[1].fingerprint, baseline.entries[1].fingerprint);
  EXPECT_EQ(read.entries[0].message, findings[2].message);
}

TEST(Baseline, MatchesByCountAndSurvivesMovedStatements) {
  std::string statement = "ALTER TABLE users ADD COLUMN email text NOT NULL;";
  std::string two = statement + "\n" + statement + "\n";
  Baseline baseline = make_baseline({finding_in("m/b.sql", two, statement), finding_in("m/b.sql", two, statement)},
                                    kRoot, kRoot);

  // Lines inserted above: same findings, other lines: all hidden.
  std::string moved = "-- a new header\nSELECT 1;\n\n" + two;
  BaselineMatch same = match_baseline(baseline, {finding_in("m/b.sql", moved, statement), finding_in("m/b.sql", moved, statement)},
                                      kRoot, kRoot);
  EXPECT_TRUE(same.remaining.empty());
  EXPECT_EQ(same.hidden, 2u);
  EXPECT_EQ(same.unmatched, 0u);

  // A third identical statement: two absorbed, the third reported.
  std::string three = two + statement + "\n";
  BaselineMatch more = match_baseline(
      baseline, {finding_in("m/b.sql", three, statement), finding_in("m/b.sql", three, statement),
                 finding_in("m/b.sql", three, statement)},
      kRoot, kRoot);
  EXPECT_EQ(more.remaining.size(), 1u);
  EXPECT_EQ(more.hidden, 2u);

  // One of the two fixed, and a new statement: the new one reported, one entry left unmatched.
  std::string changed = statement + "\nALTER TABLE users ADD COLUMN phone text NOT NULL;\n";
  BaselineMatch fixed = match_baseline(
      baseline,
      {finding_in("m/b.sql", changed, statement),
       finding_in("m/b.sql", changed, "ALTER TABLE users ADD COLUMN phone text NOT NULL;")},
      kRoot, kRoot);
  ASSERT_EQ(fixed.remaining.size(), 1u);
  EXPECT_EQ(fixed.remaining[0].fingerprint_text, "ALTER TABLE users ADD COLUMN phone text NOT NULL;");
  EXPECT_EQ(fixed.unmatched, 1u);

  // The same statement in another file or for another rule is not covered.
  BaselineMatch elsewhere = match_baseline(
      baseline, {finding_in("m/c.sql", statement, statement), finding_in("m/b.sql", two, statement, "other-rule")},
      kRoot, kRoot);
  EXPECT_EQ(elsewhere.remaining.size(), 2u);

  // Entries of files this run did not read are not "unmatched".
  std::set<std::string> checked{"m/other.sql"};
  EXPECT_EQ(match_baseline(baseline, {}, kRoot, kRoot, &checked).unmatched, 0u);
  checked.insert("m/b.sql");
  EXPECT_EQ(match_baseline(baseline, {}, kRoot, kRoot, &checked).unmatched, 2u);
}

TEST(Baseline, MatchesFromAnotherWorkingDirectory) {
  std::string statement = "ALTER TABLE users ADD COLUMN email text NOT NULL;";
  Baseline baseline = make_baseline({finding_in("db/m/b.sql", statement, statement)}, kRoot, kRoot);
  // Run later from /repo/db: the display path is "m/b.sql", the baseline is ../migsafe-baseline.json.
  BaselineMatch match = match_baseline(baseline, {finding_in("m/b.sql", statement, statement)}, kRoot / "db", kRoot);
  EXPECT_TRUE(match.remaining.empty());
}

std::string error_of(const std::string& text) {
  try {
    parse_baseline(text, "base.json");
  } catch (const ConfigError& error) {
    return error.what();
  }
  return "no error";
}

TEST(Baseline, MalformedFilesAreUsageErrorsNamingFileAndLine) {
  std::string syntax = error_of("{\n  \"version\": 1,\n  \"findings\": [\n    {\"rule\": \"x\",}\n  ]\n}\n");
  EXPECT_NE(syntax.find("base.json:4:"), std::string::npos) << syntax;
  EXPECT_NE(syntax.find("invalid JSON"), std::string::npos) << syntax;
  EXPECT_NE(error_of("[]").find("not a JSON object"), std::string::npos);
  EXPECT_NE(error_of("{\"findings\": []}").find("\"version\""), std::string::npos);
  EXPECT_NE(error_of("{\"version\": 2, \"findings\": []}").find("format version 2"), std::string::npos);
  EXPECT_NE(error_of("{\"version\": 1}").find("\"findings\""), std::string::npos);
  EXPECT_NE(error_of("{\"version\": 1, \"findings\": [{\"rule\": \"r\", \"file\": \"f\"}]}").find("entry 1"),
            std::string::npos);
  EXPECT_NE(error_of("{\"version\": 1, \"findings\": [{\"rule\": \"r\", \"file\": \"f\", \"fingerprint\": \"0\", "
                     "\"count\": 0}]}")
                .find("count"),
            std::string::npos);
  EXPECT_EQ(error_of("{\"version\": 1, \"findings\": []}"), "no error");
  EXPECT_THROW(load_baseline("/nonexistent/dir/base.json", "base.json"), ConfigError);
}

TEST(Baseline, DuplicateKeysInTheFileAddUp) {
  std::string entry = "{\"rule\": \"r\", \"file\": \"f.sql\", \"fingerprint\": \"00000000000000aa\", \"count\": 2}";
  Baseline baseline = parse_baseline("{\"version\": 1, \"findings\": [" + entry + ", " + entry + "]}", "b.json");
  ASSERT_EQ(baseline.entries.size(), 1u);
  EXPECT_EQ(baseline.entries[0].count, 4u);
}

}  // namespace
}  // namespace migsafe
