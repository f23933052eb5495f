// json: the stable machine-readable format documented in docs/json-format.md (schema version 1).
// Fields are only ever added within a schema version; renaming or removing one bumps "version".
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>

#include "linter/report/report_support.h"

namespace migsafe {
namespace {

using Json = nlohmann::ordered_json;

Json position(const Position& p) { return Json{{"line", p.line}, {"column", p.column}}; }

Json nullable(const std::string& text) { return text.empty() ? Json(nullptr) : Json(text); }

// A value as `dump(2)` prints it inside a document, at nesting depth `depth` (continuation lines are
// indented to that depth). Invalid UTF-8 (from a file that is not UTF-8) becomes U+FFFD instead of
// aborting the report.
std::string nested(const Json& value, int depth) {
  std::string text = value.dump(2, ' ', false, Json::error_handler_t::replace);
  std::string indent(static_cast<std::size_t>(depth) * 2, ' ');
  std::string result;
  result.reserve(text.size() + 64);
  for (char c : text) {
    result += c;
    if (c == '\n') result += indent;
  }
  return result;
}

// Streams the document finding by finding: a DOM of every finding would cost several times the
// report's size in memory on long histories.
class JsonReporter final : public Reporter {
 public:
  void write(const std::vector<Finding>& findings, const ReportContext& context, std::ostream& out) const override {
    std::vector<const Finding*> ordered = in_report_order(findings);
    std::vector<std::string> fingerprints = unique_fingerprints(ordered);
    out << "{\n  \"version\": 1,\n  \"tool\": "
        << nested(Json{{"name", "migsafe"}, {"version", context.tool_version}}, 1) << ",\n  \"findings\": [";
    for (std::size_t i = 0; i < ordered.size(); ++i) {
      const Finding& finding = *ordered[i];
      bool located = !finding.path.empty();
      Json item{
          {"rule", finding.rule_id},
          {"severity", to_string(finding.severity)},
          {"path", nullable(finding.path)},
          {"start", located ? position(finding.start) : Json(nullptr)},
          {"end", located ? position(finding.end) : Json(nullptr)},
          {"message", message_or_fallback(finding, context)},
          {"help", finding.help},
          {"migration", nullable(finding.migration_id)},
          {"fingerprint", fingerprints[i]},
      };
      out << (i == 0 ? "\n    " : ",\n    ") << nested(item, 2);
    }
    out << (ordered.empty() ? "]" : "\n  ]");
    SeverityTotals totals = count_findings(ordered);
    Json summary{
        {"findings", totals.total()},
        {"errors", totals.errors},
        {"warnings", totals.warnings},
        {"notes", totals.notes},
        {"files_checked", context.files_checked},
        {"files_with_findings", totals.files_with_findings},
    };
    out << ",\n  \"summary\": " << nested(summary, 1) << "\n}\n";
  }
};

}  // namespace

std::unique_ptr<Reporter> make_json_reporter() { return std::make_unique<JsonReporter>(); }

}  // namespace migsafe
