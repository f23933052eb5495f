// MySQL/MariaDB and SQLite behaviour of the lock rules. Those dialects have no SQL front end in the
// fixture runner, so these tests build the typed operations by hand, as the MySQL and Alembic front
// ends produce them, and run the engine with one rule selected.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "linter/engine/engine.h"
#include "rules/rule_support.h"

namespace migsafe::testing {
namespace {

// One statement per operation; each statement's text is a placeholder line of the fake file.
struct ScriptBuilder {
  std::vector<Operation> operations;
  bool in_batch = false;

  ScriptBuilder& add(OperationData data) {
    operations.push_back(Operation{std::move(data), {}});
    return *this;
  }

  Project project(Dialect dialect) const {
    std::string text;
    std::vector<ByteRange> ranges;
    for (std::size_t i = 0; i < operations.size(); ++i) {
      std::string line = "statement " + std::to_string(i + 1) + ";";
      ranges.push_back({text.size(), text.size() + line.size()});
      text += line + "\n";
    }
    auto file = std::make_shared<const SourceFile>("m.sql", "m.sql", text);
    Migration migration;
    migration.id = "1";
    migration.layout = "file";
    migration.upgrade.file = file;
    migration.upgrade.region = {0, text.size()};
    for (std::size_t i = 0; i < operations.size(); ++i) {
      Statement statement;
      statement.range = ranges[i];
      statement.in_batch = in_batch;
      Operation op = operations[i];
      op.range = ranges[i];
      statement.operations.push_back(op);
      migration.upgrade.statements.push_back(statement);
    }
    assign_transactions(migration.upgrade);
    Project project;
    project.dialect = dialect;
    project.migrations.push_back(std::move(migration));
    return project;
  }
};

// Lines (1-based statement numbers) at which `rule` reported.
std::vector<int> lint(const ScriptBuilder& script, Dialect dialect, const std::string& rule) {
  LintSettings settings;
  settings.dialect = dialect;
  settings.target_version = default_version(dialect);
  settings.select = {rule};
  std::vector<int> lines;
  for (const Finding& finding : Engine(settings).run(script.project(dialect))) {
    EXPECT_EQ(finding.rule_id, rule) << finding.message;
    EXPECT_FALSE(finding.help.empty());
    lines.push_back(finding.start.line);
  }
  return lines;
}

QualifiedName table(const std::string& name) { return {"", name}; }

ColumnSpec column(const std::string& name, const std::string& type, std::vector<long> modifiers = {}) {
  ColumnSpec spec;
  spec.name = name;
  spec.type.name = type;
  spec.type.modifiers = std::move(modifiers);
  return spec;
}

TEST(MysqlRules, ExpressionDefaultRebuildsButLiteralsDoNot) {
  ColumnSpec expression = column("token", "varchar", {36});
  expression.default_value = Expression{"(uuid())", Volatility::Volatile};
  ColumnSpec timestamp = column("created_at", "timestamp");
  timestamp.default_value = Expression{"CURRENT_TIMESTAMP", Volatility::Stable};
  ColumnSpec literal = column("state", "varchar", {10});
  literal.default_value = Expression{"'new'", Volatility::Constant};
  ScriptBuilder script;
  script.add(AddColumn{table("users"), expression, false}).add(AddColumn{table("users"), timestamp, false}).add(AddColumn{table("users"), literal, false});
  EXPECT_EQ(lint(script, Dialect::MySQL, "adding-column-volatile-default"), std::vector<int>{1});
}

TEST(MysqlRules, AutoIncrementAndStoredGeneratedColumnsOnExistingTables) {
  ColumnSpec counter = column("seq", "bigint");
  counter.auto_increment = true;
  ColumnSpec stored = column("total", "int");
  stored.generated = GeneratedKind::Stored;
  ColumnSpec virtual_column = column("total_virtual", "int");
  virtual_column.generated = GeneratedKind::Virtual;
  ScriptBuilder script;
  script.add(AddColumn{table("events"), counter, false})
      .add(AddColumn{table("orders"), stored, false})
      .add(AddColumn{table("orders"), virtual_column, false});
  EXPECT_EQ(lint(script, Dialect::MySQL, "adding-serial-column"), std::vector<int>{1});
  EXPECT_EQ(lint(script, Dialect::MariaDB, "adding-stored-generated-column"), std::vector<int>{2});
}

TEST(MysqlRules, OnlyFulltextAndSpatialIndexBuildsBlock) {
  IndexSpec plain;
  plain.name = "orders_status_idx";
  plain.table = table("orders");
  plain.columns = {"status"};
  IndexSpec fulltext;
  fulltext.name = "posts_body_ft";
  fulltext.table = table("posts");
  fulltext.columns = {"body"};
  fulltext.mysql_kind = "FULLTEXT";
  ScriptBuilder script;
  script.add(CreateIndex{plain}).add(CreateIndex{fulltext});
  EXPECT_EQ(lint(script, Dialect::MySQL, "blocking-index-build"), std::vector<int>{2});
}

TEST(MysqlRules, VarcharExtensionWithinTheSameLengthPrefixIsInPlace) {
  ScriptBuilder script;
  script.add(AddColumn{table("users"), column("nick", "varchar", {20}), false})
      .add(AlterColumnType{table("users"), "nick", column("", "varchar", {60}).type, std::nullopt, ""})
      .add(AlterColumnType{table("users"), "nick", column("", "varchar", {100}).type, std::nullopt, ""})
      .add(AlterColumnType{table("users"), "nick", column("", "varchar", {50}).type, std::nullopt, ""})
      .add(AlterColumnType{table("users"), "age", column("", "bigint").type, std::nullopt, ""});
  // 60 -> 100 characters crosses 255 bytes in utf8mb4 (240 -> 400), 100 -> 50 shrinks; the old type of
  // `age` is unknown, so nothing is claimed about it.
  EXPECT_EQ(lint(script, Dialect::MySQL, "changing-column-type"), (std::vector<int>{3, 4}));
}

TEST(MysqlRules, ForeignKeyChecksOffAvoidsTheCopy) {
  ConstraintSpec fk;
  fk.kind = ConstraintKind::ForeignKey;
  fk.name = "orders_customer_fk";
  fk.columns = {"customer_id"};
  fk.referenced_table = table("customers");
  fk.referenced_columns = {"id"};
  ScriptBuilder script;
  script.add(AddConstraint{table("orders"), fk})
      .add(SetSetting{"foreign_key_checks", "0", false, false})
      .add(AddConstraint{table("payments"), fk});
  EXPECT_EQ(lint(script, Dialect::MySQL, "adding-foreign-key-constraint"), std::vector<int>{1});
}

TEST(MysqlRules, PrimaryKeyChangesRebuild) {
  ConstraintSpec pk;
  pk.kind = ConstraintKind::PrimaryKey;
  pk.columns = {"id"};
  ScriptBuilder script;
  script.add(AddConstraint{table("audit_log"), pk})
      .add(DropConstraint{table("sessions"), "PRIMARY", ConstraintKind::PrimaryKey, false, false});
  EXPECT_EQ(lint(script, Dialect::MySQL, "adding-primary-key-constraint"), (std::vector<int>{1, 2}));
}

TEST(MysqlRules, SetNotNullAndRebuildsAreReported) {
  ScriptBuilder script;
  script.add(SetNotNull{table("users"), "email"}).add(RebuildTable{table("orders"), "OPTIMIZE TABLE orders"});
  EXPECT_EQ(lint(script, Dialect::MySQL, "setting-not-null"), std::vector<int>{1});
  EXPECT_EQ(lint(script, Dialect::MySQL, "blocking-table-rewrite"), std::vector<int>{2});
}

TEST(MysqlRules, MissingLockWaitTimeoutOnFirstAlterOnly) {
  ScriptBuilder without;
  CreateTable tags;
  tags.table = table("tags");
  without.add(tags)
      .add(AddColumn{table("tags"), column("label", "text"), false})
      .add(AddColumn{table("users"), column("nick", "text"), false})
      .add(DropColumn{table("users"), "legacy", false, false});
  EXPECT_EQ(lint(without, Dialect::MySQL, "missing-lock-timeout"), std::vector<int>{3});

  ScriptBuilder with;
  with.add(SetSetting{"lock_wait_timeout", "5", false, false}).add(AddColumn{table("users"), column("nick", "text"), false});
  EXPECT_TRUE(lint(with, Dialect::MySQL, "missing-lock-timeout").empty());
}

TEST(SqliteRules, TypeChangeInBatchModeCopiesTheTable) {
  ScriptBuilder batch;
  batch.in_batch = true;
  batch.add(AlterColumnType{table("users"), "age", column("", "bigint").type, column("", "int4").type, ""});
  EXPECT_EQ(lint(batch, Dialect::SQLite, "changing-column-type"), std::vector<int>{1});

  ScriptBuilder plain;  // outside batch mode sqlite-unsupported-alter reports it instead
  plain.add(AlterColumnType{table("users"), "age", column("", "bigint").type, column("", "int4").type, ""});
  EXPECT_TRUE(lint(plain, Dialect::SQLite, "changing-column-type").empty());
}

TEST(RuleSupport, SqlStringLiteralsSkipCommentsAndIdentifiers) {
  auto literals = rules::sql_string_literals(
      "UPDATE t SET \"it's\" = 'a''b' -- 'comment'\n/* 'x' /* 'nested' */ */ WHERE s = E'c\\'d' AND $$ 'in body' $$");
  std::vector<std::string> values;
  for (const auto& literal : literals) values.push_back(literal.value);
  EXPECT_EQ(values, (std::vector<std::string>{"a'b", "c'd", "in body"}));
}

TEST(RuleSupport, PythonStringLiteralsIncludeSqlInside) {
  auto literals = rules::python_string_literals("op.execute(\"UPDATE orders SET status = 'refunded'\")  # 'x'");
  std::vector<std::string> values;
  for (const auto& literal : literals) values.push_back(literal.value);
  EXPECT_EQ(values, (std::vector<std::string>{"UPDATE orders SET status = 'refunded'", "refunded"}));
}

TEST(RuleSupport, DefaultVolatilityFromText) {
  EXPECT_EQ(rules::default_volatility({"gen_random_uuid()", Volatility::Unknown}), Volatility::Volatile);
  EXPECT_EQ(rules::default_volatility({"(now())::date", Volatility::Unknown}), Volatility::Stable);
  EXPECT_EQ(rules::default_volatility({"'active'::text", Volatility::Unknown}), Volatility::Constant);
  EXPECT_EQ(rules::default_volatility({"-1.5", Volatility::Unknown}), Volatility::Constant);
  EXPECT_EQ(rules::default_volatility({"my_random_thing()", Volatility::Unknown}), Volatility::Unknown);
  EXPECT_EQ(rules::default_volatility({"random()", Volatility::Constant}), Volatility::Constant);  // front end wins
}

TEST(RuleSupport, InsertConcurrentlyAfterKeywords) {
  EXPECT_EQ(rules::insert_after_keywords("CREATE UNIQUE INDEX idx ON t (a)", {"create", "unique", "index"}, "CONCURRENTLY"),
            "CREATE UNIQUE INDEX CONCURRENTLY idx ON t (a)");
  EXPECT_EQ(rules::insert_after_keywords("CREATE INDEXES", {"create", "index"}, "CONCURRENTLY"), "");
}

TEST(RuleSupport, OneLineFoldsWhitespaceAndTrimsTheEnd) {
  EXPECT_EQ(rules::one_line("  ALTER TABLE\n\tusers  ADD COLUMN a int ;\n"), "ALTER TABLE users ADD COLUMN a int");
  EXPECT_EQ(rules::one_line(" \n\t "), "");
  EXPECT_EQ(rules::one_line("abc;;; ;", 3), "abc");  // trailing `;` and spaces do not count against the limit
  EXPECT_EQ(rules::one_line("abc d", 4), "");         // too long to quote
  EXPECT_EQ(rules::one_line("abc  d", 5), "abc d");
  EXPECT_EQ(rules::one_line("abc;x", 4), "");
}

TEST(RuleSupport, ConcatJoinsPiecesInOrder) {
  std::string table = "users";
  EXPECT_EQ(rules::concat({"`", table, "` and ", std::string("`orders`"), ""}), "`users` and `orders`");
  EXPECT_EQ(rules::concat({}), "");
}

}  // namespace
}  // namespace migsafe::testing
