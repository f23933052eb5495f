// One rule fixture file: `tests/fixtures/rules/<rule-id>/<name>.sql`, its header options
// (`-- migsafe-test: key=value ...`) and the findings it expects (`-- expect: id[@col][, id2]`).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "linter/model/dialect.h"
#include "linter/model/finding.h"
#include "linter/model/migration.h"

namespace migsafe::testing {

struct FixtureOptions {
  Dialect dialect = Dialect::PostgreSQL;
  std::optional<Version> target_version;  // absent = the dialect's default
  RunnerTransaction transaction = RunnerTransaction::None;
  bool lock_timeout_set_by_runner = false;
};

struct ExpectedFinding {
  int line = 0;
  std::string rule_id;
  std::optional<int> column;  // pinned with `id@col`
};

struct FixtureFile {
  std::filesystem::path path;
  std::string rule_id;       // the directory name
  std::string display_path;  // "tests/fixtures/rules/<rule>/<file>"
  std::string text;
  FixtureOptions options;
  std::vector<ExpectedFinding> expected;
  std::vector<std::string> errors;  // malformed headers or expectations, with line numbers
};

// Every `*.sql` directly inside `<rules_root>/<rule-id>/`, sorted by rule and file name. Directories
// inside a rule directory (multi-file layouts) are not fixtures of this runner and are skipped.
std::vector<std::filesystem::path> list_fixture_files(const std::filesystem::path& rules_root);

// Reads the file and parses its header and expectations. Problems land in `errors`, never throw.
FixtureFile load_fixture(const std::filesystem::path& path);

// A gtest-safe test name: "<rule>__<file stem>" with every other character turned into '_'.
std::string fixture_test_name(const std::filesystem::path& path);

// Compares expected and actual findings as multisets of (line, rule[, column]). Returns an empty
// string when they match, otherwise a readable diff naming file:line, with messages of actual findings.
std::string compare_findings(const FixtureFile& fixture, const std::vector<Finding>& actual);

}  // namespace migsafe::testing
