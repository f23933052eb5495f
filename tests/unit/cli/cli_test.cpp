// The command line in-process: parsing, exit codes and messages of every command.
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "linter/cli/command.h"
#include "linter/config/config.h"
#include "linter/driver.h"
#include "linter/engine/rule.h"

namespace migsafe::cli {
namespace {

struct CliRun {
  int code = -1;
  std::string out;
  std::string err;
};

CliRun run(std::vector<std::string> arguments) {
  static constexpr CommandFactory kCommands[] = {lint_command, rules_command, explain_command};
  arguments.insert(arguments.begin(), "migsafe");
  std::vector<const char*> argv;
  for (const std::string& argument : arguments) argv.push_back(argument.c_str());
  std::ostringstream out, err;
  CliRun result;
  result.code = run_cli(static_cast<int>(argv.size()), argv.data(), kCommands, out, err);
  result.out = out.str();
  result.err = err.str();
  return result;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(Cli, VersionAndHelpExitZero) {
  CliRun version = run({"--version"});
  EXPECT_EQ(version.code, 0);
  EXPECT_TRUE(contains(version.out, std::string("migsafe ") + MIGSAFE_VERSION)) << version.out;
  CliRun help = run({"--help"});
  EXPECT_EQ(help.code, 0);
  for (const char* command : {"lint", "rules", "explain"}) EXPECT_TRUE(contains(help.out, command)) << help.out;
}

TEST(Cli, UsageErrorsExitTwoWithAMessage) {
  CliRun none = run({});
  EXPECT_EQ(none.code, 2);
  EXPECT_TRUE(contains(none.err, "subcommand")) << none.err;

  CliRun unknown_command = run({"frobnicate"});
  EXPECT_EQ(unknown_command.code, 2);

  CliRun unknown_option = run({"lint", "--no-such-option"});
  EXPECT_EQ(unknown_option.code, 2);
  EXPECT_TRUE(contains(unknown_option.err, "migsafe lint: error:")) << unknown_option.err;
  EXPECT_TRUE(contains(unknown_option.err, "--no-such-option")) << unknown_option.err;
  EXPECT_TRUE(contains(unknown_option.err, "migsafe lint --help")) << unknown_option.err;

  // CLI11's validation (105) and conversion (106) codes become 2.
  EXPECT_EQ(run({"rules", "--format", "yaml"}).code, 2);
  EXPECT_EQ(run({"lint", "--fail-on", "sometimes", "."}).code, 2);
  EXPECT_EQ(run({"lint", "--jobs", "many", "."}).code, 2);
  EXPECT_EQ(run({"lint", "--jobs", "-1", "."}).code, 2);
  EXPECT_EQ(run({"lint", "--color", "rainbow", "."}).code, 2);
  EXPECT_EQ(run({"explain"}).code, 2);
}

TEST(Cli, LintHelpListsEveryOptionWithItsDefault) {
  CliRun help = run({"lint", "--help"});
  EXPECT_EQ(help.code, 0);
  for (const char* option : {"--format", "--fail-on", "--config", "--dialect", "--target-version", "--layout",
                             "--select", "--extend-select", "--ignore", "--stdin-filename", "--jobs", "--exclude",
                             "--color", "--category", "--quiet"}) {
    EXPECT_TRUE(contains(help.out, option)) << option;
  }
  for (const char* default_value : {"text", "error", "auto", "migsafe", "all cores"}) {
    EXPECT_TRUE(contains(help.out, default_value)) << default_value << "\n" << help.out;
  }
}

TEST(Cli, LintRejectsBadValuesBeforeLinting) {
  CliRun format = run({"lint", "--format", "sraif", "."});
  EXPECT_EQ(format.code, 2);
  EXPECT_TRUE(contains(format.err, "unknown format 'sraif'; did you mean 'sarif'?")) << format.err;

  CliRun empty_file = run({"lint", "--format", "sarif:", "."});
  EXPECT_EQ(empty_file.code, 2);

  CliRun select = run({"lint", "--select", "locks,adding-not-nul-column", "."});
  EXPECT_EQ(select.code, 2);
  EXPECT_TRUE(contains(select.err, "did you mean 'adding-not-null-column'?")) << select.err;

  CliRun stdin_name = run({"lint", "--stdin-filename", "x.sql", "."});
  EXPECT_EQ(stdin_name.code, 2);

  CliRun missing_config = run({"lint", "--config", "/nonexistent/migsafe.toml", "."});
  EXPECT_EQ(missing_config.code, 2);
  EXPECT_TRUE(contains(missing_config.err, "/nonexistent/migsafe.toml: configuration file not found"))
      << missing_config.err;
}

TEST(Cli, RulesListsEveryRule) {
  CliRun text = run({"rules"});
  EXPECT_EQ(text.code, 0);
  CliRun json = run({"rules", "--format", "json"});
  EXPECT_EQ(json.code, 0);
  CliRun markdown = run({"rules", "--format", "markdown"});
  EXPECT_EQ(markdown.code, 0);
  for (const RuleInfo* info : RuleRegistry::instance().all_infos()) {
    std::string id(info->id);
    EXPECT_TRUE(contains(text.out, id)) << id;
    EXPECT_TRUE(contains(json.out, "\"id\": \"" + id + "\"")) << id;
    EXPECT_TRUE(contains(markdown.out, "[" + id + "](" + id + ".md)")) << id;
  }
  EXPECT_TRUE(contains(text.out, "SEVERITY"));
}

TEST(Cli, ExplainEveryRuleAndUnknownRule) {
  for (const RuleInfo* info : RuleRegistry::instance().all_infos()) {
    CliRun explained = run({"explain", std::string(info->id)});
    EXPECT_EQ(explained.code, 0) << info->id;
    EXPECT_EQ(explained.out.rfind(std::string(info->id) + "\n", 0), 0u) << explained.out;
    EXPECT_TRUE(contains(explained.out, "Severity: ")) << info->id;
  }
  CliRun unknown = run({"explain", "adding-not-nul-column"});
  EXPECT_EQ(unknown.code, 2);
  EXPECT_TRUE(contains(unknown.err, "unknown rule 'adding-not-nul-column'; did you mean 'adding-not-null-column'?"))
      << unknown.err;
}

// A command that fails in the way `kind` selects, to check how run_cli maps failures to exit codes.
template <int kind>
Command failing_command(CLI::App& parent) {
  CLI::App* app = parent.add_subcommand("fail", "fails");
  return {app, [](std::ostream&, std::ostream&) -> int {
            if constexpr (kind == 0) throw ConfigError("bad.toml", 3, 1, "bad value");
            if constexpr (kind == 1) throw EnvironmentError("disk full");
            if constexpr (kind == 2) throw std::runtime_error("invariant broken");
            throw 42;
          }};
}

CliRun run_failing(CommandFactory factory) {
  const CommandFactory commands[] = {factory};
  const char* argv[] = {"migsafe", "fail"};
  std::ostringstream out, err;
  CliRun result;
  result.code = run_cli(2, argv, commands, out, err);
  result.err = err.str();
  return result;
}

TEST(Cli, FailuresMapToExitCodesWithAMessageNeverACrash) {
  CliRun config = run_failing(failing_command<0>);
  EXPECT_EQ(config.code, 2);
  EXPECT_EQ(config.err, "migsafe fail: error: bad.toml:3:1: bad value\n");
  CliRun environment = run_failing(failing_command<1>);
  EXPECT_EQ(environment.code, 3);
  EXPECT_EQ(environment.err, "migsafe fail: error: disk full\n");
  CliRun internal = run_failing(failing_command<2>);
  EXPECT_EQ(internal.code, 3);
  EXPECT_EQ(internal.err, "migsafe fail: internal error: invariant broken\n");
  CliRun unknown = run_failing(failing_command<3>);
  EXPECT_EQ(unknown.code, 3);
  EXPECT_EQ(unknown.err, "migsafe fail: internal error: unknown exception\n");
}

}  // namespace
}  // namespace migsafe::cli
