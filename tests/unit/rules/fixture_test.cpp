// Rule fixtures: every `tests/fixtures/rules/<rule-id>/*.sql` is one test. The file is linted as a
// one-migration project with only its rule selected (syntax-error is always on) and the findings must
// equal the `-- expect:` comments exactly. Also checks that rule ids, the catalog and fixtures agree.
#include <gtest/gtest.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>

#include "linter/engine/engine.h"
#include "linter/engine/rule.h"
#include "linter/sql/postgres_front_end.h"
#include "tests/unit/rules/fixture_file.h"

namespace migsafe::testing {
namespace {

namespace fs = std::filesystem;

fs::path rules_fixture_root() { return fs::path(MIGSAFE_TEST_DATA) / "rules"; }

// The shared reference folder: MIGSAFE_SHARED_DIR in the environment, else the build-time path, else a
// `shared/` folder next to any parent of the source tree (git worktrees live deeper than the checkout).
fs::path shared_dir() {
  if (const char* env = std::getenv("MIGSAFE_SHARED_DIR"); env && *env) return env;
  const fs::path relative = fs::path("reference") / "rule-catalog.md";
  std::error_code error;
  if (fs::exists(fs::path(MIGSAFE_SHARED_DIR) / relative, error)) return MIGSAFE_SHARED_DIR;
  for (fs::path dir = fs::path(MIGSAFE_SOURCE_DIR); dir.has_relative_path(); dir = dir.parent_path()) {
    if (fs::exists(dir.parent_path() / "shared" / relative, error)) return dir.parent_path() / "shared";
  }
  return MIGSAFE_SHARED_DIR;
}

Project project_for(const FixtureFile& fixture) {
  auto file = std::make_shared<const SourceFile>(fixture.path.string(), fixture.display_path, fixture.text);
  SqlScriptResult parsed = parse_postgres_script(file, ByteRange{0, file->text().size()});

  Migration migration;
  migration.id = fixture.path.stem().string();
  migration.name = migration.id;
  migration.layout = "file";
  migration.upgrade.file = file;
  migration.upgrade.region = ByteRange{0, file->text().size()};
  migration.upgrade.statements = std::move(parsed.statements);
  migration.upgrade.runner = fixture.options.transaction;
  assign_transactions(migration.upgrade);

  Project project;
  project.root = fixture.path.parent_path().string();
  project.layout = "file";
  project.dialect = fixture.options.dialect;
  project.migrations.push_back(std::move(migration));
  project.suppressions = std::move(parsed.suppressions);
  return project;
}

LintSettings settings_for(const FixtureFile& fixture) {
  LintSettings settings;
  settings.dialect = fixture.options.dialect;
  settings.target_version = fixture.options.target_version.value_or(default_version(fixture.options.dialect));
  settings.lock_timeout_set_by_runner = fixture.options.lock_timeout_set_by_runner;
  settings.select = {fixture.rule_id};
  return settings;
}

class RuleFixture : public ::testing::TestWithParam<fs::path> {};

TEST_P(RuleFixture, FindingsMatchExpectations) {
  FixtureFile fixture = load_fixture(GetParam());
  for (const std::string& error : fixture.errors) ADD_FAILURE() << error;
  if (!fixture.errors.empty()) return;

  ASSERT_NE(RuleRegistry::instance().find(fixture.rule_id), nullptr)
      << fixture.display_path << ": the directory names `" << fixture.rule_id << "`, which is not a registered rule";
  for (const ExpectedFinding& expected : fixture.expected) {
    EXPECT_TRUE(expected.rule_id == fixture.rule_id || expected.rule_id == "syntax-error")
        << fixture.display_path << ":" << expected.line << ": expects `" << expected.rule_id
        << "`, but only `" << fixture.rule_id << "` and syntax-error run in this directory";
  }
  // Only PostgreSQL has a SQL front end in this runner; other dialects need their own front end.
  ASSERT_EQ(fixture.options.dialect, Dialect::PostgreSQL)
      << fixture.display_path << ": dialect=" << to_string(fixture.options.dialect)
      << " fixtures are not supported by the SQL fixture runner";

  Project project = project_for(fixture);
  std::vector<Finding> findings = Engine(settings_for(fixture)).run(project);

  std::string diff = compare_findings(fixture, findings);
  EXPECT_TRUE(diff.empty()) << "\n" << diff;
  // Every finding must explain itself: what happens in production, and what to do instead.
  for (const Finding& finding : findings) {
    EXPECT_FALSE(finding.message.empty()) << fixture.display_path << ":" << finding.start.line << ": empty message";
    EXPECT_FALSE(finding.help.empty()) << fixture.display_path << ":" << finding.start.line << ": empty help";
  }
}

INSTANTIATE_TEST_SUITE_P(Rules, RuleFixture, ::testing::ValuesIn(list_fixture_files(rules_fixture_root())),
                         [](const ::testing::TestParamInfo<fs::path>& info) { return fixture_test_name(info.param); });

// True when `id` occurs in `text` as a whole rule id (not as part of a longer id).
bool contains_rule_id(const std::string& text, const std::string& id) {
  auto is_id_char = [](char c) { return std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '-'; };
  for (std::size_t at = text.find(id); at != std::string::npos; at = text.find(id, at + 1)) {
    bool starts = at == 0 || !is_id_char(text[at - 1]);
    bool ends = at + id.size() == text.size() || !is_id_char(text[at + id.size()]);
    if (starts && ends) return true;
  }
  return false;
}

TEST(RuleCatalog, EveryRegisteredRuleIsInTheCatalog) {
  fs::path catalog_path = shared_dir() / "reference" / "rule-catalog.md";
  std::ifstream stream(catalog_path);
  ASSERT_TRUE(stream) << "cannot read " << catalog_path
                      << " (set MIGSAFE_SHARED_DIR to the folder that holds reference/rule-catalog.md)";
  std::ostringstream buffer;
  buffer << stream.rdbuf();
  const std::string catalog = buffer.str();
  // Ids migsafe adds beyond the catalog, each documented in README.md ("Rules beyond the catalog"):
  // unchecked-code is the note for Alembic code a static reader cannot see through (SQL built at run
  // time, plugin op.xxx calls), which the Alembic issue requires to be reported but the catalog has no id for.
  const std::set<std::string> extensions = {"unchecked-code"};
  for (const RuleInfo* info : RuleRegistry::instance().all_infos()) {
    if (extensions.count(std::string(info->id))) continue;
    EXPECT_TRUE(contains_rule_id(catalog, std::string(info->id)))
        << "rule `" << info->id << "` is registered but not in " << catalog_path;
  }
}

TEST(RuleCatalog, EveryDefaultPostgresRuleHasFixtures) {
  for (const auto& rule : RuleRegistry::instance().rules()) {
    const RuleInfo& info = rule->info();
    if (!info.enabled_by_default || !applies_to(info.engines, Dialect::PostgreSQL)) continue;
    fs::path dir = rules_fixture_root() / std::string(info.id);
    EXPECT_TRUE(fs::is_directory(dir)) << "rule `" << info.id << "` is enabled by default for PostgreSQL but has no "
                                       << "fixture directory tests/fixtures/rules/" << info.id << "/";
  }
}

TEST(RuleCatalog, EveryFixtureDirectoryNamesARule) {
  std::error_code error;
  if (!fs::is_directory(rules_fixture_root(), error)) return;
  for (const fs::directory_entry& entry : fs::directory_iterator(rules_fixture_root())) {
    if (!entry.is_directory()) continue;
    std::string id = entry.path().filename().string();
    EXPECT_NE(RuleRegistry::instance().find_info(id), nullptr)
        << "tests/fixtures/rules/" << id << "/ names no registered rule (typo or removed rule?)";
  }
}

TEST(RuleCatalog, MetadataIsComplete) {
  for (const auto& rule : RuleRegistry::instance().rules()) {
    const RuleInfo& info = rule->info();
    EXPECT_FALSE(info.summary.empty()) << info.id << ": summary";
    EXPECT_LT(info.summary.size(), 1024u) << info.id << ": summary must stay under 1024 characters (SARIF)";
    EXPECT_FALSE(info.what_it_does.empty()) << info.id << ": what_it_does";
    EXPECT_FALSE(info.why.empty()) << info.id << ": why";
    EXPECT_FALSE(info.safe_alternative.empty()) << info.id << ": safe_alternative";
  }
}

}  // namespace
}  // namespace migsafe::testing
