// Fills every table of a database with generated rows (--with-data) so that upgrades meet the data they
// meet in production: values that respect the column types, NOT NULL, defaults, uniqueness and foreign
// keys (parents first). Rows a table rejects (a CHECK the generator cannot satisfy) are reported, not fatal.
#pragma once

#include <string>
#include <vector>

#include "harness/database.h"

namespace migsafe::harness {

struct DataFillResult {
  std::size_t rows_inserted = 0;
  std::vector<std::string> problems;  // "table t: <error>" for tables that took fewer rows
};

// Inserts `rows` rows into each table of `schema` (the database's current snapshot). `round` makes
// values distinct from earlier rounds (unique columns stay unique across fills of the same database).
DataFillResult fill_tables(Database& db, const Schema& schema, int rows, int round);

}  // namespace migsafe::harness
