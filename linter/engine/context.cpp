#include "linter/engine/context.h"

#include <algorithm>
#include <cctype>

#include "linter/engine/rule.h"
#include "linter/util/text.h"

namespace migsafe {

namespace {

std::size_t key_size(std::string_view schema, std::string_view name) {
  return schema.size() + (schema.empty() ? 0 : 1) + name.size();
}

// Writes lower-cased "schema.name" (or "name") to `out`, which has key_size() bytes.
void write_lowered_key(char* out, std::string_view schema, std::string_view name) {
  for (char c : schema) *out++ = ascii_lower(c);
  if (!schema.empty()) *out++ = '.';
  for (char c : name) *out++ = ascii_lower(c);
}

// Lower-cased "schema.name" (or "name"), written in place: a key to store, where going through
// QualifiedName::display() and a lower-cased copy of it allocated twice.
std::string lowered_key(std::string_view schema, std::string_view name) {
  std::string key(key_size(schema, name), '.');
  write_lowered_key(key.data(), schema, name);
  return key;
}

// The same key for a lookup only, on the stack when it fits (nearly always): the catalog and the
// "new in this migration" sets are probed several times per operation, and a std::string key longer
// than its 15-byte inline buffer cost an allocation per probe.
class LookupKey {
 public:
  LookupKey(std::string_view schema, std::string_view name) {
    std::size_t size = key_size(schema, name);
    char* out = inline_;
    if (size > sizeof inline_) {
      heap_.resize(size);
      out = heap_.data();
    }
    write_lowered_key(out, schema, name);
    view_ = std::string_view(out, size);
  }
  LookupKey(const LookupKey&) = delete;  // view_ points into this object
  LookupKey& operator=(const LookupKey&) = delete;
  std::string_view view() const { return view_; }

 private:
  char inline_[96];
  std::string heap_;
  std::string_view view_;
};

// The catalog's key: tables in `public` are stored unqualified.
std::string_view catalog_schema(const QualifiedName& name) {
  return name.schema == "public" ? std::string_view() : std::string_view(name.schema);
}

// tables.find(SchemaCatalog::key(name)) without building the key as a std::string.
template <typename Tables>
auto find_table(Tables& tables, const QualifiedName& name) {
  return tables.find(LookupKey(catalog_schema(name), name.name).view());
}

}  // namespace

std::string state_key(const QualifiedName& name) { return lowered_key(name.schema, name.name); }
std::string state_key(std::string_view schema, std::string_view name) { return lowered_key(schema, name); }

namespace {

// Unqualified names match qualified ones in the default schema: `users` and `public.users` are the same
// table for the purpose of "created earlier in this migration".
bool contains_name(const StringSet& names, const QualifiedName& name) {
  if (names.empty()) return false;  // most statements touch tables created in earlier migrations
  if (names.contains(LookupKey(name.schema, name.name).view())) return true;
  return names.contains(LookupKey(name.schema.empty() ? "public" : "", name.name).view());
}

}  // namespace

bool MigrationState::is_new_table(const QualifiedName& table) const { return contains_name(new_tables, table); }
bool MigrationState::is_new_index(const QualifiedName& index) const { return contains_name(new_indexes, index); }
bool MigrationState::is_new_type(const QualifiedName& type) const { return contains_name(new_types, type); }

void MigrationState::reset_for_next_migration() {
  new_tables.clear();
  new_indexes.clear();
  new_types.clear();
  new_sequences.clear();
  lock_timeout_set = false;
  statement_timeout_set = false;
  timezone_utc = false;
  strong_lock_taken = false;
  exclusive_lock_statements.clear();
  not_null_checks.clear();
  enum_values_added_in_transaction.clear();
  not_valid_constraints.clear();
  not_valid_constraints_in_transaction.clear();
  foreign_key_checks_disabled = false;
  lock_timeout_before_local.reset();
}

std::string SchemaCatalog::key(const QualifiedName& name) { return lowered_key(catalog_schema(name), name.name); }

const TableInfo* SchemaCatalog::table(const QualifiedName& name) const {
  auto it = find_table(tables_, name);
  return it == tables_.end() ? nullptr : &it->second;
}

const TableInfo* SchemaCatalog::table_of_index(const QualifiedName& index) const {
  const TableInfo* found = nullptr;
  auto [first, last] = index_tables_.equal_range(index.name);
  for (auto owner = first; owner != last; ++owner) {
    const TableInfo& info = tables_.find(owner->second)->second;
    // A qualified index lives in its table's schema (unqualified tables are in `public`).
    if (!index.schema.empty() && index.schema != (info.name.schema.empty() ? "public" : info.name.schema)) continue;
    if (found) return nullptr;  // ambiguous across schemas
    found = &info;
  }
  return found;
}

void SchemaCatalog::list_index(const std::string& table_key, const std::string& index) {
  index_tables_.emplace(index, table_key);
}

void SchemaCatalog::unlist_index(const std::string& table_key, const std::string& index) {
  auto [first, last] = index_tables_.equal_range(index);
  for (auto owner = first; owner != last; ++owner) {
    if (owner->second == table_key) {
      index_tables_.erase(owner);
      return;
    }
  }
}

void SchemaCatalog::list_indexes(const std::string& table_key, const TableInfo& table) {
  for (const auto& entry : table.index_columns) list_index(table_key, entry.first);
}

void SchemaCatalog::unlist_indexes(const std::string& table_key, const TableInfo& table) {
  for (const auto& entry : table.index_columns) unlist_index(table_key, entry.first);
}

void SchemaCatalog::set_index(const std::string& table_key, TableInfo& table, const std::string& index,
                              std::vector<std::string> columns) {
  if (table.index_columns.insert_or_assign(index, std::move(columns)).second) list_index(table_key, index);
}

void SchemaCatalog::erase_index(const std::string& table_key, TableInfo& table, const std::string& index) {
  if (table.index_columns.erase(index)) unlist_index(table_key, index);
}

SchemaCatalog::Tables::iterator SchemaCatalog::first_table_with_index(const std::string& index) {
  auto [first, last] = index_tables_.equal_range(index);
  if (first == last) return tables_.end();
  const std::string* first_key = &first->second;
  for (auto owner = std::next(first); owner != last; ++owner) {
    if (owner->second < *first_key) first_key = &owner->second;
  }
  return tables_.find(*first_key);
}

const std::vector<std::string>* SchemaCatalog::index_columns(const QualifiedName& table_name,
                                                             const std::string& index) const {
  const TableInfo* info = table(table_name);
  if (!info) return nullptr;
  auto it = info->index_columns.find(index);
  return it == info->index_columns.end() ? nullptr : &it->second;
}

const ColumnInfo* SchemaCatalog::column(const QualifiedName& table_name, const std::string& column) const {
  const TableInfo* info = table(table_name);
  if (!info) return nullptr;
  auto it = info->columns.find(column);
  return it == info->columns.end() ? nullptr : &it->second;
}

void SchemaCatalog::apply(const Operation& op) {
  if (const auto* create = op.as<CreateTable>()) {
    TableInfo info;
    info.name = create->table;
    for (const ColumnSpec& column : create->columns) {
      info.columns[column.name] = ColumnInfo{column.type, column.not_null, column.default_value.has_value()};
      if (column.primary_key) info.index_columns[create->table.name + "_pkey"] = {column.name};
    }
    for (const ConstraintSpec& constraint : create->constraints) {
      if (constraint.kind == ConstraintKind::PrimaryKey) {
        for (const std::string& column : constraint.columns) info.columns[column].not_null = true;
      }
      if ((constraint.kind == ConstraintKind::PrimaryKey || constraint.kind == ConstraintKind::Unique) &&
          !constraint.name.empty()) {
        info.index_columns[constraint.name] = constraint.columns;
      }
    }
    auto [entry, inserted] = tables_.try_emplace(key(create->table));
    if (!inserted) unlist_indexes(entry->first, entry->second);
    entry->second = std::move(info);
    list_indexes(entry->first, entry->second);
  } else if (const auto* drop = op.as<DropTable>()) {
    for (const QualifiedName& table : drop->tables) {
      auto it = find_table(tables_, table);
      if (it == tables_.end()) continue;
      unlist_indexes(it->first, it->second);
      tables_.erase(it);
    }
  } else if (const auto* rename = op.as<RenameTable>()) {
    auto node = tables_.extract(key(rename->table));
    if (!node.empty()) {
      unlist_indexes(node.key(), node.mapped());
      node.key() = key(QualifiedName{rename->table.schema, rename->new_name});
      node.mapped().name = QualifiedName{rename->table.schema, rename->new_name};
      // Renamed onto an existing table, the node is not inserted and is dropped (its indexes with it).
      auto result = tables_.insert(std::move(node));
      if (result.inserted) list_indexes(result.position->first, result.position->second);
    }
  } else if (const auto* add = op.as<AddColumn>()) {
    auto it = find_table(tables_, add->table);
    if (it == tables_.end()) it = tables_.try_emplace(key(add->table)).first;
    TableInfo& info = it->second;
    if (info.name.name.empty()) info.name = add->table;
    info.columns[add->column.name] =
        ColumnInfo{add->column.type, add->column.not_null, add->column.default_value.has_value()};
  } else if (const auto* drop_column = op.as<DropColumn>()) {
    auto it = find_table(tables_, drop_column->table);
    if (it != tables_.end()) it->second.columns.erase(drop_column->column);
  } else if (const auto* rename_column = op.as<RenameColumn>()) {
    auto it = find_table(tables_, rename_column->table);
    if (it != tables_.end()) {
      auto node = it->second.columns.extract(rename_column->column);
      if (!node.empty()) {
        node.key() = rename_column->new_name;
        it->second.columns.insert(std::move(node));
      }
    }
  } else if (const auto* type = op.as<AlterColumnType>()) {
    auto it = find_table(tables_, type->table);
    if (it != tables_.end()) it->second.columns[type->column].type = type->new_type;
  } else if (const auto* set_not_null = op.as<SetNotNull>()) {
    auto it = find_table(tables_, set_not_null->table);
    if (it != tables_.end()) it->second.columns[set_not_null->column].not_null = true;
  } else if (const auto* drop_not_null = op.as<DropNotNull>()) {
    auto it = find_table(tables_, drop_not_null->table);
    if (it != tables_.end()) it->second.columns[drop_not_null->column].not_null = false;
  } else if (const auto* set_default = op.as<SetColumnDefault>()) {
    auto it = find_table(tables_, set_default->table);
    if (it != tables_.end()) it->second.columns[set_default->column].has_default = set_default->value.has_value();
  } else if (const auto* constraint = op.as<AddConstraint>()) {
    const ConstraintSpec& spec = constraint->constraint;
    auto it = find_table(tables_, constraint->table);
    if (it == tables_.end()) return;
    TableInfo& info = it->second;
    if (spec.kind != ConstraintKind::PrimaryKey && spec.kind != ConstraintKind::Unique) return;
    std::vector<std::string> columns = spec.columns;
    if (!spec.using_index.empty()) {
      // USING INDEX renames the index to the constraint's name (when one is given).
      auto index = info.index_columns.find(spec.using_index);
      if (index != info.index_columns.end()) {
        columns = index->second;
        if (!spec.name.empty() && spec.name != spec.using_index) {
          erase_index(it->first, info, spec.using_index);
        }
      }
    }
    if (spec.kind == ConstraintKind::PrimaryKey) {
      for (const std::string& column : columns) {
        if (info.columns.count(column)) info.columns[column].not_null = true;
      }
    }
    std::string name = !spec.name.empty() ? spec.name : spec.using_index;
    if (!name.empty()) set_index(it->first, info, name, std::move(columns));
  } else if (const auto* index = op.as<CreateIndex>()) {
    if (index->index.name.empty()) return;
    auto it = find_table(tables_, index->index.table);
    if (it == tables_.end()) return;
    set_index(it->first, it->second, index->index.name, index->index.columns);
  } else if (const auto* drop_index = op.as<DropIndex>()) {
    for (const QualifiedName& name : drop_index->indexes) {
      auto it = first_table_with_index(name.name);
      if (it == tables_.end()) continue;
      erase_index(it->first, it->second, name.name);
    }
  } else if (const auto* rename_index = op.as<RenameIndex>()) {
    auto it = first_table_with_index(rename_index->index.name);
    if (it != tables_.end()) {
      TableInfo& info = it->second;
      auto node = info.index_columns.extract(rename_index->index.name);
      unlist_index(it->first, rename_index->index.name);
      node.key() = rename_index->new_name;
      // Onto an existing index name, the node is not inserted and is dropped, as before.
      if (info.index_columns.insert(std::move(node)).inserted) list_index(it->first, rename_index->new_name);
    }
  }
}

void ContextBase::report_at(const SourceFilePtr& file, ByteRange range, std::string message, std::string help,
                            const std::string& migration_id, std::string fingerprint_text,
                            std::vector<std::string> related_paths) const {
  report_at(rule_.default_severity, file, range, std::move(message), std::move(help), migration_id,
            std::move(fingerprint_text), std::move(related_paths));
}

void ContextBase::report_at(Severity severity, const SourceFilePtr& file, ByteRange range, std::string message,
                            std::string help, const std::string& migration_id, std::string fingerprint_text,
                            std::vector<std::string> related_paths) const {
  report_in_statement(severity, file, range, range, std::move(message), std::move(help), migration_id,
                      std::move(fingerprint_text), std::move(related_paths));
}

void ContextBase::report_in_statement(Severity severity, const SourceFilePtr& file, ByteRange range,
                                      ByteRange statement, std::string message, std::string help,
                                      const std::string& migration_id, std::string fingerprint_text,
                                      std::vector<std::string> related_paths) const {
  Finding finding;
  finding.rule_id = std::string(rule_.id);
  finding.severity = severity;
  finding.file = file;
  if (file) {
    finding.path = file->display_path();
    finding.range = range;
    finding.start = file->position_of(range.begin);
    finding.end = file->position_of(range.end > range.begin ? range.end : range.begin);
    // The statement text is read from the file when needed (Finding::statement_text), not copied.
    finding.fingerprint_range = statement;
  }
  finding.message = std::move(message);
  finding.help = std::move(help);
  finding.migration_id = migration_id;
  finding.fingerprint_text = std::move(fingerprint_text);
  finding.related_paths = std::move(related_paths);
  (*sink_)(std::move(finding));
}

void StatementContext::report(std::string message, std::string help) const {
  report_at(script.file, statement.range, std::move(message), std::move(help), migration.id);
}

// The finding is identified by its whole statement's text (or by the reported range's when the statement
// has none), whichever range it points at.
void OperationContext::report(std::string message, std::string help) const {
  report(rule_.default_severity, std::move(message), std::move(help));
}

void OperationContext::report(Severity severity, std::string message, std::string help) const {
  ByteRange range = op.range.empty() ? statement.range : op.range;
  ByteRange identity = script.file->slice(statement.range).empty() ? range : statement.range;
  report_in_statement(severity, script.file, range, identity, std::move(message), std::move(help), migration.id, {},
                      {});
}

void OperationContext::report_statement(std::string message, std::string help) const {
  StatementContext::report(std::move(message), std::move(help));
}

}  // namespace migsafe
