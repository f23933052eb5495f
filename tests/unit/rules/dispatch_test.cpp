// Rule::inspected_operations() must name every operation kind a rule can report on: the engine calls a
// rule's check_operation only for those kinds. This lints every rule fixture (SQL and Alembic) with every
// rule selected, on each engine, once with that dispatch and once calling every rule for every
// operation, and requires identical findings. A rule that forgets a kind its fixtures exercise fails here.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "linter/alembic/alembic_project.h"
#include "linter/engine/engine.h"
#include "linter/engine/rule.h"
#include "linter/sql/postgres_front_end.h"
#include "tests/unit/rules/fixture_file.h"

namespace migsafe::testing {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> every_fixture() {
  std::vector<fs::path> files;
  fs::path root = fs::path(MIGSAFE_TEST_DATA) / "rules";
  std::error_code error;
  if (!fs::is_directory(root, error)) return files;
  for (const fs::directory_entry& entry : fs::recursive_directory_iterator(root)) {
    std::string extension = entry.path().extension().string();
    if (entry.is_regular_file() && (extension == ".sql" || extension == ".py")) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string read_file(const fs::path& path) {
  std::ifstream stream(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << stream.rdbuf();
  return buffer.str();
}

Project project_for(const fs::path& path, Dialect dialect) {
  auto file = std::make_shared<const SourceFile>(path.string(), path.filename().string(), read_file(path));
  if (path.extension() == ".py") {
    LayoutOptions options;
    options.dialect = dialect;
    options.dialect_from_user = true;
    return alembic::load_alembic_file(file, options);
  }
  SqlScriptResult parsed = parse_postgres_script(file, ByteRange{0, file->text().size()});
  Migration migration;
  migration.id = path.stem().string();
  migration.name = migration.id;
  migration.layout = "file";
  migration.upgrade.file = file;
  migration.upgrade.region = ByteRange{0, file->text().size()};
  migration.upgrade.statements = std::move(parsed.statements);
  migration.upgrade.runner = RunnerTransaction::PerScript;  // rules that only judge transactions run too
  assign_transactions(migration.upgrade);
  Project project;
  project.root = path.parent_path().string();
  project.layout = "file";
  project.dialect = dialect;
  project.migrations.push_back(std::move(migration));
  project.suppressions = std::move(parsed.suppressions);
  return project;
}

using FindingKey = std::tuple<std::string, std::size_t, std::size_t, int, std::string, std::string>;

std::vector<FindingKey> keys(const std::vector<Finding>& findings) {
  std::vector<FindingKey> result;
  for (const Finding& finding : findings) {
    result.emplace_back(finding.rule_id, finding.range.begin, finding.range.end, static_cast<int>(finding.severity),
                        finding.message, finding.help);
  }
  return result;
}

class RuleDispatch : public ::testing::TestWithParam<fs::path> {};

TEST_P(RuleDispatch, DeclaredOperationKindsLoseNoFinding) {
  for (Dialect dialect : {Dialect::PostgreSQL, Dialect::MySQL, Dialect::SQLite}) {
    Project project = project_for(GetParam(), dialect);
    LintSettings settings;
    settings.dialect = dialect;
    settings.select = {"all"};
    Engine dispatching(settings);
    Engine calling_every_rule(settings);
    calling_every_rule.ignore_inspected_operations();
    std::vector<Finding> expected = calling_every_rule.run(project);
    std::vector<Finding> actual = dispatching.run(project);
    EXPECT_EQ(keys(actual), keys(expected)) << GetParam().string() << " on " << to_string(dialect);
  }
}

INSTANTIATE_TEST_SUITE_P(Rules, RuleDispatch, ::testing::ValuesIn(every_fixture()),
                         [](const ::testing::TestParamInfo<fs::path>& info) {
                           std::string name = info.param.parent_path().filename().string() + "__" +
                                              info.param.filename().string();
                           for (char& c : name) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return name;
                         });

TEST(RuleDispatch, OperationKindsNameTheirAlternatives) {
  static_assert(operation_kinds<CreateTable>() == 1u);
  static_assert(operation_kinds<DropTable, AddColumn>() == ((1u << 1) | (1u << 4)));
  Operation op{AddColumn{}, {}};
  EXPECT_TRUE(includes_kind(operation_kinds<AddColumn>(), op));
  EXPECT_FALSE(includes_kind(operation_kinds<DropColumn, CreateTable>(), op));
  EXPECT_TRUE(includes_kind(kEveryOperationKind, op));
}

}  // namespace
}  // namespace migsafe::testing
