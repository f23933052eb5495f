// Shared helpers for the harness tests: run a fixture project on an engine and compare findings.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "harness/database.h"
#include "harness/pg_cluster.h"
#include "harness/roundtrip.h"
#include "harness/roundtrip_command.h"

namespace migsafe::harness::testing {

inline std::filesystem::path fixture(const std::string& name) {
  return std::filesystem::path(MIGSAFE_TEST_DATA) / "roundtrip" / name;
}

// "rule file:line" for each finding, sorted: the exact expectation format of these tests.
inline std::vector<std::string> summarize(const std::vector<Finding>& findings) {
  std::vector<std::string> lines;
  for (const auto& finding : findings) {
    std::string file = finding.file ? std::filesystem::path(finding.file->path()).filename().string() : "-";
    lines.push_back(finding.rule_id + " " + file + ":" + std::to_string(finding.start.line));
  }
  std::sort(lines.begin(), lines.end());
  return lines;
}

inline RoundtripReport run_fixture(Engine& engine, const std::string& name, Dialect dialect,
                                   RoundtripOptions options = {}) {
  auto projects = load_roundtrip_projects(fixture(name).string(), "auto", dialect);
  EXPECT_EQ(projects.size(), 1u) << name;
  RoundtripReport all;
  for (const auto& project : projects) {
    auto report = roundtrip_project(project, engine, options);
    all.migrations += report.migrations;
    all.rebuilds += report.rebuilds;
    all.replayed_upgrades += report.replayed_upgrades;
    all.checkpoints += report.checkpoints;
    for (auto& finding : report.findings) all.findings.push_back(std::move(finding));
    for (auto& step : report.steps) all.steps.push_back(std::move(step));
  }
  return all;
}

inline std::string messages(const RoundtripReport& report) {
  std::string text;
  for (const auto& finding : report.findings) text += finding.rule_id + ": " + finding.message + "\n";
  return text;
}

inline std::size_t count_steps(const RoundtripReport& report, StepRecord::Status status) {
  std::size_t n = 0;
  for (const auto& step : report.steps) n += step.status == status;
  return n;
}

// A private PostgreSQL cluster shared by the tests of one suite (started once: initdb costs a second).
// Tests are skipped, not failed, only when the machine has no server binaries at all.
class PostgresClusterTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!find_pg_server_binaries(std::nullopt)) return;
    EngineOptions options;
    options.engine = "postgresql";
    engine_ = make_postgres_engine(options).release();
  }
  static void TearDownTestSuite() {
    delete engine_;
    engine_ = nullptr;
  }
  void SetUp() override {
    if (engine_ == nullptr) GTEST_SKIP() << "no PostgreSQL server binaries (initdb, postgres) on this machine";
  }
  static inline Engine* engine_ = nullptr;
};

}  // namespace migsafe::harness::testing
