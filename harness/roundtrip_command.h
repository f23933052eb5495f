// `migsafe roundtrip PROJECT`: registers the subcommand on the CLI11 app (linter/cli/main.cpp calls
// add_roundtrip_command once) and runs it.
#pragma once

#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "harness/roundtrip.h"
#include "linter/model/finding.h"
#include "linter/model/project.h"

namespace CLI {
class App;
}

namespace migsafe {
struct RuleInfo;
}

namespace migsafe::harness {

struct RoundtripCommandOptions {
  std::string project;
  std::string engine = "sqlite";
  bool engine_given = false;
  std::optional<std::string> database_url;
  std::optional<std::string> pg_bin;
  std::string layout = "auto";
  std::string format = "text";
  std::string output;  // empty = stdout
  int with_data = 0;
  bool trace = false;
  CheckpointPolicy checkpoints = CheckpointPolicy::AfterFirstFailure;  // not on the CLI: bench/tests
  std::optional<double> step_timeout;
  std::string alembic_env = "project";
  std::optional<std::string> python;
  std::string fail_on = "error";
  bool progress = true;
};

// The projects a PROJECT argument names (through the layouts; Alembic projects without a registered
// Alembic layout become an empty Project the driver fills). Throws UsageError.
std::vector<Project> load_roundtrip_projects(const std::string& path, const std::string& layout, Dialect dialect);

// What one round-trip run over a PROJECT argument produced (shared by `roundtrip` and `check`).
struct RoundtripRun {
  std::string engine;  // "sqlite" or "postgresql"
  std::vector<Project> projects;
  std::vector<RoundtripReport> reports;  // one per project, same order
  std::vector<Finding> findings;         // every project's findings, sorted by finding_order
  std::size_t migrations = 0;
};

// Checks the engine options (unknown engine, --database-url without postgresql, negative --with-data,
// ...) and returns the engine's name, "sqlite" or "postgresql". Throws UsageError.
std::string validate_roundtrip_options(const RoundtripCommandOptions& options);

// Validates the engine options (validate_roundtrip_options), loads the projects, starts the engine, round-trips every
// project and stops the engine again before returning. Ignores format/output/fail_on. `note` receives
// the notes; progress lines go to `err` on a terminal. Throws UsageError, EnvironmentError, Interrupted
// (the caller holds the InterruptGuard).
RoundtripRun execute_roundtrip(const RoundtripCommandOptions& options, const std::function<void(const std::string&)>& note,
                               std::ostream& err);

// The rule metadata of the round-trip findings, for reporters (SARIF rules[], markdown help).
std::vector<const RuleInfo*> roundtrip_rule_infos();

struct RoundtripCommand {
  CLI::App* app = nullptr;
  // Runs the parsed command: 0 (clean), 1 (findings at or above --fail-on), 2 (usage),
  // 3 (environment); after an interrupted run it cleans up and re-raises the signal.
  std::function<int(std::ostream& out, std::ostream& err)> run;
};

// Registers `roundtrip` and its options on `app` (linter/cli/roundtrip_command.cpp calls it).
RoundtripCommand add_roundtrip_command(CLI::App& app);

// The command without CLI11 (tests call it directly). Notes, progress and errors go to `err`.
int run_roundtrip_command(const RoundtripCommandOptions& options, std::ostream& out, std::ostream& err);

}  // namespace migsafe::harness
