// --changed-since, --baseline and `migsafe baseline` on the command line: help with defaults, and
// usage errors before anything is linted.
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "linter/cli/command.h"

namespace migsafe::cli {
namespace {

struct ScopeRun {
  int code = -1;
  std::string out;
  std::string err;
};

ScopeRun run_scope(std::vector<std::string> arguments) {
  static constexpr CommandFactory kCommands[] = {lint_command, baseline_command};
  arguments.insert(arguments.begin(), "migsafe");
  std::vector<const char*> argv;
  for (const std::string& argument : arguments) argv.push_back(argument.c_str());
  std::ostringstream out, err;
  ScopeRun result;
  result.code = run_cli(static_cast<int>(argv.size()), argv.data(), kCommands, out, err);
  result.out = out.str();
  result.err = err.str();
  return result;
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(ScopeOptions, LintHelpListsThemWithDefaults) {
  ScopeRun help = run_scope({"lint", "--help"});
  EXPECT_EQ(help.code, 0);
  EXPECT_TRUE(has(help.out, "--changed-since REF")) << help.out;
  EXPECT_TRUE(has(help.out, "every file")) << help.out;
  EXPECT_TRUE(has(help.out, "--baseline FILE")) << help.out;
}

TEST(ScopeOptions, BaselineHelpHasAnalysisOptionsButNoReportOptions) {
  ScopeRun help = run_scope({"baseline", "--help"});
  EXPECT_EQ(help.code, 0);
  for (const char* option : {"--output", "migsafe-baseline.json", "--config", "--select", "--ignore",
                             "--changed-since", "--exclude", "--jobs", "--quiet"}) {
    EXPECT_TRUE(has(help.out, option)) << option << "\n" << help.out;
  }
  for (const char* option : {"--format", "--fail-on", "--color", "--category", "--baseline"}) {
    EXPECT_FALSE(has(help.out, std::string("\n  ") + option)) << option << "\n" << help.out;
  }
  EXPECT_EQ(run_scope({"baseline", "--format", "json", "."}).code, 2);
}

TEST(ScopeOptions, BadValuesAreUsageErrors) {
  ScopeRun missing = run_scope({"lint", "--baseline", "/nonexistent/baseline.json", "."});
  EXPECT_EQ(missing.code, 2);
  EXPECT_TRUE(has(missing.err, "/nonexistent/baseline.json: no such file")) << missing.err;
  EXPECT_EQ(run_scope({"lint", "--baseline", "", "."}).code, 2);
  ScopeRun option_like = run_scope({"lint", "--changed-since=--upload-pack=x", "."});
  EXPECT_EQ(option_like.code, 2);
  EXPECT_TRUE(has(option_like.err, "not a branch, tag or commit name")) << option_like.err;
}

}  // namespace
}  // namespace migsafe::cli
