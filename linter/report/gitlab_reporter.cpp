// gitlab: GitLab Code Quality (`artifacts: reports: codequality:`), a JSON array of Code Climate issues.
// GitLab keeps only the first issue per fingerprint, so fingerprints are unique within the report:
// identical statements of one rule in one file get distinct occurrence indexes.
#include <algorithm>
#include <cstdint>
#include <ostream>
#include <string>

#include "linter/report/json_writer.h"
#include "linter/model/fingerprint.h"
#include "linter/report/report_support.h"

namespace migsafe {
namespace {

const char* gitlab_severity(Severity severity) {
  switch (severity) {
    case Severity::Error: return "critical";
    case Severity::Warning: return "major";
    case Severity::Note: return "info";
  }
  return "major";
}

void write_position(JsonWriter& json, int line, int column) {
  json.begin_object();
  json.key("line").number(line);
  json.key("column").number(column);
  json.end_object();
}

// Issues are streamed through JsonWriter in the layout of nlohmann's dump(2): building a DOM of every
// issue cost more than the lint itself.
class GitlabReporter final : public Reporter {
 public:
  void write(const std::vector<Finding>& findings, const ReportContext& context, std::ostream& out) const override {
    std::vector<const Finding*> ordered = in_report_order(findings);
    std::vector<std::uint64_t> fingerprints = unique_fingerprints(ordered);
    JsonWriter json(out);
    std::string check_name;
    std::string description;
    std::string message_storage;
    std::string path;
    const std::string* last_path = nullptr;  // findings come grouped by file: normalise once per file
    json.begin_array();
    for (std::size_t i = 0; i < ordered.size(); ++i) {
      const Finding& finding = *ordered[i];
      // Findings about no file (the revision graph, say) are attached to the project's root file, or to
      // the repository root, at line 1: GitLab requires a path and a line.
      Finding anchor;
      const Finding& where = finding.path.empty() ? anchor : finding;
      const std::string& display_path = finding.path.empty() ? context.project_file : finding.path;
      if (!last_path || *last_path != display_path) {
        path = normalised_path(display_path);
        if (path.empty()) path = ".";
        last_path = &display_path;
      }
      int begin_line = std::max(1, where.start.line);
      int end_line = std::max(begin_line, where.end.line);
      check_name.assign("migsafe/").append(finding.rule_id);
      description.clear();
      append_single_line(description, message_text(finding, context, message_storage));

      json.begin_object();
      json.key("type").string("issue");
      json.key("check_name").string(check_name);
      json.key("description").string(description);
      json.key("categories").begin_array();
      json.string("Bug Risk");
      json.end_array();
      json.key("severity").string(gitlab_severity(finding.severity));
      json.key("fingerprint").string(FingerprintDigits(fingerprints[i]).view());
      json.key("location").begin_object();
      json.key("path").string(path);
      json.key("lines").begin_object();
      json.key("begin").number(begin_line);
      json.key("end").number(end_line);
      json.end_object();
      json.key("positions").begin_object();
      json.key("begin");
      write_position(json, begin_line, std::max(1, where.start.column));
      json.key("end");
      write_position(json, end_line, std::max(1, where.end.column));
      json.end_object();
      json.end_object();
      if (finding.help.find_first_not_of(" \t\r\n") != std::string::npos) {
        json.key("content").begin_object();
        json.key("body").string(finding.help);
        json.end_object();
      }
      json.end_object();
    }
    json.end_array();
    json.raw("\n");
    json.finish();
  }
};

}  // namespace

std::unique_ptr<Reporter> make_gitlab_reporter() { return std::make_unique<GitlabReporter>(); }

}  // namespace migsafe
