// Behaviour of the reporters beyond the golden files: escaping, the GitHub annotation cap, GitLab
// fingerprint uniqueness, SARIF and JSON structure, code-frame alignment, the markdown size cap.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>
#include <sstream>

#include "linter/report/report_support.h"
#include "linter/report/reporter.h"
#include "linter/report/rule_docs.h"
#include "sample_findings.h"

namespace migsafe {
namespace {

using testing::finding_at;
using testing::sample_context;
using testing::sample_file;
using testing::sample_findings;

std::string render(std::string_view format, const std::vector<Finding>& findings, const ReportContext& context) {
  std::ostringstream out;
  make_reporter(format)->write(findings, context, out);
  return out.str();
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::size_t count_prefix(const std::vector<std::string>& lines, std::string_view prefix) {
  return static_cast<std::size_t>(
      std::count_if(lines.begin(), lines.end(), [&](const std::string& l) { return l.rfind(prefix, 0) == 0; }));
}

std::vector<Finding> many(int count, Severity severity, std::string rule) {
  auto file = sample_file("migrations/big.sql", "DROP INDEX a;\n");
  std::vector<Finding> findings;
  for (int i = 0; i < count; ++i) {
    Finding f = finding_at(file, rule, severity, "DROP INDEX a;", "Message " + std::to_string(i) + ".", "Help.");
    f.start.line = f.end.line = i + 1;
    findings.push_back(f);
  }
  return findings;
}

// ---- text -----------------------------------------------------------------------------------------

// Screen column of the first caret and of the span start in the frame line above it: they must match.
void expect_caret_under(const std::string& output, const std::string& line_prefix, const std::string& span_text) {
  std::vector<std::string> lines = lines_of(output);
  auto it = std::find_if(lines.begin(), lines.end(), [&](const std::string& l) { return l.rfind(line_prefix, 0) == 0; });
  ASSERT_NE(it, lines.end()) << output;
  ASSERT_NE(it + 1, lines.end());
  const std::string& code = *it;
  const std::string& carets = *(it + 1);
  std::size_t span_byte = code.find(span_text);
  ASSERT_NE(span_byte, std::string::npos) << code;
  std::size_t span_column = 0;
  for (std::size_t i = 0; i < span_byte;) {
    std::size_t length = 1;
    span_column += static_cast<std::size_t>(display_width(decode_code_point(code, i, length)));
    i += length;
  }
  EXPECT_EQ(carets.find('^'), span_column) << code << "\n" << carets;
  EXPECT_EQ(carets.find_last_of('^') - carets.find('^') + 1, span_text.size()) << carets;
}

TEST(TextReporter, UnderlineLinesUpAfterTabsAndWideCharacters) {
  auto file = sample_file("w.sql", "\tUPDATE \"用户\"\tSET x = 1;\n");
  std::string out = render("text", {finding_at(file, "r", Severity::Error, "SET x = 1;", "M.", "")}, ReportContext{});
  expect_caret_under(out, "1 |", "SET x = 1;");
  EXPECT_EQ(out.find('\t'), std::string::npos) << "tabs are expanded in the frame";
}

TEST(TextReporter, UnderlineLinesUpAfterEmojiAndCombiningMarks) {
  auto file = sample_file("e.sql", "SELECT '😀e\xCC\x81', bad_call();\n");
  std::string out = render("text", {finding_at(file, "r", Severity::Error, "bad_call()", "M.", "")}, ReportContext{});
  expect_caret_under(out, "1 |", "bad_call()");
}

TEST(TextReporter, MultiLineSpanShowsFirstLinesAndEllipsis) {
  std::vector<Finding> findings;
  for (const Finding& f : sample_findings()) {
    if (f.rule_id == "adding-foreign-key-constraint") findings.push_back(f);
  }
  std::string out = render("text", findings, ReportContext{});
  EXPECT_NE(out.find("1 | ALTER TABLE orders"), std::string::npos) << out;
  EXPECT_NE(out.find("3 |     FOREIGN KEY"), std::string::npos) << out;
  EXPECT_EQ(out.find("4 |"), std::string::npos) << out;
  EXPECT_NE(out.find("... (2 more lines)"), std::string::npos) << out;
}

TEST(TextReporter, FindingWithoutFileHasNoFrame) {
  Finding f;
  f.rule_id = "multiple-heads";
  f.message = "Two heads.";
  std::string out = render("text", {f}, ReportContext{});
  EXPECT_EQ(out.rfind("error[multiple-heads]: Two heads.\n", 0), 0u) << out;
  EXPECT_EQ(out.find(" |"), std::string::npos) << out;
}

TEST(TextReporter, ColorsOnlyWhenAsked) {
  ReportContext context = sample_context();
  EXPECT_EQ(render("text", sample_findings(), context).find('\x1b'), std::string::npos);
  context.color = true;
  EXPECT_NE(render("text", sample_findings(), context).find("\x1b[1;31m"), std::string::npos);
}

TEST(TextReporter, ControlCharactersInMessagesDoNotReachTheTerminal) {
  Finding f;
  f.rule_id = "r";
  f.message = "evil \x1b]0;title\x07 text";
  std::string out = render("text", {f}, ReportContext{});
  EXPECT_EQ(out.find('\x1b'), std::string::npos);
  EXPECT_EQ(out.find('\x07'), std::string::npos);
}

TEST(TextReporter, LongLinesAreCutToAWindowAroundTheSpan) {
  std::string text = "INSERT INTO t VALUES " + std::string(5000, 'x') + " BAD " + std::string(5000, 'y') + ";\n";
  auto file = sample_file("long.sql", text);
  std::string out = render("text", {finding_at(file, "r", Severity::Error, "BAD", "M.", "")}, ReportContext{});
  for (const std::string& line : lines_of(out)) EXPECT_LT(line.size(), 400u) << line.substr(0, 80);
  expect_caret_under(out, "1 |", "BAD");
}

TEST(TextReporter, SummaryLines) {
  ReportContext context;
  context.files_checked = 3;
  EXPECT_EQ(render("text", {}, context), "No findings in 3 files\n");
  context.files_checked = 1;
  EXPECT_EQ(render("text", {}, context), "No findings in 1 file\n");
  std::string out = render("text", sample_findings(), sample_context());
  EXPECT_NE(out.find("\n5 errors, 4 warnings, 1 note in 4 files (5 files checked)\n"), std::string::npos);
}

TEST(TextReporter, HelpIsWrapped) {
  Finding f;
  f.rule_id = "r";
  f.message = "M.";
  f.help = std::string(30, 'a') + " " + std::string(30, 'b') + " " + std::string(30, 'c') + " " + std::string(30, 'd');
  std::vector<std::string> lines = lines_of(render("text", {f}, ReportContext{}));
  std::size_t help_lines = 0;
  for (const std::string& line : lines) {
    EXPECT_LE(line.size(), 100u) << line;
    if (line.find("aaaa") != std::string::npos || line.rfind("          ", 0) == 0) ++help_lines;
  }
  EXPECT_GE(help_lines, 2u);
}

// ---- gcc -------------------------------------------------------------------------------------------

TEST(GccReporter, OneLinePerFindingEvenWithNewlinesInMessages) {
  std::vector<Finding> findings = sample_findings();
  std::vector<std::string> lines = lines_of(render("gcc", findings, sample_context()));
  ASSERT_EQ(lines.size(), findings.size());
  EXPECT_EQ(lines.back(),
            "migrations/odd name, v2.sql:1:15: note: Renaming 100% of `a|b`: <script>&\"quotes\" 'single', *stars* "
            "_under_ [x](y) #1 second line \xE2\x90\x9B[31mred\xE2\x90\x9B[0m, done. [renaming-column]");
  EXPECT_EQ(lines.front().rfind("migsafe: error: ", 0), 0u);
}

// ---- github ----------------------------------------------------------------------------------------

TEST(GithubReporter, EscapesDataAndProperties) {
  auto file = sample_file("dir,x/a:b%.sql", "DROP TABLE t;\n");
  Finding f = finding_at(file, "r", Severity::Warning, "DROP TABLE t;", "100% sure:\r\nline two, ok", "");
  std::string out = render("github", {f}, ReportContext{});
  EXPECT_EQ(out,
            "::warning file=dir%2Cx/a%3Ab%25.sql,line=1,endLine=1,col=1,endColumn=14,title=migsafe (r)::"
            "100%25 sure:%0D%0Aline two, ok\n");
}

TEST(GithubReporter, MultiLineFindingsCarryNoColumns) {
  std::vector<Finding> findings;
  for (const Finding& f : sample_findings()) {
    if (f.rule_id == "adding-foreign-key-constraint") findings.push_back(f);
  }
  std::string out = render("github", findings, ReportContext{});
  EXPECT_NE(out.find("line=1,endLine=5,title="), std::string::npos) << out;
  EXPECT_EQ(out.find("col="), std::string::npos) << out;
}

TEST(GithubReporter, CapsAnnotationsPerLevelErrorsFirstThenOneNotice) {
  std::vector<Finding> findings = many(15, Severity::Note, "n");
  for (Finding& f : many(12, Severity::Warning, "w")) findings.push_back(f);
  for (Finding& f : many(25, Severity::Error, "e")) findings.push_back(f);
  std::vector<std::string> lines = lines_of(render("github", findings, ReportContext{}));
  EXPECT_EQ(count_prefix(lines, "::error "), 10u);
  EXPECT_EQ(count_prefix(lines, "::warning "), 10u);
  // 9 notes + the notice about what was left out = GitHub's 10 notices.
  EXPECT_EQ(count_prefix(lines, "::notice "), 10u);
  EXPECT_EQ(lines.front().rfind("::error ", 0), 0u);
  EXPECT_EQ(lines[10].rfind("::warning ", 0), 0u);
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines.back().rfind("::notice title=migsafe::23 more findings not annotated", 0), 0u) << lines.back();
}

TEST(GithubReporter, NoOverflowNoticeWhenEverythingFits) {
  std::vector<Finding> findings = many(10, Severity::Note, "n");
  std::vector<std::string> lines = lines_of(render("github", findings, ReportContext{}));
  EXPECT_EQ(lines.size(), 10u);
  for (const std::string& line : lines) EXPECT_EQ(line.find("more findings"), std::string::npos);
}

// ---- gitlab ----------------------------------------------------------------------------------------

TEST(GitlabReporter, FingerprintsAreUniqueForIdenticalStatements) {
  std::string text;
  for (int i = 0; i < 50; ++i) text += "DROP INDEX a;\n";
  auto file = sample_file("m.sql", text);
  std::vector<Finding> findings;
  for (int i = 0; i < 50; ++i) findings.push_back(finding_at(file, "blocking-index-drop", Severity::Warning, "DROP INDEX a;", "M.", "", i));
  auto issues = nlohmann::json::parse(render("gitlab", findings, ReportContext{}));
  ASSERT_EQ(issues.size(), 50u);
  std::set<std::string> fingerprints;
  for (const auto& issue : issues) fingerprints.insert(issue["fingerprint"].get<std::string>());
  EXPECT_EQ(fingerprints.size(), 50u);
}

TEST(GitlabReporter, FingerprintsSurviveLinesMovingAndFieldsAreMapped) {
  auto before = sample_file("m.sql", "ALTER TABLE t ADD c int NOT NULL;\n");
  auto after = sample_file("m.sql", "-- a new comment\n\nALTER TABLE t ADD c int NOT NULL;\n");
  auto issue_of = [](const SourceFilePtr& file) {
    Finding f = finding_at(file, "adding-not-null-column", Severity::Error, "ALTER TABLE t ADD c int NOT NULL;", "M.", "H.");
    return nlohmann::json::parse(render("gitlab", {f}, ReportContext{}))[0];
  };
  auto a = issue_of(before), b = issue_of(after);
  EXPECT_EQ(a["fingerprint"], b["fingerprint"]);
  EXPECT_EQ(b["location"]["lines"]["begin"], 3);
  EXPECT_EQ(b["location"]["positions"]["begin"]["column"], 1);
  EXPECT_EQ(a["check_name"], "migsafe/adding-not-null-column");
  EXPECT_EQ(a["severity"], "critical");
  EXPECT_EQ(a["location"]["path"], "m.sql");
}

TEST(GitlabReporter, SeverityMappingAndProjectFindings) {
  auto issues = nlohmann::json::parse(render("gitlab", sample_findings(), sample_context()));
  std::set<std::string> severities;
  for (const auto& issue : issues) {
    severities.insert(issue["severity"].get<std::string>());
    EXPECT_GE(issue["location"]["lines"]["begin"].get<int>(), 1);
    EXPECT_FALSE(issue["description"].get<std::string>().empty());
  }
  EXPECT_EQ(severities, (std::set<std::string>{"critical", "major", "info"}));
  EXPECT_EQ(issues[0]["check_name"], "migsafe/multiple-heads");
  EXPECT_EQ(issues[0]["location"]["path"], "alembic.ini");
}

// ---- sarif -----------------------------------------------------------------------------------------

TEST(SarifReporter, Structure) {
  ReportContext context = sample_context();
  auto log = nlohmann::json::parse(render("sarif", sample_findings(), context));
  EXPECT_EQ(log["$schema"], "https://json.schemastore.org/sarif-2.1.0.json");
  EXPECT_EQ(log["version"], "2.1.0");
  ASSERT_EQ(log["runs"].size(), 1u);
  const auto& run = log["runs"][0];
  const auto& driver = run["tool"]["driver"];
  EXPECT_EQ(driver["name"], "migsafe");
  EXPECT_EQ(driver["semanticVersion"], "1.2.3");
  EXPECT_FALSE(driver["informationUri"].get<std::string>().empty());
  EXPECT_EQ(run["automationDetails"]["id"], "migsafe/pg16/");
  EXPECT_EQ(run["columnKind"], "unicodeCodePoints");
  EXPECT_TRUE(run["originalUriBaseIds"].contains("%SRCROOT%"));

  // Every evaluated rule, including the one that found nothing, plus the unknown id that did.
  const auto& rules = driver["rules"];
  EXPECT_EQ(rules.size(), context.rules.size() + 1);
  for (const auto& rule : rules) {
    for (const char* field : {"shortDescription", "fullDescription"}) {
      EXPECT_FALSE(rule[field]["text"].get<std::string>().empty()) << rule["id"] << " " << field;
    }
    EXPECT_FALSE(rule["help"]["text"].get<std::string>().empty()) << rule["id"];
    EXPECT_FALSE(rule["help"]["markdown"].get<std::string>().empty()) << rule["id"];
    EXPECT_NE(rule["name"], rule["id"]);
  }
  EXPECT_EQ(rules[1]["name"], "AddingNotNullColumn");
  EXPECT_EQ(rules[1]["helpUri"], "https://migsafe.example/rules/adding-not-null-column");
  EXPECT_EQ(rules[1]["properties"]["problem.severity"], "error");

  std::set<std::string> fingerprints;
  for (const auto& result : run["results"]) {
    std::size_t index = result["ruleIndex"].get<std::size_t>();
    ASSERT_LT(index, rules.size());
    EXPECT_EQ(rules[index]["id"], result["ruleId"]);
    EXPECT_FALSE(result["message"]["text"].get<std::string>().empty());
    ASSERT_EQ(result["locations"].size(), 1u);
    const auto& region = result["locations"][0]["physicalLocation"]["region"];
    for (const char* field : {"startLine", "startColumn", "endLine", "endColumn"}) EXPECT_GE(region[field].get<int>(), 1);
    EXPECT_FALSE(result["partialFingerprints"].contains("primaryLocationLineHash"));
    fingerprints.insert(result["partialFingerprints"]["migsafe/v1"].get<std::string>());
  }
  EXPECT_EQ(fingerprints.size(), run["results"].size());
}

TEST(SarifReporter, UrisAreRelativeEncodedAndRegionsExclusive) {
  auto log = nlohmann::json::parse(render("sarif", sample_findings(), sample_context()));
  const auto& results = log["runs"][0]["results"];
  const auto& odd = results[results.size() - 1]["locations"][0]["physicalLocation"];
  EXPECT_EQ(odd["artifactLocation"]["uri"], "migrations/odd%20name,%20v2.sql");
  EXPECT_EQ(odd["artifactLocation"]["uriBaseId"], "%SRCROOT%");
  EXPECT_EQ(odd["region"]["startColumn"], 15);
  EXPECT_EQ(odd["region"]["endColumn"], 35);  // exclusive: "RENAME COLUMN a TO b" is 20 code points
  EXPECT_EQ(odd["region"]["snippet"]["text"], "RENAME COLUMN a TO b");
}

TEST(SarifReporter, ProjectFindingsPointAtTheRootWhenNoProjectFile) {
  Finding f;
  f.rule_id = "multiple-heads";
  f.message = "Two heads.";
  ReportContext context;
  auto log = nlohmann::json::parse(render("sarif", {f}, context));
  const auto& location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"];
  EXPECT_EQ(location["artifactLocation"]["uri"], ".");
  EXPECT_EQ(location["region"]["startLine"], 1);
}

TEST(SarifReporter, AbsoluteAndBackslashPaths) {
  Finding f;
  f.rule_id = "r";
  f.message = "M.";
  f.path = "/home/runner/work/x y.sql";
  auto log = nlohmann::json::parse(render("sarif", {f}, ReportContext{}));
  auto artifact = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
  EXPECT_EQ(artifact["uri"], "file:///home/runner/work/x%20y.sql");
  EXPECT_FALSE(artifact.contains("uriBaseId"));
  f.path = ".\\migrations\\a.sql";
  log = nlohmann::json::parse(render("sarif", {f}, ReportContext{}));
  EXPECT_EQ(log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "migrations/a.sql");
}

TEST(SarifReporter, InvalidUtf8DoesNotAbortTheReport) {
  Finding f;
  f.rule_id = "r";
  f.message = "bad \xff\xfe bytes";
  std::string out = render("sarif", {f}, ReportContext{});
  EXPECT_NO_THROW(nlohmann::json::parse(out));
}

// ---- json ------------------------------------------------------------------------------------------

TEST(JsonReporter, DocumentedSchema) {
  auto document = nlohmann::json::parse(render("json", sample_findings(), sample_context()));
  EXPECT_EQ(document["version"], 1);
  EXPECT_EQ(document["tool"]["name"], "migsafe");
  ASSERT_EQ(document["findings"].size(), sample_findings().size());
  for (const auto& finding : document["findings"]) {
    for (const char* key : {"rule", "severity", "path", "start", "end", "message", "help", "migration", "fingerprint"}) {
      EXPECT_TRUE(finding.contains(key)) << key;
    }
  }
  const auto& located = document["findings"][2];
  EXPECT_EQ(located["start"]["line"], 2);
  EXPECT_EQ(located["end"]["column"], 50);
  EXPECT_TRUE(document["findings"][0]["path"].is_null());
  EXPECT_EQ(document["summary"]["errors"], 5);
  EXPECT_EQ(document["summary"]["files_checked"], 5);
}

// ---- markdown --------------------------------------------------------------------------------------

TEST(MarkdownReporter, EscapesTableCellsButKeepsCodeSpans) {
  std::string out = render("markdown", sample_findings(), sample_context());
  EXPECT_NE(out.find("`a\\|b`"), std::string::npos);
  EXPECT_NE(out.find("&lt;script&gt;&amp;"), std::string::npos);
  EXPECT_NE(out.find("\\*stars\\*"), std::string::npos);
  EXPECT_EQ(out.find("<script>"), std::string::npos);
  // The newline inside the message does not end the table row.
  EXPECT_NE(out.find("\\#1<br>second line"), std::string::npos);
}

TEST(MarkdownReporter, StaysUnderOneMebibyteAndSaysSo) {
  std::vector<Finding> findings = many(20000, Severity::Error, "adding-not-null-column");
  for (Finding& f : findings) f.help = std::string(300, 'h');
  std::string out = render("markdown", findings, sample_context());
  EXPECT_LT(out.size(), 1024u * 1024u);
  EXPECT_NE(out.find("Report truncated"), std::string::npos);
}

TEST(MarkdownReporter, TruncatesDetailsBeforeTheTable) {
  std::vector<Finding> findings = many(2000, Severity::Error, "r");
  for (Finding& f : findings) f.help = std::string(2000, 'h');
  std::string out = render("markdown", findings, ReportContext{});
  EXPECT_LT(out.size(), 1024u * 1024u);
  EXPECT_EQ(out.find("Report truncated"), std::string::npos);
  EXPECT_NE(out.find("Details truncated"), std::string::npos);
  EXPECT_NE(out.find("Message 1999."), std::string::npos) << "every finding is in the table";
}

// ---- junit -----------------------------------------------------------------------------------------

TEST(JunitReporter, EscapesXmlAndCountsFailures) {
  std::string out = render("junit", sample_findings(), sample_context());
  EXPECT_NE(out.find("tests=\"11\" failures=\"9\""), std::string::npos);
  EXPECT_NE(out.find("name=\"migsafe: no findings\" file=\"migrations/0001_init.sql\""), std::string::npos);
  EXPECT_EQ(out.find("<script>"), std::string::npos);
  EXPECT_EQ(out.find('\x1b'), std::string::npos);
  EXPECT_NE(out.find("&lt;script&gt;&amp;"), std::string::npos);
}

TEST(JunitReporter, AttributesEscapeQuotesAndNewlines) {
  Finding f;
  f.rule_id = "r";
  f.path = "a\"b.sql";
  f.message = "x \"y\" <z>\nnext";
  std::string out = render("junit", {f}, ReportContext{});
  EXPECT_NE(out.find("message=\"x &quot;y&quot; &lt;z&gt; next\""), std::string::npos) << out;
  EXPECT_NE(out.find("file=\"a&quot;b.sql\""), std::string::npos) << out;
}

TEST(JunitReporter, DuplicateTestNamesAreMadeUnique) {
  Finding f;
  f.rule_id = "r";
  f.path = "a.sql";
  f.message = "M.";
  std::string out = render("junit", {f, f, f}, ReportContext{});
  EXPECT_NE(out.find("name=\"r at line 1, column 1\""), std::string::npos);
  EXPECT_NE(out.find("name=\"r at line 1, column 1 (2)\""), std::string::npos);
  EXPECT_NE(out.find("name=\"r at line 1, column 1 (3)\""), std::string::npos);
}

// ---- shared helpers --------------------------------------------------------------------------------

TEST(ReportSupport, DocUrl) {
  ReportContext context;
  EXPECT_EQ(rule_doc_url(context, "x"), "");
  context.docs_base_url = "https://d.example/rules";
  EXPECT_EQ(rule_doc_url(context, "x"), "https://d.example/rules/x");
  context.docs_base_url = "https://d.example/blob/main/docs/rules/{id}.md";
  EXPECT_EQ(rule_doc_url(context, "x"), "https://d.example/blob/main/docs/rules/x.md");
}

TEST(ReportSupport, TruncateKeepsUtf8Intact) {
  std::string text = std::string(1020, 'a') + "日本語";
  std::string cut = truncate_text(text, 1024);
  EXPECT_LE(cut.size(), 1024u);
  EXPECT_EQ(valid_utf8(cut), cut);
}

}  // namespace
}  // namespace migsafe
