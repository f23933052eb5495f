// Reads one Alembic revision file statically: the revision identifiers (`revision`, `down_revision`,
// `branch_labels`, `depends_on`, classic or annotated), `upgrade()`/`downgrade()` as Scripts of typed
// operations, the downgrade's state, and `# migsafe: ignore[...]` suppressions. Python is never run.
#pragma once

#include <vector>

#include "linter/model/migration.h"
#include "linter/model/project.h"

namespace migsafe::alembic {

struct RevisionReadOptions {
  Dialect dialect = Dialect::PostgreSQL;
  // How the runner wraps each revision: PerScript where Alembic uses transactional DDL (PostgreSQL).
  RunnerTransaction runner = RunnerTransaction::PerScript;
};

struct RevisionFile {
  Migration migration;
  bool has_revision_variable = false;   // `revision = ...` present at module level
  std::vector<Suppression> suppressions;
  std::vector<FileProblem> problems;    // syntax errors
};

RevisionFile read_revision_file(const SourceFilePtr& file, const RevisionReadOptions& options);

// Cheap check used by layout detection: the text assigns `revision` at module level.
bool looks_like_revision_file(std::string_view text);

// The runner mode Alembic uses on a dialect: transactional DDL on PostgreSQL (one transaction per run,
// which per revision is PerScript), autocommit DDL on MySQL, MariaDB and SQLite.
RunnerTransaction default_runner(Dialect dialect);

}  // namespace migsafe::alembic
