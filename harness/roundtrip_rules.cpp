// Metadata for the round-trip result ids (rule-catalog.md, last table). The harness produces these
// findings itself; registering their RuleInfo lets every reporter (SARIF rules[], docs, explain)
// describe them like lint rules.
#include "linter/engine/rule.h"

namespace migsafe {
namespace {

constexpr RuleInfo kUpgradeFailed{
    .id = "roundtrip-upgrade-failed",
    .default_severity = Severity::Error,
    .category = RuleCategory::RoundTrip,
    .engines = kAllEngines,
    .summary = "The migration's upgrade raised an error on a real throw-away database.",
    .what_it_does =
        "`migsafe roundtrip` applies every migration, in order, to an empty SQLite or PostgreSQL database, the way "
        "the layout's runner would (one transaction per script for Flyway/dbmate/Alembic on PostgreSQL, statement "
        "by statement for a plain folder). This finding means the upgrade itself failed.",
    .why = "The deploy would stop at this migration. Where DDL is not transactional (MySQL, SQLite under some "
           "runners, statements outside a transaction) the database is left half migrated.",
    .safe_alternative = "Fix the statement the finding points at and run `migsafe roundtrip` again. Statements "
                        "that cannot run in a transaction (CREATE INDEX CONCURRENTLY) go into a migration of their "
                        "own with the runner's transaction turned off.",
    .bad_example = "BEGIN;\nCREATE INDEX CONCURRENTLY users_email_idx ON users (email);\nCOMMIT;",
    .good_example = "-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY users_email_idx ON users (email);",
    .lock = "",
    .versions = "",
    .references = "docs/harness.md",
};

constexpr RuleInfo kDowngradeFailed{
    .id = "roundtrip-downgrade-failed",
    .default_severity = Severity::Error,
    .category = RuleCategory::RoundTrip,
    .engines = kAllEngines,
    .summary = "The migration's downgrade raised an error right after its upgrade.",
    .what_it_does = "After each successful upgrade the harness runs the migration's downgrade on the schema the "
                    "upgrade produced. Migrations without a downgrade (missing or marked irreversible) are skipped; "
                    "the linter reports those.",
    .why = "A rollback in production would stop here, in the middle of an incident.",
    .safe_alternative = "Make the downgrade undo exactly what the upgrade did, in reverse order, with IF EXISTS only "
                        "where the upgrade itself was conditional.",
    .bad_example = "-- up\nALTER TABLE users ADD COLUMN age int;\n-- down\nALTER TABLE users DROP COLUMN agee;",
    .good_example = "-- up\nALTER TABLE users ADD COLUMN age int;\n-- down\nALTER TABLE users DROP COLUMN age;",
    .lock = "",
    .versions = "",
    .references = "docs/harness.md",
};

constexpr RuleInfo kSchemaDrift{
    .id = "roundtrip-schema-drift",
    .default_severity = Severity::Error,
    .category = RuleCategory::RoundTrip,
    .engines = kAllEngines,
    .summary = "After the downgrade the schema differs from the schema before the upgrade.",
    .what_it_does = "The harness snapshots the schema from the catalogs (tables, columns, keys, indexes, "
                    "constraints, sequences, types, views, functions, triggers, extensions) before the upgrade and "
                    "after the downgrade, and lists every difference, e.g. \"column users.avatar_url (text) still "
                    "exists after downgrade of 7a8b9c0d1e2f\".",
    .why = "A rolled-back database is in a state no migration describes: upgrading again fails (\"column already "
           "exists\") or silently diverges from what other environments have.",
    .safe_alternative = "Drop in the downgrade everything the upgrade creates (columns, indexes, enum types, "
                        "sequences) and recreate everything it drops.",
    .bad_example = "-- up\nALTER TABLE users ADD COLUMN avatar_url text;\n-- down\n-- (nothing)",
    .good_example = "-- up\nALTER TABLE users ADD COLUMN avatar_url text;\n-- down\nALTER TABLE users DROP COLUMN avatar_url;",
    .lock = "",
    .versions = "",
    .references = "docs/harness.md; the stairway test of alembic-quickstart",
};

constexpr RuleInfo kReupgradeFailed{
    .id = "roundtrip-reupgrade-failed",
    .default_severity = Severity::Error,
    .category = RuleCategory::RoundTrip,
    .engines = kAllEngines,
    .summary = "Upgrading again after the downgrade failed, or produced a different schema.",
    .what_it_does = "After upgrade and downgrade the harness upgrades the migration a second time and compares the "
                    "schema with the one the first upgrade produced.",
    .why = "After a rollback the same release cannot be deployed again, or it deploys a different schema.",
    .safe_alternative = "Make the downgrade a complete inverse (including sequences and types that the schema "
                        "snapshot shows) and the upgrade deterministic.",
    .bad_example = "-- up\nCREATE TYPE mood AS ENUM ('ok');\n-- down\n-- the type is never dropped",
    .good_example = "-- up\nCREATE TYPE mood AS ENUM ('ok');\n-- down\nDROP TYPE mood;",
    .lock = "",
    .versions = "",
    .references = "docs/harness.md",
};

constexpr RuleInfo kFailsWithData{
    .id = "upgrade-fails-with-data",
    .default_severity = Severity::Error,
    .category = RuleCategory::RoundTrip,
    .engines = kAllEngines,
    .summary = "The upgrade works on empty tables but fails once the tables have rows.",
    .what_it_does = "With `--with-data N` the harness inserts N generated rows into every table (respecting types, "
                    "NOT NULL, defaults, uniqueness and foreign keys) before each upgrade and runs it again.",
    .why = "Development and CI databases are empty, production tables are not: a NOT NULL column without a "
           "default, a new UNIQUE constraint or a narrowing cast fails only there.",
    .safe_alternative = "Add columns nullable or with a constant default, backfill in batches, then add the "
                        "constraint (NOT VALID + VALIDATE on PostgreSQL).",
    .bad_example = "ALTER TABLE users ADD COLUMN email text NOT NULL;",
    .good_example = "ALTER TABLE users ADD COLUMN email text NOT NULL DEFAULT '';",
    .lock = "",
    .versions = "",
    .references = "engines.md 1.2 #6; docs/harness.md",
};

constexpr RuleInfo kObservedBlockingLock{
    .id = "observed-blocking-lock",
    .default_severity = Severity::Warning,
    .category = RuleCategory::RoundTrip,
    .engines = kPostgres,
    .summary = "PG trace: a statement held a lock that blocks reads or writes of an existing table, with the mode "
               "and duration.",
    .what_it_does =
        "With `migsafe roundtrip --trace` (PostgreSQL) the harness runs each upgrade statement by statement inside "
        "the migration's transaction and reads `pg_locks` of its own session after every statement. A statement "
        "that newly took ACCESS EXCLUSIVE (blocks reads and writes), EXCLUSIVE, SHARE ROW EXCLUSIVE or SHARE "
        "(block writes) on a table that existed before the migration is reported, with the server's DEBUG1 "
        "`verifying table` / `validating foreign key constraint` scans it did under the lock, how long the lock was "
        "held until COMMIT, and which static rule predicted it (or that none did). Tables created in the same "
        "migration and SHARE UPDATE EXCLUSIVE (VALIDATE CONSTRAINT, CONCURRENTLY) are not reported.",
    .why = "The lock is held until the transaction commits. In production every query on the table that needs a "
           "conflicting lock waits behind it, including plain SELECTs behind ACCESS EXCLUSIVE, and a statement "
           "that waits for the lock blocks everyone queued after it (engines.md 1.1, the lock queue rule).",
    .safe_alternative = "Set lock_timeout before the statement, keep the transaction short (no backfill or index "
                        "build after the lock), and use the non-blocking forms: CREATE INDEX CONCURRENTLY, "
                        "ADD CONSTRAINT ... NOT VALID followed by VALIDATE CONSTRAINT in its own transaction, the "
                        "CHECK (col IS NOT NULL) recipe before SET NOT NULL.",
    .bad_example = "ALTER TABLE users ALTER COLUMN email SET NOT NULL;  -- ACCESS EXCLUSIVE + verifying table",
    .good_example = "ALTER TABLE users ADD CONSTRAINT users_email_nn CHECK (email IS NOT NULL) NOT VALID;\n"
                    "-- next migration, own transaction:\n"
                    "ALTER TABLE users VALIDATE CONSTRAINT users_email_nn;  -- SHARE UPDATE EXCLUSIVE: not reported",
    .lock = "as observed: ACCESS EXCLUSIVE, EXCLUSIVE, SHARE ROW EXCLUSIVE or SHARE",
    .versions = "",
    .references = "docs/harness.md (Tracing); engines.md 1.1 and 1.2",
};

constexpr RuleInfo kObservedTableRewrite{
    .id = "observed-table-rewrite",
    .default_severity = Severity::Warning,
    .category = RuleCategory::RoundTrip,
    .engines = kPostgres,
    .summary = "PG trace: a statement rewrote a table or index (new relfilenode).",
    .what_it_does =
        "With `migsafe roundtrip --trace` (PostgreSQL) the harness compares `pg_class.relfilenode` of every table "
        "and index that existed before the migration before and after each upgrade statement. A new relfilenode "
        "means the server wrote the relation again: a table rewrite (which rebuilds all its indexes) or an index "
        "rebuild. The finding names the table and indexes and whether a static rule predicted the rewrite.",
    .why = "A rewrite copies every row while holding ACCESS EXCLUSIVE: the table can be neither read nor written "
           "for as long as the copy takes, which on a large table is minutes, and it needs disk space for a second "
           "copy of the table and its indexes.",
    .safe_alternative = "Add the column without a volatile default, then `ALTER COLUMN ... SET DEFAULT` (new rows "
                        "only) and backfill in batches; change column types through a new column, a backfill and a "
                        "swap; keep `SET TimeZone = 'UTC'` for timestamp -> timestamptz on PostgreSQL 12+.",
    .bad_example = "ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid();",
    .good_example = "ALTER TABLE users ADD COLUMN token uuid;\n"
                    "ALTER TABLE users ALTER COLUMN token SET DEFAULT gen_random_uuid();\n"
                    "-- then backfill existing rows in batches",
    .lock = "ACCESS EXCLUSIVE for the whole rewrite",
    .versions = "PostgreSQL < 11 rewrites for any non-null column default",
    .references = "docs/harness.md (Tracing); engines.md 1.2",
};

MIGSAFE_REGISTER_RULE_INFO(kUpgradeFailed);
MIGSAFE_REGISTER_RULE_INFO(kObservedBlockingLock);
MIGSAFE_REGISTER_RULE_INFO(kObservedTableRewrite);
MIGSAFE_REGISTER_RULE_INFO(kDowngradeFailed);
MIGSAFE_REGISTER_RULE_INFO(kSchemaDrift);
MIGSAFE_REGISTER_RULE_INFO(kReupgradeFailed);
MIGSAFE_REGISTER_RULE_INFO(kFailsWithData);

}  // namespace
}  // namespace migsafe
