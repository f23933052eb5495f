// `migsafe roundtrip PROJECT`: registers the subcommand on the CLI11 app (linter/cli/main.cpp calls
// add_roundtrip_command once) and runs it.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "linter/model/project.h"

namespace CLI {
class App;
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
  std::optional<double> step_timeout;
  std::string alembic_env = "project";
  std::optional<std::string> python;
  std::string fail_on = "error";
  bool progress = true;
};

// The projects a PROJECT argument names (through the layouts; Alembic projects without a registered
// Alembic layout become an empty Project the driver fills). Throws UsageError.
std::vector<Project> load_roundtrip_projects(const std::string& path, const std::string& layout, Dialect dialect);

// Registers `roundtrip`; when it runs, `exit_code` receives 0 (clean), 1 (findings at or above
// --fail-on), 2 (usage), 3 (environment) or 128 + signal after an interrupted run.
void add_roundtrip_command(CLI::App& app, int& exit_code);

// The command without CLI11 (tests call it directly). Notes, progress and errors go to `err`.
int run_roundtrip_command(const RoundtripCommandOptions& options, std::ostream& out, std::ostream& err);

}  // namespace migsafe::harness
