// Alembic project configuration, read the way Alembic reads it: `alembic.ini` ([alembic] section,
// configparser syntax with %(here)s interpolation) and `pyproject.toml` ([tool.alembic], Alembic 1.16+),
// plus the few facts migsafe needs from `env.py` (lock_timeout, transaction_per_migration,
// transactional_ddl). Nothing is imported or run.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "linter/model/dialect.h"

namespace migsafe::alembic {

struct AlembicConfig {
  std::filesystem::path config_file;      // alembic.ini or pyproject.toml; empty when neither exists
  std::filesystem::path script_location;  // absolute or relative to the project root; empty when unknown
  std::vector<std::filesystem::path> version_locations;  // empty: <script_location>/versions
  bool recursive_version_locations = false;
  std::string url;                         // sqlalchemy.url after interpolation (may be empty)
  std::vector<std::string> problems;       // unreadable or malformed configuration, for messages
};

// Reads `root`/alembic.ini and/or `root`/pyproject.toml. `ini_section` is Alembic's `--name`.
AlembicConfig read_alembic_config(const std::filesystem::path& root, const std::string& ini_section = "alembic");

// The dialect of a SQLAlchemy URL ("postgresql+psycopg2://..." -> PostgreSQL). nullopt for URLs taken
// from the environment (`%(DB_URL)s`, `${DATABASE_URL}`), the template placeholder `driver://...`,
// and engines migsafe does not know.
std::optional<Dialect> dialect_from_url(std::string_view url);

struct EnvSettings {
  bool exists = false;
  bool sets_lock_timeout = false;            // SET lock_timeout / -c lock_timeout=... / lock_wait_timeout
  bool transaction_per_migration = false;    // context.configure(transaction_per_migration=True)
  std::optional<bool> transactional_ddl;     // context.configure(transactional_ddl=...)
};

EnvSettings read_env_py(const std::filesystem::path& env_py);

// Splits a version_locations value by Alembic's rules: the separator option ("os", ":", ";", "space",
// "newline", ","), or when none is set the legacy split on spaces and commas.
std::vector<std::string> split_version_locations(std::string_view value, std::string_view separator);

}  // namespace migsafe::alembic
