// The round trip itself: for one loaded project, every migration goes up, down and up again on a real
// throw-away database (the "stairway"), the schema is compared at each step, then the whole chain runs
// base -> head -> base -> head, and optionally every upgrade runs again with rows in the tables.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "harness/database.h"
#include "linter/model/finding.h"
#include "linter/model/project.h"

namespace migsafe::harness {

// After a failing step the stairway needs a database at the last good state. Replay = a fresh database
// plus every upgrade before it; a checkpoint = a copy of the database taken after a good step (PostgreSQL
// CREATE DATABASE ... TEMPLATE, SQLite's backup API), plus the upgrades after it. docs/harness.md has the
// measurements behind the default.
enum class CheckpointPolicy {
  Never,              // always replay from a fresh database
  AfterFirstFailure,  // clean runs pay nothing; once a step failed, copy after every good step
  Always,             // copy after every good step
};

struct RoundtripOptions {
  std::optional<double> step_timeout_seconds;
  std::string alembic_env = "project";  // "project" (the project's env.py) | "builtin"
  std::optional<std::string> python;
  int with_data_rows = 0;
  // PostgreSQL: observe every first upgrade statement by statement (observed-blocking-lock,
  // observed-table-rewrite; harness/trace.h).
  bool trace = false;
  CheckpointPolicy checkpoints = CheckpointPolicy::AfterFirstFailure;
  std::function<void(const std::string&)> note;      // explanations (stderr)
  std::function<void(const std::string&)> progress;  // one line per step (stderr, TTY only)
};

struct StepRecord {
  enum class Status { Passed, Failed, Skipped };
  std::string migration;  // id (and name)
  std::string step;       // "upgrade", "downgrade", "re-upgrade", "chain base->head", ...
  Status status = Status::Passed;
  std::string message;
  std::string path;       // the migration file
  double seconds = 0;
};

struct RoundtripReport {
  std::vector<Finding> findings;
  std::vector<StepRecord> steps;
  std::size_t migrations = 0;
  std::size_t rebuilds = 0;           // databases brought back to a good state after a failure
  std::size_t replayed_upgrades = 0;  // upgrades those rebuilds ran
  std::size_t checkpoints = 0;        // database copies taken
  double checkpoint_seconds = 0;      // time spent taking them
};

// Runs everything for one project. Environment problems throw EnvironmentError; Ctrl-C throws
// Interrupted; everything a migration does wrong is a finding.
RoundtripReport roundtrip_project(const Project& project, Engine& engine, const RoundtripOptions& options);

}  // namespace migsafe::harness
