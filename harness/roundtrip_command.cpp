#include "harness/roundtrip_command.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>

#include "harness/alembic_session.h"
#include "harness/database.h"
#include "harness/junit_steps.h"
#include "harness/roundtrip.h"
#include "harness/url.h"
#include "linter/engine/rule.h"
#include "linter/layouts/loader.h"
#include "linter/report/reporter.h"

namespace migsafe::harness {
namespace {

constexpr const char* kRoundtripRuleIds[] = {"observed-blocking-lock",     "observed-table-rewrite",
                                             "roundtrip-downgrade-failed", "roundtrip-reupgrade-failed",
                                             "roundtrip-schema-drift",     "roundtrip-upgrade-failed",
                                             "upgrade-fails-with-data"};

std::optional<Severity> fail_threshold(const std::string& text) {
  if (text == "never") return std::nullopt;
  if (auto severity = parse_severity(text)) return severity;
  throw UsageError("--fail-on: expected error, warning, note or never, got '" + text + "'");
}

}  // namespace

std::vector<Project> load_roundtrip_projects(const std::string& path, const std::string& layout, Dialect dialect) {
  namespace fs = std::filesystem;
  struct {
    const std::string& project;
    const std::string& layout;
  } options{path, layout};
  std::error_code error;
  if (!fs::exists(options.project, error)) throw UsageError(options.project + ": no such file or directory");
  // Alembic projects go through the Alembic layout when one is registered; otherwise the driver reads
  // the revision graph itself.
  if (options.layout == "alembic" || (options.layout == "auto" && locate_alembic_project(options.project))) {
    if (LayoutRegistry::instance().find("alembic") == nullptr) {
      Project project;
      project.root = options.project;
      project.layout = "alembic";
      project.dialect = dialect;
      return {project};
    }
  }
  LoadRequest request;
  request.paths = {options.project};
  request.layout = options.layout;
  request.options.dialect = dialect;
  request.options.dialect_from_user = true;
  request.options.display_root = fs::current_path();
  LoadResult result = load_projects(request);
  if (!result.usage_errors.empty()) throw UsageError(result.usage_errors.front());
  if (result.projects.empty()) throw UsageError(options.project + ": no migration project found");
  return std::move(result.projects);
}

std::string validate_roundtrip_options(const RoundtripCommandOptions& options) {
  std::string engine_name = options.engine;
  if (engine_name == "postgres" || engine_name == "pg") engine_name = "postgresql";
  if (options.database_url && !options.engine_given) engine_name = "postgresql";
  if (engine_name != "sqlite" && engine_name != "postgresql") {
    throw UsageError("--engine: expected sqlite or postgresql, got '" + options.engine + "'");
  }
  if (options.database_url && engine_name != "postgresql") {
    throw UsageError("--database-url needs --engine postgresql");
  }
  if (options.trace && engine_name != "postgresql") {
    throw UsageError("--trace needs PostgreSQL (--engine postgresql or --database-url)");
  }
  if (options.with_data < 0) throw UsageError("--with-data: the number of rows cannot be negative");
  if (options.step_timeout && *options.step_timeout <= 0) throw UsageError("--step-timeout: must be positive");
  if (options.alembic_env != "project" && options.alembic_env != "builtin") {
    throw UsageError("--alembic-env: expected project or builtin, got '" + options.alembic_env + "'");
  }
  return engine_name;
}

RoundtripRun execute_roundtrip(const RoundtripCommandOptions& options, const std::function<void(const std::string&)>& note,
                               std::ostream& err) {
  std::string engine_name = validate_roundtrip_options(options);
  RoundtripRun run;
  run.engine = engine_name;
  Dialect dialect = engine_name == "sqlite" ? Dialect::SQLite : Dialect::PostgreSQL;
  run.projects = load_roundtrip_projects(options.project, options.layout, dialect);

  EngineOptions engine_options;
  engine_options.engine = engine_name;
  engine_options.database_url = options.database_url;
  engine_options.pg_bin = options.pg_bin;
  engine_options.step_timeout_seconds = options.step_timeout;
  engine_options.note = note;
  std::unique_ptr<Engine> engine =
      engine_name == "sqlite" ? make_sqlite_engine(engine_options) : make_postgres_engine(engine_options);
  note("engine: " + engine->describe());

  RoundtripOptions roundtrip_options;
  roundtrip_options.step_timeout_seconds = options.step_timeout;
  roundtrip_options.alembic_env = options.alembic_env;
  roundtrip_options.python = options.python;
  roundtrip_options.with_data_rows = options.with_data;
  roundtrip_options.trace = options.trace;
  roundtrip_options.checkpoints = options.checkpoints;
  roundtrip_options.note = note;
  if (options.progress && isatty(STDERR_FILENO)) {
    roundtrip_options.progress = [&err](const std::string& line) { err << "  " << line << std::endl; };
  }

  for (const auto& project : run.projects) {
    note("project " + project.root + " (" + project.layout + ")");
    run.reports.push_back(roundtrip_project(project, *engine, roundtrip_options));
    run.migrations += run.reports.back().migrations;
    for (const auto& finding : run.reports.back().findings) run.findings.push_back(finding);
  }
  engine.reset();  // stop the server and remove its directory before reporting
  std::stable_sort(run.findings.begin(), run.findings.end(), finding_order);
  return run;
}

std::vector<const RuleInfo*> roundtrip_rule_infos() {
  std::vector<const RuleInfo*> infos;
  for (const char* id : kRoundtripRuleIds) {
    if (const RuleInfo* info = RuleRegistry::instance().find_info(id)) infos.push_back(info);
  }
  return infos;
}

int run_roundtrip_command(const RoundtripCommandOptions& options, std::ostream& out, std::ostream& err) {
  InterruptGuard interrupts;
  auto note = [&err](const std::string& text) { err << "migsafe roundtrip: " << text << std::endl; };
  try {
    auto threshold = fail_threshold(options.fail_on);
    std::unique_ptr<Reporter> reporter;
    if (options.format != "junit") {
      reporter = make_reporter(options.format);
      if (!reporter) throw UsageError("--format: unknown format '" + options.format + "'");
    }
    std::ofstream output_file;
    if (!options.output.empty()) {
      output_file.open(options.output, std::ios::binary);
      if (!output_file) throw EnvironmentError("cannot write " + options.output);
    }
    std::ostream& report_out = options.output.empty() ? out : output_file;

    RoundtripRun run = execute_roundtrip(options, note, err);
    if (options.format == "junit") {
      std::vector<ProjectSteps> steps;
      for (std::size_t i = 0; i < run.projects.size(); ++i) {
        steps.push_back({run.projects[i].root, run.engine, &run.reports[i]});
      }
      write_junit_steps(steps, report_out);
    } else {
      ReportContext context;
      context.tool_version = MIGSAFE_VERSION;
      context.rules = roundtrip_rule_infos();
      context.color = options.format == "text" && options.output.empty() && isatty(STDOUT_FILENO) &&
                      std::getenv("NO_COLOR") == nullptr;
      context.category = "migsafe-roundtrip";
      context.title = "migsafe roundtrip";
      context.files_checked = run.migrations;
      reporter->write(run.findings, context, report_out);
    }
    report_out.flush();
    note(std::to_string(run.migrations) + " migration(s) round-tripped on " + run.engine + ", " +
         std::to_string(run.findings.size()) + " finding(s)");
    if (!threshold) return 0;
    for (const auto& finding : run.findings) {
      if (finding.severity >= *threshold) return 1;
    }
    return 0;
  } catch (const Interrupted& interrupted) {
    note(std::string(interrupted.what()) + ": the throw-away databases were removed");
    return 128 + interrupted.signal_number;
  } catch (const UsageError& error) {
    note(std::string("error: ") + mask_connection_string(error.what()));
    return 2;
  } catch (const EnvironmentError& error) {
    note(std::string("error: ") + error.what());
    return 3;
  } catch (const std::exception& error) {
    note(std::string("internal error: ") + error.what());
    return 3;
  }
}

RoundtripCommand add_roundtrip_command(CLI::App& app) {
  auto options = std::make_shared<RoundtripCommandOptions>();
  CLI::App* command = app.add_subcommand(
      "roundtrip",
      "Run every migration up, down and up again on a throw-away database and compare the schema at each step");
  command->footer(
      "Engines: sqlite (default; a temporary file) or postgresql (a private throw-away cluster from the server "
      "binaries, or a new database on --database-url's server). Exit codes: 0 clean, 1 findings at or above "
      "--fail-on, 2 usage error, 3 environment error, 130/143 interrupted. See docs/harness.md.");
  command->add_option("project", options->project, "Migration project directory")->required();
  auto* engine = command->add_option("--engine", options->engine, "sqlite (default) or postgresql");
  command->add_option("--database-url", options->database_url,
                      "Use this PostgreSQL server: a database migsafe_rt_<random> is created there and dropped");
  command->add_option("--pg-bin", options->pg_bin, "Directory with initdb and postgres");
  command->add_option("--layout", options->layout, "Migration layout (default: auto)");
  command->add_option("--format", options->format,
                      "text, gcc, json, sarif, github, gitlab, markdown, or junit (one test case per step)");
  command->add_option("-o,--output", options->output, "Write the report to this file");
  command->add_option("--with-data", options->with_data,
                      "Insert N generated rows per table before each upgrade (finds upgrade-fails-with-data)");
  command->add_flag("--trace", options->trace,
                    "PostgreSQL: record the locks, rewrites and scans of every upgrade statement "
                    "(observed-blocking-lock, observed-table-rewrite)");
  command->add_option("--step-timeout", options->step_timeout, "Abandon a step after this many seconds");
  command->add_option("--alembic-env", options->alembic_env,
                      "project (the project's env.py, default) or builtin (a minimal env.py)");
  command->add_option("--python", options->python, "A python3 that can import alembic (default: found)");
  command->add_option("--fail-on", options->fail_on, "error (default), warning, note or never");
  command->add_flag("--no-progress{false}", options->progress, "No per-step progress lines on a terminal");
  return RoundtripCommand{command, [options, engine](std::ostream& out, std::ostream& err) {
    options->engine_given = engine->count() > 0;
    int exit_code = run_roundtrip_command(*options, out, err);
    if (exit_code == 130 || exit_code == 143 || exit_code == 129) {
      out.flush();
      err.flush();
      reraise(exit_code - 128);  // after cleanup: the shell sees the usual signal status
    }
    return exit_code;
  }};
}

}  // namespace migsafe::harness
