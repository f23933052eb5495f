// blocking-index-build: CREATE INDEX / REINDEX without CONCURRENTLY on an existing table; MySQL
// FULLTEXT/SPATIAL index builds.
#include "linter/engine/rule.h"
#include "rules/rule_support.h"

namespace migsafe {
namespace {

constexpr RuleInfo kInfo{
    .id = "blocking-index-build",
    .default_severity = Severity::Error,
    .category = RuleCategory::Locks,
    .engines = kPostgres | kMySQL,
    .summary = "Building an index without CONCURRENTLY blocks all writes to the table for the whole build.",
    .what_it_does =
        "Flags `CREATE [UNIQUE] INDEX` without `CONCURRENTLY` on a table not created in the same migration, "
        "`REINDEX` without `CONCURRENTLY`, and Alembic `op.create_index` without `postgresql_concurrently=True`. "
        "On MySQL/MariaDB it flags FULLTEXT and SPATIAL index builds.",
    .why =
        "A plain CREATE INDEX holds a SHARE lock on the table until the build finishes: reads work, but every "
        "INSERT, UPDATE and DELETE waits, for minutes on a large table. REINDEX also takes ACCESS EXCLUSIVE on "
        "the index, so even queries that would use it block. MySQL builds FULLTEXT/SPATIAL indexes with "
        "LOCK=SHARED (writes blocked), and the first FULLTEXT index rebuilds the table.",
    .safe_alternative =
        "Use `CREATE INDEX CONCURRENTLY` (and `REINDEX ... CONCURRENTLY` on PostgreSQL 12+), each as its own "
        "statement outside a transaction block (Alembic: `postgresql_concurrently=True` inside "
        "`with op.get_context().autocommit_block():`). If a concurrent build fails it leaves an INVALID index: "
        "drop it with `DROP INDEX CONCURRENTLY` and retry.",
    .bad_example = "CREATE INDEX orders_customer_id_idx ON orders (customer_id);",
    .good_example = "CREATE INDEX CONCURRENTLY orders_customer_id_idx ON orders (customer_id);",
    .lock = "SHARE on the table (blocks writes); REINDEX: also ACCESS EXCLUSIVE on the index.",
    .versions = "CREATE INDEX CONCURRENTLY: all supported versions. REINDEX CONCURRENTLY: PostgreSQL 12+.",
    .references = "engines.md 1.2 #42, #43, #46, #47 and section 3 (ADD FULLTEXT INDEX)",
};

class BlockingIndexBuild final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  OperationKinds inspected_operations() const override { return operation_kinds<CreateIndex, Reindex>(); }

  void check_operation(const OperationContext& context) const override {
    if (const auto* create = context.op.as<CreateIndex>()) {
      if (context.state.is_new_table(create->index.table)) return;
      if (context.is_postgres() && !create->index.concurrently) check_postgres_create(context, create->index);
      if (context.is_mysql()) check_mysql_create(context, create->index);
    } else if (const auto* reindex = context.op.as<Reindex>()) {
      if (context.is_postgres() && !reindex->concurrently) check_reindex(context, *reindex);
    }
  }

 private:
  static std::string recreated_statement(const OperationContext& context, const IndexSpec& index) {
    std::string text = rules::one_line(context.statement_text());
    std::string concurrent = rules::insert_after_keywords(text, {"create", "index"}, "CONCURRENTLY");
    if (concurrent.empty()) concurrent = rules::insert_after_keywords(text, {"create", "unique", "index"}, "CONCURRENTLY");
    if (!concurrent.empty()) {
      concurrent.append(";");
      return concurrent;  // by name, not append()'s reference, so the string is moved, not copied
    }
    // Not SQL we can edit (Alembic): write the statement from the index spec.
    std::string name = index.name.empty() ? rules::postgres_default_name(index.table, index.columns, "idx") : index.name;
    std::string sql = std::string("CREATE ") + (index.unique ? "UNIQUE " : "") + "INDEX CONCURRENTLY " + name + " ON " +
                      index.table.display();
    if (!index.method.empty()) sql += " USING " + index.method;
    sql += " (" + rules::join(index.columns) + ")";
    if (!index.where.empty()) sql += " WHERE " + index.where;
    return sql + ";";
  }

  // Each text is built with one rules::concat (one allocation) rather than successive `+=`, which regrow it.
  static void check_postgres_create(const OperationContext& context, const IndexSpec& index) {
    static constexpr std::string_view kInvalidIndexAdvice =
        " If the concurrent build fails it leaves an INVALID index: drop it with DROP INDEX CONCURRENTLY and retry.";
    std::string table = index.table.display();
    std::string name = index.name.empty() ? "index" : rules::concat({"index `", index.name, "`"});
    std::string statement = recreated_statement(context, index);
    std::string help;
    if (context.migration.layout == "alembic") {
      help = rules::concat({"Pass `postgresql_concurrently=True` to `op.create_index` and run it inside `with "
                            "op.get_context().autocommit_block():` (the equivalent SQL is `",
                            statement, "`).", kInvalidIndexAdvice});
    } else if (context.in_transaction()) {
      help = rules::concat({"Build it concurrently: `", statement, "` ",
                            rules::leave_transaction_advice(context.statement.transaction), kInvalidIndexAdvice});
    } else {
      help = rules::concat({"Build it concurrently: `", statement, "` (it must run outside a transaction block).",
                            kInvalidIndexAdvice});
    }
    context.report(rules::concat({"Building ", name, " on `", table,
                                  "` without CONCURRENTLY holds a SHARE lock that blocks every INSERT, UPDATE and "
                                  "DELETE on `", table, "` until the whole index is built, which takes minutes on a "
                                  "large table."}),
                   std::move(help));
  }

  static void check_mysql_create(const OperationContext& context, const IndexSpec& index) {
    std::string kind = ascii_lowered(index.mysql_kind);
    if (kind != "fulltext" && kind != "spatial") return;
    std::string table = index.table.display();
    std::string upper = kind == "fulltext" ? "FULLTEXT" : "SPATIAL";
    context.report("Building " + upper + " index `" + (index.name.empty() ? std::string("(unnamed)") : index.name) +
                       "` on `" + table + "` blocks every write to `" + table +
                       "` for the whole build (LOCK=SHARED)" +
                       (kind == "fulltext" ? ", and the first FULLTEXT index also rebuilds the table." : "."),
                   "Build it in a maintenance window or with gh-ost / pt-online-schema-change; for search on a large, "
                   "busy table consider an external search index.");
  }

  static void check_reindex(const OperationContext& context, const Reindex& reindex) {
    const char* target = "INDEX";
    switch (reindex.target) {
      case ReindexTarget::Index:
        if (context.state.is_new_index(reindex.name)) return;
        target = "INDEX";
        break;
      case ReindexTarget::Table:
        if (context.state.is_new_table(reindex.name)) return;
        target = "TABLE";
        break;
      case ReindexTarget::Schema: target = "SCHEMA"; break;
      case ReindexTarget::Database: target = "DATABASE"; break;
      case ReindexTarget::System: target = "SYSTEM"; break;
    }
    std::string object = std::string(target) + " " + reindex.name.display();
    std::string help;
    if (reindex.target == ReindexTarget::System) {
      help = "REINDEX SYSTEM has no concurrent form: run it in a maintenance window, not in a migration.";
    } else if (context.target_version().major >= 12) {
      help = "Use `REINDEX " + std::string(target) + " CONCURRENTLY " + reindex.name.display() +
             ";` as its own statement outside a transaction block.";
      if (context.in_transaction()) help.append(" ").append(rules::leave_transaction_advice(context.statement.transaction));
    } else {
      help = rules::postgres_version_text(context.target_version()) +
             " has no REINDEX CONCURRENTLY: build a replacement with `CREATE INDEX CONCURRENTLY`, then `DROP INDEX "
             "CONCURRENTLY` the old index and rename the new one.";
    }
    context.report("`REINDEX " + object + "` blocks writes to the table and, through the ACCESS EXCLUSIVE lock on "
                   "the rebuilt index, also the reads that plan to use it, until the rebuild finishes.",
                   help);
  }
};

MIGSAFE_REGISTER_RULE(BlockingIndexBuild);

}  // namespace
}  // namespace migsafe
