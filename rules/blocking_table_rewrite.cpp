// blocking-table-rewrite: statements whose whole job is rewriting a table (VACUUM FULL, CLUSTER,
// SET LOGGED/UNLOGGED; MySQL OPTIMIZE TABLE, ALTER ... ENGINE=/FORCE).
#include "linter/engine/rule.h"
#include "rules/rule_support.h"

namespace migsafe {
namespace {

constexpr RuleInfo kInfo{
    .id = "blocking-table-rewrite",
    .default_severity = Severity::Error,
    .category = RuleCategory::Locks,
    .engines = kPostgres | kMySQL,
    .summary = "VACUUM FULL, CLUSTER and SET LOGGED/UNLOGGED rewrite the whole table while blocking all access to it.",
    .what_it_does =
        "Flags `VACUUM FULL`, `CLUSTER`, `ALTER TABLE ... SET LOGGED` / `SET UNLOGGED` / `SET TABLESPACE` / "
        "`SET ACCESS METHOD`, and on MySQL/MariaDB "
        "`OPTIMIZE TABLE` and `ALTER TABLE ... ENGINE=` / `FORCE`, except on tables created in the same migration.",
    .why =
        "Each of these copies the entire table (and rebuilds its indexes). PostgreSQL holds an ACCESS EXCLUSIVE "
        "lock for the whole copy, so nothing can read or write the table; on a large table that is an outage of "
        "minutes to hours. MySQL rebuilds in place with heavy I/O, replica lag and an exclusive metadata lock at "
        "the end.",
    .safe_alternative =
        "PostgreSQL: rebuild online with pg_repack or pg_squeeze (also for CLUSTER ordering); plain `VACUUM` (no "
        "FULL) reclaims space for reuse without blocking. Do not switch large tables between LOGGED and UNLOGGED "
        "in a migration. MySQL: run rebuilds with gh-ost / pt-online-schema-change, off-peak.",
    .bad_example = "VACUUM FULL orders;",
    .good_example = "VACUUM (ANALYZE) orders;  -- or: pg_repack --table=orders",
    .lock = "ACCESS EXCLUSIVE on the table for the whole rewrite.",
    .versions = "All versions.",
    .references = "engines.md 1.2 #56, #57, #58; section 3 (OPTIMIZE / ENGINE=InnoDB / FORCE)",
};

class BlockingTableRewrite final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  OperationKinds inspected_operations() const override {
    return operation_kinds<Vacuum, Cluster, SetLogged, RebuildTable>();
  }

  void check_operation(const OperationContext& context) const override {
    if (context.is_postgres()) {
      check_postgres(context);
    } else if (context.is_mysql()) {
      if (const auto* rebuild = context.op.as<RebuildTable>()) {
        if (context.state.is_new_table(rebuild->table)) return;
        std::string table = rebuild->table.display();
        context.report("`" + (rebuild->reason.empty() ? std::string("This statement") : rebuild->reason) +
                           "` rebuilds the whole table `" + table + "`: hours of I/O on a large table, replica lag, "
                           "and an exclusive metadata lock at the end that blocks every query on `" + table + "`.",
                       "Run the rebuild with gh-ost / pt-online-schema-change, or off-peak outside the deploy.");
      }
    }
  }

 private:
  static void check_postgres(const OperationContext& context) {
    if (const auto* vacuum = context.op.as<Vacuum>()) {
      if (!vacuum->full) return;
      if (vacuum->tables.empty()) {
        context.report("`VACUUM FULL` without a table rewrites every table of the database, each under an ACCESS "
                       "EXCLUSIVE lock that blocks all reads and writes of it until its copy is done.",
                       "Use plain `VACUUM` (no FULL), which reclaims space for reuse without blocking, and rebuild "
                       "bloated tables online with pg_repack or pg_squeeze.");
        return;
      }
      std::vector<std::string> existing;
      for (const QualifiedName& table : vacuum->tables) {
        if (!context.state.is_new_table(table)) existing.push_back(table.display());
      }
      if (existing.empty()) return;
      std::string names = "`" + rules::join(existing, "`, `") + "`";
      context.report("`VACUUM FULL` rewrites " + names + " completely under an ACCESS EXCLUSIVE lock, blocking every "
                     "read and write until the copy is done.",
                     "Use `VACUUM " + rules::join(existing) + ";` (no FULL: no blocking), and rebuild online with "
                     "`pg_repack --table=" + existing.front() + "` or pg_squeeze if the space must be returned.");
    } else if (const auto* cluster = context.op.as<Cluster>()) {
      if (cluster->table.name.empty()) {
        context.report("`CLUSTER` without a table rewrites every previously clustered table of the database, each "
                       "under an ACCESS EXCLUSIVE lock that blocks all reads and writes of it.",
                       "Reorder tables online with `pg_repack --order-by=...` instead of CLUSTER.");
        return;
      }
      if (context.state.is_new_table(cluster->table)) return;
      std::string table = cluster->table.display();
      context.report("`CLUSTER " + table + "` rewrites the whole table in index order under an ACCESS EXCLUSIVE "
                     "lock, blocking every read and write of `" + table + "` until the copy is done.",
                     "Reorder it online with `pg_repack --table=" + table + " --order-by=<columns>` instead.");
    } else if (const auto* rebuild = context.op.as<RebuildTable>()) {
      if (context.state.is_new_table(rebuild->table)) return;
      std::string table = rebuild->table.display();
      std::string reason = rebuild->reason.empty() ? "This statement rewrites the table" : rebuild->reason;
      context.report(reason + ": `" + table + "` is copied completely under an ACCESS EXCLUSIVE lock, blocking every "
                     "read and write of it until the copy is done.",
                     "Do not rewrite a large table in a migration: rebuild it online with pg_repack (which can also "
                     "move it to another tablespace), or create a new table, copy rows in batches and swap names in a "
                     "short transaction.");
    } else if (const auto* logged = context.op.as<SetLogged>()) {
      if (context.state.is_new_table(logged->table)) return;
      std::string table = logged->table.display();
      std::string mode = logged->logged ? "SET LOGGED" : "SET UNLOGGED";
      context.report("`ALTER TABLE " + table + " " + mode + "` rewrites the whole table under an ACCESS EXCLUSIVE "
                     "lock, blocking every read and write of `" + table + "` until the copy is done.",
                     "Avoid changing persistence of a large table in a migration: create a new table with the "
                     "wanted persistence, copy rows in batches and swap the names in a short transaction.");
    }
  }
};

MIGSAFE_REGISTER_RULE(BlockingTableRewrite);

}  // namespace
}  // namespace migsafe
