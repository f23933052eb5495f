#include <exception>
#include <string>
#include <vector>

#include "linter/cli/command.h"
#include "linter/config/config.h"
#include "linter/driver.h"

namespace migsafe::cli {

namespace {

std::string command_name(const std::vector<Command>& commands) {
  for (const Command& command : commands) {
    if (command.app->parsed()) return "migsafe " + command.app->get_name();
  }
  return "migsafe";
}

// run_cli without the last-resort guard; `name` follows the chosen command for error messages.
int dispatch(int argc, const char* const* argv, std::span<const CommandFactory> factories, std::ostream& out,
             std::ostream& err, std::string& name) {
  CLI::App app("migsafe keeps unsafe database migrations out of production.", "migsafe");
  app.set_version_flag("--version", std::string("migsafe ") + MIGSAFE_VERSION);
  app.require_subcommand(1);
  app.get_formatter()->column_width(34);
  app.footer("Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage or configuration error, "
             "3 internal error.\nRun 'migsafe COMMAND --help' for the options of a command.");
  std::vector<Command> commands;
  for (CommandFactory factory : factories) commands.push_back(factory(app));

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    // --help and --version arrive as "errors" with exit code 0.
    if (error.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) return app.exit(error, out, err);
    name = command_name(commands);
    err << name << ": error: " << error.what() << "\n"
        << "Run '" << name << " --help' for the options.\n";
    return kExitUsage;
  }

  name = command_name(commands);
  for (const Command& command : commands) {
    if (!command.app->parsed()) continue;
    try {
      return command.run(out, err);
    } catch (const ConfigError& error) {
      err << name << ": error: " << error.what() << "\n";
      return kExitUsage;
    } catch (const EnvironmentError& error) {
      err << name << ": error: " << error.what() << "\n";
      return kExitInternal;
    }
  }
  err << name << ": error: no command given\n";
  return kExitUsage;
}

}  // namespace

int run_cli(int argc, const char* const* argv, std::span<const CommandFactory> factories, std::ostream& out,
            std::ostream& err) {
  std::string name = "migsafe";
  try {
    return dispatch(argc, argv, factories, out, err, name);
  } catch (const std::exception& error) {
    err << name << ": internal error: " << error.what() << "\n";
  } catch (...) {
    err << name << ": internal error: unknown exception\n";
  }
  return kExitInternal;
}

}  // namespace migsafe::cli
