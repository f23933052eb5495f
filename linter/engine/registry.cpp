#include <algorithm>

#include "linter/engine/rule.h"

namespace migsafe {

const char* to_string(RuleCategory category) {
  switch (category) {
    case RuleCategory::Locks: return "locks";
    case RuleCategory::Compatibility: return "compatibility";
    case RuleCategory::History: return "history";
    case RuleCategory::Meta: return "meta";
    case RuleCategory::Style: return "style";
    case RuleCategory::RoundTrip: return "roundtrip";
  }
  return "locks";
}

bool applies_to(unsigned engines, Dialect dialect) {
  switch (dialect) {
    case Dialect::PostgreSQL: return engines & kPostgres;
    case Dialect::MySQL:
    case Dialect::MariaDB: return engines & kMySQL;
    case Dialect::SQLite: return engines & kSQLite;
  }
  return false;
}

RuleRegistry& RuleRegistry::instance() {
  static RuleRegistry registry;
  return registry;
}

void RuleRegistry::add(std::unique_ptr<Rule> rule) {
  add_info(&rule->info());
  auto position = std::lower_bound(rules_.begin(), rules_.end(), rule->info().id,
                                   [](const std::unique_ptr<Rule>& r, std::string_view id) { return r->info().id < id; });
  rules_.insert(position, std::move(rule));
}

void RuleRegistry::add_info(const RuleInfo* info) {
  auto position = std::lower_bound(infos_.begin(), infos_.end(), info->id,
                                   [](const RuleInfo* r, std::string_view id) { return r->id < id; });
  infos_.insert(position, info);
}

const Rule* RuleRegistry::find(std::string_view id) const {
  for (const auto& rule : rules_) {
    if (rule->info().id == id) return rule.get();
  }
  return nullptr;
}

const RuleInfo* RuleRegistry::find_info(std::string_view id) const {
  for (const RuleInfo* info : infos_) {
    if (info->id == id) return info;
  }
  return nullptr;
}

}  // namespace migsafe
