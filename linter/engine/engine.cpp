#include "linter/engine/engine.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "linter/engine/locks.h"
#include "linter/engine/rule.h"
#include "linter/util/text.h"

namespace migsafe {

namespace {

bool matches(const std::vector<std::string>& patterns, const RuleInfo& info) {
  for (const std::string& pattern : patterns) {
    if (pattern == "all" || pattern == info.id || pattern == to_string(info.category)) return true;
  }
  return false;
}

bool is_lock_timeout_setting(const std::string& name) {
  return name == "lock_timeout" || name == "lock_wait_timeout" || name == "innodb_lock_wait_timeout";
}

// A CHECK (col IS NOT NULL) proves non-nullness for SET NOT NULL on PostgreSQL >= 12 once validated.
std::optional<std::string> not_null_check_column(const std::string& expression) {
  std::string text = ascii_lowered(expression);
  text.erase(std::remove(text.begin(), text.end(), '"'), text.end());
  while (!text.empty() && (text.front() == '(' || std::isspace(static_cast<unsigned char>(text.front())))) text.erase(0, 1);
  while (!text.empty() && (text.back() == ')' || std::isspace(static_cast<unsigned char>(text.back())))) text.pop_back();
  const std::string suffix = " is not null";
  if (text.size() <= suffix.size() || text.compare(text.size() - suffix.size(), suffix.size(), suffix) != 0) {
    return std::nullopt;
  }
  std::string column = text.substr(0, text.size() - suffix.size());
  while (!column.empty() && std::isspace(static_cast<unsigned char>(column.back()))) column.pop_back();
  if (column.empty() || column.find_first_of(" ()") != std::string::npos) return std::nullopt;
  return column;
}

// True when a setting's value turns the timeout off: 0, '0', '0s', '0ms', DEFAULT.
bool disables_timeout(const SetSetting& setting) {
  if (setting.reset) return true;
  std::string value = ascii_lowered(setting.value);
  value.erase(std::remove_if(value.begin(), value.end(),
                             [](char c) { return c == '\'' || c == '"' || std::isspace(static_cast<unsigned char>(c)); }),
              value.end());
  if (value.empty() || value == "default") return true;
  std::size_t digits = value.find_first_not_of("0.");
  if (digits == 0) return false;  // starts with a non-zero digit or a letter
  std::string unit = digits == std::string::npos ? "" : value.substr(digits);
  return value.find_first_of("123456789") == std::string::npos &&
         (unit.empty() || unit == "ms" || unit == "s" || unit == "min" || unit == "h" || unit == "d" || unit == "us");
}

// The table a plain DROP INDEX locks: known from the operation (Alembic, MySQL) or the catalog.
std::optional<QualifiedName> dropped_index_table(const MigrationState& state, const DropIndex& drop) {
  if (!drop.table.name.empty()) return drop.table;
  for (const QualifiedName& index : drop.indexes) {
    if (const TableInfo* info = state.catalog.table_of_index(index)) {
      if (!info->name.name.empty()) return info->name;
    }
  }
  return std::nullopt;
}

void end_transaction_block(MigrationState& state) {
  state.exclusive_lock_statements.clear();
  state.enum_values_added_in_transaction.clear();
  state.not_valid_constraints_in_transaction.clear();
  // SET LOCAL lasts until the end of the transaction block.
  if (state.lock_timeout_before_local) {
    state.lock_timeout_set = *state.lock_timeout_before_local;
    state.lock_timeout_before_local.reset();
  }
}

}  // namespace

void advance_state(MigrationState& state, const Statement& statement, const Operation& op, Dialect dialect) {
  const bool in_transaction = statement.transaction != TransactionSource::None;
  std::optional<QualifiedName> table = target_table(op);
  if (const auto* drop_index = op.as<DropIndex>(); drop_index && !table) {
    bool all_new = std::all_of(drop_index->indexes.begin(), drop_index->indexes.end(),
                               [&](const QualifiedName& index) { return state.is_new_index(index); });
    if (!all_new) table = dropped_index_table(state, *drop_index);
    // A plain DROP INDEX of an existing index locks its (unknown) table ACCESS EXCLUSIVE.
    if (!all_new && !drop_index->concurrently && !table && dialect == Dialect::PostgreSQL) {
      state.strong_lock_taken = true;
    }
  }
  bool existing = table && !state.is_new_table(*table);
  if (existing && dialect == Dialect::PostgreSQL) {
    LockMode mode = postgres_table_lock(op);
    if (mode == LockMode::AccessExclusive || mode == LockMode::ShareRowExclusive) state.strong_lock_taken = true;
    if (mode == LockMode::AccessExclusive && in_transaction) {
      state.exclusive_lock_statements.emplace(state_key(*table), statement.range);
    }
  }
  if (existing && is_mysql_family(dialect) && mysql_takes_exclusive_metadata_lock(op)) state.strong_lock_taken = true;

  if (const auto* create = op.as<CreateTable>()) {
    state.new_tables.insert(state_key(create->table));
  } else if (const auto* rename = op.as<RenameTable>()) {
    if (state.is_new_table(rename->table)) state.new_tables.insert(state_key(rename->table.schema, rename->new_name));
  } else if (const auto* index = op.as<CreateIndex>()) {
    if (!index->index.name.empty()) state.new_indexes.insert(state_key(index->index.table.schema, index->index.name));
  } else if (const auto* type = op.as<CreateEnumType>()) {
    state.new_types.insert(state_key(type->type));
  } else if (const auto* sequence = op.as<CreateSequence>()) {
    state.new_sequences.insert(state_key(sequence->sequence));
  } else if (const auto* setting = op.as<SetSetting>()) {
    std::string name = ascii_lowered(setting->name);
    bool disabled = disables_timeout(*setting);
    // SET LOCAL outside a transaction block has no effect (PostgreSQL only warns).
    bool effective = !setting->local || in_transaction;
    if (is_lock_timeout_setting(name) && effective) {
      if (setting->local && !state.lock_timeout_before_local) state.lock_timeout_before_local = state.lock_timeout_set;
      state.lock_timeout_set = !disabled;
    }
    if (name == "statement_timeout" && effective) state.statement_timeout_set = !disabled;
    if ((name == "timezone" || name == "time zone") && effective) {
      std::string value = ascii_lowered(setting->value);
      value.erase(std::remove(value.begin(), value.end(), '\''), value.end());
      state.timezone_utc = value == "utc" || value == "etc/utc" || value == "gmt" || value == "+00:00";
    }
    if (name == "foreign_key_checks") {
      std::string value = ascii_lowered(setting->value);
      value.erase(std::remove(value.begin(), value.end(), '\''), value.end());
      state.foreign_key_checks_disabled = !setting->reset && (value == "0" || value == "off" || value == "false");
    }
  } else if (const auto* add = op.as<AddConstraint>()) {
    const ConstraintSpec& constraint = add->constraint;
    if (constraint.not_valid) {
      std::string key = state_key(add->table) + "." + ascii_lowered(constraint.name);  // "table.constraint"
      if (constraint.kind == ConstraintKind::Check) {
        // Remember the expression so that a later VALIDATE can prove NOT NULL.
        if (auto column = not_null_check_column(constraint.expression)) {
          state.not_valid_constraints.insert(key + "=" + *column);
        }
      }
      if (in_transaction && !constraint.name.empty()) state.not_valid_constraints_in_transaction[key] = constraint.kind;
      state.not_valid_constraints.insert(std::move(key));
    } else if (constraint.kind == ConstraintKind::Check) {
      if (auto column = not_null_check_column(constraint.expression)) {
        state.not_null_checks.insert(state_key(add->table) + "." + *column);
      }
    }
  } else if (const auto* validate = op.as<ValidateConstraint>()) {
    std::string prefix = state_key(validate->table) + "." + ascii_lowered(validate->name) + "=";
    state.not_valid_constraints.for_each([&](const std::string& entry) {
      if (entry.compare(0, prefix.size(), prefix) == 0) {
        state.not_null_checks.insert(state_key(validate->table) + "." + entry.substr(prefix.size()));
      }
    });
  } else if (const auto* value = op.as<AddEnumValue>()) {
    if (in_transaction) {
      state.enum_values_added_in_transaction.insert(state_key(value->type) + "." + value->value);
    }
  } else if (const auto* control = op.as<TransactionControl>()) {
    if (control->kind == TransactionControlKind::Commit || control->kind == TransactionControlKind::Rollback) {
      end_transaction_block(state);
    }
  }
  // Outside a transaction block every statement commits on its own: nothing stays locked.
  if (!in_transaction) end_transaction_block(state);
  state.catalog.apply(op);
}

Engine::Engine(LintSettings settings) : settings_(std::move(settings)) {}

bool Engine::enabled(const Rule& rule) const {
  const RuleInfo& info = rule.info();
  if (!applies_to(info.engines, settings_.dialect)) return false;
  bool on = settings_.select.empty() ? info.enabled_by_default : matches(settings_.select, info);
  if (matches(settings_.extend_select, info)) on = true;
  if (matches(settings_.ignore, info)) on = false;
  // Parse failures are never silent, whatever the selection.
  if (info.id == "syntax-error") on = true;
  return on;
}

namespace {

bool suppresses(const Suppression& suppression, const Finding& finding) {
  if (!suppression.file || !finding.file || suppression.file->path() != finding.file->path()) return false;
  if (!suppression.file_level &&
      (finding.start.line < suppression.first_line || finding.start.line > suppression.last_line)) {
    return false;
  }
  if (suppression.rules.empty()) return true;
  return std::find(suppression.rules.begin(), suppression.rules.end(), finding.rule_id) != suppression.rules.end();
}

}  // namespace

std::vector<Finding> Engine::run(const Project& project) const {
  const RuleRegistry& registry = RuleRegistry::instance();
  std::vector<const Rule*> active;
  for (const auto& rule : registry.rules()) {
    if (enabled(*rule)) active.push_back(rule.get());
  }

  // The active rules that inspect each operation kind, in registry order (the order findings are
  // collected in, which the sort below keeps for ties).
  std::array<std::vector<const Rule*>, kOperationKindCount> rules_for_kind;
  for (std::size_t kind = 0; kind < kOperationKindCount; ++kind) {
    for (const Rule* rule : active) {
      if (!dispatch_by_kind_ || ((rule->inspected_operations() >> kind) & 1u)) rules_for_kind[kind].push_back(rule);
    }
  }

  std::vector<Finding> findings;
  const FindingSink sink = [&findings](Finding&& finding) { findings.push_back(std::move(finding)); };
  // One state for all migrations, reset at each: its catalog carries the whole history, and its other
  // containers keep their capacity instead of being built and freed per migration.
  MigrationState state;
  for (const Migration& migration : project.migrations) {
    state.reset_for_next_migration();
    state.lock_timeout_set = settings_.lock_timeout_set_by_runner || project.runner_sets_lock_timeout;
    const Script& script = migration.upgrade;
    for (const Statement& statement : script.statements) {
      if (statement.error) {
        for (const Rule* rule : active) {
          rule->check_statement(StatementContext(rule->info(), settings_, project, &sink, migration, script,
                                                 statement, false));
        }
        continue;
      }
      for (const Operation& op : statement.operations) {
        for (const Rule* rule : rules_for_kind[op.data.index()]) {
          rule->check_operation(OperationContext(rule->info(), settings_, project, &sink, migration, script,
                                                 statement, false, op, state));
        }
        advance_state(state, statement, op, settings_.dialect);
      }
    }
    // Syntax errors in downgrade scripts are reported too: a broken downgrade fails at the worst moment.
    if (migration.downgrade) {
      for (const Statement& statement : migration.downgrade->statements) {
        if (!statement.error) continue;
        for (const Rule* rule : active) {
          rule->check_statement(StatementContext(rule->info(), settings_, project, &sink, migration,
                                                 *migration.downgrade, statement, true));
        }
      }
    }
    for (const Rule* rule : active) {
      rule->check_migration(MigrationContext(rule->info(), settings_, project, &sink, migration));
    }
  }
  for (const Rule* rule : active) {
    rule->check_project(ProjectContext(rule->info(), settings_, project, &sink));
  }

  // File-level problems (unreadable, binary, unparsable Python) are findings of their rule.
  for (const FileProblem& problem : project.problems) {
    const RuleInfo* info = registry.find_info(problem.rule_id);
    Finding finding;
    finding.rule_id = problem.rule_id;
    finding.severity = info ? info->default_severity : Severity::Error;
    finding.file = problem.file;
    finding.path = problem.path;
    finding.range = problem.range;
    if (problem.file) {
      finding.start = problem.file->position_of(problem.range.begin);
      finding.end = problem.file->position_of(std::max(problem.range.end, problem.range.begin));
    }
    finding.message = problem.message;
    finding.help = problem.help;
    finding.fingerprint_text = problem.message;
    findings.push_back(std::move(finding));
  }

  // Severity overrides, then suppressions; unused-ignore reports what suppressed nothing. Suppressed
  // findings are erased in place: a finding is large, and moving every one to a new vector is a pass
  // over all of them.
  std::vector<Finding> result = std::move(findings);
  for (Finding& finding : result) {
    auto override_it = settings_.severity_overrides.find(finding.rule_id);
    if (override_it != settings_.severity_overrides.end()) finding.severity = override_it->second;
  }
  std::vector<bool> used(project.suppressions.size(), false);
  std::erase_if(result, [&](const Finding& finding) {
    bool suppressed = false;
    for (std::size_t i = 0; i < project.suppressions.size(); ++i) {
      if (suppresses(project.suppressions[i], finding)) {
        used[i] = true;
        suppressed = true;
      }
    }
    return suppressed;
  });

  const Rule* unused_rule = registry.find("unused-ignore");
  if (unused_rule && enabled(*unused_rule)) {
    const FindingSink unused_sink = [&result, this](Finding&& finding) {
      auto it = settings_.severity_overrides.find(finding.rule_id);
      if (it != settings_.severity_overrides.end()) finding.severity = it->second;
      result.push_back(std::move(finding));
    };
    ProjectContext context(unused_rule->info(), settings_, project, &unused_sink);
    for (std::size_t i = 0; i < project.suppressions.size(); ++i) {
      const Suppression& suppression = project.suppressions[i];
      for (const std::string& id : suppression.rules) {
        if (!registry.find_info(id)) {
          context.report_at(suppression.file, suppression.range,
                            "The suppression names `" + id + "`, which is not a migsafe rule, so it suppresses nothing.",
                            "Fix the rule id (`migsafe rules` lists them) or remove it from the comment.");
        }
      }
      if (!used[i]) {
        std::string names;
        for (const std::string& id : suppression.rules) names += (names.empty() ? "" : ", ") + id;
        context.report_at(suppression.file, suppression.range,
                          "This suppression comment matched no finding" +
                              (names.empty() ? std::string() : " of " + names) +
                              ", so it hides nothing and would silently hide a future finding.",
                          "Remove the comment, or move it next to the statement it is meant for.");
      }
    }
  }
  sort_findings(result, /*stable=*/false);
  return result;
}

}  // namespace migsafe
