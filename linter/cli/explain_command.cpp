// `migsafe explain RULE`: everything about one rule (the same text as docs/rules/RULE.md).
#include <memory>
#include <string>

#include "linter/cli/command.h"
#include "linter/cli/rule_catalog.h"
#include "linter/config/config.h"
#include "linter/engine/rule.h"
#include "linter/util/string_distance.h"

namespace migsafe::cli {

namespace {

struct ExplainArguments {
  std::string rule;
  std::string format = "text";
};

int run(const ExplainArguments& args, std::ostream& out) {
  const RuleInfo* info = RuleRegistry::instance().find_info(args.rule);
  if (!info) {
    throw ConfigError("unknown rule '" + args.rule + "'" + did_you_mean(args.rule, rule_ids()) +
                      " (`migsafe rules` lists every rule)");
  }
  out << (args.format == "markdown" ? rule_page_markdown(*info) : rule_explanation_text(*info));
  return 0;
}

}  // namespace

Command explain_command(CLI::App& parent) {
  auto args = std::make_shared<ExplainArguments>();
  CLI::App* app = parent.add_subcommand(
      "explain", "Explain a rule: what it flags, why, the lock, versions, the safe alternative, examples.");
  app->add_option("rule", args->rule, "Rule id, e.g. adding-not-null-column")->type_name("RULE")->required();
  app->add_option("--format", args->format, "Output format: text, markdown")
      ->type_name("FMT")
      ->check(CLI::IsMember({"text", "markdown"}))
      ->default_str("text");
  return {app, [args](std::ostream& out, std::ostream&) { return run(*args, out); }};
}

}  // namespace migsafe::cli
