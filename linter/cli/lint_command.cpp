// `migsafe lint PATH...`: options -> configuration -> LintRequest -> driver. `migsafe baseline PATH...`
// reads the same options (not the report ones) and writes the findings as a baseline file instead.
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <unistd.h>

#include "linter/cli/command.h"
#include "linter/cli/lint_options.h"
#include "linter/config/config.h"
#include "linter/config/project_settings.h"
#include "linter/config/settings.h"
#include "linter/driver.h"
#include "linter/util/atomic_file.h"
#include "linter/util/thread_pool.h"

namespace migsafe::cli {

namespace fs = std::filesystem;

namespace {

struct LintArguments : SharedLintArguments {
  std::vector<std::string> paths{"."};
  std::string stdin_filename;
  std::string color = "auto";
  std::string category = "migsafe";
  int jobs = 0;
  bool render_sql = false;
  std::string python;
  std::vector<std::string> exclude;
};

// auto: colours only on a terminal, and never when NO_COLOR is set to anything (no-color.org).
bool use_color(const std::string& mode) {
  if (mode == "always") return true;
  if (mode == "never") return false;
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color && *no_color) return false;
  return isatty(STDOUT_FILENO) != 0;
}

// The directory discovery of the run's configuration starts from: the first linted path. Each project
// then uses the configuration nearest to its own root (ProjectSettings), this one when it is the nearest.
fs::path discovery_start(const LintArguments& args, const fs::path& working_directory) {
  const std::string& first = args.paths.front();
  if (first == "-") {
    if (args.stdin_filename.empty()) return working_directory;
    return (working_directory / args.stdin_filename).parent_path();
  }
  fs::path path = working_directory / first;
  std::error_code error;
  // A glob ("migrations/*.sql"): start from its directory part.
  while (!path.empty() && !fs::exists(path, error) && path.has_parent_path() && path != path.parent_path()) {
    path = path.parent_path();
  }
  return path;
}

Config load_configuration(const LintArguments& args, const fs::path& working_directory) {
  if (!args.config_file.empty()) return load_config(args.config_file);
  if (auto found = find_config(discovery_start(args, working_directory))) {
    return load_config_as_shown(*found, working_directory);
  }
  return {};
}

LintRequest lint_request(const LintArguments& args) {
  std::error_code error;
  fs::path working_directory = fs::current_path(error);
  if (error) throw EnvironmentError("cannot determine the working directory: " + error.message());

  bool reads_stdin = false;
  for (const std::string& path : args.paths) reads_stdin = reads_stdin || path == "-";
  if (!args.stdin_filename.empty() && !reads_stdin) {
    throw ConfigError("--stdin-filename: only meaningful with '-' among the paths (lint standard input)");
  }

  LintRequest request;
  request.paths = args.paths;
  request.stdin_filename = args.stdin_filename;
  request.working_directory = working_directory;
  for (const std::string& spec : args.formats) request.outputs.push_back(parse_output_target(spec));
  request.color = use_color(args.color);
  request.category = args.category;
  request.quiet = args.quiet;
  request.render_sql = args.render_sql;
  if (!args.python.empty()) {
    if (!args.render_sql) throw ConfigError("--python: only meaningful with --render-sql");
    request.python = args.python;
  }

  CommandLineOverrides overrides;
  if (*args.dialect_option) overrides.dialect = args.dialect;
  if (*args.target_version_option) overrides.target_version = args.target_version;
  if (*args.layout_option) overrides.layout = args.layout;
  if (*args.select_option) overrides.select = args.select;
  if (args.fail_on_option && *args.fail_on_option) overrides.fail_on = args.fail_on;
  overrides.extend_select = args.extend_select;
  overrides.ignore = args.ignore;
  overrides.exclude = args.exclude;
  Config config = load_configuration(args, working_directory);
  request.settings = resolve_settings(config, overrides, working_directory);
  // Projects below the linted paths with a configuration of their own use it (examples/, monorepos).
  request.project_settings = std::make_shared<ProjectSettings>(request.settings, overrides, working_directory,
                                                               args.config_file.empty());
  if (!config.file.empty()) {
    fs::path relative = fs::absolute(config.file, error).lexically_normal().lexically_relative(working_directory);
    if (!relative.empty() && *relative.begin() != "..") request.project_file = relative.generic_string();
  }
  apply_scope_options(args, request);
  return request;
}

std::size_t job_count(const LintArguments& args) {
  return args.jobs > 0 ? static_cast<std::size_t>(args.jobs) : ThreadPool::default_size();
}

int run(const LintArguments& args, std::ostream& out, std::ostream& err) {
  LintRequest request = lint_request(args);
  return run_lint(request, job_count(args), out, err);
}

struct BaselineArguments : LintArguments {
  std::string output = "migsafe-baseline.json";
};

int run_baseline(const BaselineArguments& args, std::ostream& out, std::ostream& err) {
  LintRequest request = lint_request(args);
  ThreadPool pool(job_count(args));
  LintOutcome outcome = lint(request, pool);
  if (!outcome.usage_errors.empty()) {
    for (const std::string& message : outcome.usage_errors) err << "migsafe baseline: error: " << message << "\n";
    return kExitUsage;
  }
  if (args.output.empty()) throw ConfigError("--output: the FILE is empty (use - for standard output)");
  bool to_stdout = args.output == "-";
  fs::path file = request.working_directory / args.output;
  // Entry files are relative to the baseline's own directory, so the file keeps working wherever
  // migsafe later runs from.
  Baseline baseline = make_baseline(outcome.findings, request.working_directory,
                                    to_stdout ? request.working_directory : file.parent_path());
  std::string text = baseline_json(baseline, MIGSAFE_VERSION);
  if (to_stdout) {
    out << text;
    out.flush();
  } else {
    if (!write_file_atomically(file, [&text](std::ostream& stream) { stream << text; })) {
      throw EnvironmentError("cannot write the baseline to '" + args.output + "'");
    }
  }
  if (!args.quiet) {
    err << "migsafe baseline: recorded " << outcome.findings.size() << " finding(s) of " << outcome.files_checked
        << " file(s) as " << baseline.entries.size() << " entr" << (baseline.entries.size() == 1 ? "y" : "ies")
        << (to_stdout ? std::string(" on standard output") : " in " + args.output) << "\n";
  }
  return kExitClean;
}

// PATH... and the options of lint that are not about reports: shared by lint and baseline.
void add_input_options(CLI::App* app, LintArguments& args) {
  app->add_option("--stdin-filename", args.stdin_filename, "Name shown for standard input (with PATH '-')")
      ->type_name("NAME")
      ->default_str("stdin");
  app->add_option("--jobs,-j", args.jobs, "Projects linted in parallel; 0 = all cores")
      ->type_name("N")
      ->check(CLI::NonNegativeNumber)
      ->default_str("0 (all cores)");
  app->add_option("--exclude", args.exclude, "Glob of files to skip, relative to the working directory; repeatable "
                                             "(config: exclude)")
      ->type_name("GLOB")
      ->allow_extra_args(false)
      ->default_str("none");
}

void add_render_options(CLI::App* app, LintArguments& args) {
  app->add_flag("--render-sql", args.render_sql,
                "Alembic: also render each revision to SQL in offline mode (python3 with alembic, env.py not run) "
                "and lint that SQL")
      ->default_str("off");
  app->add_option("--python", args.python,
                  "With --render-sql: the python3 that can import alembic (default: $MIGSAFE_PYTHON, "
                  "/usr/bin/python3, python3 on PATH)");
}

void add_paths_option(CLI::App* app, LintArguments& args) {
  app->add_option("paths", args.paths,
                  "Files, directories or globs to lint; '-' reads standard input")
      ->type_name("PATH...")
      ->default_str(".");
}

}  // namespace

Command lint_command(CLI::App& parent) {
  auto args = std::make_shared<LintArguments>();
  CLI::App* app = parent.add_subcommand("lint", "Lint migrations: SQL files, migration folders, Alembic projects.");
  app->footer(
      "Configuration: migsafe.toml, .migsafe.toml or [tool.migsafe] in pyproject.toml, the nearest one above "
      "each project (found from the first PATH for run-wide keys such as fail-on); command-line options "
      "override it (docs/configuration.md).\n"
      "Exit codes: 0 no finding at or above --fail-on, 1 findings at or above it, 2 usage or configuration "
      "error, 3 internal error.");

  add_paths_option(app, *args);
  add_shared_lint_options(app, *args);
  add_input_options(app, *args);
  app->add_option("--color", args->color, "Colours in text output: auto (terminal without NO_COLOR), always, never")
      ->type_name("WHEN")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->default_str("auto");
  app->add_option("--category", args->category, "SARIF automation category (one per analysis uploaded)")
      ->type_name("NAME")
      ->default_str("migsafe");
  add_render_options(app, *args);
  add_quiet_option(app, *args);

  return {app, [args](std::ostream& out, std::ostream& err) { return run(*args, out, err); }};
}

Command baseline_command(CLI::App& parent) {
  auto args = std::make_shared<BaselineArguments>();
  CLI::App* app = parent.add_subcommand(
      "baseline", "Record the current findings in a baseline file; `lint --baseline FILE` then reports only new ones.");
  app->footer(
      "Takes the paths and analysis options of `migsafe lint` (configuration, select/ignore and suppression "
      "comments apply as in lint). Entries are keyed by rule, file and a fingerprint of the statement text, never "
      "by line (docs/changed-and-baseline.md).\n"
      "Exit codes: 0 written (whatever the findings), 2 usage or configuration error, 3 internal error or the "
      "file cannot be written.");
  add_paths_option(app, *args);
  add_analysis_options(app, *args);
  add_input_options(app, *args);
  add_render_options(app, *args);
  app->add_option("--output,-o", args->output, "Baseline file to write; - writes to standard output")
      ->type_name("FILE")
      ->default_str("migsafe-baseline.json");
  add_quiet_option(app, *args);

  return {app, [args](std::ostream& out, std::ostream& err) { return run_baseline(*args, out, err); }};
}

}  // namespace migsafe::cli
