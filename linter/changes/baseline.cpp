#include "linter/changes/baseline.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>
#include <tuple>

#include <nlohmann/json.hpp>

#include "linter/changes/changed_files.h"
#include "linter/config/config.h"
#include "linter/model/source.h"

namespace migsafe {

namespace fs = std::filesystem;

namespace {

using Key = std::tuple<std::string, std::string, std::string>;  // file, rule, fingerprint

Key key_of(const BaselineEntry& entry) { return {entry.file, entry.rule, entry.fingerprint}; }

// The fingerprint of a finding as a baseline records it: computed over the key file, so that the value
// does not depend on the directory migsafe ran from.
std::string baseline_fingerprint(const Finding& finding, const std::string& file_key) {
  Finding keyed;
  keyed.rule_id = finding.rule_id;
  keyed.path = file_key;
  keyed.message = finding.message;
  keyed.fingerprint_text = std::string(finding.statement_text());
  return fingerprint(keyed);
}

[[noreturn]] void malformed(const std::string& shown_name, const std::string& what) {
  throw ConfigError("--baseline: " + shown_name + " is not a migsafe baseline: " + what +
                    " (write a new one with `migsafe baseline`)");
}

const nlohmann::json* member(const nlohmann::json& object, const char* name) {
  auto found = object.find(name);
  return found == object.end() ? nullptr : &*found;
}

}  // namespace

std::string baseline_file_key(const std::string& display_path, const fs::path& working_directory,
                              const fs::path& baseline_directory) {
  if (display_path.empty()) return {};
  fs::path file = canonical_file_path(display_path, working_directory);
  fs::path directory = canonical_file_path(baseline_directory.string(), working_directory);
  fs::path relative = file.lexically_relative(directory);
  return relative.empty() ? file.generic_string() : relative.generic_string();
}

Baseline make_baseline(const std::vector<Finding>& findings, const fs::path& working_directory,
                       const fs::path& baseline_directory) {
  std::map<Key, BaselineEntry> entries;
  for (const Finding& finding : findings) {
    BaselineEntry entry;
    entry.rule = finding.rule_id;
    entry.file = baseline_file_key(finding.path, working_directory, baseline_directory);
    entry.fingerprint = baseline_fingerprint(finding, entry.file);
    entry.message = finding.message;
    auto [slot, inserted] = entries.emplace(key_of(entry), entry);
    if (!inserted) ++slot->second.count;
  }
  Baseline baseline;
  for (auto& [key, entry] : entries) baseline.entries.push_back(std::move(entry));
  return baseline;
}

std::string baseline_json(const Baseline& baseline, const std::string& tool_version) {
  nlohmann::ordered_json findings = nlohmann::ordered_json::array();
  for (const BaselineEntry& entry : baseline.entries) {
    nlohmann::ordered_json item;
    item["rule"] = entry.rule;
    item["file"] = entry.file;
    item["fingerprint"] = entry.fingerprint;
    if (entry.count > 1) item["count"] = entry.count;
    item["message"] = entry.message;
    findings.push_back(std::move(item));
  }
  nlohmann::ordered_json document;
  document["version"] = kBaselineFormatVersion;
  document["migsafe_version"] = tool_version;
  document["findings"] = std::move(findings);
  // Invalid UTF-8 in a message (from a file in another encoding) is replaced, never a failure.
  return document.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

Baseline parse_baseline(const std::string& text, const std::string& shown_name) {
  nlohmann::json document;
  try {
    document = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& error) {
    // error.byte is 1-based and points at the character that broke the syntax.
    SourceFile source(shown_name, shown_name, text);
    std::size_t offset = error.byte > 0 ? error.byte - 1 : 0;
    Position at = source.position_of(offset);
    std::string what = error.what();
    if (auto colon = what.rfind(": "); colon != std::string::npos) what = what.substr(colon + 2);
    throw ConfigError(shown_name, at.line, at.column, "--baseline: invalid JSON: " + what);
  }
  if (!document.is_object()) malformed(shown_name, "the top level is not a JSON object");
  const nlohmann::json* version = member(document, "version");
  if (!version || !version->is_number_integer()) malformed(shown_name, "no integer \"version\"");
  if (version->get<long long>() != kBaselineFormatVersion) {
    throw ConfigError("--baseline: " + shown_name + " has format version " + version->dump() +
                      "; this migsafe reads version " + std::to_string(kBaselineFormatVersion) +
                      " (regenerate it with `migsafe baseline`, or use the migsafe that wrote it)");
  }
  const nlohmann::json* findings = member(document, "findings");
  if (!findings || !findings->is_array()) malformed(shown_name, "no \"findings\" array");

  std::map<Key, BaselineEntry> entries;
  std::size_t index = 0;
  for (const nlohmann::json& item : *findings) {
    ++index;
    std::string where = "entry " + std::to_string(index) + " of \"findings\"";
    if (!item.is_object()) malformed(shown_name, where + " is not an object");
    BaselineEntry entry;
    for (auto [name, field] : {std::pair{"rule", &entry.rule}, std::pair{"file", &entry.file},
                               std::pair{"fingerprint", &entry.fingerprint}}) {
      const nlohmann::json* value = member(item, name);
      if (!value || !value->is_string()) malformed(shown_name, where + " has no string \"" + name + "\"");
      *field = value->get<std::string>();
    }
    if (entry.rule.empty()) malformed(shown_name, where + " has an empty \"rule\"");
    if (const nlohmann::json* count = member(item, "count")) {
      if (!count->is_number_integer() || count->get<long long>() < 1) {
        malformed(shown_name, where + " has a \"count\" that is not a positive integer");
      }
      entry.count = count->get<std::size_t>();
    }
    if (const nlohmann::json* message = member(item, "message"); message && message->is_string()) {
      entry.message = message->get<std::string>();
    }
    // The same key twice (two baselines merged by hand): the counts add up.
    auto [slot, inserted] = entries.emplace(key_of(entry), entry);
    if (!inserted) slot->second.count += entry.count;
  }
  Baseline baseline;
  for (auto& [key, entry] : entries) baseline.entries.push_back(std::move(entry));
  return baseline;
}

Baseline load_baseline(const fs::path& file, const std::string& shown_name) {
  std::error_code error;
  if (!fs::exists(file, error)) {
    throw ConfigError("--baseline: " + shown_name + ": no such file (create it with `migsafe baseline --output " +
                      shown_name + "`)");
  }
  if (fs::is_directory(file, error)) throw ConfigError("--baseline: " + shown_name + " is a directory, not a file");
  std::ifstream stream(file, std::ios::binary);
  std::stringstream buffer;
  buffer << stream.rdbuf();
  if (!stream) throw ConfigError("--baseline: cannot read " + shown_name);
  return parse_baseline(buffer.str(), shown_name);
}

BaselineMatch match_baseline(const Baseline& baseline, const std::vector<Finding>& findings,
                             const fs::path& working_directory, const fs::path& baseline_directory,
                             const std::set<std::string>* checked_files) {
  std::map<Key, std::size_t> available;
  for (const BaselineEntry& entry : baseline.entries) available[key_of(entry)] += entry.count;
  BaselineMatch match;
  for (const Finding& finding : findings) {
    std::string file = baseline_file_key(finding.path, working_directory, baseline_directory);
    Key key{file, finding.rule_id, baseline_fingerprint(finding, file)};
    auto slot = available.find(key);
    if (slot != available.end() && slot->second > 0) {
      --slot->second;
      ++match.hidden;
      continue;
    }
    match.remaining.push_back(finding);
  }
  for (const auto& [key, left] : available) {
    const std::string& file = std::get<0>(key);
    if (checked_files && !file.empty() && checked_files->count(file) == 0) continue;
    match.unmatched += left;
  }
  return match;
}

}  // namespace migsafe
