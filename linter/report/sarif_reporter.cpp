// sarif: SARIF 2.1.0 for GitHub code scanning (upload-sarif) and other SARIF consumers. Checked with
// Microsoft's SARIF multitool under the "Sarif;Gh" rule kinds (tests/scripts/validate_sarif.sh).
#include <cctype>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <ostream>
#include <unordered_map>

#include "linter/engine/rule.h"
#include "linter/report/json_writer.h"
#include "linter/model/fingerprint.h"
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
constexpr std::size_t kMaxSnippetBytes = 4096;

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

// Where a result points: a URI relative to %SRCROOT%, or an absolute file URI (empty base).
struct ArtifactLocation {
  std::string uri;
  std::string_view base_id;
};

ArtifactLocation artifact_location(std::string_view display_path) {
  std::string path = normalised_path(display_path);
  bool windows_drive = path.size() >= 3 && std::isalpha(static_cast<unsigned char>(path[0])) && path[1] == ':' && path[2] == '/';
  if (!path.empty() && (path.front() == '/' || windows_drive)) {
    // Not under the source root: an absolute file URI (GitHub relativises those under its checkout).
    if (windows_drive) return {"file:///" + path.substr(0, 2) + encode_uri_path(path.substr(2)), {}};
    return {"file://" + encode_uri_path(path), {}};
  }
  return {path.empty() ? std::string(".") : encode_uri_path(path), kSourceRoot};
}

void write_artifact_location(JsonWriter& json, const ArtifactLocation& location) {
  json.begin_object();
  json.key("uri").string(location.uri);
  if (!location.base_id.empty()) json.key("uriBaseId").string(location.base_id);
  json.end_object();
}

// SARIF's friendly rule name: a Pascal-case form of the id (the validator's SARIF1001 requires name to
// differ from id), e.g. adding-not-null-column -> AddingNotNullColumn.
std::string friendly_name(std::string_view id) {
  std::string name;
  bool upper = true;
  for (char c : id) {
    if (!std::isalnum(static_cast<unsigned char>(c))) {
      upper = true;
      continue;
    }
    name += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    upper = false;
  }
  return name.empty() ? "MigsafeRule" : name;
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
      {"name", friendly_name(id)},
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
      {"name", friendly_name(id)},
      {"shortDescription", Json{{"text", text}}},
      {"fullDescription", Json{{"text", text}}},
      {"help", Json{{"text", text + " See the result message for details."},
                    {"markdown", "migsafe rule `" + id + "`. See the result message for details."}}},
  };
  if (std::string url = rule_doc_url(context, id); !url.empty()) rule["helpUri"] = url;
  rule["properties"] = Json{{"tags", Json::array({"migsafe"})}, {"precision", "high"}};
  return rule;
}

// The region's members except the snippet (the object is left open for it).
void begin_region(JsonWriter& json, const Finding& finding) {
  int start_line = std::max(1, finding.start.line);
  int start_column = std::max(1, finding.start.column);
  int end_line = std::max(start_line, finding.end.line);
  int end_column = std::max(1, finding.end.column);
  if (end_line == start_line) end_column = std::max(start_column, end_column);
  json.begin_object();
  json.key("startLine").number(start_line);
  json.key("startColumn").number(start_column);
  json.key("endLine").number(end_line);
  json.key("endColumn").number(end_column);
}

// Results are streamed through JsonWriter (the layout of nlohmann's dump(2)); only the small parts
// (rule descriptors) are built as nlohmann values. A DOM of every result cost more than the lint.
class SarifReporter final : public Reporter {
 public:
  void write(const std::vector<Finding>& findings, const ReportContext& context, std::ostream& out) const override {
    std::vector<const Finding*> ordered = in_report_order(findings);
    std::vector<std::uint64_t> fingerprints = unique_fingerprints(ordered);

    Json rules = Json::array();
    std::unordered_map<std::string_view, std::size_t> rule_index;
    for (const RuleInfo* info : context.rules) {
      if (!info || rule_index.count(info->id)) continue;
      rule_index.emplace(info->id, rules.size());
      rules.push_back(reporting_descriptor(*info, context));
    }
    for (const Finding* finding : ordered) {
      if (rule_index.count(finding->rule_id)) continue;
      rule_index.emplace(finding->rule_id, rules.size());
      rules.push_back(unknown_rule_descriptor(finding->rule_id, context));
    }

    std::string version = context.tool_version.empty() ? std::string(MIGSAFE_VERSION) : context.tool_version;
    std::string information_uri = context.docs_base_url.empty() || context.docs_base_url.find("{id}") != std::string::npos
                                      ? std::string(kProjectHomepage)
                                      : context.docs_base_url;
    std::string category = context.category.empty() ? std::string("migsafe") : context.category;
    if (category.back() != '/') category += '/';  // everything before the last '/' is the category

    JsonWriter json(out);
    json.begin_object();
    json.key("$schema").string(kSchema);
    json.key("version").string("2.1.0");
    json.key("runs").begin_array();
    json.begin_object();
    json.key("tool").begin_object();
    json.key("driver").begin_object();
    json.key("name").string("migsafe");
    json.key("version").string(version);
    json.key("semanticVersion").string(version);
    json.key("informationUri").string(information_uri);
    json.key("rules").value(rules);
    json.end_object();
    json.end_object();
    json.key("automationDetails").begin_object();
    json.key("id").string(category);
    json.end_object();
    json.key("originalUriBaseIds").value(
        Json{{kSourceRoot, Json{{"description", Json{{"text", "The repository root; result paths are relative to it."}}}}}});
    json.key("columnKind").string("unicodeCodePoints");
    json.key("results").begin_array();
    ResultWriter results(json, context, rule_index);
    for (std::size_t i = 0; i < ordered.size(); ++i) results.write(*ordered[i], fingerprints[i]);
    json.end_array();
    json.end_object();
    json.end_array();
    json.end_object();
    json.raw("\n");
    json.finish();
  }

 private:
  // Writes one result; keeps the scratch text and the last path's URI between results (findings come
  // grouped by file, so the URI is encoded once per file).
  struct ResultWriter {
    ResultWriter(JsonWriter& json, const ReportContext& context,
                 const std::unordered_map<std::string_view, std::size_t>& rule_index)
        : json(json), context(context), rule_index(rule_index) {}

    JsonWriter& json;
    const ReportContext& context;
    const std::unordered_map<std::string_view, std::size_t>& rule_index;
    std::string text;
    std::string message_storage;
    std::string last_path;
    ArtifactLocation last_location = artifact_location(last_path);
    bool have_location = false;

    const ArtifactLocation& location_of(const std::string& path) {
      if (!have_location || path != last_path) {
        last_path = path;
        last_location = artifact_location(path);
        have_location = true;
      }
      return last_location;
    }

    void write(const Finding& finding, std::uint64_t fingerprint_value) {
      // The first sentence is the alert title; the statement-specific recipe follows as its own paragraph.
      text.assign(message_text(finding, context, message_storage));
      if (finding.help.find_first_not_of(" \t\r\n") != std::string::npos) {
        text += "\n\nHelp: ";
        text += finding.help;
      }
      json.begin_object();
      json.key("ruleId").string(finding.rule_id);
      json.key("ruleIndex").number(static_cast<std::int64_t>(rule_index.find(finding.rule_id)->second));
      json.key("level").string(sarif_level(finding.severity));
      json.key("message").begin_object();
      json.key("text").string(text);
      json.end_object();
      json.key("locations").begin_array();
      json.begin_object();
      json.key("physicalLocation").begin_object();
      if (!finding.path.empty()) {
        json.key("artifactLocation");
        write_artifact_location(json, location_of(finding.path));
        json.key("region");
        begin_region(json, finding);
        // The flagged statement itself, for consumers that show code without the checkout. Long
        // statements are left out rather than cut: a snippet must be exactly the region's text.
        if (finding.file && !finding.range.empty() && finding.range.end - finding.range.begin <= kMaxSnippetBytes) {
          json.key("snippet").begin_object();
          json.key("text").string(finding.file->slice(finding.range));
          json.end_object();
        }
        json.end_object();
      } else {
        // Project-level findings (revision graph, configuration) concern no file: attach them to the
        // project's root file (config or alembic.ini) when the caller named one, else to the repository
        // root, at line 1, so that the result keeps the one location GitHub requires.
        json.key("artifactLocation");
        write_artifact_location(json, artifact_location(context.project_file));
        json.key("region");
        begin_region(json, Finding{});
        json.end_object();
      }
      json.end_object();
      json.end_object();
      json.end_array();
      json.key("partialFingerprints").begin_object();
      json.key(kFingerprintKey).string(FingerprintDigits(fingerprint_value).view());
      json.end_object();
      if (!finding.migration_id.empty()) {
        json.key("properties").begin_object();
        json.key("migration").string(finding.migration_id);
        json.end_object();
      }
      json.end_object();
    }
  };
};

}  // namespace

std::unique_ptr<Reporter> make_sarif_reporter() { return std::make_unique<SarifReporter>(); }

}  // namespace migsafe
