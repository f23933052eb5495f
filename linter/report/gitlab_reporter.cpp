// gitlab: GitLab Code Quality (`artifacts: reports: codequality:`), a JSON array of Code Climate issues.
// GitLab keeps only the first issue per fingerprint, so fingerprints are unique within the report:
// identical statements of one rule in one file get distinct occurrence indexes.
#include <nlohmann/json.hpp>
#include <ostream>

#include "linter/report/report_support.h"

namespace migsafe {
namespace {

using Json = nlohmann::ordered_json;

const char* gitlab_severity(Severity severity) {
  switch (severity) {
    case Severity::Error: return "critical";
    case Severity::Warning: return "major";
    case Severity::Note: return "info";
  }
  return "major";
}

class GitlabReporter final : public Reporter {
 public:
  void write(const std::vector<Finding>& findings, const ReportContext& context, std::ostream& out) const override {
    std::vector<const Finding*> ordered = in_report_order(findings);
    std::vector<std::string> fingerprints = unique_fingerprints(ordered);
    Json issues = Json::array();
    for (std::size_t i = 0; i < ordered.size(); ++i) {
      const Finding& finding = *ordered[i];
      // Findings about no file (the revision graph, say) are attached to the project's root file, or to
      // the repository root, at line 1: GitLab requires a path and a line.
      Finding anchor;
      const Finding& where = finding.path.empty() ? anchor : finding;
      std::string path = normalised_path(finding.path.empty() ? context.project_file : finding.path);
      if (path.empty()) path = ".";
      int begin_line = std::max(1, where.start.line);
      int end_line = std::max(begin_line, where.end.line);
      Json issue{
          {"type", "issue"},
          {"check_name", "migsafe/" + finding.rule_id},
          {"description", single_line(message_or_fallback(finding, context))},
          {"categories", Json::array({"Bug Risk"})},
          {"severity", gitlab_severity(finding.severity)},
          {"fingerprint", fingerprints[i]},
          {"location",
           Json{{"path", path},
                {"lines", Json{{"begin", begin_line}, {"end", end_line}}},
                {"positions",
                 Json{{"begin", Json{{"line", begin_line}, {"column", std::max(1, where.start.column)}}},
                      {"end", Json{{"line", end_line}, {"column", std::max(1, where.end.column)}}}}}}},
      };
      if (finding.help.find_first_not_of(" \t\r\n") != std::string::npos) issue["content"] = Json{{"body", finding.help}};
      issues.push_back(std::move(issue));
    }
    out << issues.dump(2, ' ', false, Json::error_handler_t::replace) << '\n';
  }
};

}  // namespace

std::unique_ptr<Reporter> make_gitlab_reporter() { return std::make_unique<GitlabReporter>(); }

}  // namespace migsafe
