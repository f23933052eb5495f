#include "linter/config/config.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <system_error>

#include <toml++/toml.h>

#include "linter/engine/rule.h"
#include "linter/layouts/layout.h"
#include "linter/util/string_distance.h"

namespace migsafe {

namespace fs = std::filesystem;

const char* to_string(FailOn fail_on) {
  switch (fail_on) {
    case FailOn::Note: return "note";
    case FailOn::Warning: return "warning";
    case FailOn::Error: return "error";
    case FailOn::Never: return "never";
  }
  return "error";
}

std::optional<FailOn> parse_fail_on(std::string_view text) {
  if (text == "note" || text == "info") return FailOn::Note;
  if (text == "warning") return FailOn::Warning;
  if (text == "error") return FailOn::Error;
  if (text == "never") return FailOn::Never;
  return std::nullopt;
}

bool fails(Severity severity, FailOn fail_on) {
  switch (fail_on) {
    case FailOn::Never: return false;
    case FailOn::Note: return true;
    case FailOn::Warning: return severity >= Severity::Warning;
    case FailOn::Error: return severity >= Severity::Error;
  }
  return true;
}

namespace {

std::string located(const std::string& file, int line, int column, const std::string& message) {
  if (file.empty()) return message;
  if (line <= 0) return file + ": " + message;
  return file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + message;
}

}  // namespace

ConfigError::ConfigError(std::string file, int line, int column, const std::string& message)
    : std::runtime_error(located(file, line, column, message)), file_(std::move(file)), line_(line) {}

ConfigError::ConfigError(const std::string& message) : std::runtime_error(message) {}

const std::vector<std::string>& config_keys() {
  static const std::vector<std::string> keys = {
      "dialect",        "target-version", "layout",    "select",
      "extend-select",  "ignore",         "severity",  "exclude",
      "transaction",    "lock-timeout-set-by-runner", "fail-on", "require-downgrades",
      "allow-labelled-heads", "docs-base-url"};
  return keys;
}

std::vector<std::string> rule_ids() {
  std::vector<std::string> ids;
  for (const RuleInfo* info : RuleRegistry::instance().all_infos()) ids.emplace_back(info->id);
  return ids;
}

std::vector<std::string> rule_selector_names() {
  std::vector<std::string> names = rule_ids();
  for (RuleCategory category : {RuleCategory::Locks, RuleCategory::Compatibility, RuleCategory::History,
                                RuleCategory::Meta, RuleCategory::Style, RuleCategory::RoundTrip}) {
    names.emplace_back(to_string(category));
  }
  names.emplace_back("all");
  return names;
}

std::vector<std::string> layout_names() {
  std::vector<std::string> names;
  for (const auto& layout : LayoutRegistry::instance().layouts()) names.emplace_back(layout->name());
  std::sort(names.begin(), names.end());
  return names;
}

namespace {

// Reads one TOML table into a Config, reporting every problem at the key's or value's position.
class ConfigReader {
 public:
  ConfigReader(std::string display_name, Config& config) : file_(std::move(display_name)), config_(config) {}

  void read(const toml::table& table) {
    for (auto&& [key, node] : table) {
      std::string name(key.str());
      const std::vector<std::string>& keys = config_keys();
      if (std::find(keys.begin(), keys.end(), name) == keys.end()) {
        fail(key.source(), "unknown configuration key '" + name + "'" + did_you_mean(name, keys));
      }
      read_key(name, node);
    }
  }

 private:
  [[noreturn]] void fail(const toml::source_region& where, const std::string& message) const {
    throw ConfigError(file_, static_cast<int>(where.begin.line), static_cast<int>(where.begin.column), message);
  }

  static std::string type_name(const toml::node& node) {
    switch (node.type()) {
      case toml::node_type::table: return "a table";
      case toml::node_type::array: return "an array";
      case toml::node_type::string: return "a string";
      case toml::node_type::integer: return "an integer";
      case toml::node_type::floating_point: return "a number";
      case toml::node_type::boolean: return "a boolean";
      default: return "a date/time";
    }
  }

  std::string string_value(const std::string& key, const toml::node& node) const {
    if (auto value = node.value_exact<std::string>()) return *value;
    fail(node.source(), "'" + key + "' must be a string, not " + type_name(node));
  }

  bool bool_value(const std::string& key, const toml::node& node) const {
    if (auto value = node.value_exact<bool>()) return *value;
    fail(node.source(), "'" + key + "' must be true or false, not " + type_name(node));
  }

  // An array of strings, each paired with its position for later validation.
  std::vector<std::pair<std::string, toml::source_region>> string_list(const std::string& key,
                                                                       const toml::node& node) const {
    const toml::array* array = node.as_array();
    if (!array) {
      fail(node.source(), "'" + key + "' must be an array of strings (" + key + " = [\"...\"]), not " + type_name(node));
    }
    std::vector<std::pair<std::string, toml::source_region>> items;
    for (const toml::node& item : *array) {
      auto value = item.value_exact<std::string>();
      if (!value) fail(item.source(), "'" + key + "' must contain only strings, found " + type_name(item));
      items.emplace_back(*value, item.source());
    }
    return items;
  }

  std::vector<std::string> selector_list(const std::string& key, const toml::node& node) const {
    static const std::vector<std::string> names = rule_selector_names();
    std::vector<std::string> result;
    for (auto& [value, where] : string_list(key, node)) {
      if (std::find(names.begin(), names.end(), value) == names.end()) {
        fail(where, "unknown rule or category '" + value + "' in '" + key + "'" + did_you_mean(value, names));
      }
      result.push_back(value);
    }
    return result;
  }

  const toml::table& table_value(const std::string& key, const toml::node& node) const {
    const toml::table* table = node.as_table();
    if (!table) fail(node.source(), "'" + key + "' must be a table ([" + key + "]), not " + type_name(node));
    return *table;
  }

  void read_key(const std::string& key, const toml::node& node) {
    if (key == "dialect") {
      std::string text = string_value(key, node);
      auto dialect = parse_dialect(text);
      if (!dialect) {
        fail(node.source(), "unknown dialect '" + text + "'" +
                                did_you_mean(text, {"postgresql", "mysql", "mariadb", "sqlite"}) +
                                " (expected postgresql, mysql, mariadb or sqlite)");
      }
      config_.dialect = dialect;
    } else if (key == "target-version") {
      std::string text;
      if (auto number = node.value_exact<int64_t>()) {
        text = std::to_string(*number);
      } else if (node.is_floating_point()) {
        // 10.10 would read back as 10.1: versions must be strings (or whole numbers).
        fail(node.source(), "write 'target-version' as a string, e.g. target-version = \"10.11\"");
      } else {
        text = string_value(key, node);
      }
      auto version = Version::parse(text);
      if (!version) fail(node.source(), "invalid target-version '" + text + "' (expected a version such as \"14\" or \"8.0.29\")");
      config_.target_version = version;
    } else if (key == "layout") {
      std::string text = string_value(key, node);
      std::vector<std::string> names = layout_names();
      names.insert(names.begin(), "auto");
      if (std::find(names.begin(), names.end(), text) == names.end()) {
        fail(node.source(), "unknown layout '" + text + "'" + did_you_mean(text, names));
      }
      config_.layout = text;
    } else if (key == "select") {
      config_.select = selector_list(key, node);
    } else if (key == "extend-select") {
      config_.extend_select = selector_list(key, node);
    } else if (key == "ignore") {
      config_.ignore = selector_list(key, node);
    } else if (key == "severity") {
      static const std::vector<std::string> ids = rule_ids();
      for (auto&& [rule_key, value] : table_value(key, node)) {
        std::string id(rule_key.str());
        if (std::find(ids.begin(), ids.end(), id) == ids.end()) {
          fail(rule_key.source(), "unknown rule '" + id + "' in 'severity'" + did_you_mean(id, ids));
        }
        std::string level = string_value("severity." + id, value);
        auto severity = parse_severity(level);
        if (!severity) {
          fail(value.source(), "invalid severity '" + level + "' for '" + id + "' (expected error, warning or note)" +
                                   did_you_mean(level, {"error", "warning", "note"}));
        }
        config_.severity[id] = *severity;
      }
    } else if (key == "exclude") {
      for (auto& [pattern, where] : string_list(key, node)) {
        if (pattern.empty()) fail(where, "'exclude' patterns must not be empty");
        config_.exclude.push_back(pattern);
      }
    } else if (key == "transaction") {
      std::vector<std::string> names = layout_names();
      for (auto&& [layout_key, value] : table_value(key, node)) {
        std::string layout(layout_key.str());
        if (std::find(names.begin(), names.end(), layout) == names.end()) {
          fail(layout_key.source(), "unknown layout '" + layout + "' in 'transaction'" + did_you_mean(layout, names));
        }
        std::string mode = string_value("transaction." + layout, value);
        RunnerTransaction runner;
        if (mode == "none") {
          runner = RunnerTransaction::None;
        } else if (mode == "per-script") {
          runner = RunnerTransaction::PerScript;
        } else if (mode == "implicit") {
          runner = RunnerTransaction::ImplicitIfMultiStatement;
        } else {
          fail(value.source(), "invalid transaction mode '" + mode + "' for '" + layout +
                                   "' (expected none, per-script or implicit)" +
                                   did_you_mean(mode, {"none", "per-script", "implicit"}));
        }
        config_.transaction[layout] = runner;
      }
    } else if (key == "lock-timeout-set-by-runner") {
      config_.lock_timeout_set_by_runner = bool_value(key, node);
    } else if (key == "fail-on") {
      std::string text = string_value(key, node);
      auto fail_on = parse_fail_on(text);
      if (!fail_on) {
        fail(node.source(), "invalid fail-on '" + text + "' (expected error, warning, note or never)" +
                                did_you_mean(text, {"error", "warning", "note", "never"}));
      }
      config_.fail_on = fail_on;
    } else if (key == "require-downgrades") {
      config_.require_downgrades = bool_value(key, node);
    } else if (key == "allow-labelled-heads") {
      config_.allow_labelled_heads = bool_value(key, node);
    } else if (key == "docs-base-url") {
      config_.docs_base_url = string_value(key, node);
    }
  }

  std::string file_;
  Config& config_;
};

toml::table parse_toml(std::string_view text, const std::string& display_name) {
  try {
    return toml::parse(text, display_name);
  } catch (const toml::parse_error& error) {
    throw ConfigError(display_name, static_cast<int>(error.source().begin.line),
                      static_cast<int>(error.source().begin.column),
                      "invalid TOML: " + std::string(error.description()));
  }
}

const toml::table* migsafe_section(const toml::table& pyproject) {
  const toml::table* tool = pyproject["tool"].as_table();
  return tool ? (*tool)["migsafe"].as_table() : nullptr;
}

std::string read_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw ConfigError(file.string(), 0, 0, "cannot read configuration file");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw ConfigError(file.string(), 0, 0, "cannot read configuration file");
  return text.str();
}

bool is_pyproject(const fs::path& file) { return file.filename() == "pyproject.toml"; }

}  // namespace

Config parse_config(std::string_view text, const std::string& display_name, bool pyproject) {
  toml::table document = parse_toml(text, display_name);
  const toml::table* settings = &document;
  if (pyproject) {
    if (const toml::node* tool_migsafe = document.at_path("tool.migsafe").node();
        tool_migsafe && !tool_migsafe->is_table()) {
      throw ConfigError(display_name, static_cast<int>(tool_migsafe->source().begin.line),
                        static_cast<int>(tool_migsafe->source().begin.column), "'tool.migsafe' must be a table");
    }
    settings = migsafe_section(document);
    if (!settings) throw ConfigError(display_name, 0, 0, "no [tool.migsafe] table in this pyproject.toml");
  }
  Config config;
  config.file = display_name;
  ConfigReader(display_name, config).read(*settings);
  return config;
}

Config load_config(const fs::path& file) {
  std::error_code error;
  if (!fs::exists(file, error)) throw ConfigError(file.string(), 0, 0, "configuration file not found");
  if (fs::is_directory(file, error)) throw ConfigError(file.string(), 0, 0, "is a directory, not a configuration file");
  Config config = parse_config(read_file(file), file.string(), is_pyproject(file));
  config.file = file;
  return config;
}

std::optional<fs::path> find_config(const fs::path& start) {
  std::error_code error;
  fs::path directory = fs::absolute(start, error);
  if (error) return std::nullopt;
  directory = directory.lexically_normal();
  if (!fs::is_directory(directory, error)) directory = directory.parent_path();
  for (;;) {
    for (const char* name : {"migsafe.toml", ".migsafe.toml"}) {
      fs::path candidate = directory / name;
      if (fs::is_regular_file(candidate, error)) return candidate;
    }
    fs::path pyproject = directory / "pyproject.toml";
    if (fs::is_regular_file(pyproject, error)) {
      std::string text = read_file(pyproject);
      // Someone else's broken pyproject.toml further up is not our business, unless it is meant for us.
      if (text.find("migsafe") != std::string::npos) {
        toml::table document = parse_toml(text, pyproject.string());
        if (migsafe_section(document)) return pyproject;
      }
    }
    fs::path parent = directory.parent_path();
    if (parent.empty() || parent == directory) return std::nullopt;
    directory = parent;
  }
}

}  // namespace migsafe
