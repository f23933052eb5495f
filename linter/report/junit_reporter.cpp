// junit: JUnit XML for CI test-report views (GitLab `reports: junit`, GitHub JUnit actions), in the
// conservative shape every consumer reads: <testsuites><testsuite><testcase><failure>.
// One test suite per file; one test case per finding (errors and warnings fail, notes pass and carry
// their text in <system-out>); a file without findings gets one passing test case. GitLab keeps only the
// first of several test cases with the same name, so names are made unique within a suite.
#include <map>
#include <ostream>
#include <set>

#include "linter/report/report_support.h"

namespace migsafe {
namespace {

// XML 1.0 text and attribute escaping. Characters XML 1.0 cannot carry at all (most C0 controls) become
// U+FFFD; in attributes, tab and newlines are written as character references so they survive
// attribute-value normalisation.
std::string xml_escape(std::string_view raw, bool attribute) {
  std::string out;
  for (char c : valid_utf8(raw)) {
    unsigned char u = static_cast<unsigned char>(c);
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += attribute ? "&quot;" : "\""; break;
      case '\'': out += attribute ? "&apos;" : "'"; break;
      case '\t': out += attribute ? "&#9;" : "\t"; break;
      case '\n': out += attribute ? "&#10;" : "\n"; break;
      case '\r': out += attribute ? "&#13;" : "\n"; break;
      default:
        if (u < 0x20) {
          out += "\xEF\xBF\xBD";
        } else {
          out += c;
        }
    }
  }
  return out;
}

std::string attr(std::string_view text) { return xml_escape(text, true); }
std::string body(std::string_view text) { return xml_escape(text, false); }

struct Suite {
  std::string name;
  std::vector<const Finding*> findings;
};

class JunitReporter final : public Reporter {
 public:
  void write(const std::vector<Finding>& findings, const ReportContext& context, std::ostream& out) const override {
    std::vector<const Finding*> ordered = in_report_order(findings);
    // Suites keyed by path; "" collects findings about no particular file.
    std::map<std::string, Suite> suites;
    for (const std::string& path : context.checked_paths) suites[path].name = path;
    for (const Finding* finding : ordered) {
      Suite& suite = suites[finding->path];
      suite.name = finding->path;
      suite.findings.push_back(finding);
    }
    if (suites.empty()) suites[""];  // nothing checked and nothing found: still one passing test case

    std::size_t tests = 0, failures = 0;
    for (const auto& [path, suite] : suites) {
      tests += std::max<std::size_t>(1, suite.findings.size());
      failures += count_failures(suite);
    }
    std::string title = context.title.empty() ? "migsafe" : context.title;
    out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out << "<testsuites name=\"" << attr(title) << "\" tests=\"" << tests << "\" failures=\"" << failures
        << "\" errors=\"0\" skipped=\"0\" time=\"0\">\n";
    for (const auto& [path, suite] : suites) write_suite(suite, context, out);
    out << "</testsuites>\n";
  }

 private:
  static std::size_t count_failures(const Suite& suite) {
    std::size_t failures = 0;
    for (const Finding* finding : suite.findings) failures += finding->severity != Severity::Note;
    return failures;
  }

  static void write_suite(const Suite& suite, const ReportContext& context, std::ostream& out) {
    std::string name = suite.name.empty() ? "(project)" : suite.name;
    std::size_t tests = std::max<std::size_t>(1, suite.findings.size());
    out << "  <testsuite name=\"" << attr(name) << "\" tests=\"" << tests << "\" failures=\"" << count_failures(suite)
        << "\" errors=\"0\" skipped=\"0\" time=\"0\">\n";
    std::string file_attribute = suite.name.empty() ? "" : " file=\"" + attr(suite.name) + "\"";
    if (suite.findings.empty()) {
      out << "    <testcase classname=\"" << attr(name) << "\" name=\"migsafe: no findings\"" << file_attribute
          << " time=\"0\"/>\n";
    }
    std::set<std::string> names;
    for (const Finding* finding : suite.findings) {
      std::string base = finding->rule_id;
      if (!finding->path.empty()) {
        base += " at line " + std::to_string(finding->start.line) + ", column " + std::to_string(finding->start.column);
      }
      std::string case_name = base;
      for (int n = 2; !names.insert(case_name).second; ++n) case_name = base + " (" + std::to_string(n) + ")";

      std::string message = message_or_fallback(*finding, context);
      std::string text = std::string(to_string(finding->severity)) + "[" + finding->rule_id + "]: " + message;
      if (!finding->path.empty()) {
        text = finding->path + ":" + std::to_string(finding->start.line) + ":" + std::to_string(finding->start.column) +
               ": " + text;
      }
      if (finding->help.find_first_not_of(" \t\r\n") != std::string::npos) text += "\nhelp: " + finding->help;
      if (!finding->migration_id.empty()) text += "\nmigration: " + finding->migration_id;

      out << "    <testcase classname=\"" << attr(name) << "\" name=\"" << attr(case_name) << "\"" << file_attribute
          << " time=\"0\">\n";
      if (finding->severity == Severity::Note) {
        out << "      <system-out>" << body(text) << "</system-out>\n";
      } else {
        out << "      <failure message=\"" << attr(single_line(message)) << "\" type=\"" << attr(finding->rule_id) << "\">"
            << body(text) << "</failure>\n";
      }
      out << "    </testcase>\n";
    }
    out << "  </testsuite>\n";
  }
};

}  // namespace

std::unique_ptr<Reporter> make_junit_reporter() { return std::make_unique<JunitReporter>(); }

}  // namespace migsafe
