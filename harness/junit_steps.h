// `migsafe roundtrip --format junit`: one test case per migration step (upgrade, downgrade, re-upgrade,
// chain runs, upgrade with data), so CI test views show exactly which step of which migration broke.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "harness/roundtrip.h"

namespace migsafe::harness {

struct ProjectSteps {
  std::string project;  // display path of the project
  std::string engine;   // "sqlite" | "postgresql"
  const RoundtripReport* report = nullptr;
};

void write_junit_steps(const std::vector<ProjectSteps>& projects, std::ostream& out);

}  // namespace migsafe::harness
