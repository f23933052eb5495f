// DROP, ALTER ... RENAME, enum and other types, sequences, and the named objects the downgrade checks
// care about (views, functions, procedures, triggers, extensions, schemas, domains).
#include "linter/sql/pg_translate.h"

namespace migsafe::pg {

namespace {

std::vector<QualifiedName> object_names(const PgQuery__DropStmt* stmt) {
  std::vector<QualifiedName> names;
  for (std::size_t i = 0; i < stmt->n_objects; ++i) names.push_back(name_from_node(stmt->objects[i]));
  return names;
}

ObjectKind object_kind(PgQuery__ObjectType type) {
  switch (type) {
    case PG_QUERY__OBJECT_TYPE__OBJECT_VIEW: return ObjectKind::View;
    case PG_QUERY__OBJECT_TYPE__OBJECT_MATVIEW: return ObjectKind::MaterializedView;
    case PG_QUERY__OBJECT_TYPE__OBJECT_FUNCTION: return ObjectKind::Function;
    case PG_QUERY__OBJECT_TYPE__OBJECT_PROCEDURE: return ObjectKind::Procedure;
    case PG_QUERY__OBJECT_TYPE__OBJECT_TRIGGER: return ObjectKind::Trigger;
    case PG_QUERY__OBJECT_TYPE__OBJECT_EXTENSION: return ObjectKind::Extension;
    case PG_QUERY__OBJECT_TYPE__OBJECT_SCHEMA: return ObjectKind::Schema;
    case PG_QUERY__OBJECT_TYPE__OBJECT_DOMAIN: return ObjectKind::Domain;
    default: return ObjectKind::Other;
  }
}

}  // namespace

void translate_drop(const StatementContext& context, const PgQuery__DropStmt* stmt, Operations& out) {
  bool cascade = stmt->behavior == PG_QUERY__DROP_BEHAVIOR__DROP_CASCADE;
  bool if_exists = stmt->missing_ok;
  ByteRange range = context.statement();
  switch (stmt->remove_type) {
    case PG_QUERY__OBJECT_TYPE__OBJECT_TABLE:
    case PG_QUERY__OBJECT_TYPE__OBJECT_FOREIGN_TABLE:
      emit(out, DropTable{object_names(stmt), if_exists, cascade}, range);
      return;
    case PG_QUERY__OBJECT_TYPE__OBJECT_INDEX: {
      DropIndex drop;
      drop.indexes = object_names(stmt);
      drop.concurrently = stmt->concurrent;
      drop.if_exists = if_exists;
      emit(out, std::move(drop), range);
      return;
    }
    case PG_QUERY__OBJECT_TYPE__OBJECT_SEQUENCE:
      emit(out, DropSequence{object_names(stmt), if_exists}, range);
      return;
    case PG_QUERY__OBJECT_TYPE__OBJECT_TYPE:
      emit(out, DropType{object_names(stmt), if_exists, cascade}, range);
      return;
    case PG_QUERY__OBJECT_TYPE__OBJECT_SCHEMA: {
      DropSchema drop;
      for (const QualifiedName& name : object_names(stmt)) drop.names.push_back(name.name);
      drop.cascade = cascade;
      emit(out, std::move(drop), range);
      return;
    }
    case PG_QUERY__OBJECT_TYPE__OBJECT_TRIGGER: {
      // Trigger names come as [schema.]table.trigger: the object is the trigger.
      DropObject drop{ObjectKind::Trigger, {}, cascade};
      for (const QualifiedName& name : object_names(stmt)) drop.names.push_back(QualifiedName{"", name.name});
      emit(out, std::move(drop), range);
      return;
    }
    default:
      emit(out, DropObject{object_kind(stmt->remove_type), object_names(stmt), cascade}, range);
      return;
  }
}

void translate_rename(const StatementContext& context, const PgQuery__RenameStmt* stmt, Operations& out) {
  ByteRange range = context.statement();
  std::string new_name = stmt->newname != nullptr ? stmt->newname : "";
  QualifiedName relation = name_from_range_var(stmt->relation);
  bool on_table = stmt->relation_type == PG_QUERY__OBJECT_TYPE__OBJECT_TABLE ||
                  stmt->relation_type == PG_QUERY__OBJECT_TYPE__OBJECT_FOREIGN_TABLE;
  switch (stmt->rename_type) {
    case PG_QUERY__OBJECT_TYPE__OBJECT_TABLE:
    case PG_QUERY__OBJECT_TYPE__OBJECT_FOREIGN_TABLE:
      emit(out, RenameTable{relation, new_name}, range);
      return;
    case PG_QUERY__OBJECT_TYPE__OBJECT_COLUMN:
      if (on_table) {
        emit(out, RenameColumn{relation, stmt->subname != nullptr ? stmt->subname : "", new_name}, range);
        return;
      }
      break;
    case PG_QUERY__OBJECT_TYPE__OBJECT_INDEX:
      emit(out, RenameIndex{relation, new_name}, range);
      return;
    case PG_QUERY__OBJECT_TYPE__OBJECT_TABCONSTRAINT:
      emit(out,
           AlterTableOther{relation,
                           std::string("rename constraint ") + (stmt->subname ? stmt->subname : "") + " to " + new_name,
                           LockMode::AccessExclusive},
           range);
      return;
    default:
      break;
  }
  emit(out, OtherStatement{statement_keywords(context)}, range);
}

bool translate_object_definition(const StatementContext& context, const Node* node, Operations& out) {
  ByteRange range = context.statement();
  switch (node->node_case) {
    case PG_QUERY__NODE__NODE_ALTER_OBJECT_SCHEMA_STMT: {
      // ALTER TABLE t SET SCHEMA s: ACCESS EXCLUSIVE on the table, and every query naming the old
      // qualified name breaks. Other objects moving schema are just statements.
      const PgQuery__AlterObjectSchemaStmt* stmt = node->alter_object_schema_stmt;
      if (stmt->object_type != PG_QUERY__OBJECT_TYPE__OBJECT_TABLE &&
          stmt->object_type != PG_QUERY__OBJECT_TYPE__OBJECT_FOREIGN_TABLE) {
        return false;
      }
      std::string schema = stmt->newschema != nullptr ? stmt->newschema : "";
      emit(out, AlterTableOther{name_from_range_var(stmt->relation), "set schema " + schema, LockMode::AccessExclusive},
           range);
      return true;
    }
    case PG_QUERY__NODE__NODE_CREATE_ENUM_STMT: {
      const PgQuery__CreateEnumStmt* stmt = node->create_enum_stmt;
      emit(out, CreateEnumType{name_from_list(stmt->type_name, stmt->n_type_name), string_values(stmt->vals, stmt->n_vals)},
           range);
      return true;
    }
    case PG_QUERY__NODE__NODE_ALTER_ENUM_STMT: {
      const PgQuery__AlterEnumStmt* stmt = node->alter_enum_stmt;
      QualifiedName type = name_from_list(stmt->type_name, stmt->n_type_name);
      std::string new_value = stmt->new_val != nullptr ? stmt->new_val : "";
      if (stmt->old_val != nullptr && stmt->old_val[0] != '\0') {
        emit(out, RenameEnumValue{type, stmt->old_val, new_value}, range);
      } else {
        emit(out, AddEnumValue{type, new_value, static_cast<bool>(stmt->skip_if_new_val_exists)}, range);
      }
      return true;
    }
    case PG_QUERY__NODE__NODE_COMPOSITE_TYPE_STMT:
      emit(out, CreateObject{ObjectKind::Other, name_from_range_var(node->composite_type_stmt->typevar), {}, false},
           range);
      return true;
    case PG_QUERY__NODE__NODE_CREATE_RANGE_STMT:
      emit(out,
           CreateObject{ObjectKind::Other,
                        name_from_list(node->create_range_stmt->type_name, node->create_range_stmt->n_type_name), {},
                        false},
           range);
      return true;
    case PG_QUERY__NODE__NODE_CREATE_SEQ_STMT:
      emit(out, CreateSequence{name_from_range_var(node->create_seq_stmt->sequence),
                               static_cast<bool>(node->create_seq_stmt->if_not_exists)},
           range);
      return true;
    case PG_QUERY__NODE__NODE_VIEW_STMT:
      emit(out, CreateObject{ObjectKind::View, name_from_range_var(node->view_stmt->view), {},
                             static_cast<bool>(node->view_stmt->replace)},
           range);
      return true;
    case PG_QUERY__NODE__NODE_CREATE_FUNCTION_STMT: {
      const PgQuery__CreateFunctionStmt* stmt = node->create_function_stmt;
      emit(out, CreateObject{stmt->is_procedure ? ObjectKind::Procedure : ObjectKind::Function,
                             name_from_list(stmt->funcname, stmt->n_funcname), {}, static_cast<bool>(stmt->replace)},
           range);
      return true;
    }
    case PG_QUERY__NODE__NODE_CREATE_TRIG_STMT: {
      const PgQuery__CreateTrigStmt* stmt = node->create_trig_stmt;
      emit(out, CreateObject{ObjectKind::Trigger, QualifiedName{"", stmt->trigname ? stmt->trigname : ""},
                             name_from_range_var(stmt->relation), static_cast<bool>(stmt->replace)},
           range);
      return true;
    }
    case PG_QUERY__NODE__NODE_CREATE_EXTENSION_STMT:
      emit(out, CreateObject{ObjectKind::Extension,
                             QualifiedName{"", node->create_extension_stmt->extname ? node->create_extension_stmt->extname : ""},
                             {}, false},
           range);
      return true;
    case PG_QUERY__NODE__NODE_CREATE_SCHEMA_STMT: {
      const PgQuery__CreateSchemaStmt* stmt = node->create_schema_stmt;
      std::string name = stmt->schemaname != nullptr ? stmt->schemaname : "";
      if (name.empty() && stmt->authrole != nullptr && stmt->authrole->rolename != nullptr) name = stmt->authrole->rolename;
      emit(out, CreateObject{ObjectKind::Schema, QualifiedName{"", name}, {}, false}, range);
      // CREATE SCHEMA s CREATE TABLE ... CREATE VIEW ...: the elements are statements of their own.
      for (std::size_t i = 0; i < stmt->n_schema_elts; ++i) {
        if (stmt->schema_elts[i] != nullptr) translate_statement(context, stmt->schema_elts[i], out);
      }
      return true;
    }
    case PG_QUERY__NODE__NODE_CREATE_DOMAIN_STMT:
      emit(out, CreateObject{ObjectKind::Domain,
                             name_from_list(node->create_domain_stmt->domainname, node->create_domain_stmt->n_domainname),
                             {}, false},
           range);
      return true;
    case PG_QUERY__NODE__NODE_DEFINE_STMT:
      if (node->define_stmt->kind == PG_QUERY__OBJECT_TYPE__OBJECT_TYPE) {
        emit(out, CreateObject{ObjectKind::Other, name_from_list(node->define_stmt->defnames, node->define_stmt->n_defnames),
                               {}, static_cast<bool>(node->define_stmt->replace)},
             range);
        return true;
      }
      return false;
    default:
      return false;
  }
}

}  // namespace migsafe::pg
