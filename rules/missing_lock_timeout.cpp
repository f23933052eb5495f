// missing-lock-timeout: the first strongly locking statement on an existing table runs without a
// lock_timeout (MySQL: lock_wait_timeout).
#include <algorithm>
#include <cctype>

#include "linter/engine/locks.h"
#include "linter/engine/rule.h"
#include "rules/rule_support.h"

namespace migsafe {
namespace {

constexpr RuleInfo kInfo{
    .id = "missing-lock-timeout",
    .default_severity = Severity::Warning,
    .category = RuleCategory::Locks,
    .engines = kPostgres | kMySQL,
    .summary = "A DDL statement waiting for its lock without a lock timeout blocks every query on the table behind it.",
    .what_it_does =
        "Flags the first statement of a migration that takes ACCESS EXCLUSIVE or SHARE ROW EXCLUSIVE on an "
        "existing table (MySQL/MariaDB: any ALTER/DDL on an existing table) when no `SET [LOCAL] lock_timeout` "
        "(MySQL: `lock_wait_timeout`) came before it in the migration, in the Alembic env.py, or in the "
        "configuration (`lock-timeout-set-by-runner`). CONCURRENTLY operations and tables created in the same "
        "migration are not flagged.",
    .why =
        "A DDL statement that waits for its lock (behind a long query, a long transaction, or an idle session "
        "in a transaction) already blocks every later query on the table: the lock queue is first come, first "
        "served. Without a timeout it waits indefinitely, and the application stalls on that table for as "
        "long as it waits. MySQL's metadata lock queue behaves the same, and its default lock_wait_timeout is "
        "one year.",
    .safe_alternative =
        "Start the migration with `SET lock_timeout = '5s';` (`SET LOCAL lock_timeout = '5s';` inside the "
        "migration's transaction; MySQL: `SET SESSION lock_wait_timeout = 5;`) and retry the migration with "
        "backoff when it times out. If the runner sets it for every migration, set "
        "`lock-timeout-set-by-runner = true` in migsafe.toml.",
    .bad_example = "ALTER TABLE users ADD COLUMN nickname text;",
    .good_example = "SET lock_timeout = '5s';\nALTER TABLE users ADD COLUMN nickname text;",
    .lock = "ACCESS EXCLUSIVE or SHARE ROW EXCLUSIVE (MySQL: exclusive metadata lock), queued.",
    .versions = "All versions.",
    .references = "engines.md 1.1 (lock queue rule), 1.4, section 3 (metadata lock pile-up)",
};

// First line of the statement, shortened, for the message.
std::string statement_head(std::string_view text) {
  constexpr std::size_t kMaxLength = 70;
  std::string line = rules::one_line(text, kMaxLength);
  if (!line.empty()) return line;
  // Nothing but whitespace and `;`: folds to nothing.
  if (text.find_first_not_of(" \t\n\v\f\r;") == std::string_view::npos) return {};
  // Longer than kMaxLength once folded: its first kMaxLength - 3 folded characters and "...". Folded here
  // up to that length only, not the whole statement (long INSERTs, function bodies).
  std::string head;
  head.reserve(kMaxLength);
  bool space = false;
  for (char c : text) {
    if (head.size() == kMaxLength - 3) break;
    if (std::isspace(static_cast<unsigned char>(c))) {
      space = !head.empty();
      continue;
    }
    if (space) {
      head += ' ';
      space = false;
      if (head.size() == kMaxLength - 3) break;
    }
    head += c;
  }
  head.append("...");
  return head;  // by name: returning append()'s reference would copy the string
}

class MissingLockTimeout final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }

  void check_operation(const OperationContext& context) const override {
    if (context.state.lock_timeout_set || context.state.strong_lock_taken) return;
    if (context.is_postgres()) {
      check_postgres(context);
    } else if (context.is_mysql()) {
      check_mysql(context);
    }
  }

 private:
  static void check_postgres(const OperationContext& context) {
    LockMode mode = postgres_table_lock(context.op);
    if (mode != LockMode::AccessExclusive && mode != LockMode::ShareRowExclusive) return;
    std::optional<QualifiedName> table = target_table(context.op);
    std::string table_text;
    if (const auto* drop = context.op.as<DropIndex>(); drop && !table) {
      bool all_new = std::all_of(drop->indexes.begin(), drop->indexes.end(),
                                 [&](const QualifiedName& index) { return context.state.is_new_index(index); });
      if (all_new) return;
      if (const TableInfo* info = context.state.catalog.table_of_index(drop->indexes.front())) {
        table = info->name;
      } else {
        table_text = "the table of index `" + drop->indexes.front().display() + "`";
      }
    }
    if (!table && table_text.empty()) return;
    if (table && context.state.is_new_table(*table)) return;
    if (table) table_text = rules::concat({"`", table->display(), "`"});
    bool blocks_reads = mode == LockMode::AccessExclusive;
    context.report_statement(
        rules::concat({"`", statement_head(context.statement_text()), "` waits for ", to_string(mode), " on ",
                       table_text, " with no lock_timeout set: while it waits behind any long-running query or open "
                       "transaction, every new ", blocks_reads ? "read and write" : "write", " of ", table_text,
                       " queues behind it and the application stalls."}),
        rules::concat({"Set a lock timeout before this statement, e.g. `",
                       context.in_transaction() ? "SET LOCAL lock_timeout = '5s';" : "SET lock_timeout = '5s';",
                       "`, and retry the migration with backoff when it times out; if your migration runner already "
                       "sets it, set `lock-timeout-set-by-runner = true` in migsafe.toml."}));
  }

  static void check_mysql(const OperationContext& context) {
    if (!mysql_takes_exclusive_metadata_lock(context.op)) return;
    std::optional<QualifiedName> table = target_table(context.op);
    if (!table || context.state.is_new_table(*table)) return;
    std::string name = "`" + table->display() + "`";
    context.report_statement(
        "`" + statement_head(context.statement_text()) + "` needs an exclusive metadata lock on " + name +
            " with no lock_wait_timeout set (the default is one year): while it waits behind a long transaction, "
            "every new query on " + name + " queues behind it and the application stalls.",
        "Run `SET SESSION lock_wait_timeout = 5;` before this statement and retry the migration with backoff when "
        "it times out; if your migration runner already sets it, set `lock-timeout-set-by-runner = true` in "
        "migsafe.toml.");
  }
};

MIGSAFE_REGISTER_RULE(MissingLockTimeout);

}  // namespace
}  // namespace migsafe
