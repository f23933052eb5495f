// json: the stable machine-readable format documented in docs/json-format.md (schema version 1).
// Fields are only ever added within a schema version; renaming or removing one bumps "version".
#include <cstdint>
#include <ostream>
#include <string>

#include "linter/report/json_writer.h"
#include "linter/model/fingerprint.h"
#include "linter/report/report_support.h"

namespace migsafe {
namespace {

void write_position(JsonWriter& json, const Position& position) {
  json.begin_object();
  json.key("line").number(position.line);
  json.key("column").number(position.column);
  json.end_object();
}

// Streams the document finding by finding through JsonWriter, in the layout nlohmann's dump(2) gives the
// same document: a DOM of every finding would cost several times the report's size in memory on long
// histories, and building one nlohmann object per finding cost more than linting the file.
class JsonReporter final : public Reporter {
 public:
  void write(const std::vector<Finding>& findings, const ReportContext& context, std::ostream& out) const override {
    std::vector<const Finding*> ordered = in_report_order(findings);
    std::vector<std::uint64_t> fingerprints = unique_fingerprints(ordered);
    JsonWriter json(out);
    json.begin_object();
    json.key("version").number(1);
    json.key("tool").begin_object();
    json.key("name").string("migsafe");
    json.key("version").string(context.tool_version);
    json.end_object();
    json.key("findings").begin_array();
    std::string message_storage;
    for (std::size_t i = 0; i < ordered.size(); ++i) {
      const Finding& finding = *ordered[i];
      bool located = !finding.path.empty();
      json.begin_object();
      json.key("rule").string(finding.rule_id);
      json.key("severity").string(to_string(finding.severity));
      json.key("path").string_or_null(finding.path);
      json.key("start");
      located ? write_position(json, finding.start) : json.null();
      json.key("end");
      located ? write_position(json, finding.end) : json.null();
      json.key("message").string(message_text(finding, context, message_storage));
      json.key("help").string(finding.help);
      json.key("migration").string_or_null(finding.migration_id);
      json.key("fingerprint").string(FingerprintDigits(fingerprints[i]).view());
      json.end_object();
    }
    json.end_array();
    SeverityTotals totals = count_findings(ordered);
    json.key("summary").begin_object();
    json.key("findings").number(static_cast<std::int64_t>(totals.total()));
    json.key("errors").number(static_cast<std::int64_t>(totals.errors));
    json.key("warnings").number(static_cast<std::int64_t>(totals.warnings));
    json.key("notes").number(static_cast<std::int64_t>(totals.notes));
    json.key("files_checked").number(static_cast<std::int64_t>(context.files_checked));
    json.key("files_with_findings").number(static_cast<std::int64_t>(totals.files_with_findings));
    json.end_object();
    json.end_object();
    json.raw("\n");
    json.finish();
  }
};

}  // namespace

std::unique_ptr<Reporter> make_json_reporter() { return std::make_unique<JsonReporter>(); }

}  // namespace migsafe
