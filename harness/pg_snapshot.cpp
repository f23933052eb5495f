// Schema snapshot of a PostgreSQL database from pg_catalog: every user object outside the system
// schemas and outside extensions, described by catalog functions (pg_get_constraintdef, ...) so that
// equal schemas give equal text. Migration-tool bookkeeping tables are left out.
#include "harness/pg_snapshot.h"

namespace migsafe::harness {
namespace {

constexpr const char* kUserNamespace =
    "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' "
    "AND n.nspname NOT LIKE 'pg\\_temp\\_%'";

std::string qualified(const char* schema_column, const char* name_column) {
  return std::string("CASE WHEN ") + schema_column + " = 'public' THEN " + name_column + " ELSE " + schema_column +
         " || '.' || " + name_column + " END";
}

std::string not_extension_member(const char* catalog, const char* oid_column) {
  return std::string("NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = '") + catalog +
         "'::regclass AND d.objid = " + oid_column + " AND d.deptype = 'e')";
}

constexpr const char* kToolTables =
    "('alembic_version', 'schema_migrations', 'flyway_schema_history', 'goose_db_version', "
    "'schema_version', 'gorp_migrations')";

std::string value(const Row& row, std::size_t i) { return i < row.size() && row[i] ? *row[i] : std::string(); }

// The snapshot's queries do not depend on each other's results: the body runs twice, first recording
// the SQL, then over the results of one round trip (one message instead of eleven: on a loaded machine
// each round trip waits for the scheduler, which made snapshots most of a stairway's time). The queries are
// prepared once per connection: planning them took longer than running them.
class BatchedQueries {
 public:
  explicit BatchedQueries(PgConnection& connection) : connection_(connection) {}
  const std::vector<Row>& query(const std::string& sql) {
    if (recording_) {
      statements_.push_back(sql);
      return empty_;
    }
    return results_.at(next_++);
  }
  void run() {
    results_ = connection_.query_batch_prepared(statements_);
    recording_ = false;
  }

 private:
  PgConnection& connection_;
  bool recording_ = true;
  std::vector<std::string> statements_;
  std::vector<std::vector<Row>> results_;
  std::size_t next_ = 0;
  const std::vector<Row> empty_;
};

Schema build_snapshot(BatchedQueries& connection);

}  // namespace

Schema snapshot_postgres(PgConnection& connection) {
  BatchedQueries queries(connection);
  build_snapshot(queries);
  queries.run();
  return build_snapshot(queries);
}

namespace {

Schema build_snapshot(BatchedQueries& connection) {
  Schema schema;
  std::string user = kUserNamespace;

  for (const auto& row : connection.query(
           "SELECT n.nspname FROM pg_namespace n WHERE " + user + " AND n.nspname <> 'public' AND " +
           not_extension_member("pg_namespace", "n.oid"))) {
    schema.add({"schema", value(row, 0), "", {}});
  }
  for (const auto& row : connection.query(
           "SELECT e.extname, n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
           "WHERE e.extname <> 'plpgsql'")) {
    schema.add({"extension", value(row, 0), "", {{"schema", value(row, 1)}}});
  }

  const std::string table_filter = "c.relkind IN ('r', 'p', 'f') AND " + user + " AND c.relname NOT IN " + kToolTables +
                                   " AND " + not_extension_member("pg_class", "c.oid");
  for (const auto& row : connection.query(
           "SELECT " + qualified("n.nspname", "c.relname") + ", c.relkind, c.relpersistence, c.relrowsecurity, "
           "pg_get_partkeydef(c.oid), pg_get_expr(c.relpartbound, c.oid), "
           "(SELECT " + qualified("pn.nspname", "p.relname") + " FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent "
           "JOIN pg_namespace pn ON pn.oid = p.relnamespace WHERE i.inhrelid = c.oid LIMIT 1) "
           "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE " + table_filter)) {
    SchemaObject table{"table", value(row, 0), "", {}};
    if (value(row, 1) == "p") table.properties["partitioned by"] = value(row, 4);
    if (value(row, 1) == "f") table.properties["kind"] = "foreign table";
    if (value(row, 2) == "u") table.properties["persistence"] = "unlogged";
    if (value(row, 3) == "t") table.properties["row level security"] = "enabled";
    if (!value(row, 5).empty()) table.properties["partition of"] = value(row, 6) + " " + value(row, 5);
    else if (!value(row, 6).empty()) table.properties["inherits"] = value(row, 6);
    table.summary = table.properties.count("partitioned by") ? "partitioned" : "";
    schema.add(std::move(table));
  }

  for (const auto& row : connection.query(
           "SELECT " + qualified("n.nspname", "c.relname") + ", a.attname, format_type(a.atttypid, a.atttypmod), "
           "a.attnotnull, pg_get_expr(ad.adbin, ad.adrelid), a.attidentity, a.attgenerated, "
           "CASE WHEN a.attcollation <> t.typcollation THEN co.collname END "
           "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
           "JOIN pg_type t ON t.oid = a.atttypid "
           "LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum "
           "LEFT JOIN pg_collation co ON co.oid = a.attcollation "
           "WHERE a.attnum > 0 AND NOT a.attisdropped AND " + table_filter)) {
    std::string table = value(row, 0);
    SchemaObject column{"column", table + "." + value(row, 1), value(row, 2), {}};
    column.properties["table"] = table;
    column.properties["type"] = value(row, 2);
    column.properties["nullable"] = value(row, 3) == "t" ? "no" : "yes";
    std::string identity = value(row, 5);
    std::string generated = value(row, 6);
    if (!generated.empty()) {
      column.properties["generated"] = "always as (" + value(row, 4) + ") stored";
    } else if (!value(row, 4).empty()) {
      column.properties["default"] = value(row, 4);
    }
    if (identity == "a") column.properties["identity"] = "always";
    if (identity == "d") column.properties["identity"] = "by default";
    if (!value(row, 7).empty()) column.properties["collation"] = value(row, 7);
    schema.add(std::move(column));
  }

  for (const auto& row : connection.query(
           "SELECT " + qualified("n.nspname", "c.relname") + ", con.conname, con.contype, "
           "pg_get_constraintdef(con.oid, true) "
           "FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
           "WHERE con.contype IN ('p', 'u', 'c', 'f', 'x') AND " + table_filter)) {
    std::string type = value(row, 2);
    std::string kind = type == "p"   ? "primary key"
                       : type == "u" ? "unique constraint"
                       : type == "c" ? "check constraint"
                       : type == "f" ? "foreign key"
                                     : "exclusion constraint";
    std::string table = value(row, 0);
    schema.add({kind, table + "." + value(row, 1), value(row, 3), {{"table", table}, {"definition", value(row, 3)}}});
  }

  // Indexes that back a constraint are described by the constraint.
  for (const auto& row : connection.query(
           "SELECT " + qualified("n.nspname", "ic.relname") + ", " + qualified("n.nspname", "c.relname") +
           ", i.indisunique, substring(pg_get_indexdef(i.indexrelid) from ' USING .*$'), i.indisvalid "
           "FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class c ON c.oid = i.indrelid "
           "JOIN pg_namespace n ON n.oid = c.relnamespace "
           "WHERE NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = i.indexrelid "
           "AND con.contype IN ('p', 'u', 'x')) AND " + table_filter)) {
    SchemaObject index{"index", value(row, 0), "", {}};
    index.properties["table"] = value(row, 1);
    index.properties["unique"] = value(row, 2) == "t" ? "yes" : "no";
    std::string definition = value(row, 3);
    if (definition.rfind(" USING ", 0) == 0) definition.erase(0, 7);
    index.properties["definition"] = definition;
    if (value(row, 4) != "t") index.properties["valid"] = "no (a failed CREATE INDEX CONCURRENTLY leaves it invalid)";
    index.summary = (value(row, 2) == "t" ? "unique on " : "on ") + value(row, 1) + " using " + definition;
    schema.add(std::move(index));
  }

  for (const auto& row : connection.query(
           "SELECT " + qualified("n.nspname", "c.relname") + ", format_type(s.seqtypid, NULL), s.seqstart, "
           "s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle, "
           "(SELECT " + qualified("tn.nspname", "t.relname") + " || '.' || a.attname FROM pg_depend d "
           "JOIN pg_class t ON t.oid = d.refobjid JOIN pg_namespace tn ON tn.oid = t.relnamespace "
           "JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid "
           "WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'a' LIMIT 1) "
           "FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
           "WHERE " + user + " AND " + not_extension_member("pg_class", "c.oid") +
           " AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass "
           "AND d.objid = c.oid AND d.deptype = 'i')")) {
    SchemaObject sequence{"sequence", value(row, 0), value(row, 1), {}};
    sequence.properties["type"] = value(row, 1);
    sequence.properties["start"] = value(row, 2);
    sequence.properties["increment"] = value(row, 3);
    sequence.properties["min"] = value(row, 4);
    sequence.properties["max"] = value(row, 5);
    sequence.properties["cache"] = value(row, 6);
    sequence.properties["cycle"] = value(row, 7) == "t" ? "yes" : "no";
    if (!value(row, 8).empty()) sequence.properties["owned by"] = value(row, 8);
    schema.add(std::move(sequence));
  }

  for (const auto& row : connection.query(
           "SELECT " + qualified("n.nspname", "t.typname") + ", t.typtype, "
           "array_to_string(ARRAY(SELECT quote_literal(e.enumlabel) FROM pg_enum e WHERE e.enumtypid = t.oid "
           "ORDER BY e.enumsortorder), ', '), "
           "format_type(t.typbasetype, t.typtypmod), t.typnotnull, t.typdefault, "
           "array_to_string(ARRAY(SELECT pg_get_constraintdef(con.oid, true) FROM pg_constraint con "
           "WHERE con.contypid = t.oid ORDER BY con.conname), ' '), "
           "array_to_string(ARRAY(SELECT a.attname || ' ' || format_type(a.atttypid, a.atttypmod) "
           "FROM pg_attribute a WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped "
           "ORDER BY a.attnum), ', '), "
           "(SELECT format_type(r.rngsubtype, NULL) FROM pg_range r WHERE r.rngtypid = t.oid) "
           "FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
           "WHERE " + user + " AND " + not_extension_member("pg_type", "t.oid") +
           " AND (t.typtype IN ('e', 'd', 'r') OR (t.typtype = 'c' AND "
           "(SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c'))")) {
    std::string type = value(row, 1);
    SchemaObject object{"type", value(row, 0), "", {}};
    if (type == "e") {
      object.kind = "enum type";
      object.properties["labels"] = value(row, 2);
      object.summary = value(row, 2);
    } else if (type == "d") {
      object.kind = "domain";
      object.properties["base type"] = value(row, 3);
      object.properties["nullable"] = value(row, 4) == "t" ? "no" : "yes";
      if (!value(row, 5).empty()) object.properties["default"] = value(row, 5);
      if (!value(row, 6).empty()) object.properties["constraints"] = value(row, 6);
      object.summary = value(row, 3);
    } else if (type == "c") {
      object.kind = "composite type";
      object.properties["attributes"] = value(row, 7);
      object.summary = value(row, 7);
    } else {
      object.kind = "range type";
      object.properties["subtype"] = value(row, 8);
      object.summary = value(row, 8);
    }
    schema.add(std::move(object));
  }

  for (const auto& row : connection.query(
           "SELECT " + qualified("n.nspname", "c.relname") + ", c.relkind, pg_get_viewdef(c.oid, true) "
           "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('v', 'm') AND " + user +
           " AND " + not_extension_member("pg_class", "c.oid"))) {
    std::string kind = value(row, 1) == "m" ? "materialized view" : "view";
    schema.add({kind, value(row, 0), "", {{"definition", normalize_sql(value(row, 2))}}});
  }

  for (const auto& row : connection.query(
           "SELECT " + qualified("n.nspname", "p.proname") + " || '(' || pg_get_function_identity_arguments(p.oid) || ')', "
           "p.prokind, CASE WHEN p.prokind IN ('f', 'p', 'w') THEN pg_get_functiondef(p.oid) END, "
           "format_type(p.prorettype, NULL) "
           "FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE " + user + " AND " +
           not_extension_member("pg_proc", "p.oid"))) {
    std::string kind = value(row, 1) == "p" ? "procedure" : value(row, 1) == "a" ? "aggregate" : "function";
    SchemaObject object{kind, value(row, 0), "", {}};
    object.properties["returns"] = value(row, 3);
    if (!value(row, 2).empty()) object.properties["definition"] = normalize_sql(value(row, 2));
    schema.add(std::move(object));
  }

  for (const auto& row : connection.query(
           "SELECT " + qualified("n.nspname", "c.relname") + ", tg.tgname, pg_get_triggerdef(tg.oid, true), tg.tgenabled "
           "FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
           "WHERE NOT tg.tgisinternal AND " + user)) {
    SchemaObject trigger{"trigger", value(row, 0) + "." + value(row, 1), "", {}};
    trigger.properties["table"] = value(row, 0);
    trigger.properties["definition"] = value(row, 2);
    if (value(row, 3) == "D") trigger.properties["enabled"] = "no";
    schema.add(std::move(trigger));
  }
  return schema;
}

}  // namespace
}  // namespace migsafe::harness
