#include "linter/config/settings.h"

#include <gtest/gtest.h>


namespace migsafe {
namespace {


const std::filesystem::path kCwd = "/work/project";

Config sample_config() {
  return parse_config(R"(
dialect = "mysql"
target-version = "5.7"
layout = "flyway"
select = ["locks"]
extend-select = ["unused-ignore"]
ignore = ["syntax-error"]
fail-on = "warning"
lock-timeout-set-by-runner = true
require-downgrades = true
allow-labelled-heads = true
exclude = ["legacy"]
docs-base-url = "https://docs.example/rules"
[severity]
adding-not-null-column = "note"
[transaction]
flyway = "none"
)",
                      "/repo/migsafe.toml", false);
}

std::string usage_error(const Config& config, const CommandLineOverrides& overrides) {
  try {
    resolve_settings(config, overrides, kCwd);
  } catch (const ConfigError& error) {
    return error.what();
  }
  return "";
}

TEST(Settings, DefaultsWithoutConfigOrFlags) {
  EffectiveSettings settings = resolve_settings(Config{}, {}, kCwd);
  EXPECT_EQ(settings.lint.dialect, Dialect::PostgreSQL);
  EXPECT_FALSE(settings.dialect_from_user);
  EXPECT_EQ(settings.lint.target_version, default_version(Dialect::PostgreSQL));
  EXPECT_FALSE(settings.target_version_from_user);
  EXPECT_EQ(settings.layout, "auto");
  EXPECT_TRUE(settings.lint.select.empty());
  EXPECT_EQ(settings.fail_on, FailOn::Error);
  EXPECT_FALSE(settings.lint.lock_timeout_set_by_runner);
  EXPECT_FALSE(settings.lint.require_downgrades);
  EXPECT_FALSE(settings.lint.allow_labelled_heads);
  EXPECT_TRUE(settings.exclude.empty());
}

TEST(Settings, ConfigValuesApplyWhenNoFlagIsGiven) {
  EffectiveSettings settings = resolve_settings(sample_config(), {}, kCwd);
  EXPECT_EQ(settings.lint.dialect, Dialect::MySQL);
  EXPECT_TRUE(settings.dialect_from_user);
  EXPECT_EQ(settings.lint.target_version.str(), "5.7");
  EXPECT_EQ(settings.layout, "flyway");
  EXPECT_EQ(settings.lint.select, std::vector<std::string>{"locks"});
  EXPECT_EQ(settings.lint.extend_select, std::vector<std::string>{"unused-ignore"});
  EXPECT_EQ(settings.lint.ignore, std::vector<std::string>{"syntax-error"});
  EXPECT_EQ(settings.fail_on, FailOn::Warning);
  EXPECT_TRUE(settings.lint.lock_timeout_set_by_runner);
  EXPECT_TRUE(settings.lint.require_downgrades);
  EXPECT_TRUE(settings.lint.allow_labelled_heads);
  EXPECT_EQ(settings.lint.severity_overrides.at("adding-not-null-column"), Severity::Note);
  EXPECT_EQ(settings.transaction.at("flyway"), RunnerTransaction::None);
  EXPECT_EQ(settings.docs_base_url, "https://docs.example/rules");
  ASSERT_EQ(settings.exclude.size(), 1u);
  EXPECT_EQ(settings.exclude[0].glob, "legacy");
  EXPECT_EQ(settings.exclude[0].base, "/repo");  // config excludes are relative to the config file
}

TEST(Settings, CommandLineOverridesConfig) {
  CommandLineOverrides overrides;
  overrides.dialect = "postgresql";
  overrides.target_version = "11";
  overrides.layout = "plain";
  overrides.select = std::vector<std::string>{"compatibility", " adding-not-null-column"};
  overrides.extend_select = {"meta"};
  overrides.ignore = {"locks", ""};
  overrides.exclude = {"old/*.sql"};
  overrides.fail_on = "never";
  EffectiveSettings settings = resolve_settings(sample_config(), overrides, kCwd);
  EXPECT_EQ(settings.lint.dialect, Dialect::PostgreSQL);
  EXPECT_EQ(settings.lint.target_version.str(), "11");
  EXPECT_EQ(settings.layout, "plain");
  // --select replaces; --extend-select, --ignore and --exclude add to the file's lists.
  EXPECT_EQ(settings.lint.select, (std::vector<std::string>{"compatibility", "adding-not-null-column"}));
  EXPECT_EQ(settings.lint.extend_select, (std::vector<std::string>{"unused-ignore", "meta"}));
  EXPECT_EQ(settings.lint.ignore, (std::vector<std::string>{"syntax-error", "locks"}));
  ASSERT_EQ(settings.exclude.size(), 2u);
  EXPECT_EQ(settings.exclude[1].glob, "old/*.sql");
  EXPECT_EQ(settings.exclude[1].base, kCwd);
  EXPECT_EQ(settings.fail_on, FailOn::Never);
}

TEST(Settings, TargetVersionDefaultsFollowTheChosenDialect) {
  CommandLineOverrides overrides;
  overrides.dialect = "mariadb";
  EffectiveSettings settings = resolve_settings(Config{}, overrides, kCwd);
  EXPECT_EQ(settings.lint.target_version, default_version(Dialect::MariaDB));
}

TEST(Settings, ProjectDialectUnlessTheUserChoseOne) {
  Project sqlite_project;
  sqlite_project.dialect = Dialect::SQLite;
  LintSettings detected = settings_for_project(resolve_settings(Config{}, {}, kCwd), sqlite_project);
  EXPECT_EQ(detected.dialect, Dialect::SQLite);
  EXPECT_EQ(detected.target_version, default_version(Dialect::SQLite));

  CommandLineOverrides overrides;
  overrides.target_version = "3.35";
  LintSettings versioned = settings_for_project(resolve_settings(Config{}, overrides, kCwd), sqlite_project);
  EXPECT_EQ(versioned.target_version.str(), "3.35");

  LintSettings chosen = settings_for_project(resolve_settings(sample_config(), {}, kCwd), sqlite_project);
  EXPECT_EQ(chosen.dialect, Dialect::MySQL);
  EXPECT_EQ(chosen.target_version.str(), "5.7");
}

TEST(Settings, BadCommandLineValuesNameTheOptionAndClosestValue) {
  CommandLineOverrides dialect;
  dialect.dialect = "mysq";
  EXPECT_EQ(usage_error({}, dialect),
            "--dialect: unknown dialect 'mysq'; did you mean 'mysql'? (expected postgresql, mysql, mariadb or sqlite)");
  CommandLineOverrides version;
  version.target_version = "14.x";
  EXPECT_EQ(usage_error({}, version),
            "--target-version: invalid version '14.x' (expected a version such as 14 or 8.0.29)");
  CommandLineOverrides select;
  select.select = std::vector<std::string>{"adding-not-nul-column"};
  EXPECT_EQ(usage_error({}, select),
            "--select: unknown rule or category 'adding-not-nul-column'; did you mean 'adding-not-null-column'? "
            "(`migsafe rules` lists them)");
  CommandLineOverrides ignore;
  ignore.ignore = {"stlye"};
  EXPECT_EQ(usage_error({}, ignore),
            "--ignore: unknown rule or category 'stlye'; did you mean 'style'? (`migsafe rules` lists them)");
  CommandLineOverrides layout;
  layout.layout = "golang_migrate";
  EXPECT_EQ(usage_error({}, layout), "--layout: unknown layout 'golang_migrate'; did you mean 'golang-migrate'?");
  CommandLineOverrides fail_on;
  fail_on.fail_on = "errors";
  EXPECT_EQ(usage_error({}, fail_on),
            "--fail-on: invalid value 'errors' (expected error, warning, note or never); did you mean 'error'?");
}

TEST(Settings, ExcludeMatchesRelativeToItsBase) {
  std::vector<ExcludePattern> exclude = {{"legacy", "/repo"}, {"db/old_*.sql", "/repo/service"}};
  EXPECT_TRUE(is_excluded(exclude, "/repo/migrations/legacy/0001.sql"));
  EXPECT_TRUE(is_excluded(exclude, "/repo/service/db/old_0001.sql"));
  EXPECT_FALSE(is_excluded(exclude, "/repo/db/old_0001.sql"));
  EXPECT_FALSE(is_excluded(exclude, "/repo/migrations/0001.sql"));
  EXPECT_FALSE(is_excluded(exclude, "/elsewhere/legacy/0001.sql"));
}

TEST(FailOn, Thresholds) {
  EXPECT_TRUE(fails(Severity::Error, FailOn::Error));
  EXPECT_FALSE(fails(Severity::Warning, FailOn::Error));
  EXPECT_TRUE(fails(Severity::Warning, FailOn::Warning));
  EXPECT_FALSE(fails(Severity::Note, FailOn::Warning));
  EXPECT_TRUE(fails(Severity::Note, FailOn::Note));
  EXPECT_FALSE(fails(Severity::Error, FailOn::Never));
}

}  // namespace
}  // namespace migsafe
