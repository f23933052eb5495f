// SQLAlchemy constructs inside Alembic directives, read statically: column types (to the canonical
// TypeRef names of operation.h), server defaults (with their volatility), sa.Column(...) definitions
// and table items (constraints, sa.Index), as SQLAlchemy would render them for the project's dialect.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "linter/alembic/python_values.h"
#include "linter/model/dialect.h"
#include "linter/model/operation.h"

namespace migsafe::alembic {

// A dialect-prefixed keyword argument (`postgresql_where=`, `mysql_engine=`) anywhere inside a directive.
struct DialectKeyword {
  std::string name;
  ByteRange range;
};

// An enum type a column uses (sa.Enum / postgresql.ENUM / mysql.ENUM).
struct EnumTypeUse {
  QualifiedName type;
  std::vector<std::string> values;
  bool native = true;        // native_enum=False keeps it a VARCHAR (+ CHECK)
  bool create_type = true;   // postgresql.ENUM(create_type=False)
  ByteRange range;
};

// TypeRef for a type expression (`sa.String(50)`, `postgresql.ARRAY(sa.Text)`, a class or an instance).
// Unknown types keep their lower-cased class name; an expression that is no type gives an empty TypeRef.
TypeRef type_ref(const Expr& expr, const Values& values, Dialect dialect);
// The enum a type expression declares, if it is one.
std::optional<EnumTypeUse> enum_use(const Expr& expr, const Values& values);

// Volatility of a SQL default expression's text ("now()" is Stable, "gen_random_uuid()" Volatile).
Volatility sql_volatility(std::string_view sql);
// A server_default / default value as the DDL would contain it. nullopt for no DDL default.
std::optional<Expression> server_default(const Expr& expr, const Values& values);

struct ColumnDefinition {
  ColumnSpec spec;
  bool index = false;                 // index=True
  bool unique = false;                // unique=True (SQLAlchemy adds a UNIQUE constraint or a unique index)
  std::optional<bool> autoincrement;  // autoincrement=True/False when given
  std::vector<ConstraintSpec> foreign_keys;  // sa.ForeignKey(...) items, with their ranges
  std::vector<ConstraintSpec> checks;        // sa.CheckConstraint(...) items
  std::optional<EnumTypeUse> enum_type;
};

// Reads `sa.Column(name, type, *items, **kw)`; nullopt when `expr` is no Column call.
std::optional<ColumnDefinition> column_definition(const Expr& expr, const Values& values, Dialect dialect);
// Applies SQLAlchemy's autoincrement rule: a lone integer primary key becomes SERIAL (PostgreSQL) or
// AUTO_INCREMENT (MySQL) unless autoincrement=False or an Identity/default is given.
void apply_implicit_autoincrement(ColumnDefinition& column, Dialect dialect);

// Table items of create_table: sa.PrimaryKeyConstraint/ForeignKeyConstraint/UniqueConstraint/
// CheckConstraint. nullopt for anything else.
std::optional<ConstraintSpec> table_constraint(const Expr& expr, const Values& values);
// sa.Index("name", "col", ..., unique=..., postgresql_where=...) as a table item.
std::optional<IndexSpec> index_item(const Expr& expr, const Values& values, const QualifiedName& table);

// Fills `index` from create_index-style keyword arguments (unique, postgresql_*, mysql_*, if_not_exists).
void read_index_options(const Expr& call, const Values& values, IndexSpec& index);

// Every dialect-prefixed keyword in `expr` and the expressions nested in it.
void collect_dialect_keywords(const Expr& expr, std::vector<DialectKeyword>& out);

// A ConstraintKind from Alembic's drop_constraint type_ ("foreignkey", "unique", "check", "primary").
std::optional<ConstraintKind> constraint_kind_from_alembic(std::string_view type);

}  // namespace migsafe::alembic
