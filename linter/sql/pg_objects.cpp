// DROP, ALTER ... RENAME, enum and other types, sequences, and the named objects the downgrade checks
// care about (views, functions, procedures, triggers, extensions, schemas, domains).
#include "linter/sql/pg_translate.h"

namespace migsafe::pg {

namespace {

std::vector<QualifiedName> object_names(const Node& stmt) {
  std::vector<QualifiedName> names;
  for (Node object : stmt.list("objects")) names.push_back(name_from_node(object));
  return names;
}

ObjectKind object_kind(std::string_view type) {
  if (type == "OBJECT_VIEW") return ObjectKind::View;
  if (type == "OBJECT_MATVIEW") return ObjectKind::MaterializedView;
  if (type == "OBJECT_FUNCTION") return ObjectKind::Function;
  if (type == "OBJECT_PROCEDURE") return ObjectKind::Procedure;
  if (type == "OBJECT_TRIGGER") return ObjectKind::Trigger;
  if (type == "OBJECT_EXTENSION") return ObjectKind::Extension;
  if (type == "OBJECT_SCHEMA") return ObjectKind::Schema;
  if (type == "OBJECT_DOMAIN") return ObjectKind::Domain;
  return ObjectKind::Other;
}

bool is_table(std::string_view type) { return type == "OBJECT_TABLE" || type == "OBJECT_FOREIGN_TABLE"; }

}  // namespace

void translate_drop(const StatementContext& context, const Node& stmt, Operations& out) {
  bool cascade = stmt.string("behavior") == "DROP_CASCADE";
  bool if_exists = stmt.boolean("missing_ok");
  ByteRange range = context.statement();
  std::string_view type = stmt.string("removeType");
  if (is_table(type)) {
    emit(out, DropTable{object_names(stmt), if_exists, cascade}, range);
  } else if (type == "OBJECT_INDEX") {
    DropIndex drop;
    drop.indexes = object_names(stmt);
    drop.concurrently = stmt.boolean("concurrent");
    drop.if_exists = if_exists;
    emit(out, std::move(drop), range);
  } else if (type == "OBJECT_SEQUENCE") {
    emit(out, DropSequence{object_names(stmt), if_exists}, range);
  } else if (type == "OBJECT_TYPE") {
    emit(out, DropType{object_names(stmt), if_exists, cascade}, range);
  } else if (type == "OBJECT_SCHEMA") {
    DropSchema drop;
    for (const QualifiedName& name : object_names(stmt)) drop.names.push_back(name.name);
    drop.cascade = cascade;
    emit(out, std::move(drop), range);
  } else if (type == "OBJECT_TRIGGER") {
    // Trigger names come as [schema.]table.trigger: the object is the trigger.
    DropObject drop{ObjectKind::Trigger, {}, cascade};
    for (const QualifiedName& name : object_names(stmt)) drop.names.push_back(QualifiedName{"", name.name});
    emit(out, std::move(drop), range);
  } else {
    emit(out, DropObject{object_kind(type), object_names(stmt), cascade}, range);
  }
}

void translate_rename(const StatementContext& context, const Node& stmt, Operations& out) {
  ByteRange range = context.statement();
  std::string new_name(stmt.string("newname"));
  std::string sub_name(stmt.string("subname"));
  QualifiedName relation = name_from_range_var(stmt.object("relation"));
  std::string_view type = stmt.string("renameType");
  if (is_table(type)) {
    emit(out, RenameTable{relation, new_name}, range);
    return;
  }
  if (type == "OBJECT_COLUMN" && is_table(stmt.string("relationType"))) {
    emit(out, RenameColumn{relation, sub_name, new_name}, range);
    return;
  }
  if (type == "OBJECT_INDEX") {
    emit(out, RenameIndex{relation, new_name}, range);
    return;
  }
  if (type == "OBJECT_TABCONSTRAINT") {
    emit(out, AlterTableOther{relation, "rename constraint " + sub_name + " to " + new_name, LockMode::AccessExclusive},
         range);
    return;
  }
  emit(out, OtherStatement{statement_keywords(context)}, range);
}

bool translate_object_definition(const StatementContext& context, const Node& node, Operations& out) {
  ByteRange range = context.statement();
  std::string_view type = node.type();
  if (type == "AlterObjectSchemaStmt") {
    // ALTER TABLE t SET SCHEMA s: ACCESS EXCLUSIVE on the table, and every query naming the old
    // qualified name breaks. Other objects moving schema are just statements.
    if (!is_table(node.string("objectType"))) return false;
    emit(out,
         AlterTableOther{name_from_range_var(node.object("relation")),
                         "set schema " + std::string(node.string("newschema")), LockMode::AccessExclusive},
         range);
    return true;
  }
  if (type == "CreateEnumStmt") {
    emit(out, CreateEnumType{name_from_list(node.list("typeName")), string_values(node.list("vals"))}, range);
    return true;
  }
  if (type == "AlterEnumStmt") {
    QualifiedName enum_type = name_from_list(node.list("typeName"));
    std::string new_value(node.string("newVal"));
    if (std::string_view old_value = node.string("oldVal"); !old_value.empty()) {
      emit(out, RenameEnumValue{enum_type, std::string(old_value), new_value}, range);
    } else {
      emit(out, AddEnumValue{enum_type, new_value, node.boolean("skipIfNewValExists")}, range);
    }
    return true;
  }
  if (type == "CompositeTypeStmt") {
    emit(out, CreateObject{ObjectKind::Other, name_from_range_var(node.object("typevar")), {}, false}, range);
    return true;
  }
  if (type == "CreateRangeStmt") {
    emit(out, CreateObject{ObjectKind::Other, name_from_list(node.list("typeName")), {}, false}, range);
    return true;
  }
  if (type == "CreateSeqStmt") {
    emit(out, CreateSequence{name_from_range_var(node.object("sequence")), node.boolean("if_not_exists")}, range);
    return true;
  }
  if (type == "ViewStmt") {
    emit(out, CreateObject{ObjectKind::View, name_from_range_var(node.object("view")), {}, node.boolean("replace")},
         range);
    return true;
  }
  if (type == "CreateFunctionStmt") {
    emit(out, CreateObject{node.boolean("is_procedure") ? ObjectKind::Procedure : ObjectKind::Function,
                           name_from_list(node.list("funcname")), {}, node.boolean("replace")},
         range);
    return true;
  }
  if (type == "CreateTrigStmt") {
    emit(out, CreateObject{ObjectKind::Trigger, QualifiedName{"", std::string(node.string("trigname"))},
                           name_from_range_var(node.object("relation")), node.boolean("replace")},
         range);
    return true;
  }
  if (type == "CreateExtensionStmt") {
    emit(out, CreateObject{ObjectKind::Extension, QualifiedName{"", std::string(node.string("extname"))}, {}, false},
         range);
    return true;
  }
  if (type == "CreateSchemaStmt") {
    std::string name(node.string("schemaname"));
    if (name.empty()) name = node.object("authrole").string("rolename");
    emit(out, CreateObject{ObjectKind::Schema, QualifiedName{"", name}, {}, false}, range);
    // CREATE SCHEMA s CREATE TABLE ... CREATE VIEW ...: the elements are statements of their own.
    for (Node element : node.list("schemaElts")) {
      if (element) translate_statement(context, element, out);
    }
    return true;
  }
  if (type == "CreateDomainStmt") {
    emit(out, CreateObject{ObjectKind::Domain, name_from_list(node.list("domainname")), {}, false}, range);
    return true;
  }
  if (type == "DefineStmt" && node.string("kind") == "OBJECT_TYPE") {
    emit(out, CreateObject{ObjectKind::Other, name_from_list(node.list("defnames")), {}, node.boolean("replace")},
         range);
    return true;
  }
  return false;
}

}  // namespace migsafe::pg
