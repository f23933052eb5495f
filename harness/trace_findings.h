// Turns a traced upgrade (harness/trace.h) into `observed-blocking-lock` and `observed-table-rewrite`
// findings on the statement that did it, each saying whether the linter's static rules predicted it.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "harness/migration_executor.h"
#include "harness/trace.h"
#include "linter/model/finding.h"
#include "linter/model/project.h"

namespace migsafe::harness {

class TraceReporter {
 public:
  // Lints `project` (PostgreSQL at the server's version, default rule set) once, for the predictions.
  TraceReporter(const Project& project, int server_version);

  // Findings for one successful traced upgrade of `m`; statements whose locks could not be read are
  // explained through `note`.
  std::vector<Finding> report(const PlannedMigration& m, const ScriptObservation& observation,
                              const std::function<void(const std::string&)>& note) const;

 private:
  std::vector<Finding> lint_;
  std::string server_;  // "PostgreSQL 15.18"
};

}  // namespace migsafe::harness
