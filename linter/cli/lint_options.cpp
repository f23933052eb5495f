#include "linter/cli/lint_options.h"

#include "linter/config/config.h"

namespace migsafe::cli {

void add_shared_lint_options(CLI::App* app, SharedLintArguments& args) {
  app->add_option("--format", args.formats,
                  "Report format, optionally written to FILE; repeat for several reports "
                  "(text, gcc, json, sarif, github, gitlab, markdown, junit)")
      ->type_name("FMT[:FILE]")
      ->allow_extra_args(false)
      ->default_str("text");
  args.fail_on_option =
      app->add_option("--fail-on", args.fail_on, "Lowest severity that makes the exit code 1 (config: fail-on)")
          ->type_name("LEVEL")
          ->check(CLI::IsMember({"error", "warning", "note", "never"}))
          ->default_str("error");
  add_analysis_options(app, args);
  args.baseline_option = app->add_option("--baseline", args.baseline_file,
                  "Do not report the findings recorded in this baseline file (written by `migsafe baseline`)")
      ->type_name("FILE")
      ->default_str("none");
}

void add_analysis_options(CLI::App* app, SharedLintArguments& args) {
  app->add_option("--config", args.config_file, "Configuration file to use instead of the discovered one")
      ->type_name("FILE")
      ->default_str("discovered");
  args.dialect_option =
      app->add_option("--dialect", args.dialect,
                      "Database engine: postgresql, mysql, mariadb, sqlite (config: dialect)")
          ->type_name("NAME")
          ->default_str("detected per project, else postgresql");
  args.target_version_option =
      app->add_option("--target-version", args.target_version,
                      "Engine version rules are judged against (config: target-version)")
          ->type_name("VERSION")
          ->default_str("PostgreSQL 14, MySQL 8.0, MariaDB 10.11, SQLite 3.40");
  args.layout_option =
      app->add_option("--layout", args.layout,
                      "Migration layout: auto, golang-migrate, flyway, dbmate, sqitch, plain, alembic "
                      "(config: layout)")
          ->type_name("NAME")
          ->default_str("auto");
  args.select_option = app->add_option("--select", args.select,
                                        "Rules or categories to run instead of the default set (config: select)")
                            ->type_name("IDS")
                            ->allow_extra_args(false)
                            ->delimiter(',')
                            ->default_str("rules enabled by default");
  app->add_option("--extend-select", args.extend_select,
                  "Rules or categories to run in addition (config: extend-select)")
      ->type_name("IDS")
      ->allow_extra_args(false)
      ->delimiter(',')
      ->default_str("none");
  app->add_option("--ignore", args.ignore, "Rules or categories not to run (config: ignore)")
      ->type_name("IDS")
      ->allow_extra_args(false)
      ->delimiter(',')
      ->default_str("none");
  args.changed_since_option = app->add_option("--changed-since", args.changed_since,
                  "Report only findings in files added, modified or renamed since the merge base of REF and "
                  "HEAD, plus uncommitted and untracked ones (git); the whole history is still read")
      ->type_name("REF")
      ->default_str("every file");
}

void apply_scope_options(const SharedLintArguments& args, LintRequest& request) {
  if (args.changed_since_option && *args.changed_since_option) {
    request.changed = changed_since(args.changed_since, request.working_directory);
  }
  if (args.baseline_option && *args.baseline_option) {
    if (args.baseline_file.empty()) throw ConfigError("--baseline: the FILE is empty");
    std::filesystem::path file = request.working_directory / args.baseline_file;
    request.baseline = load_baseline(file, args.baseline_file);
    request.baseline_directory = file.parent_path();
  }
}

void add_quiet_option(CLI::App* app, SharedLintArguments& args) {
  app->add_flag("--quiet,-q", args.quiet, "Print only the reports: no notes on standard error")->default_str("off");
}

}  // namespace migsafe::cli
