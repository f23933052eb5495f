// Python rule fixtures: every `tests/fixtures/rules/<rule-id>/*.py` is an Alembic revision file linted on
// its own (the Alembic layout's single-file path) with only its rule selected (syntax-error always on).
// Findings must equal the `# expect: <rule-id>[@column][, ...]` comments on the lines they start on.
// Header lines `# migsafe-test: key=value ...` set dialect, target-version, transaction
// (none|per-script), lock-timeout-set-by-runner and require-downgrades.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "linter/alembic/alembic_project.h"
#include "linter/engine/engine.h"
#include "linter/engine/rule.h"
#include "linter/util/text.h"
#include "tests/unit/rules/fixture_file.h"

namespace migsafe::testing {
namespace {

namespace fs = std::filesystem;

fs::path rules_root() { return fs::path(MIGSAFE_TEST_DATA) / "rules"; }

std::vector<fs::path> python_fixtures() {
  std::vector<fs::path> files;
  std::error_code error;
  if (!fs::is_directory(rules_root(), error)) return files;
  for (const fs::directory_entry& rule : fs::directory_iterator(rules_root())) {
    if (!rule.is_directory()) continue;
    for (const fs::directory_entry& entry : fs::directory_iterator(rule.path())) {
      if (entry.is_regular_file() && entry.path().extension() == ".py") files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

struct PythonFixture {
  FixtureFile file;
  bool require_downgrades = false;
};

PythonFixture load_python_fixture(const fs::path& path) {
  PythonFixture fixture;
  FixtureFile& file = fixture.file;
  file.path = path;
  file.rule_id = path.parent_path().filename().string();
  file.display_path = "tests/fixtures/rules/" + file.rule_id + "/" + path.filename().string();
  file.options.transaction = RunnerTransaction::PerScript;  // Alembic on PostgreSQL; dialect may change it
  bool transaction_given = false;
  std::ifstream stream(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << stream.rdbuf();
  file.text = buffer.str();

  SourceFile source(path.string(), file.display_path, file.text);
  for (int line = 1; line <= static_cast<int>(source.line_count()); ++line) {
    std::string text(source.line_text(line));
    auto where = [&] { return file.display_path + ":" + std::to_string(line) + ": "; };
    if (std::size_t at = text.find("# migsafe-test:"); at != std::string::npos) {
      std::istringstream words(text.substr(at + 15));
      for (std::string word; words >> word;) {
        std::size_t equals = word.find('=');
        std::string key = word.substr(0, equals);
        std::string value = equals == std::string::npos ? "" : word.substr(equals + 1);
        if (key == "dialect" && parse_dialect(value)) {
          file.options.dialect = *parse_dialect(value);
        } else if (key == "target-version" && Version::parse(value)) {
          file.options.target_version = Version::parse(value);
        } else if (key == "transaction" && (value == "none" || value == "per-script")) {
          file.options.transaction = value == "none" ? RunnerTransaction::None : RunnerTransaction::PerScript;
          transaction_given = true;
        } else if (key == "lock-timeout-set-by-runner" && (value == "true" || value == "false")) {
          file.options.lock_timeout_set_by_runner = value == "true";
        } else if (key == "require-downgrades" && (value == "true" || value == "false")) {
          fixture.require_downgrades = value == "true";
        } else {
          file.errors.push_back(where() + "bad header option `" + word + "`");
        }
      }
      continue;
    }
    std::size_t marker = text.find("# expect:");
    if (marker == std::string::npos) continue;
    std::string list = text.substr(marker + 9);
    std::size_t start = 0;
    while (start <= list.size()) {
      std::size_t comma = list.find(',', start);
      std::string item = trimmed(std::string_view(list).substr(start, comma == std::string::npos ? std::string::npos : comma - start));
      if (!item.empty()) {
        ExpectedFinding expected;
        expected.line = line;
        std::size_t at = item.find('@');
        expected.rule_id = trimmed(item.substr(0, at));
        if (at != std::string::npos) expected.column = std::stoi(item.substr(at + 1));
        file.expected.push_back(expected);
      } else {
        file.errors.push_back(where() + "empty rule id in `# expect:`");
      }
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  if (!transaction_given && file.options.dialect != Dialect::PostgreSQL) file.options.transaction = RunnerTransaction::None;
  return fixture;
}

class PythonRuleFixture : public ::testing::TestWithParam<fs::path> {};

TEST_P(PythonRuleFixture, FindingsMatchExpectations) {
  PythonFixture fixture = load_python_fixture(GetParam());
  const FixtureFile& file = fixture.file;
  for (const std::string& error : file.errors) ADD_FAILURE() << error;
  if (!file.errors.empty()) return;
  ASSERT_NE(RuleRegistry::instance().find_info(file.rule_id), nullptr)
      << file.display_path << ": the directory names `" << file.rule_id << "`, which is not a registered rule";

  LayoutOptions options;
  options.dialect = file.options.dialect;
  options.dialect_from_user = true;
  options.transaction_overrides["alembic"] = file.options.transaction;
  auto source = std::make_shared<const SourceFile>(file.path.string(), file.display_path, file.text);
  Project project = alembic::load_alembic_file(source, options);

  LintSettings settings;
  settings.dialect = file.options.dialect;
  settings.target_version = file.options.target_version.value_or(default_version(file.options.dialect));
  settings.lock_timeout_set_by_runner = file.options.lock_timeout_set_by_runner;
  settings.require_downgrades = fixture.require_downgrades;
  settings.select = {file.rule_id};
  std::vector<Finding> findings = Engine(settings).run(project);

  std::string diff = compare_findings(file, findings);
  EXPECT_TRUE(diff.empty()) << "\n" << diff;
  for (const Finding& finding : findings) {
    EXPECT_FALSE(finding.message.empty()) << file.display_path << ":" << finding.start.line << ": empty message";
    EXPECT_FALSE(finding.help.empty()) << file.display_path << ":" << finding.start.line << ": empty help";
  }
}

INSTANTIATE_TEST_SUITE_P(PythonRules, PythonRuleFixture, ::testing::ValuesIn(python_fixtures()),
                         [](const ::testing::TestParamInfo<fs::path>& info) {
                           return fixture_test_name(info.param) + "_py";
                         });

}  // namespace
}  // namespace migsafe::testing
