// json: the stable machine-readable format documented in docs/json-format.md (schema version 1).
// Fields are only ever added within a schema version; renaming or removing one bumps "version".
#include <nlohmann/json.hpp>
#include <ostream>

#include "linter/report/report_support.h"

namespace migsafe {
namespace {

using Json = nlohmann::ordered_json;

Json position(const Position& p) { return Json{{"line", p.line}, {"column", p.column}}; }

Json nullable(const std::string& text) { return text.empty() ? Json(nullptr) : Json(text); }

class JsonReporter final : public Reporter {
 public:
  void write(const std::vector<Finding>& findings, const ReportContext& context, std::ostream& out) const override {
    std::vector<const Finding*> ordered = in_report_order(findings);
    std::vector<std::string> fingerprints = unique_fingerprints(ordered);
    Json document;
    document["version"] = 1;
    document["tool"] = Json{{"name", "migsafe"}, {"version", context.tool_version}};
    Json list = Json::array();
    for (std::size_t i = 0; i < ordered.size(); ++i) {
      const Finding& finding = *ordered[i];
      bool located = !finding.path.empty();
      list.push_back(Json{
          {"rule", finding.rule_id},
          {"severity", to_string(finding.severity)},
          {"path", nullable(finding.path)},
          {"start", located ? position(finding.start) : Json(nullptr)},
          {"end", located ? position(finding.end) : Json(nullptr)},
          {"message", message_or_fallback(finding, context)},
          {"help", finding.help},
          {"migration", nullable(finding.migration_id)},
          {"fingerprint", fingerprints[i]},
      });
    }
    document["findings"] = std::move(list);
    SeverityTotals totals = count_findings(ordered);
    document["summary"] = Json{
        {"findings", totals.total()},
        {"errors", totals.errors},
        {"warnings", totals.warnings},
        {"notes", totals.notes},
        {"files_checked", context.files_checked},
        {"files_with_findings", totals.files_with_findings},
    };
    // Invalid UTF-8 (from a file that is not UTF-8) becomes U+FFFD instead of aborting the report.
    out << document.dump(2, ' ', false, Json::error_handler_t::replace) << '\n';
  }
};

}  // namespace

std::unique_ptr<Reporter> make_json_reporter() { return std::make_unique<JsonReporter>(); }

}  // namespace migsafe
