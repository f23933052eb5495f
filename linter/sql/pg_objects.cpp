// DROP, ALTER ... RENAME, enum and other types, sequences, and the named objects the downgrade checks
// care about (views, functions, procedures, triggers, extensions, schemas, domains).
#include "linter/sql/pg_translate.h"

namespace migsafe::pg {

namespace {

std::vector<QualifiedName> object_names(const DropStmt& stmt) {
  std::vector<QualifiedName> names;
  for (const Node* object : nodes(stmt.objects)) names.push_back(name_from_node(object));
  return names;
}

ObjectKind object_kind(ObjectType type) {
  switch (type) {
    case OBJECT_VIEW:
      return ObjectKind::View;
    case OBJECT_MATVIEW:
      return ObjectKind::MaterializedView;
    case OBJECT_FUNCTION:
      return ObjectKind::Function;
    case OBJECT_PROCEDURE:
      return ObjectKind::Procedure;
    case OBJECT_TRIGGER:
      return ObjectKind::Trigger;
    case OBJECT_EXTENSION:
      return ObjectKind::Extension;
    case OBJECT_SCHEMA:
      return ObjectKind::Schema;
    case OBJECT_DOMAIN:
      return ObjectKind::Domain;
    default:
      return ObjectKind::Other;
  }
}

bool is_table(ObjectType type) { return type == OBJECT_TABLE || type == OBJECT_FOREIGN_TABLE; }

}  // namespace

void translate_drop(const StatementContext& context, const DropStmt& stmt, Operations& out) {
  bool cascade = stmt.behavior == DROP_CASCADE;
  bool if_exists = stmt.missing_ok;
  ByteRange range = context.statement();
  ObjectType type = stmt.removeType;
  if (is_table(type)) {
    emit(out, DropTable{object_names(stmt), if_exists, cascade}, range);
  } else if (type == OBJECT_INDEX) {
    DropIndex drop;
    drop.indexes = object_names(stmt);
    drop.concurrently = stmt.concurrent;
    drop.if_exists = if_exists;
    emit(out, std::move(drop), range);
  } else if (type == OBJECT_SEQUENCE) {
    emit(out, DropSequence{object_names(stmt), if_exists}, range);
  } else if (type == OBJECT_TYPE) {
    emit(out, DropType{object_names(stmt), if_exists, cascade}, range);
  } else if (type == OBJECT_SCHEMA) {
    DropSchema drop;
    for (const QualifiedName& name : object_names(stmt)) drop.names.push_back(name.name);
    drop.cascade = cascade;
    emit(out, std::move(drop), range);
  } else if (type == OBJECT_TRIGGER) {
    // Trigger names come as [schema.]table.trigger: the object is the trigger.
    DropObject drop{ObjectKind::Trigger, {}, cascade};
    for (const QualifiedName& name : object_names(stmt)) drop.names.push_back(QualifiedName{"", name.name});
    emit(out, std::move(drop), range);
  } else {
    emit(out, DropObject{object_kind(type), object_names(stmt), cascade}, range);
  }
}

void translate_rename(const StatementContext& context, const RenameStmt& stmt, Operations& out) {
  ByteRange range = context.statement();
  std::string new_name(text(stmt.newname));
  std::string sub_name(text(stmt.subname));
  QualifiedName relation = name_from_range_var(stmt.relation);
  ObjectType type = stmt.renameType;
  if (is_table(type)) {
    emit(out, RenameTable{relation, new_name}, range);
    return;
  }
  if (type == OBJECT_COLUMN && is_table(stmt.relationType)) {
    emit(out, RenameColumn{relation, sub_name, new_name}, range);
    return;
  }
  if (type == OBJECT_INDEX) {
    emit(out, RenameIndex{relation, new_name}, range);
    return;
  }
  if (type == OBJECT_TABCONSTRAINT) {
    emit(out, AlterTableOther{relation, "rename constraint " + sub_name + " to " + new_name, LockMode::AccessExclusive},
         range);
    return;
  }
  emit(out, OtherStatement{statement_keywords(context)}, range);
}

bool translate_object_definition(const StatementContext& context, const Node* node, Operations& out) {
  ByteRange range = context.statement();
  switch (nodeTag(node)) {
    case T_AlterObjectSchemaStmt: {
      // ALTER TABLE t SET SCHEMA s: ACCESS EXCLUSIVE on the table, and every query naming the old
      // qualified name breaks. Other objects moving schema are just statements.
      const AlterObjectSchemaStmt& stmt = *as<AlterObjectSchemaStmt>(node);
      if (!is_table(stmt.objectType)) return false;
      emit(out,
           AlterTableOther{name_from_range_var(stmt.relation), "set schema " + std::string(text(stmt.newschema)),
                           LockMode::AccessExclusive},
           range);
      return true;
    }
    case T_CreateEnumStmt: {
      const CreateEnumStmt& stmt = *as<CreateEnumStmt>(node);
      emit(out, CreateEnumType{name_from_list(stmt.typeName), string_values(stmt.vals)}, range);
      return true;
    }
    case T_AlterEnumStmt: {
      const AlterEnumStmt& stmt = *as<AlterEnumStmt>(node);
      QualifiedName enum_type = name_from_list(stmt.typeName);
      std::string new_value(text(stmt.newVal));
      if (std::string_view old_value = text(stmt.oldVal); !old_value.empty()) {
        emit(out, RenameEnumValue{enum_type, std::string(old_value), new_value}, range);
      } else {
        emit(out, AddEnumValue{enum_type, new_value, stmt.skipIfNewValExists}, range);
      }
      return true;
    }
    case T_CompositeTypeStmt:
      emit(out, CreateObject{ObjectKind::Other, name_from_range_var(as<CompositeTypeStmt>(node)->typevar), {}, false},
           range);
      return true;
    case T_CreateRangeStmt:
      emit(out, CreateObject{ObjectKind::Other, name_from_list(as<CreateRangeStmt>(node)->typeName), {}, false}, range);
      return true;
    case T_CreateSeqStmt: {
      const CreateSeqStmt& stmt = *as<CreateSeqStmt>(node);
      emit(out, CreateSequence{name_from_range_var(stmt.sequence), stmt.if_not_exists}, range);
      return true;
    }
    case T_ViewStmt: {
      const ViewStmt& stmt = *as<ViewStmt>(node);
      emit(out, CreateObject{ObjectKind::View, name_from_range_var(stmt.view), {}, stmt.replace}, range);
      return true;
    }
    case T_CreateFunctionStmt: {
      const CreateFunctionStmt& stmt = *as<CreateFunctionStmt>(node);
      emit(out, CreateObject{stmt.is_procedure ? ObjectKind::Procedure : ObjectKind::Function,
                             name_from_list(stmt.funcname), {}, stmt.replace},
           range);
      return true;
    }
    case T_CreateTrigStmt: {
      const CreateTrigStmt& stmt = *as<CreateTrigStmt>(node);
      emit(out, CreateObject{ObjectKind::Trigger, QualifiedName{"", std::string(text(stmt.trigname))},
                             name_from_range_var(stmt.relation), stmt.replace},
           range);
      return true;
    }
    case T_CreateExtensionStmt:
      emit(out,
           CreateObject{ObjectKind::Extension,
                        QualifiedName{"", std::string(text(as<CreateExtensionStmt>(node)->extname))}, {}, false},
           range);
      return true;
    case T_CreateSchemaStmt: {
      const CreateSchemaStmt& stmt = *as<CreateSchemaStmt>(node);
      std::string name(text(stmt.schemaname));
      if (name.empty() && stmt.authrole != nullptr) name = text(stmt.authrole->rolename);
      emit(out, CreateObject{ObjectKind::Schema, QualifiedName{"", name}, {}, false}, range);
      // CREATE SCHEMA s CREATE TABLE ... CREATE VIEW ...: the elements are statements of their own.
      for (const Node* element : nodes(stmt.schemaElts)) translate_statement(context, element, out);
      return true;
    }
    case T_CreateDomainStmt:
      emit(out, CreateObject{ObjectKind::Domain, name_from_list(as<CreateDomainStmt>(node)->domainname), {}, false},
           range);
      return true;
    case T_DefineStmt: {
      const DefineStmt& stmt = *as<DefineStmt>(node);
      if (stmt.kind != OBJECT_TYPE) return false;
      emit(out, CreateObject{ObjectKind::Other, name_from_list(stmt.defnames), {}, stmt.replace}, range);
      return true;
    }
    default:
      return false;
  }
}

}  // namespace migsafe::pg
