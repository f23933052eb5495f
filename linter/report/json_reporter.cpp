// json: the stable machine-readable format documented in docs/json-format.md (schema version 1).
// Fields are only ever added within a schema version; renaming or removing one bumps "version".
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>

#include "linter/report/report_support.h"

namespace migsafe {
namespace {

using Json = nlohmann::ordered_json;

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

// A JSON string as nlohmann's dump() writes it (ensure_ascii off). The common case, valid UTF-8 without
// characters to escape, is copied as is; anything else goes through nlohmann itself, so the output stays
// byte for byte what `nested()` prints (escapes, U+FFFD for invalid UTF-8).
void append_string(std::string& out, std::string_view text) {
  bool special = false;  // no early exit: the loop stays branch-free and vectorisable
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    special |= (byte < 0x20) | (byte >= 0x80) | (c == '"') | (c == '\\');
  }
  if (!special) {
    out += '"';
    out += text;
    out += '"';
    return;
  }
  out += Json(std::string(text)).dump(-1, ' ', false, Json::error_handler_t::replace);
}

void append_nullable(std::string& out, std::string_view text) {
  if (text.empty()) {
    out += "null";
  } else {
    append_string(out, text);
  }
}

// `"start": {"line": 3, "column": 7}` as dump(2) lays it out inside a finding at depth 2.
void append_position(std::string& out, const Position& p) {
  out += "{\n        \"line\": ";
  out += std::to_string(p.line);
  out += ",\n        \"column\": ";
  out += std::to_string(p.column);
  out += "\n      }";
}

// Streams the document finding by finding: a DOM of every finding would cost several times the
// report's size in memory on long histories. Each finding is written directly in the layout
// `nested(item, 2)` gives (building an nlohmann object per finding cost more than linting the file).
class JsonReporter final : public Reporter {
 public:
  void write(const std::vector<Finding>& findings, const ReportContext& context, std::ostream& out) const override {
    std::vector<const Finding*> ordered = in_report_order(findings);
    std::vector<std::string> fingerprints = unique_fingerprints(ordered);
    out << "{\n  \"version\": 1,\n  \"tool\": "
        << nested(Json{{"name", "migsafe"}, {"version", context.tool_version}}, 1) << ",\n  \"findings\": [";
    std::string item;
    for (std::size_t i = 0; i < ordered.size(); ++i) {
      const Finding& finding = *ordered[i];
      bool located = !finding.path.empty();
      item.clear();
      item += i == 0 ? "\n    {\n      \"rule\": " : ",\n    {\n      \"rule\": ";
      append_string(item, finding.rule_id);
      item += ",\n      \"severity\": ";
      append_string(item, to_string(finding.severity));
      item += ",\n      \"path\": ";
      append_nullable(item, finding.path);
      item += ",\n      \"start\": ";
      if (located) {
        append_position(item, finding.start);
      } else {
        item += "null";
      }
      item += ",\n      \"end\": ";
      if (located) {
        append_position(item, finding.end);
      } else {
        item += "null";
      }
      item += ",\n      \"message\": ";
      append_string(item, message_or_fallback(finding, context));
      item += ",\n      \"help\": ";
      append_string(item, finding.help);
      item += ",\n      \"migration\": ";
      append_nullable(item, finding.migration_id);
      item += ",\n      \"fingerprint\": ";
      append_string(item, fingerprints[i]);
      item += "\n    }";
      out << item;
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
