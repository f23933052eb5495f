// sarif: SARIF 2.1.0 for GitHub code scanning (upload-sarif) and other SARIF consumers. Checked with
// Microsoft's SARIF multitool under the "Sarif;Gh" rule kinds (tests/scripts/validate_sarif.sh).
#include <map>
#include <nlohmann/json.hpp>
#include <ostream>

#include "linter/engine/rule.h"
#include "linter/report/report_support.h"
#include "linter/report/rule_docs.h"

namespace migsafe {
namespace {

using Json = nlohmann::ordered_json;

constexpr const char* kSchema = "https://json.schemastore.org/sarif-2.1.0.json";
constexpr const char* kSourceRoot = "%SRCROOT%";
// Our own fingerprint key. GitHub reads only primaryLocationLineHash, which upload-sarif computes from
// the checked-out file; supplying a different value there would make alerts flap (ci-formats.md §1.5).
constexpr const char* kFingerprintKey = "migsafe/v1";

const char* sarif_level(Severity severity) {
  switch (severity) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Note: return "note";
  }
  return "warning";
}

const char* problem_severity(Severity severity) {
  switch (severity) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Note: return "recommendation";
  }
  return "warning";
}

// How sure a finding of this category is to be a real problem (GitHub sorts results by it).
const char* precision(RuleCategory category) {
  switch (category) {
    case RuleCategory::Meta:
    case RuleCategory::RoundTrip: return "very-high";
    case RuleCategory::Style: return "medium";
    case RuleCategory::Locks:
    case RuleCategory::Compatibility:
    case RuleCategory::History: return "high";
  }
  return "high";
}

// RFC 3986 path characters stay; everything else (spaces, '%', '#', '?', non-ASCII bytes, and ':' so
// that "c:x.sql" cannot read as a scheme) is percent-encoded.
std::string encode_uri_path(std::string_view path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : path) {
    unsigned char u = static_cast<unsigned char>(c);
    bool keep = (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') ||
                std::string_view("-._~/!$&'()*+,;=@").find(c) != std::string_view::npos;
    if (keep) {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out;
}

Json artifact_location(std::string_view display_path) {
  std::string path = normalised_path(display_path);
  bool windows_drive = path.size() >= 3 && std::isalpha(static_cast<unsigned char>(path[0])) && path[1] == ':' && path[2] == '/';
  if (!path.empty() && (path.front() == '/' || windows_drive)) {
    // Not under the source root: an absolute file URI (GitHub relativises those under its checkout).
    if (windows_drive) return Json{{"uri", "file:///" + path.substr(0, 2) + encode_uri_path(path.substr(2))}};
    return Json{{"uri", "file://" + encode_uri_path(path)}};
  }
  return Json{{"uri", path.empty() ? std::string(".") : encode_uri_path(path)}, {"uriBaseId", kSourceRoot}};
}

Json reporting_descriptor(const RuleInfo& info, const ReportContext& context) {
  std::string id(info.id);
  std::string summary = info.summary.empty() ? "migsafe rule " + id + "." : truncate_text(info.summary, 1024);
  Json tags = Json::array({"migsafe", to_string(info.category)});
  if (info.engines & kPostgres) tags.push_back("postgresql");
  if (info.engines & kMySQL) tags.push_back("mysql");
  if (info.engines & kSQLite) tags.push_back("sqlite");
  Json rule{
      {"id", id},
      {"name", id},
      {"shortDescription", Json{{"text", summary}}},
      {"fullDescription", Json{{"text", rule_full_description(info)}}},
      {"help", Json{{"text", rule_help_text(info)}, {"markdown", rule_help_markdown(info)}}},
  };
  if (std::string url = rule_doc_url(context, id); !url.empty()) rule["helpUri"] = url;
  rule["defaultConfiguration"] = Json{{"level", sarif_level(info.default_severity)}};
  rule["properties"] = Json{
      {"tags", tags},
      {"precision", precision(info.category)},
      {"problem.severity", problem_severity(info.default_severity)},
  };
  return rule;
}

// A rule that produced findings but was not among the evaluated rules (a harness result id, say) still
// needs a descriptor so that ruleIndex resolves.
Json unknown_rule_descriptor(const std::string& id, const ReportContext& context) {
  std::string text = "migsafe rule " + id + ".";
  Json rule{
      {"id", id},
      {"name", id},
      {"shortDescription", Json{{"text", text}}},
      {"fullDescription", Json{{"text", text}}},
      {"help", Json{{"text", text + " See the result message for details."},
                    {"markdown", "migsafe rule `" + id + "`. See the result message for details."}}},
  };
  if (std::string url = rule_doc_url(context, id); !url.empty()) rule["helpUri"] = url;
  rule["properties"] = Json{{"tags", Json::array({"migsafe"})}, {"precision", "high"}};
  return rule;
}

Json region(const Finding& finding) {
  int start_line = std::max(1, finding.start.line);
  int start_column = std::max(1, finding.start.column);
  int end_line = std::max(start_line, finding.end.line);
  int end_column = std::max(1, finding.end.column);
  if (end_line == start_line) end_column = std::max(start_column, end_column);
  return Json{{"startLine", start_line}, {"startColumn", start_column}, {"endLine", end_line}, {"endColumn", end_column}};
}

class SarifReporter final : public Reporter {
 public:
  void write(const std::vector<Finding>& findings, const ReportContext& context, std::ostream& out) const override {
    std::vector<const Finding*> ordered = in_report_order(findings);
    std::vector<std::string> fingerprints = unique_fingerprints(ordered);

    Json rules = Json::array();
    std::map<std::string, std::size_t, std::less<>> rule_index;
    for (const RuleInfo* info : context.rules) {
      if (!info || rule_index.count(info->id)) continue;
      rule_index.emplace(std::string(info->id), rules.size());
      rules.push_back(reporting_descriptor(*info, context));
    }
    for (const Finding* finding : ordered) {
      if (rule_index.count(finding->rule_id)) continue;
      rule_index.emplace(finding->rule_id, rules.size());
      rules.push_back(unknown_rule_descriptor(finding->rule_id, context));
    }

    Json results = Json::array();
    for (std::size_t i = 0; i < ordered.size(); ++i) results.push_back(result(*ordered[i], fingerprints[i], rule_index, context));

    std::string version = context.tool_version.empty() ? std::string(MIGSAFE_VERSION) : context.tool_version;
    std::string information_uri = context.docs_base_url.empty() || context.docs_base_url.find("{id}") != std::string::npos
                                      ? std::string(kProjectHomepage)
                                      : context.docs_base_url;
    Json driver{
        {"name", "migsafe"},
        {"version", version},
        {"semanticVersion", version},
        {"informationUri", information_uri},
        {"rules", std::move(rules)},
    };
    std::string category = context.category.empty() ? std::string("migsafe") : context.category;
    if (category.back() != '/') category += '/';  // everything before the last '/' is the category
    Json run{
        {"tool", Json{{"driver", std::move(driver)}}},
        {"automationDetails", Json{{"id", category}}},
        {"originalUriBaseIds",
         Json{{kSourceRoot, Json{{"description", Json{{"text", "The repository root; result paths are relative to it."}}}}}}},
        {"columnKind", "unicodeCodePoints"},
        {"results", std::move(results)},
    };
    Json log{{"$schema", kSchema}, {"version", "2.1.0"}, {"runs", Json::array({std::move(run)})}};
    out << log.dump(2, ' ', false, Json::error_handler_t::replace) << '\n';
  }

 private:
  static Json result(const Finding& finding, const std::string& fingerprint_value,
                     const std::map<std::string, std::size_t, std::less<>>& rule_index, const ReportContext& context) {
    // The first sentence is the alert title; the statement-specific recipe follows as its own paragraph.
    std::string text = message_or_fallback(finding, context);
    if (finding.help.find_first_not_of(" \t\r\n") != std::string::npos) text += "\n\nHelp: " + finding.help;

    Json physical;
    if (!finding.path.empty()) {
      physical = Json{{"artifactLocation", artifact_location(finding.path)}, {"region", region(finding)}};
    } else {
      // Project-level findings (revision graph, configuration) concern no file: attach them to the
      // project's root file (config or alembic.ini) when the caller named one, else to the repository
      // root, at line 1, so that the result keeps the one location GitHub requires.
      Finding anchor;
      physical = Json{{"artifactLocation", artifact_location(context.project_file)}, {"region", region(anchor)}};
    }
    Json result{
        {"ruleId", finding.rule_id},
        {"ruleIndex", rule_index.find(finding.rule_id)->second},
        {"level", sarif_level(finding.severity)},
        {"message", Json{{"text", text}}},
        {"locations", Json::array({Json{{"physicalLocation", std::move(physical)}}})},
        {"partialFingerprints", Json{{kFingerprintKey, fingerprint_value}}},
    };
    if (!finding.migration_id.empty()) result["properties"] = Json{{"migration", finding.migration_id}};
    return result;
  }
};

}  // namespace

std::unique_ptr<Reporter> make_sarif_reporter() { return std::make_unique<SarifReporter>(); }

}  // namespace migsafe
