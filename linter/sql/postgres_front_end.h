// PostgreSQL SQL front end: libpg_query (PostgreSQL's own parser) -> typed operations.
#pragma once

#include <vector>

#include "linter/model/migration.h"
#include "linter/model/project.h"

namespace migsafe {

struct SqlScriptResult {
  // One Statement per SQL statement in the region, in order, with operations and exact ranges.
  // Statements that do not parse carry `error` and no operations; the others are still returned.
  // Statement::transaction is NOT set here: the layout decides the runner mode and calls
  // assign_transactions().
  std::vector<Statement> statements;
  // `-- migsafe:ignore ...` and `-- migsafe:ignore-file ...` comments found in the region.
  std::vector<Suppression> suppressions;
};

// Parses the SQL in `region` of `file` (pass {0, file->text().size()} for the whole file).
SqlScriptResult parse_postgres_script(const SourceFilePtr& file, ByteRange region);

}  // namespace migsafe
