#include "linter/model/dialect.h"

#include <cctype>
#include <charconv>

#include "linter/util/text.h"

namespace migsafe {

const char* to_string(Dialect dialect) {
  switch (dialect) {
    case Dialect::PostgreSQL: return "postgresql";
    case Dialect::MySQL: return "mysql";
    case Dialect::MariaDB: return "mariadb";
    case Dialect::SQLite: return "sqlite";
  }
  return "postgresql";
}

std::optional<Dialect> parse_dialect(std::string_view text) {
  std::string lower = ascii_lowered(text);
  if (lower == "postgresql" || lower == "postgres" || lower == "pg") return Dialect::PostgreSQL;
  if (lower == "mysql") return Dialect::MySQL;
  if (lower == "mariadb") return Dialect::MariaDB;
  if (lower == "sqlite" || lower == "sqlite3") return Dialect::SQLite;
  return std::nullopt;
}

bool is_mysql_family(Dialect dialect) { return dialect == Dialect::MySQL || dialect == Dialect::MariaDB; }

std::optional<Version> Version::parse(std::string_view text) {
  Version v;
  int* parts[] = {&v.major, &v.minor, &v.patch};
  std::size_t index = 0;
  const char* p = text.data();
  const char* end = text.data() + text.size();
  if (p == end) return std::nullopt;
  while (p < end) {
    if (index >= 3) return std::nullopt;
    auto [next, ec] = std::from_chars(p, end, *parts[index]);
    if (ec != std::errc() || *parts[index] < 0) return std::nullopt;
    p = next;
    ++index;
    if (p < end) {
      if (*p != '.') return std::nullopt;
      ++p;
      if (p == end) return std::nullopt;
    }
  }
  return v;
}

std::string Version::str() const {
  std::string s = std::to_string(major);
  if (minor || patch) s += "." + std::to_string(minor);
  if (patch) s += "." + std::to_string(patch);
  return s;
}

Version default_version(Dialect dialect) {
  switch (dialect) {
    case Dialect::PostgreSQL: return {14, 0, 0};
    case Dialect::MySQL: return {8, 0, 0};
    case Dialect::MariaDB: return {10, 11, 0};
    case Dialect::SQLite: return {3, 40, 0};
  }
  return {14, 0, 0};
}

}  // namespace migsafe
