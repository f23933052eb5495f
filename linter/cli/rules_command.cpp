// `migsafe rules`: the rule catalogue as a table, JSON or markdown, or the docs/rules/ pages.
#include <memory>
#include <string>

#include "linter/cli/command.h"
#include "linter/cli/rule_catalog.h"
#include "linter/engine/rule.h"

namespace migsafe::cli {

namespace {

struct RulesArguments {
  std::string format = "text";
  std::string output_dir;
};

int run(const RulesArguments& args, std::ostream& out, std::ostream& err) {
  const std::vector<const RuleInfo*>& rules = RuleRegistry::instance().all_infos();
  if (!args.output_dir.empty()) {
    std::size_t count = write_rule_docs(args.output_dir, rules);
    err << "migsafe rules: wrote " << count << " files to " << args.output_dir << "\n";
    return 0;
  }
  if (args.format == "json") {
    out << rules_json(rules).dump(2) << "\n";
  } else if (args.format == "markdown") {
    out << rules_index_markdown(rules);
  } else {
    out << rules_table_text(rules);
  }
  return 0;
}

}  // namespace

Command rules_command(CLI::App& parent) {
  auto args = std::make_shared<RulesArguments>();
  CLI::App* app = parent.add_subcommand(
      "rules", "List every rule: id, default severity, category, engines, enabled by default, summary.");
  app->add_option("--format", args->format, "Output format: text, json (every field), markdown")
      ->type_name("FMT")
      ->check(CLI::IsMember({"text", "json", "markdown"}))
      ->default_str("text");
  app->add_option("--output-dir", args->output_dir,
                  "Write DIR/<rule-id>.md for every rule and DIR/README.md (the index) instead of listing")
      ->type_name("DIR")
      ->default_str("none");
  return {app, [args](std::ostream& out, std::ostream& err) { return run(*args, out, err); }};
}

}  // namespace migsafe::cli
