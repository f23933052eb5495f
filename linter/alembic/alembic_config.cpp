#include "linter/alembic/alembic_config.h"

#include <cctype>
#include <fstream>
#include <map>
#include <sstream>
#include <toml++/toml.h>

#include "linter/alembic/python_lexer.h"
#include "linter/util/text.h"

namespace migsafe::alembic {

namespace fs = std::filesystem;

namespace {

std::optional<std::string> read_text(const fs::path& path) {
  std::ifstream stream(path, std::ios::binary);
  if (!stream) return std::nullopt;
  std::ostringstream buffer;
  buffer << stream.rdbuf();
  return buffer.str();
}

using IniSection = std::map<std::string, std::string>;

// configparser: `key = value` / `key: value`, indented continuation lines, `#`/`;` comment lines,
// case-insensitive keys, a DEFAULT section that every section inherits.
std::map<std::string, IniSection> parse_ini(const std::string& text) {
  std::map<std::string, IniSection> sections;
  std::string current;
  std::string last_key;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::string stripped = trimmed(line);
    if (stripped.empty()) {
      last_key.clear();
      continue;
    }
    if (stripped.front() == '#' || stripped.front() == ';') continue;
    bool indented = std::isspace(static_cast<unsigned char>(line.front())) != 0;
    if (indented && !last_key.empty()) {
      std::string& value = sections[current][last_key];
      value += (value.empty() ? "" : "\n") + stripped;
      continue;
    }
    if (stripped.front() == '[' && stripped.back() == ']') {
      current = trimmed(stripped.substr(1, stripped.size() - 2));
      sections[current];
      last_key.clear();
      continue;
    }
    std::size_t separator = stripped.find_first_of("=:");
    if (separator == std::string::npos) continue;
    last_key = ascii_lowered(trimmed(stripped.substr(0, separator)));
    sections[current][last_key] = trimmed(stripped.substr(separator + 1));
  }
  return sections;
}

// %(name)s interpolation (configparser BasicInterpolation); unknown names are left as written.
std::string interpolate(const std::string& value, const IniSection& section, const IniSection& defaults,
                        const std::string& here, int depth = 0) {
  std::string out;
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (value[i] != '%') {
      out += value[i];
      continue;
    }
    if (i + 1 < value.size() && value[i + 1] == '%') {
      out += '%';
      ++i;
      continue;
    }
    std::size_t close = value.find(")s", i);
    if (i + 1 < value.size() && value[i + 1] == '(' && close != std::string::npos) {
      std::string name = ascii_lowered(value.substr(i + 2, close - i - 2));
      std::optional<std::string> replacement;
      if (name == "here") {
        replacement = here;
      } else if (auto it = section.find(name); it != section.end()) {
        replacement = it->second;
      } else if (auto it2 = defaults.find(name); it2 != defaults.end()) {
        replacement = it2->second;
      }
      if (replacement && depth < 10) {
        out += interpolate(*replacement, section, defaults, here, depth + 1);
        i = close + 1;
        continue;
      }
    }
    out += value[i];
  }
  return out;
}

fs::path resolve_location(const std::string& location, const fs::path& root) {
  std::string value = trimmed(location);
  // `package:resource` (Alembic resolves it through the package): look for the package folder in the
  // project, also under src/.
  std::size_t colon = value.find(':');
  if (colon != std::string::npos && colon > 1 && value.find('/') == std::string::npos &&
      value.find('\\') == std::string::npos) {
    std::string package = value.substr(0, colon);
    std::string resource = value.substr(colon + 1);
    fs::path relative;
    std::size_t start = 0;
    while (true) {
      std::size_t dot = package.find('.', start);
      relative /= package.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
      if (dot == std::string::npos) break;
      start = dot + 1;
    }
    relative /= resource;
    for (const fs::path& base : {root, root / "src"}) {
      std::error_code error;
      if (fs::is_directory(base / relative, error)) return base / relative;
    }
    return root / relative;
  }
  fs::path path(value);
  return path.is_absolute() ? path : root / path;
}

}  // namespace

std::vector<std::string> split_version_locations(std::string_view value, std::string_view separator) {
  std::vector<std::string> parts;
  auto push = [&](std::string_view part) {
    std::string item = trimmed(part);
    if (!item.empty()) parts.push_back(item);
  };
  std::string mode = ascii_lowered(trimmed(separator));
  char split = 0;
  if (mode == "os" || mode == ":") split = ':';
  else if (mode == ";") split = ';';
  else if (mode == "space") split = ' ';
  else if (mode == "newline") split = '\n';
  else if (mode == ",") split = ',';
  if (split != 0) {
    std::size_t start = 0;
    while (start <= value.size()) {
      std::size_t at = value.find(split, start);
      push(value.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
      if (at == std::string_view::npos) break;
      start = at + 1;
    }
    return parts;
  }
  // Legacy: commas and runs of whitespace.
  std::string current;
  for (char c : value) {
    if (c == ',' || std::isspace(static_cast<unsigned char>(c))) {
      push(current);
      current.clear();
    } else {
      current += c;
    }
  }
  push(current);
  return parts;
}

AlembicConfig read_alembic_config(const fs::path& root, const std::string& ini_section) {
  AlembicConfig config;
  std::string here = root.string();

  if (auto text = read_text(root / "alembic.ini")) {
    config.config_file = root / "alembic.ini";
    auto sections = parse_ini(*text);
    const IniSection defaults = sections.count("DEFAULT") ? sections["DEFAULT"] : IniSection{};
    const IniSection* section = nullptr;
    if (auto it = sections.find(ini_section); it != sections.end()) {
      section = &it->second;
    } else {
      for (const auto& [name, values] : sections) {
        if (values.count("script_location")) {
          section = &values;
          break;
        }
      }
    }
    if (section) {
      auto get = [&](const std::string& key) -> std::optional<std::string> {
        auto it = section->find(key);
        if (it == section->end()) {
          auto fallback = defaults.find(key);
          if (fallback == defaults.end()) return std::nullopt;
          return interpolate(fallback->second, *section, defaults, here);
        }
        return interpolate(it->second, *section, defaults, here);
      };
      if (auto location = get("script_location")) config.script_location = resolve_location(*location, root);
      if (auto locations = get("version_locations")) {
        std::string separator = get("path_separator").value_or(get("version_path_separator").value_or(""));
        for (const std::string& location : split_version_locations(*locations, separator)) {
          config.version_locations.push_back(resolve_location(location, root));
        }
      }
      if (auto recursive = get("recursive_version_locations")) {
        std::string value = ascii_lowered(trimmed(*recursive));
        config.recursive_version_locations = value == "true" || value == "1" || value == "yes" || value == "on";
      }
      config.url = get("sqlalchemy.url").value_or("");
    } else {
      config.problems.push_back((root / "alembic.ini").string() + ": no [" + ini_section + "] section");
    }
  }

  // pyproject.toml [tool.alembic] (Alembic 1.16): script_location and version_locations live here.
  if (auto text = read_text(root / "pyproject.toml")) {
    try {
      toml::table table = toml::parse(*text, (root / "pyproject.toml").string());
      if (const toml::table* alembic = table["tool"]["alembic"].as_table()) {
        if (config.config_file.empty()) config.config_file = root / "pyproject.toml";
        IniSection none;
        if (auto location = (*alembic)["script_location"].value<std::string>()) {
          config.script_location = resolve_location(interpolate(*location, none, none, here), root);
        }
        if (const toml::array* locations = (*alembic)["version_locations"].as_array()) {
          config.version_locations.clear();
          for (const toml::node& node : *locations) {
            if (auto location = node.value<std::string>()) {
              config.version_locations.push_back(resolve_location(interpolate(*location, none, none, here), root));
            }
          }
        } else if (auto single = (*alembic)["version_locations"].value<std::string>()) {
          config.version_locations.clear();
          for (const std::string& location : split_version_locations(*single, "")) {
            config.version_locations.push_back(resolve_location(interpolate(location, none, none, here), root));
          }
        }
        if (auto recursive = (*alembic)["recursive_version_locations"].value<bool>()) {
          config.recursive_version_locations = *recursive;
        }
      }
    } catch (const toml::parse_error& error) {
      config.problems.push_back((root / "pyproject.toml").string() + ": " + std::string(error.description()));
    }
  }
  return config;
}

std::optional<Dialect> dialect_from_url(std::string_view url) {
  std::string text = ascii_lowered(trimmed(url));
  std::size_t scheme_end = text.find("://");
  if (scheme_end == std::string::npos) scheme_end = text.find(":");
  if (scheme_end == std::string::npos || scheme_end == 0) return std::nullopt;
  std::string scheme = text.substr(0, scheme_end);
  if (scheme.find_first_of("%${") != std::string::npos) return std::nullopt;
  std::string backend = scheme.substr(0, scheme.find('+'));
  if (backend == "postgresql" || backend == "postgres" || backend == "pgsql" || backend == "cockroachdb") {
    return Dialect::PostgreSQL;
  }
  if (backend == "mysql") return Dialect::MySQL;
  if (backend == "mariadb") return Dialect::MariaDB;
  if (backend == "sqlite") return Dialect::SQLite;
  return std::nullopt;
}

EnvSettings read_env_py(const fs::path& env_py) {
  EnvSettings settings;
  auto text = read_text(env_py);
  if (!text) return settings;
  settings.exists = true;
  // Tokens, not text: a comment mentioning lock_timeout sets nothing.
  python::LexResult lexed = python::tokenize(*text);
  const auto& tokens = lexed.tokens;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const python::Token& token = tokens[i];
    if (token.kind == python::TokenKind::String || token.kind == python::TokenKind::Name) {
      std::string value = ascii_lowered(std::string(token.text));
      if (value.find("lock_timeout") != std::string::npos || value.find("lock_wait_timeout") != std::string::npos) {
        settings.sets_lock_timeout = true;
      }
    }
    bool assigned = token.kind == python::TokenKind::Name && i + 2 < tokens.size() &&
                    tokens[i + 1].kind == python::TokenKind::Op && tokens[i + 1].text == "=";
    if (!assigned) continue;
    std::string_view value = tokens[i + 2].text;
    if (token.text == "transaction_per_migration" && value == "True") settings.transaction_per_migration = true;
    if (token.text == "transactional_ddl" && (value == "True" || value == "False")) {
      settings.transactional_ddl = value == "True";
    }
  }
  return settings;
}

}  // namespace migsafe::alembic
