// What a rule sees: the operation (or statement, migration, project), the lint settings, and the state
// the engine tracked up to this point. Rules report through the context; the engine applies severity
// overrides, selection and suppressions afterwards.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "linter/engine/string_containers.h"
#include "linter/model/dialect.h"
#include "linter/model/finding.h"
#include "linter/model/migration.h"
#include "linter/model/project.h"

namespace migsafe {

struct RuleInfo;

struct LintSettings {
  Dialect dialect = Dialect::PostgreSQL;
  Version target_version = default_version(Dialect::PostgreSQL);
  // The migration runner sets lock_timeout itself (config `lock-timeout-set-by-runner`).
  bool lock_timeout_set_by_runner = false;
  // `raise NotImplementedError` downgrades count as missing (config `require-downgrades`).
  bool require_downgrades = false;
  // Several heads are fine when each is labelled with branch_labels (config `allow-labelled-heads`).
  bool allow_labelled_heads = false;
  // Rule selection by id or category ("locks", "style", "all"), as in ruff: `select` replaces the default
  // set (empty = rules enabled by default), `extend_select` adds to it, `ignore` removes.
  std::vector<std::string> select;
  std::vector<std::string> extend_select;
  std::vector<std::string> ignore;
  std::map<std::string, Severity> severity_overrides;
};

// Columns and tables as known from earlier migrations and earlier statements (best effort: a table
// created before the linted history is simply unknown).
struct ColumnInfo {
  TypeRef type;
  bool not_null = false;
  bool has_default = false;
};
// Columns and indexes are hashed, not ordered: nothing iterates them, and a long history gives a table
// thousands of columns, where every lookup and insert of an ordered map compared a dozen names.
struct TableInfo {
  QualifiedName name;  // as first seen (CREATE TABLE, or the first operation that named it)
  std::unordered_map<std::string, ColumnInfo> columns;
  // Index (and UNIQUE/PRIMARY KEY constraint index) name -> its columns or expression texts.
  std::unordered_map<std::string, std::vector<std::string>> index_columns;
};

class SchemaCatalog {
 public:
  const TableInfo* table(const QualifiedName& name) const;
  const ColumnInfo* column(const QualifiedName& table, const std::string& column) const;
  // The table an index belongs to, when the index was created in the linted history. A bare index
  // name matches an index of a table in any schema only when exactly one table has it.
  const TableInfo* table_of_index(const QualifiedName& index) const;
  // Columns of an index of `table`, or null when the index is unknown.
  const std::vector<std::string>* index_columns(const QualifiedName& table, const std::string& index) const;
  // Applies an operation's effect (create/drop/rename of tables and columns, type changes, NOT NULL).
  void apply(const Operation& op);

 private:
  // std::less<>: lookups take a string_view key built on the stack (see LookupKey in context.cpp).
  using Tables = std::map<std::string, TableInfo, std::less<>>;
  static std::string key(const QualifiedName& name);
  // Every change to a table's index_columns goes through these, which keep index_tables_ in step.
  void set_index(const std::string& table_key, TableInfo& table, const std::string& index,
                 std::vector<std::string> columns);
  void erase_index(const std::string& table_key, TableInfo& table, const std::string& index);
  void list_index(const std::string& table_key, const std::string& index);
  void unlist_index(const std::string& table_key, const std::string& index);
  void list_indexes(const std::string& table_key, const TableInfo& table);
  void unlist_indexes(const std::string& table_key, const TableInfo& table);
  // The table, first in key order, that has an index of this name; end() when none has.
  Tables::iterator first_table_with_index(const std::string& index);

  Tables tables_;
  // Index name -> key of a table that has an index of that name (usually one table). DROP INDEX and
  // table_of_index used to probe every table of the catalog, a cost that grew with the history.
  std::unordered_multimap<std::string, std::string> index_tables_;
};

// State of one script (upgrade or downgrade of one migration) before the current operation.
struct MigrationState {
  SchemaCatalog catalog;                  // whole history so far, including this script
  StringSet new_tables;                   // created earlier in this migration (lower-cased display names)
  StringSet new_indexes;
  StringSet new_types;
  StringSet new_sequences;
  bool lock_timeout_set = false;          // SET [LOCAL] lock_timeout (or runner/config/env.py)
  bool statement_timeout_set = false;
  bool timezone_utc = false;              // SET TimeZone = 'UTC'
  bool strong_lock_taken = false;         // an earlier statement took AEL/SRE on an existing table
  // Existing tables locked ACCESS EXCLUSIVE in the transaction block that is still open, each with the
  // statement that first took the lock (so a rule can tell locks taken by earlier statements from the
  // current statement's own, and point at the statement).
  SortedStringMap<ByteRange> exclusive_lock_statements;
  // "table.column" pairs with a validated CHECK (column IS NOT NULL) earlier in this migration.
  StringSet not_null_checks;
  // Enum values added in the transaction block that is still open ("type.value").
  StringSet enum_values_added_in_transaction;
  // Constraints added NOT VALID in this migration ("table.constraint").
  StringSet not_valid_constraints;
  // Constraints added NOT VALID in the transaction block that is still open ("table.constraint" ->
  // kind): validating them before COMMIT scans under the lock the ADD took.
  SortedStringMap<ConstraintKind> not_valid_constraints_in_transaction;
  // MySQL: SET foreign_key_checks = 0 is in effect (ADD FOREIGN KEY can then run INPLACE).
  bool foreign_key_checks_disabled = false;
  // lock_timeout as it was before a SET LOCAL in the open transaction block; restored at its end.
  std::optional<bool> lock_timeout_before_local;

  // Back to the state of a new migration, keeping the catalog and the containers' capacity (the engine
  // reuses one state for every migration). A field added above must be reset here.
  void reset_for_next_migration();

  bool is_new_table(const QualifiedName& table) const;
  bool is_new_index(const QualifiedName& index) const;
  bool is_new_type(const QualifiedName& type) const;
};

std::string state_key(const QualifiedName& name);  // lower-cased "schema.name" / "name"
std::string state_key(std::string_view schema, std::string_view name);  // same, without a QualifiedName

// Sink for a rule's findings; the engine owns it. Contexts hold a pointer to it: the engine builds a
// context for every (operation, rule) pair, and copying a std::function into each cost more than
// most rules' checks.
// Takes the finding by rvalue reference: a Finding is large, and a by-value parameter costs one more move
// and destruction per finding.
using FindingSink = std::function<void(Finding&&)>;

class ContextBase {
 public:
  ContextBase(const RuleInfo& rule, const LintSettings& settings, const Project& project, const FindingSink* sink)
      : rule_(rule), settings_(settings), project_(project), sink_(sink) {}
  const LintSettings& settings() const { return settings_; }
  const Project& project() const { return project_; }
  Dialect dialect() const { return settings_.dialect; }
  const Version& target_version() const { return settings_.target_version; }
  bool is_postgres() const { return settings_.dialect == Dialect::PostgreSQL; }
  bool is_mysql() const { return is_mysql_family(settings_.dialect); }
  bool is_sqlite() const { return settings_.dialect == Dialect::SQLite; }
  // Reports at `range` of `file`. `fingerprint_text` defaults to the file text in range. `related_paths`:
  // other files the finding concerns (Finding::related_paths).
  void report_at(const SourceFilePtr& file, ByteRange range, std::string message, std::string help,
                 const std::string& migration_id = {}, std::string fingerprint_text = {},
                 std::vector<std::string> related_paths = {}) const;
  // Same, with a severity other than the rule's default, for rules whose severity depends on the case
  // (truncating-table: error with CASCADE; missing-downgrade: note for an explicit irreversible marker).
  // Configured severity overrides still win.
  void report_at(Severity severity, const SourceFilePtr& file, ByteRange range, std::string message,
                 std::string help, const std::string& migration_id = {}, std::string fingerprint_text = {},
                 std::vector<std::string> related_paths = {}) const;

 protected:
  // What report_at does, with the range whose text identifies the finding (`statement`, in `file`) when
  // `fingerprint_text` is empty.
  void report_in_statement(Severity severity, const SourceFilePtr& file, ByteRange range, ByteRange statement,
                           std::string message, std::string help, const std::string& migration_id,
                           std::string fingerprint_text, std::vector<std::string> related_paths) const;

  const RuleInfo& rule_;
  const LintSettings& settings_;
  const Project& project_;
  const FindingSink* sink_;  // never null; outlives the context
};

class StatementContext : public ContextBase {
 public:
  StatementContext(const RuleInfo& rule, const LintSettings& settings, const Project& project, const FindingSink* sink,
                   const Migration& migration, const Script& script, const Statement& statement, bool downgrade)
      : ContextBase(rule, settings, project, sink), migration(migration), script(script),
        statement(statement), is_downgrade(downgrade) {}
  const Migration& migration;
  const Script& script;
  const Statement& statement;
  bool is_downgrade;
  std::string_view statement_text() const { return script.file->slice(statement.range); }
  // Reports at the whole statement.
  void report(std::string message, std::string help) const;
};

class OperationContext : public StatementContext {
 public:
  OperationContext(const RuleInfo& rule, const LintSettings& settings, const Project& project, const FindingSink* sink,
                   const Migration& migration, const Script& script, const Statement& statement, bool downgrade,
                   const Operation& op, const MigrationState& state)
      : StatementContext(rule, settings, project, sink, migration, script, statement, downgrade),
        op(op), state(state) {}
  const Operation& op;
  const MigrationState& state;
  bool in_transaction() const { return statement.transaction != TransactionSource::None; }
  // Reports at the operation's clause (falls back to the statement when the clause is unknown).
  void report(std::string message, std::string help) const;
  // Same, with a severity other than the rule's default.
  void report(Severity severity, std::string message, std::string help) const;
  // Reports at the whole statement.
  void report_statement(std::string message, std::string help) const;
};

class MigrationContext : public ContextBase {
 public:
  MigrationContext(const RuleInfo& rule, const LintSettings& settings, const Project& project, const FindingSink* sink,
                   const Migration& migration)
      : ContextBase(rule, settings, project, sink), migration(migration) {}
  const Migration& migration;
};

class ProjectContext : public ContextBase {
 public:
  using ContextBase::ContextBase;
};

}  // namespace migsafe
