// Parse tree -> typed operations, one translator per statement family. Each appends to `out`; every
// operation gets the byte range of its clause, or the statement's when the clause has no location.
#pragma once

#include <string_view>
#include <vector>

#include "linter/model/operation.h"
#include "linter/sql/pg_tree.h"
#include "linter/sql/statement_context.h"

namespace migsafe::pg {

using Operations = std::vector<Operation>;

// Any statement node: dispatches on the node type; unknown statements become OtherStatement.
void translate_statement(const StatementContext& context, const Node* statement, Operations& out);

// pg_create_table.cpp
void translate_create_table(const StatementContext& context, const CreateStmt& stmt, Operations& out);
void translate_create_table_as(const StatementContext& context, const CreateTableAsStmt& stmt, Operations& out);
ColumnSpec column_spec(const StatementContext& context, const ColumnDef& column);
// `column`: the column an inline (column) constraint belongs to; empty for table constraints.
ConstraintSpec constraint_spec(const StatementContext& context, const Constraint& constraint, const std::string& column);
// SELECT ... INTO's and CREATE TABLE AS's persistence: "t" is a temporary table.
inline bool is_temporary(const RangeVar* relation) { return relation != nullptr && relation->relpersistence == 't'; }

// pg_alter_table.cpp
void translate_alter_table(const StatementContext& context, const AlterTableStmt& stmt, Operations& out);

// pg_index.cpp
void translate_create_index(const StatementContext& context, const IndexStmt& stmt, Operations& out);
void translate_reindex(const StatementContext& context, const ReindexStmt& stmt, Operations& out);

// pg_objects.cpp: DROP, RENAME, types, sequences, views/functions/triggers/extensions/schemas/domains.
void translate_drop(const StatementContext& context, const DropStmt& stmt, Operations& out);
void translate_rename(const StatementContext& context, const RenameStmt& stmt, Operations& out);
bool translate_object_definition(const StatementContext& context, const Node* statement, Operations& out);

// pg_session.cpp: SET, transactions, data changes, maintenance.
bool translate_session_or_data(const StatementContext& context, const Node* statement, Operations& out);

// The statement's leading keywords ("CREATE POLICY", "GRANT"), for OtherStatement descriptions.
std::string statement_keywords(const StatementContext& context);

namespace translate_detail {
// Converts to the Operation that emit() appends: emplace_back constructs the element from the
// conversion's result, which C++17 elides into the vector's storage, so `data` is moved exactly once.
template <class T>
struct OperationFrom {
  T& data;
  ByteRange range;
  operator Operation() const { return Operation{OperationData(std::in_place_type<T>, std::move(data)), range}; }
};
}  // namespace translate_detail

template <class T>
void emit(Operations& out, T data, ByteRange range) {
  // Built in place: an Operation is a few hundred bytes, and a temporary (or a default-constructed
  // element assigned afterwards) costs another pass through the variant's dispatch.
  out.emplace_back(translate_detail::OperationFrom<T>{data, range});
}

}  // namespace migsafe::pg
