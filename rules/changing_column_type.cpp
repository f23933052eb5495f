// changing-column-type: ALTER COLUMN ... TYPE changes that rewrite the table (PostgreSQL), copy it
// (MySQL) or rebuild it (SQLite batch mode).
#include <cctype>
#include <map>
#include <set>

#include "linter/engine/rule.h"
#include "rules/rule_support.h"

namespace migsafe {
namespace {

constexpr RuleInfo kInfo{
    .id = "changing-column-type",
    .default_severity = Severity::Error,
    .category = RuleCategory::Locks,
    .engines = kAllEngines,
    .summary = "Changing a column's type rewrites the whole table under an exclusive lock unless the types are binary compatible.",
    .what_it_does =
        "Flags `ALTER COLUMN ... TYPE` / Alembic `alter_column(type_=...)` / MySQL `MODIFY` on an existing table "
        "when the change rewrites it. PostgreSQL: int -> bigint, shrinking varchar, text -> varchar(n), numeric "
        "scale changes, text -> int, enum -> text, timestamp <-> timestamptz unless TimeZone is UTC on 12+, and "
        "any USING expression that computes new values. Not flagged: varchar widening, varchar -> text, numeric "
        "precision increase with the same scale, numeric(p,s) -> numeric. The old type comes from Alembic's "
        "`existing_type` or from earlier migrations; when it is unknown only target types that always rewrite "
        "(integers, floats, boolean, uuid, date, json/jsonb, bytea) are flagged. MySQL: every type change "
        "except a VARCHAR extension that stays on the same side of 255 bytes copies the table. SQLite: a type "
        "change in Alembic batch mode copies the table.",
    .why =
        "PostgreSQL converts every row and rebuilds every index of the table while holding an ACCESS EXCLUSIVE "
        "lock, so all reads and writes wait for the whole rewrite; a cast that fails on one row (text -> int) "
        "fails the deploy after minutes of downtime. MySQL's COPY algorithm blocks writes for the whole copy.",
    .safe_alternative =
        "Expand and contract: add a new column with the new type, write to both (trigger or application), "
        "backfill in batches, build its indexes with CREATE INDEX CONCURRENTLY, switch reads, then swap or drop "
        "the old column in a short transaction with lock_timeout. For a length limit, keep text and add a "
        "`CHECK (char_length(col) <= n) NOT VALID` constraint, validated separately. For timestamp -> "
        "timestamptz on PostgreSQL 12+, run `SET TimeZone = 'UTC'` first in the migration session.",
    .bad_example = "ALTER TABLE orders ALTER COLUMN id TYPE bigint;",
    .good_example = "ALTER TABLE orders ALTER COLUMN note TYPE varchar(500); -- widened from varchar(200): no rewrite",
    .lock = "ACCESS EXCLUSIVE on the table for the whole rewrite (metadata-only changes hold it briefly).",
    .versions = "PostgreSQL 9.2+: varchar widening and varchar -> text are free. PostgreSQL 12+: timestamp <-> "
                "timestamptz is free when the session TimeZone is UTC.",
    .references = "engines.md 1.2 #13-#23, 1.3; section 3 (change column data type, extend VARCHAR)",
};

enum class Outcome { NoRewrite, Rewrite, Unknown };

struct Verdict {
  Outcome outcome = Outcome::Unknown;
  std::string reason;  // why it rewrites, for the message
};

// Canonical PostgreSQL names for the aliases a front end may leave in place.
std::string canonical(const std::string& name) {
  static const std::map<std::string, std::string> aliases = {
      {"int", "int4"}, {"integer", "int4"}, {"smallint", "int2"}, {"bigint", "int8"},
      {"serial", "int4"}, {"serial4", "int4"}, {"bigserial", "int8"}, {"serial8", "int8"},
      {"smallserial", "int2"}, {"serial2", "int2"}, {"character varying", "varchar"},
      {"character", "bpchar"}, {"char", "bpchar"}, {"decimal", "numeric"}, {"real", "float4"},
      {"double precision", "float8"}, {"float", "float8"}, {"boolean", "bool"},
      {"timestamp without time zone", "timestamp"}, {"timestamp with time zone", "timestamptz"},
      {"time without time zone", "time"}, {"time with time zone", "timetz"}, {"bit varying", "varbit"}};
  std::string folded = ascii_lowered(name);
  auto it = aliases.find(folded);
  return it == aliases.end() ? folded : it->second;
}

const std::set<std::string>& builtin_types() {
  static const std::set<std::string> types = {
      "int2", "int4", "int8", "numeric", "float4", "float8", "bool", "text", "varchar", "bpchar", "timestamp",
      "timestamptz", "date", "time", "timetz", "interval", "uuid", "json", "jsonb", "bytea", "inet", "cidr",
      "macaddr", "bit", "varbit", "money", "xml", "tsvector", "oid"};
  return types;
}

// Types that no other type converts to without a rewrite; used when the old type is unknown.
bool always_rewritten_into(const std::string& type) {
  static const std::set<std::string> types = {"int2", "int4", "int8", "float4", "float8", "bool", "uuid",
                                              "date", "json", "jsonb", "bytea", "money"};
  return types.count(type) > 0;
}

// A USING expression that is the column itself (optionally cast) keeps PostgreSQL's no-rewrite analysis.
bool trivial_using(const std::string& expression, const std::string& column) {
  std::string text;
  for (char c : ascii_lowered(expression)) {
    if (!std::isspace(static_cast<unsigned char>(c)) && c != '"') text += c;
  }
  std::string name = ascii_lowered(column);
  if (text.empty() || text == name) return true;
  if (text.rfind(name + "::", 0) == 0) return true;
  return text.rfind("cast(" + name + "as", 0) == 0;
}

long modifier(const TypeRef& type, std::size_t index, long fallback) {
  return index < type.modifiers.size() ? type.modifiers[index] : fallback;
}

Verdict postgres_verdict(const TypeRef& old_type, const TypeRef& new_type, const std::string& using_expression,
                         const std::string& column, bool timezone_utc, const Version& version) {
  if (!trivial_using(using_expression, column)) {
    return {Outcome::Rewrite, "the USING expression computes a new value for every row"};
  }
  if (old_type.is_array != new_type.is_array) return {Outcome::Rewrite, "every value is converted"};
  std::string from = canonical(old_type.name);
  std::string to = canonical(new_type.name);
  bool old_unbounded = old_type.modifiers.empty();
  bool new_unbounded = new_type.modifiers.empty();

  if (from == to) {
    if (old_type.modifiers == new_type.modifiers) return {Outcome::NoRewrite, ""};
    if (from == "varchar" || from == "varbit") {
      if (new_unbounded) return {Outcome::NoRewrite, ""};
      if (old_unbounded || modifier(new_type, 0, 0) < modifier(old_type, 0, 0)) {
        return {Outcome::Rewrite, "shrinking the length limit checks and rewrites every row"};
      }
      return {Outcome::NoRewrite, ""};
    }
    if (from == "numeric") {
      if (new_unbounded) return {Outcome::NoRewrite, ""};
      if (old_unbounded) return {Outcome::Rewrite, "every value is rounded to the new precision and scale"};
      if (modifier(new_type, 1, 0) != modifier(old_type, 1, 0)) {
        return {Outcome::Rewrite, "changing the scale rewrites every value"};
      }
      if (modifier(new_type, 0, 0) < modifier(old_type, 0, 0)) {
        return {Outcome::Rewrite, "lowering the precision checks and rewrites every value"};
      }
      return {Outcome::NoRewrite, ""};
    }
    if (from == "timestamp" || from == "timestamptz" || from == "time" || from == "timetz" || from == "interval") {
      constexpr long kMaxPrecision = 6;
      if (new_unbounded || modifier(new_type, 0, 0) >= modifier(old_type, 0, kMaxPrecision)) return {Outcome::NoRewrite, ""};
      return {Outcome::Rewrite, "lowering the fractional-second precision rounds every value"};
    }
    if (from == "bpchar" || from == "bit") return {Outcome::Rewrite, "every value is re-padded to the new length"};
    return {Outcome::Unknown, ""};
  }

  if ((from == "varchar" || from == "text") && to == "text") return {Outcome::NoRewrite, ""};
  if (from == "text" && to == "varchar") {
    if (new_unbounded) return {Outcome::NoRewrite, ""};
    return {Outcome::Rewrite, "text -> varchar(n) checks the length of every row and rewrites the table"};
  }
  if (from == "cidr" && to == "inet") return {Outcome::NoRewrite, ""};
  if ((from == "timestamp" && to == "timestamptz") || (from == "timestamptz" && to == "timestamp")) {
    if (version.major >= 12 && timezone_utc) return {Outcome::NoRewrite, ""};
    if (version.major >= 12) {
      return {Outcome::Rewrite, "the session TimeZone is not set to UTC in this migration, so every value is converted"};
    }
    return {Outcome::Rewrite, "PostgreSQL before 12 converts every value"};
  }
  bool from_user_type = !builtin_types().count(from);
  if (from_user_type && to == "text") return {Outcome::Rewrite, "converting an enum or other user type to text rewrites every row"};
  return {Outcome::Rewrite, "the values are converted to a new representation"};
}

class ChangingColumnType final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  OperationKinds inspected_operations() const override { return operation_kinds<AlterColumnType>(); }

  void check_operation(const OperationContext& context) const override {
    const auto* change = context.op.as<AlterColumnType>();
    if (!change || context.state.is_new_table(change->table)) return;
    std::optional<TypeRef> old_type = change->old_type;
    if (!old_type || !old_type->known()) {
      old_type.reset();
      if (const ColumnInfo* column = context.state.catalog.column(change->table, change->column);
          column && column->type.known()) {
        old_type = column->type;
      }
    }
    if (context.is_postgres()) {
      check_postgres(context, *change, old_type);
    } else if (context.is_mysql()) {
      check_mysql(context, *change, old_type);
    } else if (context.is_sqlite()) {
      check_sqlite(context, *change, old_type);
    }
  }

 private:
  static std::string help_for(const OperationContext& context, const AlterColumnType& change,
                              const std::optional<TypeRef>& old_type) {
    std::string table = change.table.display();
    std::string to = canonical(change.new_type.name);
    std::string from = old_type ? canonical(old_type->name) : "";
    if (to == "varchar" && !change.new_type.modifiers.empty() && (from == "text" || from == "varchar")) {
      std::string check = rules::postgres_default_name(change.table, {change.column}, "length");
      return rules::concat({"Keep the current type and limit the length with a check that does not block: "
                            "`ALTER TABLE ", table, " ADD CONSTRAINT ", check, " CHECK (char_length(", change.column,
                            ") <= ", std::to_string(change.new_type.modifiers.front()),
                            ") NOT VALID;` then, in a separate transaction, `ALTER TABLE ", table,
                            " VALIDATE CONSTRAINT ", check, ";`."});
    }
    if ((from == "timestamp" && to == "timestamptz") || (from == "timestamptz" && to == "timestamp")) {
      if (context.target_version().major >= 12) {
        return rules::concat({"Run `SET TimeZone = 'UTC';` (or `SET LOCAL TimeZone = 'UTC';` inside the transaction) "
                              "before this statement in the same migration: PostgreSQL 12+ then changes the type "
                              "without rewriting `", table, "`."});
      }
    }
    return rules::concat({"Expand and contract instead of an in-place change: `ALTER TABLE ", table, " ADD COLUMN ",
                          change.column, "_new ", rules::type_text(change.new_type),
                          ";`, keep it in sync for new writes (trigger or application), backfill it in batches, "
                          "build its indexes with CREATE INDEX CONCURRENTLY, then swap the columns in one short "
                          "transaction with a lock_timeout and drop the old column later."});
  }

  static void check_postgres(const OperationContext& context, const AlterColumnType& change,
                             const std::optional<TypeRef>& old_type) {
    std::string table = change.table.display();
    std::string target = rules::type_text(change.new_type);
    if (!old_type) {
      std::string to = canonical(change.new_type.name);
      bool computed = !trivial_using(change.using_expression, change.column);
      if (!always_rewritten_into(to) && !computed) return;
      context.report(rules::concat({"Changing the type of `", table, ".", change.column, "` to ", target,
                                    " rewrites the whole table `", table,
                                    "` and rebuilds its indexes under an ACCESS EXCLUSIVE lock, blocking every read "
                                    "and write until it finishes (migsafe does not know the current type, but ",
                                    computed ? "the USING expression computes a new value for every row"
                                             : rules::concat({"a change to ", target, " from any other type rewrites"}),
                                    ")."}),
                     help_for(context, change, old_type));
      return;
    }
    Verdict verdict = postgres_verdict(*old_type, change.new_type, change.using_expression, change.column,
                                       context.state.timezone_utc, context.target_version());
    if (verdict.outcome != Outcome::Rewrite) return;
    context.report(rules::concat({"Changing `", table, ".", change.column, "` from ", rules::type_text(*old_type),
                                  " to ", target, " rewrites the whole table `", table,
                                  "` and rebuilds its indexes under an ACCESS EXCLUSIVE lock, blocking every read "
                                  "and write until it finishes (", verdict.reason, ")."}),
                   help_for(context, change, old_type));
  }

  static void check_mysql(const OperationContext& context, const AlterColumnType& change,
                          const std::optional<TypeRef>& old_type) {
    if (!old_type) return;  // MODIFY restates the type; without the old one there is nothing to compare
    std::string from = ascii_lowered(old_type->name);
    std::string to = ascii_lowered(change.new_type.name);
    if (from == to && old_type->modifiers == change.new_type.modifiers &&
        old_type->enum_values == change.new_type.enum_values) {
      return;
    }
    if (from == to && (to == "enum" || to == "set")) return;  // member changes: mysql-copy-algorithm judges them
    if (from == "varchar" && to == "varchar") {
      // The length prefix is 1 byte up to 255 bytes, 2 above; utf8mb4 needs 4 bytes per character.
      constexpr long kBytesPerCharacter = 4;
      long old_bytes = modifier(*old_type, 0, 0) * kBytesPerCharacter;
      long new_bytes = modifier(change.new_type, 0, 0) * kBytesPerCharacter;
      if (new_bytes >= old_bytes && (old_bytes <= 255) == (new_bytes <= 255)) return;
    }
    std::string table = change.table.display();
    context.report("Changing `" + table + "." + change.column + "` from " + rules::type_text(*old_type) + " to " +
                       rules::type_text(change.new_type) + " copies the whole table `" + table +
                       "` (ALGORITHM=COPY), blocking writes until every row is copied.",
                   "Add a new column with the new type, backfill it in batches and switch over, or run the change "
                   "with gh-ost / pt-online-schema-change; append `, ALGORITHM=INPLACE, LOCK=NONE` to make MySQL "
                   "refuse instead of silently copying.");
  }

  static void check_sqlite(const OperationContext& context, const AlterColumnType& change,
                           const std::optional<TypeRef>& old_type) {
    // Outside batch mode SQLite cannot change a type at all (sqlite-unsupported-alter reports that).
    if (!context.statement.in_batch) return;
    if (old_type && ascii_lowered(old_type->name) == ascii_lowered(change.new_type.name) &&
        old_type->modifiers == change.new_type.modifiers) {
      return;
    }
    std::string table = change.table.display();
    context.report("Changing the type of `" + table + "." + change.column +
                       "` makes Alembic's batch mode recreate `" + table + "` and copy every row, holding SQLite's "
                       "database-wide write lock for the whole copy.",
                   "Acceptable for small tables; for a large one add a new column of the new type and backfill it "
                   "in batches instead of changing the type in place.");
  }
};

MIGSAFE_REGISTER_RULE(ChangingColumnType);

}  // namespace
}  // namespace migsafe
