// SchemaCatalog's index bookkeeping: which table an index belongs to, through creates, drops and renames
// of indexes and tables. The catalog keeps an index-name -> tables map next to the tables; these cases
// pin the behaviour it must keep (ambiguity across schemas, DROP INDEX taking the first table in key
// order, renames onto existing names).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "linter/engine/context.h"

namespace migsafe::testing {
namespace {

Operation op(OperationData data) { return Operation{std::move(data), {}}; }

Operation create_table(std::string schema, std::string name) {
  CreateTable create;
  create.table = {std::move(schema), std::move(name)};
  ColumnSpec id;
  id.name = "id";
  id.primary_key = true;
  create.columns.push_back(id);
  return op(create);
}

Operation create_index(std::string table_schema, std::string table, std::string name) {
  CreateIndex create;
  create.index.name = std::move(name);
  create.index.table = {std::move(table_schema), std::move(table)};
  create.index.columns = {"id"};
  return op(create);
}

Operation drop_index(std::string name) { return op(DropIndex{{{"", std::move(name)}}, {}, false, false}); }

std::string table_of(const SchemaCatalog& catalog, std::string schema, std::string index) {
  const TableInfo* info = catalog.table_of_index({std::move(schema), std::move(index)});
  return info ? info->name.display() : "(none)";
}

TEST(SchemaCatalog, FindsTheTableOfAnIndexAndItsPrimaryKey) {
  SchemaCatalog catalog;
  catalog.apply(create_table("", "users"));
  catalog.apply(create_index("", "users", "users_email_idx"));
  EXPECT_EQ(table_of(catalog, "", "users_email_idx"), "users");
  EXPECT_EQ(table_of(catalog, "public", "users_email_idx"), "users");
  EXPECT_EQ(table_of(catalog, "", "users_pkey"), "users");
  EXPECT_EQ(table_of(catalog, "other", "users_email_idx"), "(none)");
  EXPECT_EQ(table_of(catalog, "", "unknown_idx"), "(none)");
}

TEST(SchemaCatalog, AnIndexNameInTwoSchemasIsAmbiguousUnlessQualified) {
  SchemaCatalog catalog;
  catalog.apply(create_table("", "users"));
  catalog.apply(create_table("audit", "users"));
  catalog.apply(create_index("", "users", "by_id"));
  catalog.apply(create_index("audit", "users", "by_id"));
  EXPECT_EQ(table_of(catalog, "", "by_id"), "(none)");
  EXPECT_EQ(table_of(catalog, "audit", "by_id"), "audit.users");
  EXPECT_EQ(table_of(catalog, "public", "by_id"), "users");

  // A bare DROP INDEX removes the index of the first table in key order ("audit.users" < "users").
  catalog.apply(drop_index("by_id"));
  EXPECT_EQ(table_of(catalog, "", "by_id"), "users");
  EXPECT_EQ(catalog.index_columns({"audit", "users"}, "by_id"), nullptr);
  catalog.apply(drop_index("by_id"));
  EXPECT_EQ(table_of(catalog, "", "by_id"), "(none)");
  catalog.apply(drop_index("by_id"));  // nothing left to drop
  EXPECT_EQ(table_of(catalog, "", "by_id"), "(none)");
}

TEST(SchemaCatalog, IndexesFollowTableRenamesAndGoWithDroppedTables) {
  SchemaCatalog catalog;
  catalog.apply(create_table("", "users"));
  catalog.apply(create_index("", "users", "users_email_idx"));
  catalog.apply(op(RenameTable{{"", "users"}, "accounts"}));
  EXPECT_EQ(table_of(catalog, "", "users_email_idx"), "accounts");

  catalog.apply(op(DropTable{{{"", "accounts"}}, false, false}));
  EXPECT_EQ(table_of(catalog, "", "users_email_idx"), "(none)");
  // A table created again under the same name starts without the old indexes.
  catalog.apply(create_table("", "accounts"));
  EXPECT_EQ(table_of(catalog, "", "users_email_idx"), "(none)");
  EXPECT_EQ(table_of(catalog, "", "accounts_pkey"), "accounts");
}

TEST(SchemaCatalog, RecreatingATableReplacesItsIndexes) {
  SchemaCatalog catalog;
  catalog.apply(create_table("", "users"));
  catalog.apply(create_index("", "users", "old_idx"));
  catalog.apply(create_table("", "users"));
  EXPECT_EQ(table_of(catalog, "", "old_idx"), "(none)");
  EXPECT_EQ(table_of(catalog, "", "users_pkey"), "users");
}

TEST(SchemaCatalog, RenamingATableOntoAnExistingOneDropsTheRenamedTable) {
  SchemaCatalog catalog;
  catalog.apply(create_table("", "a"));
  catalog.apply(create_index("", "a", "a_idx"));
  catalog.apply(create_table("", "b"));
  catalog.apply(op(RenameTable{{"", "a"}, "b"}));
  EXPECT_EQ(table_of(catalog, "", "a_idx"), "(none)");
  EXPECT_EQ(table_of(catalog, "", "b_pkey"), "b");
}

TEST(SchemaCatalog, RenamedIndexesAreFoundUnderTheirNewName) {
  SchemaCatalog catalog;
  catalog.apply(create_table("", "users"));
  catalog.apply(create_index("", "users", "a_idx"));
  catalog.apply(create_index("", "users", "b_idx"));
  catalog.apply(op(RenameIndex{{"", "a_idx"}, "c_idx"}));
  EXPECT_EQ(table_of(catalog, "", "a_idx"), "(none)");
  EXPECT_EQ(table_of(catalog, "", "c_idx"), "users");
  // Onto an existing name: the renamed index disappears, the existing one stays.
  catalog.apply(op(RenameIndex{{"", "c_idx"}, "b_idx"}));
  EXPECT_EQ(table_of(catalog, "", "c_idx"), "(none)");
  EXPECT_EQ(table_of(catalog, "", "b_idx"), "users");
}

TEST(SchemaCatalog, UniqueConstraintUsingIndexTakesTheConstraintName) {
  SchemaCatalog catalog;
  catalog.apply(create_table("", "users"));
  catalog.apply(create_index("", "users", "users_email_idx"));
  AddConstraint add;
  add.table = {"", "users"};
  add.constraint.kind = ConstraintKind::Unique;
  add.constraint.name = "users_email_key";
  add.constraint.using_index = "users_email_idx";
  catalog.apply(op(add));
  EXPECT_EQ(table_of(catalog, "", "users_email_idx"), "(none)");
  EXPECT_EQ(table_of(catalog, "", "users_email_key"), "users");
  ASSERT_NE(catalog.index_columns({"", "users"}, "users_email_key"), nullptr);
  EXPECT_EQ(*catalog.index_columns({"", "users"}, "users_email_key"), std::vector<std::string>{"id"});
}

}  // namespace
}  // namespace migsafe::testing
