// `migsafe lint --render-sql`: Alembic revisions rendered to SQL in offline mode (the embedded helper
// linter/alembic/render_sql.py, run with a python3 that can import alembic, never the project's env.py),
// that SQL linted by the SQL front end and the findings mapped back to the revision files. It sees what
// the static read cannot: SQL built at run time, helper functions, loops.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "linter/model/finding.h"
#include "linter/model/project.h"

namespace migsafe {
class Engine;
}

namespace migsafe::alembic {

// What offline mode produced for one upgrade() or downgrade().
struct RenderedFunction {
  std::optional<std::string> sql;  // nullopt when rendering failed or the function does not exist
  std::string error;               // why rendering failed (empty when it did not)
  int error_line = 0;              // line in the revision file where it failed, 0 = unknown
};

struct RenderedRevision {
  std::string path;  // as given to the helper
  RenderedFunction upgrade;
  RenderedFunction downgrade;
};

// The helper script's text (embedded into the binary).
std::string_view render_sql_helper_source();

// Parses the helper's JSON document; throws EnvironmentError naming the problem when it is malformed.
std::vector<RenderedRevision> parse_rendered_revisions(std::string_view json_text);

// Runs the helper once for `revision_files` with `python`; the result has one entry per file, in order.
// Throws EnvironmentError when the helper cannot run or its output is unusable.
std::vector<RenderedRevision> render_revisions(const std::vector<std::filesystem::path>& revision_files,
                                               Dialect dialect, const std::filesystem::path& python);

// A python3 that can import alembic: `explicit_python` (--python) when given, else $MIGSAFE_PYTHON,
// /usr/bin/python3, python3 on PATH; EnvironmentError saying what was tried.
std::filesystem::path python_for_rendering(const std::optional<std::string>& explicit_python);

// Renders every revision of an Alembic project (no-op for other layouts). A function that fails to render
// (needs a live connection, imports that fail) becomes an unchecked-code problem on `project`.
// Returns one entry per project migration (nullopt where the migration has no revision file).
std::vector<std::optional<RenderedRevision>> render_project(Project& project, const std::filesystem::path& python);

// Lints the rendered SQL with `engine` and returns the findings the static read did not already make
// (same revision file and rule), each mapped to the revision's `def upgrade`/`def downgrade` line with
// the rendered statement quoted.
std::vector<Finding> lint_rendered(const Project& project,
                                   const std::vector<std::optional<RenderedRevision>>& rendered,
                                   const Engine& engine, const std::vector<Finding>& static_findings);

}  // namespace migsafe::alembic
