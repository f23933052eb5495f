// Everything the front ends read for one lint run, in apply order, plus file-level problems (binary
// files, unreadable files, unparsable Python) that become findings without stopping the run.
#pragma once

#include <string>
#include <vector>

#include "linter/model/dialect.h"
#include "linter/model/migration.h"

namespace migsafe {

struct FileProblem {
  std::string rule_id = "syntax-error";
  SourceFilePtr file;        // may be null when the file could not be read at all
  std::string path;          // display path
  ByteRange range;
  std::string message;
  std::string help;
};

// An inline suppression comment (`-- migsafe:ignore a, b -- reason`, `# migsafe: ignore[a, b]`).
// Findings of the named rules whose start line lies in [first_line, last_line] of `file` are dropped;
// `file_level` suppressions cover the whole file. An empty `rules` list suppresses every rule.
struct Suppression {
  SourceFilePtr file;
  ByteRange range;  // the comment itself, where unused-ignore points
  std::vector<std::string> rules;
  std::string reason;
  bool file_level = false;
  int first_line = 0;
  int last_line = 0;
};

struct Project {
  std::string root;  // the directory the layout was detected in (or the file's directory)
  std::string layout;
  Dialect dialect = Dialect::PostgreSQL;
  std::vector<Migration> migrations;  // apply order
  std::vector<FileProblem> problems;
  std::vector<Suppression> suppressions;
  // Alembic: env.py sets lock_timeout (satisfies missing-lock-timeout) / transaction_per_migration.
  bool runner_sets_lock_timeout = false;
  // Display paths of the files named on the command line when only some files of the project were asked
  // for (pre-commit passes the changed files): the whole project is loaded for context, and reports keep
  // only the findings in these files. Empty = report every file.
  std::vector<std::string> only_files;
};

}  // namespace migsafe
