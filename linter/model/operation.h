// The typed schema operations every front end produces (SQL for each dialect, Alembic `op.*` calls) and
// every rule consumes. Rules never see parser trees: only these structs plus the RuleContext.
//
// Conventions:
//  - Identifiers are stored as the database would fold them (unquoted SQL names lower-cased on
//    PostgreSQL, Alembic names as written). Type names are canonical lower-case PostgreSQL-style names
//    (see TypeRef).
//  - Each Operation carries the byte range of the clause it came from (falling back to the statement).
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "linter/model/source.h"

namespace migsafe {

struct QualifiedName {
  std::string schema;  // empty when not written
  std::string name;
  std::string display() const { return schema.empty() ? name : schema + "." + name; }
  bool operator==(const QualifiedName&) const = default;
};

// A column type. `name` is canonical: int2/int4/int8, serial2/serial4/serial8, numeric, float4, float8,
// bool, text, varchar, bpchar (char(n)), timestamp, timestamptz, date, time, timetz, interval, uuid,
// json, jsonb, bytea, or the user type's name as written (enums, domains). MySQL-only types keep their
// MySQL name (tinyint, mediumtext, enum, set, ...).
struct TypeRef {
  std::string name;
  std::vector<long> modifiers;          // varchar(n) -> {n}; numeric(p,s) -> {p,s}
  std::vector<std::string> enum_values; // inline MySQL ENUM/SET members, sa.Enum(...) members
  bool is_array = false;
  std::string written;                  // as in the source, for messages ("varchar(255)")
  bool known() const { return !name.empty(); }
};

// How an expression behaves when evaluated for existing rows; drives rewrite rules.
enum class Volatility { Unknown, Null, Constant, Stable, Volatile };

struct Expression {
  std::string text;  // source text (or rendered text for Alembic)
  Volatility volatility = Volatility::Unknown;
};

enum class ConstraintKind { Check, ForeignKey, Unique, PrimaryKey, Exclusion, NotNull };
const char* to_string(ConstraintKind kind);

struct ConstraintSpec {
  ConstraintKind kind = ConstraintKind::Check;
  std::string name;                     // empty when unnamed
  std::vector<std::string> columns;     // local columns (empty for a CHECK)
  QualifiedName referenced_table;       // FOREIGN KEY
  std::vector<std::string> referenced_columns;
  std::string expression;               // CHECK expression / EXCLUDE elements text
  std::string using_index;              // UNIQUE/PRIMARY KEY USING INDEX name
  bool not_valid = false;
  ByteRange range;
};

enum class GeneratedKind { None, Stored, Virtual };

struct ColumnSpec {
  std::string name;
  TypeRef type;
  bool not_null = false;           // NOT NULL, or implied by PRIMARY KEY
  bool primary_key = false;
  bool unique = false;
  bool identity = false;           // GENERATED ... AS IDENTITY / sa.Identity
  bool auto_increment = false;     // MySQL AUTO_INCREMENT
  GeneratedKind generated = GeneratedKind::None;
  std::optional<Expression> default_value;  // server-side default; absent = none
  std::vector<ConstraintSpec> constraints;  // inline REFERENCES / CHECK / UNIQUE with their ranges
  ByteRange range;
  // True for serial types and identity/auto-increment: values come from a sequence.
  bool is_serial() const;
};

struct IndexSpec {
  std::string name;                  // empty when the database picks one
  QualifiedName table;
  std::vector<std::string> columns;  // column names or expression texts
  bool unique = false;
  bool concurrently = false;
  bool if_not_exists = false;
  std::string method;                // btree, gin, gist, ...; empty = default
  std::string where;                 // partial index predicate
  std::string mysql_kind;            // FULLTEXT / SPATIAL on MySQL
};

// ---- Operations --------------------------------------------------------------------------------

struct CreateTable {
  QualifiedName table;
  std::vector<ColumnSpec> columns;
  std::vector<ConstraintSpec> constraints;  // table-level constraints
  bool if_not_exists = false;
  bool temporary = false;
  bool as_select = false;
  bool partition_of = false;                // CREATE TABLE ... PARTITION OF
};
struct DropTable { std::vector<QualifiedName> tables; bool if_exists = false; bool cascade = false; };
struct RenameTable { QualifiedName table; std::string new_name; };
struct TruncateTable { std::vector<QualifiedName> tables; bool cascade = false; };

struct AddColumn { QualifiedName table; ColumnSpec column; bool if_not_exists = false; };
struct DropColumn { QualifiedName table; std::string column; bool if_exists = false; bool cascade = false; };
struct RenameColumn { QualifiedName table; std::string column; std::string new_name; };
struct AlterColumnType {
  QualifiedName table;
  std::string column;
  TypeRef new_type;
  std::optional<TypeRef> old_type;   // known from Alembic existing_type or the tracked schema
  std::string using_expression;
};
struct SetNotNull { QualifiedName table; std::string column; };
struct DropNotNull { QualifiedName table; std::string column; };
// SET DEFAULT (value present) or DROP DEFAULT (value absent).
struct SetColumnDefault { QualifiedName table; std::string column; std::optional<Expression> value; };

struct AddConstraint { QualifiedName table; ConstraintSpec constraint; };
struct DropConstraint {
  QualifiedName table;
  std::string name;
  std::optional<ConstraintKind> kind;  // known for Alembic type_=, MySQL DROP FOREIGN KEY/PRIMARY KEY
  bool if_exists = false;
  bool cascade = false;
};
struct ValidateConstraint { QualifiedName table; std::string name; };

struct CreateIndex { IndexSpec index; };
struct DropIndex {
  std::vector<QualifiedName> indexes;
  QualifiedName table;                 // when known (Alembic table_name, MySQL DROP INDEX ... ON t)
  bool concurrently = false;
  bool if_exists = false;
};
struct RenameIndex { QualifiedName index; std::string new_name; };
enum class ReindexTarget { Index, Table, Schema, Database, System };
struct Reindex { ReindexTarget target = ReindexTarget::Index; QualifiedName name; bool concurrently = false; };

struct CreateEnumType { QualifiedName type; std::vector<std::string> values; };
struct AddEnumValue { QualifiedName type; std::string value; bool if_not_exists = false; };
struct RenameEnumValue { QualifiedName type; std::string old_value; std::string new_value; };
struct DropType { std::vector<QualifiedName> types; bool if_exists = false; bool cascade = false; };

struct CreateSequence { QualifiedName sequence; bool if_not_exists = false; };
struct DropSequence { std::vector<QualifiedName> sequences; bool if_exists = false; };

// Other named objects the downgrade checks and the harness care about.
enum class ObjectKind { View, MaterializedView, Function, Procedure, Trigger, Extension, Schema, Domain, Other };
const char* to_string(ObjectKind kind);
struct CreateObject { ObjectKind kind = ObjectKind::Other; QualifiedName name; QualifiedName table; bool or_replace = false; };
struct DropObject { ObjectKind kind = ObjectKind::Other; std::vector<QualifiedName> names; bool cascade = false; };

// SET / SET LOCAL / RESET of a run-time setting (lock_timeout, statement_timeout, TimeZone,
// lock_wait_timeout, foreign_key_checks, ...). Names are lower-cased.
struct SetSetting { std::string name; std::string value; bool local = false; bool reset = false; };

enum class TransactionControlKind { Begin, Commit, Rollback, Savepoint, Release, RollbackToSavepoint };
struct TransactionControl { TransactionControlKind kind = TransactionControlKind::Begin; };

enum class DataChangeKind { Insert, Update, Delete, Merge, Copy };
struct DataChange {
  DataChangeKind kind = DataChangeKind::Update;
  QualifiedName table;
  bool has_where = true;      // UPDATE/DELETE with a WHERE clause
  bool per_row_loop = false;  // Alembic: executed inside a Python loop
};

struct Vacuum { std::vector<QualifiedName> tables; bool full = false; };
struct Cluster { QualifiedName table; };
struct SetLogged { QualifiedName table; bool logged = true; };
// A statement that rebuilds a whole table in one go (MySQL OPTIMIZE TABLE, ALTER ... ENGINE=/FORCE).
struct RebuildTable { QualifiedName table; std::string reason; };
struct AttachPartition { QualifiedName parent; QualifiedName partition; };
struct DetachPartition { QualifiedName parent; QualifiedName partition; bool concurrently = false; };

struct DropDatabase { std::string name; };
struct DropSchema { std::vector<std::string> names; bool cascade = false; };

// A table-level option change that still needs a lock (SET STATISTICS, SET (fillfactor), triggers,
// ownership, comments...). `lock` says which PostgreSQL lock mode it takes.
enum class LockMode { None, AccessShare, RowShare, RowExclusive, ShareUpdateExclusive, Share, ShareRowExclusive, Exclusive, AccessExclusive };
const char* to_string(LockMode mode);
struct AlterTableOther { QualifiedName table; std::string description; LockMode lock = LockMode::AccessExclusive; };

// MySQL ALGORITHM= / LOCK= clauses attached to an ALTER statement; empty when not written.
struct MysqlAlterOptions { QualifiedName table; std::string algorithm; std::string lock; };

// Something the front end recognised but cannot check statically (Alembic op.execute with SQL built at
// run time, an unknown plugin op.xxx call). Reported as a note by the engine.
struct UncheckedOperation { std::string description; bool plugin = false; };

// Any other statement (SELECT, GRANT, COMMENT ON, ...); kept so transaction tracking sees it.
struct OtherStatement { std::string description; };

using OperationData = std::variant<
    CreateTable, DropTable, RenameTable, TruncateTable,
    AddColumn, DropColumn, RenameColumn, AlterColumnType, SetNotNull, DropNotNull, SetColumnDefault,
    AddConstraint, DropConstraint, ValidateConstraint,
    CreateIndex, DropIndex, RenameIndex, Reindex,
    CreateEnumType, AddEnumValue, RenameEnumValue, DropType,
    CreateSequence, DropSequence, CreateObject, DropObject,
    SetSetting, TransactionControl, DataChange,
    Vacuum, Cluster, SetLogged, RebuildTable, AttachPartition, DetachPartition,
    DropDatabase, DropSchema, AlterTableOther, MysqlAlterOptions,
    UncheckedOperation, OtherStatement>;

struct Operation {
  OperationData data;
  ByteRange range;  // the clause (or whole statement) in the statement's SourceFile

  template <class T> const T* as() const { return std::get_if<T>(&data); }
  template <class T> bool is() const { return std::holds_alternative<T>(data); }
};

// Short human description of an operation ("add column users.email"), used by downgrade checks.
std::string describe(const Operation& op);

}  // namespace migsafe
