// The migsafe binary: a thin dispatcher over the subcommands in linter/cli/.
#include <iostream>

#include "linter/cli/command.h"

int main(int argc, char** argv) {
  static constexpr migsafe::cli::CommandFactory kCommands[] = {
      migsafe::cli::lint_command,
      migsafe::cli::rules_command,
      migsafe::cli::explain_command,
      migsafe::cli::roundtrip_command,
      migsafe::cli::check_command,
      migsafe::cli::baseline_command,
  };
  return migsafe::cli::run_cli(argc, argv, kCommands, std::cout, std::cerr);
}
