// Parse tree -> typed operations, one translator per statement family. Each appends to `out`; every
// operation gets the byte range of its clause, or the statement's when the clause has no location.
#pragma once

#include <initializer_list>
#include <string_view>
#include <vector>

#include "linter/model/operation.h"
#include "linter/sql/pg_tree.h"
#include "linter/sql/statement_context.h"

namespace migsafe::pg {

using Operations = std::vector<Operation>;

// Any statement (a wrapped node: {"CreateStmt": {...}}): dispatches on the node type; unknown
// statements become OtherStatement.
void translate_statement(const StatementContext& context, const Node& statement, Operations& out);

// Each translator below takes the statement node of its type.
// pg_create_table.cpp
void translate_create_table(const StatementContext& context, const Node& stmt, Operations& out);
void translate_create_table_as(const StatementContext& context, const Node& stmt, Operations& out);
ColumnSpec column_spec(const StatementContext& context, const Node& column);
// `column`: the column an inline (column) constraint belongs to; empty for table constraints.
ConstraintSpec constraint_spec(const StatementContext& context, const Node& constraint, const std::string& column);

// pg_alter_table.cpp
void translate_alter_table(const StatementContext& context, const Node& stmt, Operations& out);

// pg_index.cpp
void translate_create_index(const StatementContext& context, const Node& stmt, Operations& out);
void translate_reindex(const StatementContext& context, const Node& stmt, Operations& out);

// pg_objects.cpp: DROP, RENAME, types, sequences, views/functions/triggers/extensions/schemas/domains.
void translate_drop(const StatementContext& context, const Node& stmt, Operations& out);
void translate_rename(const StatementContext& context, const Node& stmt, Operations& out);
bool translate_object_definition(const StatementContext& context, const Node& statement, Operations& out);

// pg_session.cpp: SET, transactions, data changes, maintenance.
bool translate_session_or_data(const StatementContext& context, const Node& statement, Operations& out);

// True when `value` (an enum value name such as "AT_AddColumn") is one of `names`.
inline bool one_of(std::string_view value, std::initializer_list<std::string_view> names) {
  for (std::string_view name : names) {
    if (value == name) return true;
  }
  return false;
}

// The statement's leading keywords ("CREATE POLICY", "GRANT"), for OtherStatement descriptions.
std::string statement_keywords(const StatementContext& context);

template <class T>
void emit(Operations& out, T data, ByteRange range) {
  out.push_back(Operation{OperationData{std::move(data)}, range});
}

}  // namespace migsafe::pg
