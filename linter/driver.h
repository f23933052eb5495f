// The lint pipeline behind `migsafe lint`: paths -> projects (load_projects) -> one Engine run per
// project, in parallel -> findings filtered and sorted deterministically -> every requested report.
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "linter/changes/baseline.h"
#include "linter/changes/changed_files.h"
#include "linter/config/settings.h"
#include "linter/model/finding.h"

namespace migsafe {

struct RuleInfo;
class ThreadPool;
class ProjectSettings;

// Process exit codes, the same for every subcommand.
enum ExitCode : int {
  kExitClean = 0,     // no finding at or above fail-on
  kExitFindings = 1,  // findings at or above fail-on
  kExitUsage = 2,     // bad command line or configuration
  kExitInternal = 3,  // internal or environment error (cannot write a report, unexpected exception)
};

// A problem of the environment rather than of the input or the usage (exit 3).
class EnvironmentError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One `--format FMT[:FILE]`: the report format and where it goes (empty file = standard output).
struct OutputTarget {
  std::string format;
  std::string file;
};
// Splits "sarif:out.sarif" at the first ':'; "text" has no file. Throws ConfigError when the format is
// unknown (naming the closest one) or the file part is empty.
OutputTarget parse_output_target(std::string_view spec);

struct LintRequest {
  std::vector<std::string> paths;   // files, directories, globs; "-" = standard input
  std::string stdin_filename;       // display name for "-"
  EffectiveSettings settings;  // the run's settings: fail-on, report options, and every project's by default
  // When set, each project is loaded and linted with the settings of its own configuration file.
  std::shared_ptr<ProjectSettings> project_settings;
  std::vector<OutputTarget> outputs;  // empty = text on standard output
  bool color = false;                 // ANSI colours for reports written to standard output
  std::string category = "migsafe";   // SARIF automationDetails category
  std::string title = "migsafe";      // markdown/junit report title
  bool quiet = false;                 // no notes on standard error, only the reports
  // Alembic: also render each revision to SQL in offline mode and lint that (docs/alembic.md).
  bool render_sql = false;
  std::optional<std::string> python;  // --python: the interpreter for --render-sql
  std::filesystem::path working_directory;  // display paths and --exclude are relative to it
  // Repository-relative file that findings about no particular file are attached to (the config file).
  std::string project_file;
  // --changed-since: projects are still loaded and checked whole, but only findings in these files (or
  // concerning them, Finding::related_paths) are reported, and only these files count as checked.
  std::optional<ChangedFiles> changed;
  // --baseline: findings it records are not reported (apply_baseline). Its entries' files are relative
  // to `baseline_directory`.
  std::optional<Baseline> baseline;
  std::filesystem::path baseline_directory;
};

struct LintOutcome {
  std::vector<Finding> findings;        // sorted by finding_order, duplicates removed
  std::vector<const RuleInfo*> rules;   // rules evaluated in this run (enabled ones), by id
  std::size_t files_checked = 0;
  std::vector<std::string> checked_paths;  // display paths, sorted
  std::size_t projects = 0;
  // Paths that do not exist or match nothing (exit 2; nothing is linted).
  std::vector<std::string> usage_errors;
  // After apply_baseline: findings the baseline hid, and recorded findings of the checked files that no
  // longer occur (the baseline can be refreshed).
  std::size_t baseline_hidden = 0;
  std::size_t baseline_unmatched = 0;
};

// Loads and lints (keeping only the findings of changed files under --changed-since, but not applying
// the baseline). Never writes anything. Engine runs are spread over `pool`.
LintOutcome lint(const LintRequest& request, ThreadPool& pool);

// --changed-since for findings produced outside lint() (check's round trip): keeps those whose file, or
// one of whose related files, changed; findings without any file are kept. All of them without it.
std::vector<Finding> only_changed(const LintRequest& request, std::vector<Finding> findings);

// --baseline: removes the recorded findings from outcome.findings and sets baseline_hidden and
// baseline_unmatched. Nothing without a baseline.
void apply_baseline(const LintRequest& request, LintOutcome& outcome);

// The notes on standard error that say what --changed-since and --baseline left out ("prefix: note: ...").
void print_scope_notes(const LintRequest& request, const LintOutcome& outcome, const std::string& prefix,
                       std::ostream& err);

// Writes every requested report (files first created with their parent directories). Throws
// EnvironmentError when a report file cannot be written.
void write_reports(const LintRequest& request, const LintOutcome& outcome, std::ostream& out);

// 1 when a finding is at or above the threshold, 0 otherwise.
int exit_code_for(const std::vector<Finding>& findings, FailOn fail_on);

// The whole of `migsafe lint` after the command line is parsed: lint, report, exit code. Usage
// problems are printed to `err` and give 2.
int run_lint(const LintRequest& request, std::size_t jobs, std::ostream& out, std::ostream& err);

}  // namespace migsafe
