// Subcommands of the `migsafe` binary. Each lives in its own file and is one factory that adds its
// CLI11 subcommand (options, help, defaults) and returns what to run when it is chosen. main.cpp lists
// the factories, so adding a command is one new file plus one line there.
#pragma once

#include <functional>
#include <ostream>
#include <span>

#include <CLI/CLI.hpp>

namespace migsafe::cli {

struct Command {
  CLI::App* app = nullptr;
  // Runs after a successful parse; returns the exit code. May throw ConfigError (exit 2); any other
  // exception is an internal error (exit 3).
  std::function<int(std::ostream& out, std::ostream& err)> run;
};

using CommandFactory = Command (*)(CLI::App& parent);

Command lint_command(CLI::App& parent);
Command rules_command(CLI::App& parent);
Command explain_command(CLI::App& parent);
Command roundtrip_command(CLI::App& parent);
Command check_command(CLI::App& parent);
Command baseline_command(CLI::App& parent);

// Parses argv, runs the chosen command and maps every failure to the documented exit codes:
// 0/1 from the command, 2 for usage and configuration errors (including CLI11's own codes), 3 for
// internal and environment errors. Never throws.
int run_cli(int argc, const char* const* argv, std::span<const CommandFactory> commands, std::ostream& out,
            std::ostream& err);

}  // namespace migsafe::cli
