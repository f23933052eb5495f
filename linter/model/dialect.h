// The database engines migsafe understands, and the target version rules are judged against.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace migsafe {

enum class Dialect { PostgreSQL, MySQL, MariaDB, SQLite };

const char* to_string(Dialect dialect);                      // "postgresql", "mysql", "mariadb", "sqlite"
std::optional<Dialect> parse_dialect(std::string_view text);  // also accepts "postgres", "pg", "sqlite3"
bool is_mysql_family(Dialect dialect);

// A dotted version ("14", "8.0.29", "10.11"). Missing parts are zero.
struct Version {
  int major = 0;
  int minor = 0;
  int patch = 0;
  static std::optional<Version> parse(std::string_view text);
  std::string str() const;
  auto operator<=>(const Version&) const = default;
};

// The default target version per dialect: PostgreSQL 14, MySQL 8.0, MariaDB 10.11, SQLite 3.40.
Version default_version(Dialect dialect);

}  // namespace migsafe
