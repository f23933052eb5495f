// work-after-exclusive-lock: slow work in a transaction that already holds ACCESS EXCLUSIVE on an
// existing table (the lock is held until COMMIT).
#include <algorithm>
#include <cctype>

#include "linter/engine/locks.h"
#include "linter/engine/rule.h"
#include "linter/util/text.h"
#include "rules/rule_support.h"

namespace migsafe {
namespace {

constexpr RuleInfo kInfo{
    .id = "work-after-exclusive-lock",
    .default_severity = Severity::Warning,
    .category = RuleCategory::Locks,
    .engines = kPostgres,
    .summary = "Slow work after an ACCESS EXCLUSIVE lock in the same transaction keeps the table blocked until COMMIT.",
    .what_it_does =
        "Inside one transaction, flags a statement that scans, rewrites or changes data (UPDATE/DELETE, "
        "INSERT ... SELECT, VALIDATE CONSTRAINT, CREATE INDEX, a validated ADD CONSTRAINT, a type change, "
        "SET NOT NULL, CLUSTER, ...) after an earlier statement took an ACCESS EXCLUSIVE lock on an existing "
        "table. Statements outside a transaction are not flagged.",
    .why =
        "Locks are released only at COMMIT. A cheap ALTER TABLE (ADD COLUMN, RENAME, DROP CONSTRAINT) holds "
        "ACCESS EXCLUSIVE for milliseconds on its own, but when a backfill or an index build follows in the "
        "same transaction, every read and write of the locked table waits for that slow work too.",
    .safe_alternative =
        "Commit right after the statement that takes the ACCESS EXCLUSIVE lock and do the slow work in a "
        "separate transaction (a separate migration when the runner wraps each migration in one): backfills "
        "in batches, index builds with CONCURRENTLY, validations with VALIDATE CONSTRAINT on their own.",
    .bad_example =
        "BEGIN;\n"
        "ALTER TABLE users ADD COLUMN country_code text;\n"
        "UPDATE users SET country_code = 'SE' WHERE country_code IS NULL;\n"
        "COMMIT;",
    .good_example =
        "ALTER TABLE users ADD COLUMN country_code text;\n"
        "-- separate migration, in batches:\n"
        "UPDATE users SET country_code = 'SE' WHERE id BETWEEN 1 AND 10000 AND country_code IS NULL;",
    .lock = "ACCESS EXCLUSIVE held from the earlier statement until COMMIT.",
    .versions = "All versions.",
    .references = "engines.md 1.4 and section 5 #3; eugene E4",
};

// Whole word SELECT in any case. Compared in place, not on a lower-cased copy: this runs for every
// INSERT in a transaction, and an INSERT can be a long list of rows.
bool mentions_select(std::string_view text) {
  constexpr std::string_view kWord = "select";
  auto is_word_char = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  for (std::size_t at = 0; at + kWord.size() <= text.size(); ++at) {
    if (!equals_folded(text.substr(at, kWord.size()), kWord)) continue;
    bool starts = at == 0 || !is_word_char(text[at - 1]);
    std::size_t end = at + kWord.size();
    bool ends = end >= text.size() || !is_word_char(text[end]);
    if (starts && ends) return true;
  }
  return false;
}

// Built with rules::concat (one allocation each) rather than chains of `+`, which regrow the string.
std::string what_it_does(const Operation& op) {
  using rules::concat;
  if (const auto* change = op.as<DataChange>()) {
    switch (change->kind) {
      case DataChangeKind::Insert: return concat({"INSERT ... SELECT into `", change->table.display(), "`"});
      case DataChangeKind::Update: return concat({"UPDATE of `", change->table.display(), "`"});
      case DataChangeKind::Delete: return concat({"DELETE from `", change->table.display(), "`"});
      case DataChangeKind::Merge: return concat({"MERGE into `", change->table.display(), "`"});
      case DataChangeKind::Copy: return concat({"COPY into `", change->table.display(), "`"});
    }
  }
  if (const auto* index = op.as<CreateIndex>()) {
    bool named = !index->index.name.empty();
    return concat({"Building index ", named ? "`" : "", index->index.name, named ? "` " : "", "on `",
                   index->index.table.display(), "`"});
  }
  if (const auto* validate = op.as<ValidateConstraint>()) {
    return concat({"Validating constraint `", validate->name, "` on `", validate->table.display(), "`"});
  }
  if (const auto* type = op.as<AlterColumnType>()) {
    return concat({"Changing the type of `", type->table.display(), ".", type->column, "`"});
  }
  if (const auto* set = op.as<SetNotNull>()) {
    return concat({"The NOT NULL scan of `", set->table.display(), ".", set->column, "`"});
  }
  if (const auto* add = op.as<AddConstraint>()) {
    return concat({"Checking the new ", to_string(add->constraint.kind), " constraint on `", add->table.display(), "`"});
  }
  return concat({"This statement (", describe(op), ")"});
}

class WorkAfterExclusiveLock final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  OperationKinds inspected_operations() const override {
    return operation_kinds<DataChange, Cluster, SetLogged, RebuildTable, ValidateConstraint, Reindex, CreateIndex,
                           Vacuum, AlterColumnType, SetNotNull, AddConstraint>();
  }

  void check_operation(const OperationContext& context) const override {
    if (!context.is_postgres() || !context.in_transaction()) return;
    if (!does_heavy_work(context.op)) return;
    const auto* change = context.op.as<DataChange>();
    if (!change) {
      // Index builds, validations and rewrites of a table created in this migration touch no rows.
      std::optional<QualifiedName> table = target_table(context.op);
      if (table && context.state.is_new_table(*table)) return;
    } else if (change->kind == DataChangeKind::Insert && !mentions_select(context.statement_text())) {
      return;  // INSERT ... VALUES of a few rows is not slow work
    }
    std::string locked;  // "`a`, `b`": the tables locked by earlier statements
    std::size_t first_line = 0;
    for (const auto& [table, range] : context.state.exclusive_lock_statements) {
      if (range == context.statement.range) continue;  // this statement's own lock, not an earlier one
      locked.append(locked.empty() ? "`" : ", `").append(table).append("`");
      std::size_t line = static_cast<std::size_t>(context.script.file->position_of(range.begin).line);
      first_line = first_line == 0 ? line : std::min(first_line, line);
    }
    if (locked.empty()) return;
    std::string line = std::to_string(first_line);
    context.report_statement(
        rules::concat({what_it_does(context.op), " runs while this transaction still holds the ACCESS EXCLUSIVE lock "
                       "taken on ", locked, " at line ", line, ", so every read and write of ", locked,
                       " stays blocked until COMMIT, for as long as this statement takes."}),
        rules::concat({"Commit after the statement that takes the lock (line ", line,
                       ") and run this one in a separate transaction (a separate migration if the runner wraps each "
                       "migration in one transaction)",
                       change ? "; run backfills in batches, each committed on its own." : "."}));
  }
};

MIGSAFE_REGISTER_RULE(WorkAfterExclusiveLock);

}  // namespace
}  // namespace migsafe
