// SQL written as a Python string literal (`op.execute("...")`, `op.execute(sa.text("..."))`,
// `conn.execute(...)`): parsed by the SQL front end, with every range mapped back into the .py file
// through the literal's per-byte offsets (exact, also for escapes and implicit concatenation).
#pragma once

#include <vector>

#include "linter/alembic/python_ast.h"
#include "linter/model/migration.h"
#include "linter/model/project.h"

namespace migsafe::alembic {

struct EmbeddedSql {
  std::vector<Statement> statements;      // ranges in the .py file; transaction not assigned yet
  std::vector<Suppression> suppressions;  // `-- migsafe:ignore` comments inside the SQL
};

// `literal` must be a static String expression. On PostgreSQL a statement that does not parse keeps its
// syntax error; on the other dialects (parsed with PostgreSQL's grammar, the only SQL front end) it becomes
// an UncheckedOperation note, since the SQL may be valid for that engine.
// `bind_parameters`: the SQL goes through SQLAlchemy's text() (op.execute, sa.text, connection.execute),
// where `:name` is a bound parameter; exec_driver_sql() passes the string to the driver as it is.
EmbeddedSql parse_embedded_sql(const SourceFilePtr& file, const python::Expr& literal, Dialect dialect,
                               bool bind_parameters = true);

// `:name` bound parameters (SQLAlchemy text() syntax) replaced by same-length `$1` placeholders.
std::string replace_bind_parameters(std::string sql);

}  // namespace migsafe::alembic
