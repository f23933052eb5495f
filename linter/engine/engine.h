// Runs the enabled rules over a project and turns what they report into the final findings: severity
// overrides, `select`/`ignore`, inline suppressions and `unused-ignore`.
#pragma once

#include <vector>

#include "linter/engine/context.h"
#include "linter/model/finding.h"
#include "linter/model/project.h"

namespace migsafe {

class Rule;

class Engine {
 public:
  explicit Engine(LintSettings settings);
  std::vector<Finding> run(const Project& project) const;
  const LintSettings& settings() const { return settings_; }
  // True when `id` is enabled by the settings (select/ignore, default set, engine applicability).
  bool enabled(const Rule& rule) const;
  // Tests only: call every rule's check_operation for every operation, ignoring
  // Rule::inspected_operations(), to prove that the declared kinds lose no finding.
  void ignore_inspected_operations() { dispatch_by_kind_ = false; }

 private:
  LintSettings settings_;
  bool dispatch_by_kind_ = true;
};

// Updates the tracked state after an operation ran (new objects, timeouts, locks held, catalog).
void advance_state(MigrationState& state, const Statement& statement, const Operation& op, Dialect dialect);

}  // namespace migsafe
