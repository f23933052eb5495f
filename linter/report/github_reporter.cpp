// github: GitHub Actions workflow commands (`::error file=...::message`), which become annotations on
// the run and on the pull request's diff without any token, so they also work from forks.
//
// GitHub keeps at most 10 annotations of each level per step and silently drops the rest. We emit the
// most important ones (errors, then warnings, then notes; each in report order), at most 10 per level,
// and then one notice that says how many were left out and where the full list is. That notice counts
// against the notice limit, so when something is left out at most 9 notes are annotated.
#include <ostream>

#include "linter/report/report_support.h"

namespace migsafe {
namespace {

constexpr std::size_t kAnnotationsPerLevel = 10;

// Message data: %, CR and LF are encoded (actions/toolkit `escapeData`).
std::string escape_data(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '%': out += "%25"; break;
      case '\r': out += "%0D"; break;
      case '\n': out += "%0A"; break;
      default: out += c;
    }
  }
  return out;
}

// Property values additionally encode ':' and ',' (actions/toolkit `escapeProperty`).
std::string escape_property(std::string_view text) {
  std::string out;
  for (char c : escape_data(text)) {
    switch (c) {
      case ':': out += "%3A"; break;
      case ',': out += "%2C"; break;
      default: out += c;
    }
  }
  return out;
}

const char* command(Severity severity) {
  switch (severity) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Note: return "notice";
  }
  return "warning";
}

class GithubReporter final : public Reporter {
 public:
  void write(const std::vector<Finding>& findings, const ReportContext& context, std::ostream& out) const override {
    std::vector<const Finding*> ordered = in_report_order(findings);
    SeverityTotals totals = count_findings(ordered);
    bool overflow = totals.errors > kAnnotationsPerLevel || totals.warnings > kAnnotationsPerLevel ||
                    totals.notes > kAnnotationsPerLevel;
    std::size_t note_budget = overflow ? kAnnotationsPerLevel - 1 : kAnnotationsPerLevel;
    std::size_t emitted = 0;
    for (Severity level : {Severity::Error, Severity::Warning, Severity::Note}) {
      std::size_t budget = level == Severity::Note ? note_budget : kAnnotationsPerLevel;
      std::size_t used = 0;
      for (const Finding* finding : ordered) {
        if (finding->severity != level || used == budget) continue;
        write_annotation(*finding, context, out);
        ++used;
      }
      emitted += used;
    }
    if (std::size_t left_out = ordered.size() - emitted; left_out > 0) {
      out << "::notice title=" << escape_property("migsafe") << "::"
          << escape_data(count_of(left_out, "more finding") + " not annotated (GitHub shows at most " +
                         std::to_string(kAnnotationsPerLevel) + " annotations per level and step). " +
                         summary_sentence(totals, context.files_checked) +
                         ". See the job summary or the SARIF report for the full list.")
          << '\n';
    }
  }

 private:
  static void write_annotation(const Finding& finding, const ReportContext& context, std::ostream& out) {
    std::vector<std::string> properties;
    if (!finding.path.empty()) {
      properties.push_back("file=" + escape_property(valid_utf8(finding.path)));
      int line = std::max(1, finding.start.line);
      int end_line = std::max(line, finding.end.line);
      properties.push_back("line=" + std::to_string(line));
      properties.push_back("endLine=" + std::to_string(end_line));
      // Columns are only accepted on single-line annotations. endColumn is exclusive, as everywhere in migsafe.
      if (end_line == line) {
        int column = std::max(1, finding.start.column);
        properties.push_back("col=" + std::to_string(column));
        properties.push_back("endColumn=" + std::to_string(std::max(column, finding.end.column)));
      }
    }
    properties.push_back("title=" + escape_property(valid_utf8("migsafe (" + finding.rule_id + ")")));
    std::string message = message_or_fallback(finding, context);
    if (finding.help.find_first_not_of(" \t\r\n") != std::string::npos) message += "\n\nHelp: " + finding.help;
    out << "::" << command(finding.severity) << ' ';
    for (std::size_t i = 0; i < properties.size(); ++i) out << (i ? "," : "") << properties[i];
    out << "::" << escape_data(valid_utf8(message)) << '\n';
  }
};

}  // namespace

std::unique_ptr<Reporter> make_github_reporter() { return std::make_unique<GithubReporter>(); }

}  // namespace migsafe
