// Shared by the style rules (prefer-bigint, prefer-identity, prefer-timestamptz, prefer-text-over-varchar,
// prefer-jsonb, ban-char-type): every column type an operation declares, with where to report it and the
// statement that would declare it with a better type.
#pragma once

#include <string>
#include <vector>

#include "linter/engine/context.h"
#include "linter/engine/rule.h"

namespace migsafe::style {

struct DeclaredColumn {
  const Operation* op = nullptr;
  std::string table;      // display name
  std::string column;
  const TypeRef* type = nullptr;
  ByteRange range;        // the column definition, or the operation's clause
  enum class Source { CreateTable, AddColumn, AlterType } source = Source::CreateTable;

  std::string written_type() const {
    if (!type->written.empty()) return type->written;
    return type->name + (type->is_array ? "[]" : "");
  }

  // The statement (or column definition) declaring this column with `better_type` instead.
  std::string with_type(const std::string& better_type) const {
    std::string full = better_type + (type->is_array ? "[]" : "");
    switch (source) {
      case Source::CreateTable: return "`" + column + " " + full + "` in CREATE TABLE " + table;
      case Source::AddColumn: return "`ALTER TABLE " + table + " ADD COLUMN " + column + " " + full + " ...;`";
      case Source::AlterType: return "`ALTER TABLE " + table + " ALTER COLUMN " + column + " TYPE " + full + ";`";
    }
    return full;
  }
};

// The operation kinds declared_columns() finds columns in: what the style rules inspect.
inline constexpr OperationKinds kColumnDeclaringOperations = operation_kinds<CreateTable, AddColumn, AlterColumnType>();

inline std::vector<DeclaredColumn> declared_columns(const Operation& op) {
  std::vector<DeclaredColumn> result;
  auto range_or_op = [&op](ByteRange range) { return range.empty() ? op.range : range; };
  if (const auto* create = op.as<CreateTable>()) {
    for (const ColumnSpec& column : create->columns) {
      if (!column.type.known()) continue;
      result.push_back({&op, create->table.display(), column.name, &column.type, range_or_op(column.range),
                        DeclaredColumn::Source::CreateTable});
    }
  } else if (const auto* add = op.as<AddColumn>()) {
    if (add->column.type.known()) {
      result.push_back({&op, add->table.display(), add->column.name, &add->column.type,
                        range_or_op(add->column.range), DeclaredColumn::Source::AddColumn});
    }
  } else if (const auto* alter = op.as<AlterColumnType>()) {
    if (alter->new_type.known()) {
      result.push_back({&op, alter->table.display(), alter->column, &alter->new_type, op.range,
                        DeclaredColumn::Source::AlterType});
    }
  }
  return result;
}

inline void report_column(const OperationContext& context, const DeclaredColumn& column, std::string message,
                          std::string help) {
  ByteRange range = column.range.empty() ? context.statement.range : column.range;
  context.report_at(context.script.file, range, std::move(message), std::move(help), context.migration.id,
                    std::string(context.statement_text()));
}

}  // namespace migsafe::style
