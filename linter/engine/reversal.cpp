#include "linter/engine/reversal.h"

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <optional>

#include "linter/util/text.h"

namespace migsafe {

namespace {

std::string quoted(const std::string& text) { return "`" + text + "`"; }

std::string join(const std::vector<std::string>& items, const std::string& separator = ", ") {
  std::string result;
  for (const std::string& item : items) result += (result.empty() ? "" : separator) + item;
  return result;
}

// Python string literal for the Alembic forms.
std::string py(const std::string& text) { return "'" + text + "'"; }

// Names that denote the same object: renames in either script join their old and new names.
class Aliases {
 public:
  void join(const std::string& a, const std::string& b) { parent_[find(ascii_lowered(a))] = find(ascii_lowered(b)); }
  std::string find(const std::string& key) const {
    std::string current = ascii_lowered(key);
    for (auto it = parent_.find(current); it != parent_.end() && it->second != current; it = parent_.find(current)) {
      current = it->second;
    }
    return current;
  }

 private:
  std::map<std::string, std::string> parent_;
};

bool schemas_compatible(const std::string& a, const std::string& b) {
  return a.empty() || b.empty() || ascii_lowered(a) == ascii_lowered(b);
}

enum class Need {
  // Objects the upgrade created: the downgrade must drop them.
  DropTable, DropColumn, DropIndex, DropConstraint, DropType, DropSequence, DropObject, DetachPartition,
  // Objects the upgrade dropped or renamed: the downgrade must restore them.
  CreateTable, AddColumn, CreateIndex, AddConstraint, CreateType, CreateSequence, CreateObject, AttachPartition,
  RenameTableBack, RenameColumnBack, RenameIndexBack, RenameEnumValueBack,
  // Columns the upgrade altered: the downgrade must alter them back.
  AlterTypeBack, DropNotNullBack, SetNotNullBack, DefaultBack,
};

bool depends_on_table(Need need) {
  switch (need) {
    case Need::DropTable: case Need::CreateTable: case Need::CreateType: case Need::DropType:
    case Need::CreateSequence: case Need::DropSequence: case Need::RenameTableBack: case Need::RenameIndexBack:
    case Need::RenameEnumValueBack: case Need::CreateObject:
      return false;
    default:
      return true;
  }
}

struct Obligation {
  Need need;
  const Statement* statement = nullptr;
  const Operation* op = nullptr;
  QualifiedName table;                // the table concerned (for types/sequences/objects: the object itself)
  std::string column;                 // column obligations
  std::string name;                   // index / constraint / object name; old name for renames
  std::string new_name;               // renames: the name after the upgrade
  std::vector<std::string> columns;   // index / constraint columns
  ObjectKind object_kind = ObjectKind::Other;
  std::optional<ConstraintKind> constraint_kind;
  bool or_replace = false;
  std::optional<TypeRef> old_type;
  TypeRef new_type;
  bool set_value = false;             // DefaultBack: the upgrade dropped the default, so one must be set
  bool active = true;
};

struct DowngradeOp {
  const Operation* op;
};

class Comparer {
 public:
  Comparer(const Script& upgrade, const Script& downgrade) : upgrade_(upgrade), downgrade_(downgrade) {
    collect_aliases();
  }

  std::vector<ReversalGap> run() {
    for (const Statement& statement : upgrade_.statements) {
      if (statement.error) continue;
      for (const Operation& op : statement.operations) record(statement, op);
    }
    std::vector<ReversalGap> gaps;
    for (const Obligation& obligation : obligations_) {
      if (!obligation.active || satisfied(obligation)) continue;
      gaps.push_back(describe_gap(obligation));
    }
    return gaps;
  }

 private:
  const Script& upgrade_;
  const Script& downgrade_;
  Aliases tables_;
  Aliases columns_;  // keys: "<table alias>.<column>"
  Aliases indexes_;
  std::vector<Obligation> obligations_;

  template <class F>
  void for_each_op(const Script& script, F&& visit) const {
    for (const Statement& statement : script.statements) {
      if (statement.error) continue;
      for (const Operation& op : statement.operations) visit(op);
    }
  }

  void collect_aliases() {
    auto tables = [this](const Operation& op) {
      if (const auto* rename = op.as<RenameTable>()) tables_.join(rename->table.name, rename->new_name);
      if (const auto* rename = op.as<RenameIndex>()) indexes_.join(rename->index.name, rename->new_name);
    };
    for_each_op(upgrade_, tables);
    for_each_op(downgrade_, tables);
    // Column keys need the table aliases, so they are joined in a second pass.
    auto columns = [this](const Operation& op) {
      if (const auto* rename = op.as<RenameColumn>()) {
        columns_.join(column_key(rename->table, rename->column), column_key(rename->table, rename->new_name));
      }
    };
    for_each_op(upgrade_, columns);
    for_each_op(downgrade_, columns);
  }

  // ---- name matching --------------------------------------------------------------------------------

  std::string column_key(const QualifiedName& table, const std::string& column) const {
    return tables_.find(table.name) + "." + ascii_lowered(column);
  }
  bool same_table(const QualifiedName& a, const QualifiedName& b) const {
    return schemas_compatible(a.schema, b.schema) && tables_.find(a.name) == tables_.find(b.name);
  }
  bool same_column(const QualifiedName& table_a, const std::string& a, const QualifiedName& table_b,
                   const std::string& b) const {
    return same_table(table_a, table_b) && columns_.find(column_key(table_a, a)) == columns_.find(column_key(table_b, b));
  }
  static bool same_name(const QualifiedName& a, const QualifiedName& b) {
    return schemas_compatible(a.schema, b.schema) && ascii_lowered(a.name) == ascii_lowered(b.name);
  }
  bool same_index(const std::string& schema_a, const std::string& a, const QualifiedName& b) const {
    return schemas_compatible(schema_a, b.schema) && indexes_.find(a) == indexes_.find(b.name);
  }
  static bool contains(const std::vector<QualifiedName>& names, const QualifiedName& name) {
    return std::any_of(names.begin(), names.end(), [&name](const QualifiedName& n) { return same_name(n, name); });
  }
  static bool kinds_match(ObjectKind a, ObjectKind b) {
    return a == b || a == ObjectKind::Other || b == ObjectKind::Other;
  }

  // ---- the upgrade's effects --------------------------------------------------------------------------

  Obligation& add(Need need, const Statement& statement, const Operation& op) {
    Obligation obligation;
    obligation.need = need;
    obligation.statement = &statement;
    obligation.op = &op;
    obligations_.push_back(std::move(obligation));
    return obligations_.back();
  }

  Obligation* live(Need need, const std::function<bool(const Obligation&)>& match) {
    for (Obligation& obligation : obligations_) {
      if (obligation.active && obligation.need == need && match(obligation)) return &obligation;
    }
    return nullptr;
  }

  bool table_created_here(const QualifiedName& table) {
    return live(Need::DropTable, [&](const Obligation& o) { return same_table(o.table, table); }) != nullptr;
  }
  bool column_created_here(const QualifiedName& table, const std::string& column) {
    if (table_created_here(table)) return true;
    return live(Need::DropColumn, [&](const Obligation& o) {
             return same_column(o.table, o.column, table, column);
           }) != nullptr;
  }
  bool any_column_created_here(const QualifiedName& table, const std::vector<std::string>& columns) {
    return std::any_of(columns.begin(), columns.end(),
                       [&](const std::string& column) { return column_created_here(table, column); });
  }

  // Everything recorded about a table (or a column of it) stops mattering once the upgrade drops it.
  void forget_table(const QualifiedName& table) {
    for (Obligation& obligation : obligations_) {
      if (obligation.active && depends_on_table(obligation.need) && same_table(obligation.table, table)) {
        obligation.active = false;
      }
    }
  }
  void forget_column(const QualifiedName& table, const std::string& column) {
    for (Obligation& obligation : obligations_) {
      if (!obligation.active || !depends_on_table(obligation.need) || !same_table(obligation.table, table)) continue;
      bool on_column = !obligation.column.empty() && same_column(obligation.table, obligation.column, table, column);
      bool uses_column = std::any_of(obligation.columns.begin(), obligation.columns.end(), [&](const std::string& c) {
        return same_column(obligation.table, c, table, column);
      });
      bool is_drop_of_created = obligation.need == Need::DropIndex || obligation.need == Need::DropConstraint;
      if (on_column || (uses_column && is_drop_of_created)) obligation.active = false;
    }
  }

  void record(const Statement& statement, const Operation& op) {
    if (const auto* create = op.as<CreateTable>()) {
      if (create->temporary) return;  // gone at the end of the session
      add(Need::DropTable, statement, op).table = create->table;
    } else if (const auto* drop = op.as<DropTable>()) {
      for (const QualifiedName& table : drop->tables) {
        bool created = table_created_here(table);
        forget_table(table);
        if (Obligation* created_here = live(Need::DropTable, [&](const Obligation& o) { return same_table(o.table, table); })) {
          created_here->active = false;
        }
        if (!created) add(Need::CreateTable, statement, op).table = table;
      }
    } else if (const auto* rename = op.as<RenameTable>()) {
      if (table_created_here(rename->table)) return;
      Obligation& o = add(Need::RenameTableBack, statement, op);
      o.table = rename->table;
      o.name = rename->table.name;
      o.new_name = rename->new_name;
    } else if (const auto* column = op.as<AddColumn>()) {
      if (table_created_here(column->table)) return;
      Obligation& o = add(Need::DropColumn, statement, op);
      o.table = column->table;
      o.column = column->column.name;
    } else if (const auto* drop_column = op.as<DropColumn>()) {
      bool created = column_created_here(drop_column->table, drop_column->column);
      forget_column(drop_column->table, drop_column->column);
      if (Obligation* added = live(Need::DropColumn, [&](const Obligation& o) {
            return same_column(o.table, o.column, drop_column->table, drop_column->column);
          })) {
        added->active = false;
      }
      if (created) return;
      Obligation& o = add(Need::AddColumn, statement, op);
      o.table = drop_column->table;
      o.column = drop_column->column;
    } else if (const auto* rename_column = op.as<RenameColumn>()) {
      if (column_created_here(rename_column->table, rename_column->column)) return;
      Obligation& o = add(Need::RenameColumnBack, statement, op);
      o.table = rename_column->table;
      o.column = rename_column->column;
      o.name = rename_column->column;
      o.new_name = rename_column->new_name;
    } else if (const auto* alter = op.as<AlterColumnType>()) {
      if (column_created_here(alter->table, alter->column)) return;
      if (live(Need::AlterTypeBack, [&](const Obligation& o) {
            return same_column(o.table, o.column, alter->table, alter->column);
          })) {
        return;  // the first change is the one the downgrade must revert to
      }
      Obligation& o = add(Need::AlterTypeBack, statement, op);
      o.table = alter->table;
      o.column = alter->column;
      o.old_type = alter->old_type;
      o.new_type = alter->new_type;
    } else if (const auto* set_not_null = op.as<SetNotNull>()) {
      record_nullability(statement, op, set_not_null->table, set_not_null->column, Need::DropNotNullBack,
                         Need::SetNotNullBack);
    } else if (const auto* drop_not_null = op.as<DropNotNull>()) {
      record_nullability(statement, op, drop_not_null->table, drop_not_null->column, Need::SetNotNullBack,
                         Need::DropNotNullBack);
    } else if (const auto* set_default = op.as<SetColumnDefault>()) {
      if (column_created_here(set_default->table, set_default->column)) return;
      if (live(Need::DefaultBack, [&](const Obligation& o) {
            return same_column(o.table, o.column, set_default->table, set_default->column);
          })) {
        return;
      }
      Obligation& o = add(Need::DefaultBack, statement, op);
      o.table = set_default->table;
      o.column = set_default->column;
      o.set_value = !set_default->value.has_value();
    } else if (const auto* constraint = op.as<AddConstraint>()) {
      const ConstraintSpec& spec = constraint->constraint;
      if (!spec.using_index.empty()) {
        // The index becomes the constraint's: dropping the constraint drops it.
        if (Obligation* index = live(Need::DropIndex, [&](const Obligation& o) {
              return !o.name.empty() && indexes_.find(o.name) == indexes_.find(spec.using_index);
            })) {
          index->active = false;
        }
      }
      if (table_created_here(constraint->table) || any_column_created_here(constraint->table, spec.columns)) return;
      Obligation& o = add(Need::DropConstraint, statement, op);
      o.table = constraint->table;
      o.name = spec.name;
      o.columns = spec.columns;
      o.constraint_kind = spec.kind;
    } else if (const auto* drop_constraint = op.as<DropConstraint>()) {
      if (Obligation* added = live(Need::DropConstraint, [&](const Obligation& o) {
            return !o.name.empty() && same_table(o.table, drop_constraint->table) &&
                   ascii_lowered(o.name) == ascii_lowered(drop_constraint->name);
          })) {
        added->active = false;
        return;
      }
      if (table_created_here(drop_constraint->table)) return;
      Obligation& o = add(Need::AddConstraint, statement, op);
      o.table = drop_constraint->table;
      o.name = drop_constraint->name;
      o.constraint_kind = drop_constraint->kind;
    } else if (const auto* index = op.as<CreateIndex>()) {
      const IndexSpec& spec = index->index;
      if (table_created_here(spec.table) || any_column_created_here(spec.table, spec.columns)) return;
      Obligation& o = add(Need::DropIndex, statement, op);
      o.table = spec.table;
      o.name = spec.name;
      o.columns = spec.columns;
    } else if (const auto* drop_index = op.as<DropIndex>()) {
      for (const QualifiedName& name : drop_index->indexes) {
        if (Obligation* created = live(Need::DropIndex, [&](const Obligation& o) {
              return !o.name.empty() && same_index(o.table.schema, o.name, name);
            })) {
          created->active = false;
          continue;
        }
        if (!drop_index->table.name.empty() && table_created_here(drop_index->table)) continue;
        Obligation& o = add(Need::CreateIndex, statement, op);
        o.table = drop_index->table;
        o.name = name.name;
      }
    } else if (const auto* rename_index = op.as<RenameIndex>()) {
      if (live(Need::DropIndex, [&](const Obligation& o) {
            return !o.name.empty() && same_index(o.table.schema, o.name, rename_index->index);
          })) {
        return;
      }
      Obligation& o = add(Need::RenameIndexBack, statement, op);
      o.table = rename_index->index;
      o.name = rename_index->index.name;
      o.new_name = rename_index->new_name;
    } else if (const auto* type = op.as<CreateEnumType>()) {
      add(Need::DropType, statement, op).table = type->type;
    } else if (const auto* drop_type = op.as<DropType>()) {
      for (const QualifiedName& name : drop_type->types) {
        if (Obligation* created = live(Need::DropType, [&](const Obligation& o) { return same_name(o.table, name); })) {
          created->active = false;
          continue;
        }
        add(Need::CreateType, statement, op).table = name;
      }
    } else if (const auto* rename_value = op.as<RenameEnumValue>()) {
      if (live(Need::DropType, [&](const Obligation& o) { return same_name(o.table, rename_value->type); })) return;
      Obligation& o = add(Need::RenameEnumValueBack, statement, op);
      o.table = rename_value->type;
      o.name = rename_value->old_value;
      o.new_name = rename_value->new_value;
    } else if (const auto* sequence = op.as<CreateSequence>()) {
      add(Need::DropSequence, statement, op).table = sequence->sequence;
    } else if (const auto* drop_sequence = op.as<DropSequence>()) {
      for (const QualifiedName& name : drop_sequence->sequences) {
        if (Obligation* created =
                live(Need::DropSequence, [&](const Obligation& o) { return same_name(o.table, name); })) {
          created->active = false;
          continue;
        }
        add(Need::CreateSequence, statement, op).table = name;
      }
    } else if (const auto* object = op.as<CreateObject>()) {
      if (object->kind == ObjectKind::Trigger && !object->table.name.empty() && table_created_here(object->table)) {
        return;
      }
      if (live(Need::DropObject, [&](const Obligation& o) {
            return kinds_match(o.object_kind, object->kind) && same_name(QualifiedName{o.table.schema, o.name}, object->name);
          })) {
        return;  // CREATE OR REPLACE of an object created earlier in this upgrade
      }
      Obligation& o = add(Need::DropObject, statement, op);
      o.object_kind = object->kind;
      o.table = object->kind == ObjectKind::Trigger ? object->table : QualifiedName{object->name.schema, ""};
      o.name = object->name.name;
      o.or_replace = object->or_replace;
    } else if (const auto* drop_object = op.as<DropObject>()) {
      for (const QualifiedName& name : drop_object->names) {
        if (Obligation* created = live(Need::DropObject, [&](const Obligation& o) {
              return kinds_match(o.object_kind, drop_object->kind) &&
                     same_name(QualifiedName{o.object_kind == ObjectKind::Trigger ? "" : o.table.schema, o.name}, name);
            })) {
          created->active = false;
          continue;
        }
        Obligation& o = add(Need::CreateObject, statement, op);
        o.object_kind = drop_object->kind;
        o.table = QualifiedName{name.schema, ""};
        o.name = name.name;
      }
    } else if (const auto* drop_schema = op.as<DropSchema>()) {
      for (const std::string& schema : drop_schema->names) {
        if (Obligation* created = live(Need::DropObject, [&](const Obligation& o) {
              return o.object_kind == ObjectKind::Schema && ascii_lowered(o.name) == ascii_lowered(schema);
            })) {
          created->active = false;
          // Everything created in the schema went with it.
          for (Obligation& obligation : obligations_) {
            if (obligation.active && !obligation.table.schema.empty() && ascii_lowered(obligation.table.schema) == ascii_lowered(schema)) {
              obligation.active = false;
            }
          }
          continue;
        }
        Obligation& o = add(Need::CreateObject, statement, op);
        o.object_kind = ObjectKind::Schema;
        o.name = schema;
      }
    } else if (const auto* attach = op.as<AttachPartition>()) {
      Obligation& o = add(Need::DetachPartition, statement, op);
      o.table = attach->partition;
      o.name = attach->parent.display();
    } else if (const auto* detach = op.as<DetachPartition>()) {
      Obligation& o = add(Need::AttachPartition, statement, op);
      o.table = detach->partition;
      o.name = detach->parent.display();
    }
  }

  void record_nullability(const Statement& statement, const Operation& op, const QualifiedName& table,
                          const std::string& column, Need need, Need opposite) {
    if (column_created_here(table, column)) return;
    // SET NOT NULL after DROP NOT NULL of the same column in this upgrade: back where it started.
    if (Obligation* earlier = live(opposite, [&](const Obligation& o) { return same_column(o.table, o.column, table, column); })) {
      earlier->active = false;
      return;
    }
    if (live(need, [&](const Obligation& o) { return same_column(o.table, o.column, table, column); })) return;
    Obligation& o = add(need, statement, op);
    o.table = table;
    o.column = column;
  }

  // ---- does the downgrade undo it? -----------------------------------------------------------------------

  bool any_down(const std::function<bool(const Operation&)>& match) const {
    for (const Statement& statement : downgrade_.statements) {
      if (statement.error) continue;
      for (const Operation& op : statement.operations) {
        if (match(op)) return true;
      }
    }
    return false;
  }

  bool drops_schema_of(const QualifiedName& name) const {
    if (name.schema.empty()) return false;
    return any_down([&](const Operation& op) {
      const auto* drop = op.as<DropSchema>();
      if (!drop || !drop->cascade) return false;
      return std::any_of(drop->names.begin(), drop->names.end(),
                         [&](const std::string& schema) { return ascii_lowered(schema) == ascii_lowered(name.schema); });
    });
  }

  bool drops_table(const QualifiedName& table) const {
    if (table.name.empty()) return false;
    if (drops_schema_of(table)) return true;
    return any_down([&](const Operation& op) {
      const auto* drop = op.as<DropTable>();
      return drop && std::any_of(drop->tables.begin(), drop->tables.end(),
                                 [&](const QualifiedName& t) { return same_table(t, table); });
    });
  }

  bool drops_column(const QualifiedName& table, const std::string& column) const {
    if (drops_table(table)) return true;
    return any_down([&](const Operation& op) {
      const auto* drop = op.as<DropColumn>();
      return drop && same_column(drop->table, drop->column, table, column);
    });
  }

  bool drops_any_column(const QualifiedName& table, const std::vector<std::string>& columns) const {
    return std::any_of(columns.begin(), columns.end(),
                       [&](const std::string& column) { return drops_column(table, column); });
  }

  // A name the database generated, or one that plainly refers to this table and these columns.
  static bool loosely_names(const std::string& candidate, const QualifiedName& table,
                            const std::vector<std::string>& columns, const std::string& suffix) {
    std::string name = ascii_lowered(candidate);
    std::string prefix = ascii_lowered(table.name) + "_";
    if (!columns.empty()) {
      std::vector<std::string> parts;
      for (const std::string& column : columns) parts.push_back(ascii_lowered(column));
      if (!suffix.empty() && name == prefix + join(parts, "_") + "_" + suffix) return true;
      bool mentions_all = std::all_of(parts.begin(), parts.end(),
                                      [&name](const std::string& column) { return name.find(column) != std::string::npos; });
      return mentions_all && name.find(ascii_lowered(table.name)) != std::string::npos;
    }
    return !suffix.empty() && name.rfind(prefix, 0) == 0 && name.size() >= suffix.size() &&
           name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
  }

  static std::string constraint_suffix(std::optional<ConstraintKind> kind) {
    if (!kind) return "";
    switch (*kind) {
      case ConstraintKind::PrimaryKey: return "pkey";
      case ConstraintKind::ForeignKey: return "fkey";
      case ConstraintKind::Unique: return "key";
      case ConstraintKind::Check: return "check";
      case ConstraintKind::Exclusion: return "excl";
      case ConstraintKind::NotNull: return "not_null";
    }
    return "";
  }

  bool satisfied(const Obligation& o) const {
    switch (o.need) {
      case Need::DropTable:
        return drops_table(o.table);
      case Need::DropColumn:
        return drops_column(o.table, o.column);
      case Need::DropIndex:
        if (drops_table(o.table) || drops_any_column(o.table, o.columns)) return true;
        return any_down([&](const Operation& op) {
          const auto* drop = op.as<DropIndex>();
          if (!drop) return false;
          return std::any_of(drop->indexes.begin(), drop->indexes.end(), [&](const QualifiedName& index) {
            if (!o.name.empty()) return same_index(o.table.schema, o.name, index);
            bool table_ok = drop->table.name.empty() || same_table(drop->table, o.table);
            return table_ok && loosely_names(index.name, o.table, o.columns, "idx");
          });
        });
      case Need::DropConstraint:
        if (drops_table(o.table) || drops_any_column(o.table, o.columns)) return true;
        return any_down([&](const Operation& op) {
          const auto* drop = op.as<DropConstraint>();
          if (!drop || !same_table(drop->table, o.table)) return false;
          if (!o.name.empty()) return ascii_lowered(drop->name) == ascii_lowered(o.name);
          if (o.constraint_kind == ConstraintKind::PrimaryKey &&
              (ascii_lowered(drop->name) == ascii_lowered(o.table.name) + "_pkey" || drop->kind == ConstraintKind::PrimaryKey)) {
            return true;
          }
          return loosely_names(drop->name, o.table, o.columns, constraint_suffix(o.constraint_kind));
        });
      case Need::DropType:
        if (drops_schema_of(o.table)) return true;
        return any_down([&](const Operation& op) {
          const auto* drop = op.as<DropType>();
          return drop && contains(drop->types, o.table);
        });
      case Need::DropSequence:
        if (drops_schema_of(o.table)) return true;
        return any_down([&](const Operation& op) {
          const auto* drop = op.as<DropSequence>();
          return drop && contains(drop->sequences, o.table);
        });
      case Need::DropObject: {
        QualifiedName name{o.object_kind == ObjectKind::Trigger ? "" : o.table.schema, o.name};
        if (o.object_kind == ObjectKind::Trigger && drops_table(o.table)) return true;
        if (o.object_kind != ObjectKind::Trigger && drops_schema_of(name)) return true;
        return any_down([&](const Operation& op) {
          if (const auto* drop = op.as<DropObject>()) return kinds_match(drop->kind, o.object_kind) && contains(drop->names, name);
          if (const auto* schema = op.as<DropSchema>()) {
            return o.object_kind == ObjectKind::Schema &&
                   std::any_of(schema->names.begin(), schema->names.end(),
                               [&](const std::string& s) { return ascii_lowered(s) == ascii_lowered(o.name); });
          }
          // CREATE OR REPLACE in the upgrade is undone by putting the previous definition back.
          if (const auto* create = op.as<CreateObject>()) {
            return o.or_replace && create->kind == o.object_kind && same_name(create->name, name);
          }
          return false;
        });
      }
      case Need::DetachPartition:
        if (drops_table(o.table)) return true;
        return any_down([&](const Operation& op) {
          const auto* detach = op.as<DetachPartition>();
          return detach && same_table(detach->partition, o.table);
        });
      case Need::CreateTable:
        return any_down([&](const Operation& op) {
          const auto* create = op.as<CreateTable>();
          return create && same_table(create->table, o.table);
        });
      case Need::AddColumn:
        return any_down([&](const Operation& op) {
          if (const auto* add = op.as<AddColumn>()) return same_column(add->table, add->column.name, o.table, o.column);
          if (const auto* create = op.as<CreateTable>()) {
            return same_table(create->table, o.table) &&
                   std::any_of(create->columns.begin(), create->columns.end(), [&](const ColumnSpec& column) {
                     return same_column(create->table, column.name, o.table, o.column);
                   });
          }
          return false;
        });
      case Need::CreateIndex:
        return any_down([&](const Operation& op) {
          if (const auto* create = op.as<CreateIndex>()) {
            return !create->index.name.empty() && same_index(create->index.table.schema, create->index.name,
                                                             QualifiedName{o.table.schema, o.name});
          }
          // The index may have backed a constraint that the downgrade re-adds.
          if (const auto* add = op.as<AddConstraint>()) return ascii_lowered(add->constraint.name) == ascii_lowered(o.name);
          return false;
        });
      case Need::AddConstraint:
        return any_down([&](const Operation& op) {
          auto named = [&](const ConstraintSpec& spec) { return ascii_lowered(spec.name) == ascii_lowered(o.name); };
          if (const auto* add = op.as<AddConstraint>()) return same_table(add->table, o.table) && named(add->constraint);
          if (const auto* create = op.as<CreateTable>()) {
            if (!same_table(create->table, o.table)) return false;
            if (std::any_of(create->constraints.begin(), create->constraints.end(), named)) return true;
            return std::any_of(create->columns.begin(), create->columns.end(), [&](const ColumnSpec& column) {
              return std::any_of(column.constraints.begin(), column.constraints.end(), named);
            });
          }
          if (const auto* add_column = op.as<AddColumn>()) {
            return same_table(add_column->table, o.table) &&
                   std::any_of(add_column->column.constraints.begin(), add_column->column.constraints.end(), named);
          }
          // A unique constraint dropped by name may come back as a unique index of the same name.
          if (const auto* index = op.as<CreateIndex>()) return ascii_lowered(index->index.name) == ascii_lowered(o.name);
          return false;
        });
      case Need::CreateType:
        return any_down([&](const Operation& op) {
          if (const auto* create = op.as<CreateEnumType>()) return same_name(create->type, o.table);
          if (const auto* object = op.as<CreateObject>()) {
            return object->kind == ObjectKind::Domain && same_name(object->name, o.table);
          }
          return false;
        });
      case Need::CreateSequence:
        return any_down([&](const Operation& op) {
          const auto* create = op.as<CreateSequence>();
          return create && same_name(create->sequence, o.table);
        });
      case Need::CreateObject:
        return any_down([&](const Operation& op) {
          const auto* create = op.as<CreateObject>();
          return create && kinds_match(create->kind, o.object_kind) &&
                 same_name(create->name, QualifiedName{o.table.schema, o.name});
        });
      case Need::AttachPartition:
        return any_down([&](const Operation& op) {
          const auto* attach = op.as<AttachPartition>();
          return attach && same_table(attach->partition, o.table);
        });
      case Need::RenameTableBack:
        return any_down([&](const Operation& op) {
          const auto* rename = op.as<RenameTable>();
          return rename && ascii_lowered(rename->table.name) == ascii_lowered(o.new_name) && ascii_lowered(rename->new_name) == ascii_lowered(o.name);
        });
      case Need::RenameColumnBack:
        return any_down([&](const Operation& op) {
          const auto* rename = op.as<RenameColumn>();
          return rename && same_table(rename->table, o.table) && ascii_lowered(rename->column) == ascii_lowered(o.new_name) &&
                 ascii_lowered(rename->new_name) == ascii_lowered(o.name);
        });
      case Need::RenameIndexBack:
        return any_down([&](const Operation& op) {
          const auto* rename = op.as<RenameIndex>();
          return rename && ascii_lowered(rename->index.name) == ascii_lowered(o.new_name) && ascii_lowered(rename->new_name) == ascii_lowered(o.name);
        });
      case Need::RenameEnumValueBack:
        return any_down([&](const Operation& op) {
          const auto* rename = op.as<RenameEnumValue>();
          return rename && same_name(rename->type, o.table) && rename->old_value == o.new_name &&
                 rename->new_value == o.name;
        });
      case Need::AlterTypeBack:
        return any_down([&](const Operation& op) {
          const auto* alter = op.as<AlterColumnType>();
          if (!alter || !same_column(alter->table, alter->column, o.table, o.column)) return false;
          // When the type before the upgrade is known, the downgrade must go back to it.
          return !o.old_type || !o.old_type->known() || !alter->new_type.known() ||
                 alter->new_type.name == o.old_type->name;
        });
      case Need::DropNotNullBack:
        return any_down([&](const Operation& op) {
          const auto* drop = op.as<DropNotNull>();
          return drop && same_column(drop->table, drop->column, o.table, o.column);
        });
      case Need::SetNotNullBack:
        return any_down([&](const Operation& op) {
          const auto* set = op.as<SetNotNull>();
          return set && same_column(set->table, set->column, o.table, o.column);
        });
      case Need::DefaultBack:
        return any_down([&](const Operation& op) {
          const auto* set = op.as<SetColumnDefault>();
          return set && same_column(set->table, set->column, o.table, o.column) && (!o.set_value || set->value);
        });
    }
    return true;
  }

  // ---- what to tell the user -----------------------------------------------------------------------------

  static std::string type_text(const TypeRef& type) { return type.written.empty() ? type.name : type.written; }

  static std::string object_sql(ObjectKind kind) {
    std::string word = to_string(kind);
    for (char& c : word) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return kind == ObjectKind::Other ? std::string("OBJECT") : word;
  }

  static std::string constraint_word(std::optional<ConstraintKind> kind) {
    if (!kind) return "constraint";
    switch (*kind) {
      case ConstraintKind::PrimaryKey: return "primary key";
      case ConstraintKind::ForeignKey: return "foreign key";
      case ConstraintKind::Unique: return "unique constraint";
      case ConstraintKind::Check: return "check constraint";
      case ConstraintKind::Exclusion: return "exclusion constraint";
      case ConstraintKind::NotNull: return "not-null constraint";
    }
    return "constraint";
  }

  static std::string alembic_constraint_type(std::optional<ConstraintKind> kind) {
    if (!kind) return "";
    switch (*kind) {
      case ConstraintKind::PrimaryKey: return ", type_='primary'";
      case ConstraintKind::ForeignKey: return ", type_='foreignkey'";
      case ConstraintKind::Unique: return ", type_='unique'";
      case ConstraintKind::Check: return ", type_='check'";
      default: return "";
    }
  }

  static ReversalGap describe_gap(const Obligation& o) {
    ReversalGap gap;
    gap.statement = o.statement;
    gap.operation = o.op;
    const std::string table = o.table.display();
    const std::string column = table + "." + o.column;
    auto recreate_fails = [](const std::string& what) {
      return ", so upgrading again fails with `" + what + " already exists`";
    };
    switch (o.need) {
      case Need::DropTable:
        gap.consequence = "Rolling back this migration leaves table " + quoted(table) + " in place" +
                          recreate_fails("relation \"" + o.table.name + "\"");
        gap.missing = "the downgrade does not drop table " + quoted(table) + " created here";
        gap.undo_sql = "DROP TABLE " + table + ";";
        gap.undo_alembic = "op.drop_table(" + py(o.table.name) + ")";
        break;
      case Need::DropColumn:
        gap.consequence = "Rolling back this migration leaves column " + quoted(column) + " in place" +
                          recreate_fails("column \"" + o.column + "\" of relation \"" + o.table.name + "\"");
        gap.missing = "the downgrade does not drop column " + quoted(column) + " added here";
        gap.undo_sql = "ALTER TABLE " + table + " DROP COLUMN " + o.column + ";";
        gap.undo_alembic = "op.drop_column(" + py(o.table.name) + ", " + py(o.column) + ")";
        break;
      case Need::DropIndex: {
        std::string generated = o.table.name + "_" + join(o.columns, "_") + "_idx";
        if (o.name.empty()) {
          gap.consequence = "Rolling back this migration leaves the index on " + quoted(table + " (" + join(o.columns) + ")") +
                            " in place, so upgrading again builds a second, duplicate index";
          gap.missing = "the downgrade does not drop the unnamed index created here on " + quoted(table);
          gap.undo_sql = "DROP INDEX " + generated + ";  -- the name PostgreSQL generated; check with \\d " + table;
          gap.undo_alembic = "op.drop_index(" + py(generated) + ", table_name=" + py(o.table.name) + ")";
        } else {
          gap.consequence = "Rolling back this migration leaves index " + quoted(o.name) + " in place" +
                            recreate_fails("relation \"" + o.name + "\"");
          gap.missing = "the downgrade does not drop index " + quoted(o.name) + " created here";
          gap.undo_sql = "DROP INDEX " + QualifiedName{o.table.schema, o.name}.display() + ";";
          gap.undo_alembic = "op.drop_index(" + py(o.name) + ", table_name=" + py(o.table.name) + ")";
        }
        break;
      }
      case Need::DropConstraint: {
        std::string word = constraint_word(o.constraint_kind);
        if (o.name.empty()) {
          std::string generated =
              o.constraint_kind == ConstraintKind::PrimaryKey
                  ? o.table.name + "_pkey"
                  : o.table.name + (o.columns.empty() ? "" : "_" + join(o.columns, "_")) + "_" +
                        constraint_suffix(o.constraint_kind);
          gap.consequence = "Rolling back this migration leaves the " + word + " on " + quoted(table) +
                            (o.columns.empty() ? "" : " (" + join(o.columns) + ")") +
                            " in place, so upgrading again adds a duplicate or fails";
          gap.missing = "the downgrade does not drop the unnamed " + word + " added here";
          gap.undo_sql = "ALTER TABLE " + table + " DROP CONSTRAINT " + generated +
                         ";  -- the name the database generated; check with \\d " + table;
          gap.undo_alembic = "op.drop_constraint(" + py(generated) + ", " + py(o.table.name) +
                             alembic_constraint_type(o.constraint_kind) + ")";
        } else {
          gap.consequence = "Rolling back this migration leaves " + word + " " + quoted(o.name) + " on " +
                            quoted(table) + " in place" + recreate_fails("constraint \"" + o.name + "\"");
          gap.missing = "the downgrade does not drop " + word + " " + quoted(o.name) + " added here";
          gap.undo_sql = "ALTER TABLE " + table + " DROP CONSTRAINT " + o.name + ";";
          gap.undo_alembic = "op.drop_constraint(" + py(o.name) + ", " + py(o.table.name) +
                             alembic_constraint_type(o.constraint_kind) + ")";
        }
        break;
      }
      case Need::DropType:
        gap.consequence = "Rolling back this migration leaves enum type " + quoted(table) + " in place" +
                          recreate_fails("type \"" + o.table.name + "\"");
        gap.missing = "the downgrade does not drop type " + quoted(table) + " created here";
        gap.undo_sql = "DROP TYPE " + table + ";";
        gap.undo_alembic = "op.execute(\"DROP TYPE " + table + "\")";
        break;
      case Need::DropSequence:
        gap.consequence = "Rolling back this migration leaves sequence " + quoted(table) + " in place" +
                          recreate_fails("relation \"" + o.table.name + "\"");
        gap.missing = "the downgrade does not drop sequence " + quoted(table) + " created here";
        gap.undo_sql = "DROP SEQUENCE " + table + ";";
        gap.undo_alembic = "op.execute(\"DROP SEQUENCE " + table + "\")";
        break;
      case Need::DropObject: {
        std::string word = to_string(o.object_kind);
        bool trigger = o.object_kind == ObjectKind::Trigger;
        std::string name = trigger ? o.name : QualifiedName{o.table.schema, o.name}.display();
        if (o.or_replace) {
          gap.consequence = "Rolling back this migration keeps the new definition of " + word + " " + quoted(name) +
                            ", so the previous release runs against code it was not written for";
          gap.missing = "the downgrade neither drops " + word + " " + quoted(name) +
                        " created or replaced here nor restores its previous definition";
        } else {
          gap.consequence = "Rolling back this migration leaves " + word + " " + quoted(name) + " in place" +
                            recreate_fails(word + " \"" + o.name + "\"");
          gap.missing = "the downgrade does not drop " + word + " " + quoted(name) + " created here";
        }
        std::string drop = "DROP " + object_sql(o.object_kind) + " " + name + (trigger ? " ON " + table : "");
        gap.undo_sql = drop + ";";
        gap.undo_alembic = "op.execute(\"" + drop + "\")";
        break;
      }
      case Need::DetachPartition:
        gap.consequence = "Rolling back this migration leaves " + quoted(table) + " attached as a partition of " +
                          quoted(o.name) + ", so upgrading again fails";
        gap.missing = "the downgrade does not detach partition " + quoted(table) + " attached here";
        gap.undo_sql = "ALTER TABLE " + o.name + " DETACH PARTITION " + table + ";";
        gap.undo_alembic = "op.execute(\"" + gap.undo_sql.substr(0, gap.undo_sql.size() - 1) + "\")";
        break;
      case Need::CreateTable:
        gap.consequence = "Rolling back this migration does not bring table " + quoted(table) +
                          " back, so the previous release fails with `relation \"" + o.table.name +
                          "\" does not exist`";
        gap.missing = "the downgrade does not recreate table " + quoted(table) + " dropped here";
        gap.undo_sql = "CREATE TABLE " + table + " (...);  -- its definition before this migration";
        gap.undo_alembic = "op.create_table(" + py(o.table.name) + ", ...)";
        break;
      case Need::AddColumn:
        gap.consequence = "Rolling back this migration does not bring column " + quoted(column) +
                          " back, so the previous release fails with `column \"" + o.column + "\" does not exist`";
        gap.missing = "the downgrade does not re-add column " + quoted(column) + " dropped here";
        gap.undo_sql = "ALTER TABLE " + table + " ADD COLUMN " + o.column + " <type>;";
        gap.undo_alembic = "op.add_column(" + py(o.table.name) + ", sa.Column(" + py(o.column) + ", <type>))";
        break;
      case Need::CreateIndex:
        gap.consequence = "Rolling back this migration does not rebuild index " + quoted(o.name) +
                          ", so the previous release's queries that relied on it fall back to slow scans";
        gap.missing = "the downgrade does not recreate index " + quoted(o.name) + " dropped here";
        gap.undo_sql = "CREATE INDEX CONCURRENTLY " + o.name + " ON " + (table.empty() ? "<table>" : table) + " (...);";
        gap.undo_alembic = "op.create_index(" + py(o.name) + ", " + py(o.table.name.empty() ? "<table>" : o.table.name) +
                           ", [...])";
        break;
      case Need::AddConstraint: {
        std::string word = constraint_word(o.constraint_kind);
        gap.consequence = "Rolling back this migration does not restore " + word + " " + quoted(o.name) + " on " +
                          quoted(table) + ", so the data it protected is no longer checked";
        gap.missing = "the downgrade does not re-add " + word + " " + quoted(o.name) + " dropped here";
        gap.undo_sql = "ALTER TABLE " + table + " ADD CONSTRAINT " + o.name + " ...;";
        gap.undo_alembic = "op.create_" +
                           std::string(o.constraint_kind == ConstraintKind::ForeignKey  ? "foreign_key"
                                       : o.constraint_kind == ConstraintKind::Unique    ? "unique_constraint"
                                       : o.constraint_kind == ConstraintKind::PrimaryKey ? "primary_key"
                                                                                          : "check_constraint") +
                           "(" + py(o.name) + ", " + py(o.table.name) + ", ...)";
        break;
      }
      case Need::CreateType:
        gap.consequence = "Rolling back this migration does not bring type " + quoted(table) +
                          " back, so columns and code of the previous release that use it fail";
        gap.missing = "the downgrade does not recreate type " + quoted(table) + " dropped here";
        gap.undo_sql = "CREATE TYPE " + table + " AS ENUM (...);";
        gap.undo_alembic = "sa.Enum(..., name=" + py(o.table.name) + ").create(op.get_bind())";
        break;
      case Need::CreateSequence:
        gap.consequence = "Rolling back this migration does not bring sequence " + quoted(table) +
                          " back, so the previous release's inserts that use it fail";
        gap.missing = "the downgrade does not recreate sequence " + quoted(table) + " dropped here";
        gap.undo_sql = "CREATE SEQUENCE " + table + ";";
        gap.undo_alembic = "op.execute(\"CREATE SEQUENCE " + table + "\")";
        break;
      case Need::CreateObject: {
        std::string word = to_string(o.object_kind);
        std::string name = QualifiedName{o.table.schema, o.name}.display();
        gap.consequence = "Rolling back this migration does not bring " + word + " " + quoted(name) +
                          " back, so the previous release fails where it uses it";
        gap.missing = "the downgrade does not recreate " + word + " " + quoted(name) + " dropped here";
        gap.undo_sql = "CREATE " + object_sql(o.object_kind) + " " + name + " ...;  -- its definition before this migration";
        gap.undo_alembic = "op.execute(\"CREATE " + object_sql(o.object_kind) + " " + name + " ...\")";
        break;
      }
      case Need::AttachPartition:
        gap.consequence = "Rolling back this migration leaves " + quoted(table) + " detached from " + quoted(o.name) +
                          ", so its rows disappear from queries on the parent table";
        gap.missing = "the downgrade does not re-attach partition " + quoted(table) + " detached here";
        gap.undo_sql = "ALTER TABLE " + o.name + " ATTACH PARTITION " + table + " FOR VALUES ...;";
        gap.undo_alembic = "op.execute(\"ALTER TABLE " + o.name + " ATTACH PARTITION " + table + " FOR VALUES ...\")";
        break;
      case Need::RenameTableBack: {
        std::string renamed = QualifiedName{o.table.schema, o.new_name}.display();
        gap.consequence = "Rolling back this migration leaves table " + quoted(o.name) + " named " + quoted(o.new_name) +
                          ", so the previous release fails with `relation \"" + o.name + "\" does not exist`";
        gap.missing = "the downgrade does not rename " + quoted(renamed) + " back to " + quoted(o.name);
        gap.undo_sql = "ALTER TABLE " + renamed + " RENAME TO " + o.name + ";";
        gap.undo_alembic = "op.rename_table(" + py(o.new_name) + ", " + py(o.name) + ")";
        break;
      }
      case Need::RenameColumnBack:
        gap.consequence = "Rolling back this migration leaves column " + quoted(table + "." + o.name) + " named " +
                          quoted(o.new_name) + ", so the previous release fails with `column \"" + o.name +
                          "\" does not exist`";
        gap.missing = "the downgrade does not rename column " + quoted(table + "." + o.new_name) + " back to " +
                      quoted(o.name);
        gap.undo_sql = "ALTER TABLE " + table + " RENAME COLUMN " + o.new_name + " TO " + o.name + ";";
        gap.undo_alembic = "op.alter_column(" + py(o.table.name) + ", " + py(o.new_name) + ", new_column_name=" +
                           py(o.name) + ")";
        break;
      case Need::RenameIndexBack:
        gap.consequence = "Rolling back this migration leaves index " + quoted(o.name) + " named " + quoted(o.new_name) +
                          ", so upgrading again fails with `relation \"" + o.name + "\" does not exist`";
        gap.missing = "the downgrade does not rename index " + quoted(o.new_name) + " back to " + quoted(o.name);
        gap.undo_sql = "ALTER INDEX " + QualifiedName{o.table.schema, o.new_name}.display() + " RENAME TO " + o.name + ";";
        gap.undo_alembic = "op.execute(\"" + gap.undo_sql.substr(0, gap.undo_sql.size() - 1) + "\")";
        break;
      case Need::RenameEnumValueBack:
        gap.consequence = "Rolling back this migration leaves the value '" + o.name + "' of type " + quoted(table) +
                          " renamed to '" + o.new_name + "', so the previous release's writes of '" + o.name +
                          "' fail with `invalid input value for enum`";
        gap.missing = "the downgrade does not rename value '" + o.new_name + "' back to '" + o.name + "'";
        gap.undo_sql = "ALTER TYPE " + table + " RENAME VALUE '" + o.new_name + "' TO '" + o.name + "';";
        gap.undo_alembic = "op.execute(\"" + gap.undo_sql.substr(0, gap.undo_sql.size() - 1) + "\")";
        break;
      case Need::AlterTypeBack: {
        bool known = o.old_type && o.old_type->known();
        std::string old_type = known ? type_text(*o.old_type) : "<its previous type>";
        gap.consequence = "Rolling back this migration leaves column " + quoted(column) + " as " +
                          quoted(type_text(o.new_type)) +
                          (known ? " instead of " + quoted(old_type) : std::string()) +
                          ", so the schema no longer matches the previous release";
        gap.missing = "the downgrade does not change the type of " + quoted(column) + " back" +
                      (known ? " to " + quoted(old_type) : std::string());
        gap.undo_sql = "ALTER TABLE " + table + " ALTER COLUMN " + o.column + " TYPE " + old_type + ";";
        gap.undo_alembic = "op.alter_column(" + py(o.table.name) + ", " + py(o.column) + ", type_=" +
                           (known ? "<" + old_type + ">" : std::string("<previous type>")) + ", existing_type=<" +
                           type_text(o.new_type) + ">)";
        break;
      }
      case Need::DropNotNullBack:
        gap.consequence = "Rolling back this migration leaves column " + quoted(column) +
                          " NOT NULL, so inserts of the previous release that omit it fail";
        gap.missing = "the downgrade does not drop NOT NULL on " + quoted(column) + " set here";
        gap.undo_sql = "ALTER TABLE " + table + " ALTER COLUMN " + o.column + " DROP NOT NULL;";
        gap.undo_alembic = "op.alter_column(" + py(o.table.name) + ", " + py(o.column) + ", nullable=True)";
        break;
      case Need::SetNotNullBack:
        gap.consequence = "Rolling back this migration leaves column " + quoted(column) +
                          " nullable, so NULLs written meanwhile break code of the previous release that assumes values";
        gap.missing = "the downgrade does not restore NOT NULL on " + quoted(column) + " dropped here";
        gap.undo_sql = "ALTER TABLE " + table + " ALTER COLUMN " + o.column + " SET NOT NULL;";
        gap.undo_alembic = "op.alter_column(" + py(o.table.name) + ", " + py(o.column) + ", nullable=False)";
        break;
      case Need::DefaultBack:
        if (o.set_value) {
          gap.consequence = "Rolling back this migration leaves column " + quoted(column) +
                            " without its default, so inserts of the previous release that omit it fail or store NULL";
          gap.missing = "the downgrade does not restore the default of " + quoted(column) + " dropped here";
          gap.undo_sql = "ALTER TABLE " + table + " ALTER COLUMN " + o.column + " SET DEFAULT <previous default>;";
          gap.undo_alembic = "op.alter_column(" + py(o.table.name) + ", " + py(o.column) +
                             ", server_default=<previous default>)";
        } else {
          gap.consequence = "Rolling back this migration keeps the new default of column " + quoted(column) +
                            ", so the previous release's inserts get values it does not expect";
          gap.missing = "the downgrade does not reset the default of " + quoted(column) + " changed here";
          gap.undo_sql = "ALTER TABLE " + table + " ALTER COLUMN " + o.column +
                         " DROP DEFAULT;  -- or SET DEFAULT <previous default>";
          gap.undo_alembic = "op.alter_column(" + py(o.table.name) + ", " + py(o.column) + ", server_default=None)";
        }
        break;
    }
    return gap;
  }
};

}  // namespace

std::vector<ReversalGap> find_reversal_gaps(const Script& upgrade, const Script& downgrade) {
  return Comparer(upgrade, downgrade).run();
}

bool has_opaque_statements(const Script& script) {
  for (const Statement& statement : script.statements) {
    if (statement.error) return true;
    for (const Operation& op : statement.operations) {
      if (op.is<UncheckedOperation>()) return true;
    }
  }
  return false;
}

}  // namespace migsafe
