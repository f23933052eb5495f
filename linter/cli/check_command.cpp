// `migsafe check PROJECT`: the pre-deploy check. Lints the project (the `lint` pipeline, linter/driver.h)
// and round-trips it on a throw-away database (harness/roundtrip_command.h), then writes ONE report per
// --format with the findings of both, and one exit code for both.
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "harness/errors.h"
#include "harness/roundtrip_command.h"
#include "harness/url.h"
#include "linter/cli/command.h"
#include "linter/cli/lint_options.h"
#include "linter/config/config.h"
#include "linter/config/project_settings.h"
#include "linter/config/settings.h"
#include "linter/driver.h"
#include "linter/engine/rule.h"
#include "linter/util/thread_pool.h"

namespace migsafe::cli {

namespace fs = std::filesystem;

namespace {

struct CheckArguments : SharedLintArguments {
  harness::RoundtripCommandOptions roundtrip;  // project, engine, database-url, pg-bin, ...
  CLI::Option* engine_option = nullptr;
  std::string category = "migsafe-check";  // SARIF automationDetails category (one per analysis uploaded)
};

// The configuration `lint PROJECT` would use: --config, else the one discovered from the project up.
Config load_configuration(const CheckArguments& args, const fs::path& working_directory) {
  if (!args.config_file.empty()) return load_config(args.config_file);
  if (auto found = find_config(working_directory / args.roundtrip.project)) {
    return load_config_as_shown(*found, working_directory);
  }
  return {};
}

// `engine` is the round trip's database: without --dialect and without a dialect in the configuration,
// the lint judges the migrations for that engine too, so that both halves check the same target.
LintRequest lint_request(const CheckArguments& args, const std::string& engine, const fs::path& working_directory) {
  LintRequest request;
  request.paths = {args.roundtrip.project};
  request.working_directory = working_directory;
  for (const std::string& spec : args.formats) request.outputs.push_back(parse_output_target(spec));
  const char* no_color = std::getenv("NO_COLOR");
  request.color = isatty(STDOUT_FILENO) != 0 && !(no_color && *no_color);
  request.category = args.category;
  request.title = "migsafe check";
  request.quiet = args.quiet;

  CommandLineOverrides overrides;
  Config config = load_configuration(args, working_directory);
  if (*args.dialect_option) {
    overrides.dialect = args.dialect;
  } else if (!config.dialect) {
    overrides.dialect = engine;
  }
  if (*args.target_version_option) overrides.target_version = args.target_version;
  if (*args.layout_option) overrides.layout = args.layout;
  if (*args.select_option) overrides.select = args.select;
  if (*args.fail_on_option) overrides.fail_on = args.fail_on;
  overrides.extend_select = args.extend_select;
  overrides.ignore = args.ignore;
  request.settings = resolve_settings(config, overrides, working_directory);
  if (!config.file.empty()) {
    std::error_code error;
    fs::path relative = fs::absolute(config.file, error).lexically_normal().lexically_relative(working_directory);
    if (!relative.empty() && *relative.begin() != "..") request.project_file = relative.generic_string();
  }
  apply_scope_options(args, request);  // asks git and reads the baseline before anything is started
  return request;
}

// Lint findings and round-trip findings as one outcome: sorted together, every rule listed once.
void merge_roundtrip(LintOutcome& outcome, const harness::RoundtripRun& run) {
  outcome.findings.insert(outcome.findings.end(), run.findings.begin(), run.findings.end());
  std::stable_sort(outcome.findings.begin(), outcome.findings.end(), finding_order);
  for (const RuleInfo* info : harness::roundtrip_rule_infos()) {
    if (std::find(outcome.rules.begin(), outcome.rules.end(), info) == outcome.rules.end()) {
      outcome.rules.push_back(info);
    }
  }
  std::sort(outcome.rules.begin(), outcome.rules.end(),
            [](const RuleInfo* a, const RuleInfo* b) { return a->id < b->id; });
}

int run(CheckArguments& args, std::ostream& out, std::ostream& err) {
  harness::InterruptGuard interrupts;
  auto note = [&err, &args](const std::string& text) {
    if (!args.quiet) err << "migsafe check: " << text << std::endl;
  };
  try {
    std::error_code error;
    fs::path working_directory = fs::current_path(error);
    if (error) throw EnvironmentError("cannot determine the working directory: " + error.message());
    if (!fs::exists(working_directory / args.roundtrip.project, error)) {
      throw ConfigError(args.roundtrip.project + ": no such file or directory");
    }
    // Configuration and options are validated before anything is started.
    args.roundtrip.engine_given = args.engine_option->count() > 0;
    std::string engine = harness::validate_roundtrip_options(args.roundtrip);
    LintRequest request = lint_request(args, engine, working_directory);
    args.roundtrip.layout = *args.layout_option ? args.layout : request.settings.layout;

    ThreadPool pool(ThreadPool::default_size());
    LintOutcome outcome = lint(request, pool);
    if (!outcome.usage_errors.empty()) {
      for (const std::string& message : outcome.usage_errors) err << "migsafe check: error: " << message << "\n";
      return kExitUsage;
    }
    note("lint: " + std::to_string(outcome.findings.size()) + " finding(s) in " +
         std::to_string(outcome.files_checked) + " file(s)");

    harness::RoundtripRun roundtrip = harness::execute_roundtrip(args.roundtrip, note, err);
    note("roundtrip: " + std::to_string(roundtrip.migrations) + " migration(s) on " + roundtrip.engine + ", " +
         std::to_string(roundtrip.findings.size()) + " finding(s)");

    // --changed-since and --baseline judge the round trip's findings like the lint's: the round trip
    // still runs the whole history (a changed migration can only be applied on top of the others).
    roundtrip.findings = only_changed(request, std::move(roundtrip.findings));
    merge_roundtrip(outcome, roundtrip);
    apply_baseline(request, outcome);
    print_scope_notes(request, outcome, "migsafe check", err);
    write_reports(request, outcome, out);
    return exit_code_for(outcome.findings, request.settings.fail_on);
  } catch (const harness::Interrupted& interrupted) {
    note(std::string(interrupted.what()) + ": the throw-away databases were removed");
    return 128 + interrupted.signal_number;
  } catch (const harness::UsageError& error) {
    err << "migsafe check: error: " << harness::mask_connection_string(error.what()) << "\n";
    return kExitUsage;
  } catch (const harness::EnvironmentError& error) {
    err << "migsafe check: error: " << error.what() << "\n";
    return kExitInternal;
  }
}

}  // namespace

Command check_command(CLI::App& parent) {
  auto args = std::make_shared<CheckArguments>();
  CLI::App* app = parent.add_subcommand(
      "check", "Pre-deploy check: lint the project and round-trip its migrations, one report for both.");
  app->footer(
      "Runs `migsafe lint PROJECT` and `migsafe roundtrip PROJECT` and merges their findings into one report "
      "per --format (docs/cli.md, docs/harness.md).\n"
      "Exit codes: 0 no finding at or above --fail-on, 1 findings at or above it, 2 usage or configuration "
      "error, 3 internal or environment error, 130/143 interrupted (throw-away databases removed).");
  harness::RoundtripCommandOptions& roundtrip = args->roundtrip;
  app->add_option("project", roundtrip.project, "Migration project directory")->required()->type_name("PROJECT");
  add_shared_lint_options(app, *args);
  // Without --dialect or a configured one, check lints in the dialect of the round-trip engine.
  args->dialect_option->default_str("configured, else the --engine's");
  args->engine_option =
      app->add_option("--engine", roundtrip.engine, "Round-trip database: sqlite (default) or postgresql")
          ->type_name("NAME");
  app->add_option("--database-url", roundtrip.database_url,
                  "Round-trip on this PostgreSQL server (in a database migsafe_rt_<random>, dropped at the end)")
      ->type_name("URL");
  app->add_option("--pg-bin", roundtrip.pg_bin, "Directory with initdb and postgres")->type_name("DIR");
  app->add_option("--with-data", roundtrip.with_data, "Insert N generated rows per table before each upgrade")
      ->type_name("N");
  app->add_flag("--trace", roundtrip.trace,
                "PostgreSQL: record the locks, rewrites and scans of every upgrade statement");
  app->add_option("--step-timeout", roundtrip.step_timeout, "Abandon a round-trip step after this many seconds")
      ->type_name("SECONDS");
  app->add_option("--alembic-env", roundtrip.alembic_env, "project (the project's env.py, default) or builtin")
      ->type_name("WHICH");
  app->add_option("--python", roundtrip.python, "A python3 that can import alembic (default: found)")
      ->type_name("FILE");
  app->add_flag("--no-progress{false}", roundtrip.progress, "No per-step progress lines on a terminal");
  app->add_option("--category", args->category, "SARIF automation category (one per analysis uploaded)")
      ->type_name("NAME")
      ->default_str("migsafe-check");
  add_quiet_option(app, *args);

  return {app, [args](std::ostream& out, std::ostream& err) {
            int exit_code = run(*args, out, err);
            if (exit_code == 129 || exit_code == 130 || exit_code == 143) {
              out.flush();
              err.flush();
              harness::reraise(exit_code - 128);  // after cleanup: the shell sees the usual signal status
            }
            return exit_code;
          }};
}

}  // namespace migsafe::cli
