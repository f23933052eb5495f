// `--trace` (PostgreSQL): what a migration's statements did on the server, observed statement by
// statement inside the migration's transaction (engines.md: pg_locks for the backend, pg_class.relfilenode
// of tables and indexes, the server's DEBUG1 `rewriting table` / `verifying table` notices).
//
// Two producers fill a ScriptObservation: the SQL runner (pg_database.cpp, between the statements it
// sends) and the Alembic driver (SQLAlchemy cursor events, alembic_driver.py). One analyzer turns it into
// per-statement facts, so both report the same way.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "linter/model/source.h"

namespace migsafe::harness {

// One relation of the migrated database (system schemas left out), as the trace queries read it.
struct TracedRelation {
  std::uint32_t oid = 0;
  char kind = 'r';          // pg_class.relkind
  std::string name;         // schema-qualified unless in public
  std::string relname;      // pg_class.relname (DEBUG1 notices name relations by it)
  std::string table;        // for an index: its table's display name
  std::string relfilenode;  // "0" for relations without storage
};

using RelationStates = std::map<std::uint32_t, TracedRelation>;
using HeldLocks = std::set<std::pair<std::uint32_t, std::string>>;  // relation oid, mode ("AccessExclusiveLock")

// What was read after one statement.
struct StatementObservation {
  // Where the statement is: SQL layouts: a range into the script's file; Alembic: the revision file and
  // the line of the `op.*` call on the Python stack (0 = not from a revision file: Alembic bookkeeping).
  std::optional<ByteRange> range;
  std::string path;
  int line = 0;
  std::string sql;                 // the statement as sent (Alembic: rendered by SQLAlchemy)
  bool in_transaction = true;      // a transaction was open after it, so pg_locks shows what it holds
  std::string untraced_reason;     // why locks could not be read (statement outside a transaction)
  HeldLocks locks;                 // every relation lock the backend held right after the statement
  RelationStates relations;        // relations and relfilenodes right after the statement
  std::vector<std::string> notices;  // server messages during the statement (DEBUG1 included)
  double started = 0;              // seconds since the script started
  double finished = 0;
};

struct ScriptObservation {
  RelationStates baseline;                  // before the migration: what "existing" means
  std::vector<StatementObservation> statements;
  std::vector<double> transaction_ends;     // seconds since the script started, in order
  std::vector<std::string> notes;           // tracing problems worth telling the user
};

// The queries both producers run (the driver embeds the same text).
extern const char* const kTraceRelationsQuery;  // oid, relkind, relfilenode, display name, relname, table
extern const char* const kTraceLocksQuery;      // relation oid, mode
RelationStates parse_relation_rows(const std::vector<std::vector<std::optional<std::string>>>& rows);

// The driver's JSON form of an observation (alembic_driver.py, "trace" in an upgrade answer).
ScriptObservation observation_from_json(const nlohmann::json& trace);

// What one statement did to relations that existed before the migration.
struct TracedLock {
  std::string relation;      // display name
  std::string relname;       // as the server's notices name it
  std::string mode;          // "ACCESS EXCLUSIVE", "SHARE", ...
  bool blocks_reads = false;
};
struct TracedRewrite {
  std::string relation;                 // the table (or the index, when only an index was rebuilt)
  bool index_only = false;
  std::vector<std::string> indexes;     // indexes rebuilt with it
};
struct StatementFacts {
  const StatementObservation* statement = nullptr;
  std::vector<TracedLock> blocking_locks;  // newly taken by this statement, modes that block others
  std::vector<TracedRewrite> rewrites;
  std::vector<std::string> scanned;        // tables a scan verified/validated ("verifying table")
  double held_seconds = 0;                 // from the statement's start to the end of its transaction
};

// Locks that block other sessions (engines.md 1.1): ACCESS EXCLUSIVE blocks reads and writes; EXCLUSIVE,
// SHARE ROW EXCLUSIVE and SHARE block writes. nullopt for the others.
std::optional<TracedLock> blocking_mode(const std::string& pg_locks_mode);

// Per statement (from a revision file / the script) what it did; statements that did nothing blocking
// are left out.
std::vector<StatementFacts> analyze_observation(const ScriptObservation& observation);

}  // namespace migsafe::harness
