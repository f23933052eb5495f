// `migsafe roundtrip`: the harness's command (harness/roundtrip_command.h) plugged into the CLI.
#include "harness/roundtrip_command.h"
#include "linter/cli/command.h"

namespace migsafe::cli {

Command roundtrip_command(CLI::App& parent) {
  harness::RoundtripCommand roundtrip = harness::add_roundtrip_command(parent);
  return Command{roundtrip.app, roundtrip.run};
}

}  // namespace migsafe::cli
