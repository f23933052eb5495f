// `migsafe roundtrip PROJECT`: the harness registers its own options and runs inside CLI11's callback
// (harness/roundtrip_command.h); this adapter hands its exit code to the dispatcher.
#include <memory>

#include "harness/roundtrip_command.h"
#include "linter/cli/command.h"

namespace migsafe::cli {

Command roundtrip_command(CLI::App& parent) {
  auto exit_code = std::make_shared<int>(0);
  harness::add_roundtrip_command(parent, *exit_code);
  return {parent.get_subcommand("roundtrip"), [exit_code](std::ostream&, std::ostream&) { return *exit_code; }};
}

}  // namespace migsafe::cli
