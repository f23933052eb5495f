#include "harness/trace.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace migsafe::harness {

// Relations outside the system schemas, with what a rewrite changes (relfilenode) and how notices and
// findings name them. Alembic upgrades are observed by alembic_driver.py with these same queries (sent in
// its upgrade request).
const char* const kTraceRelationsQuery =
    "SELECT c.oid::text, c.relkind::text, c.relfilenode::text, "
    "CASE WHEN n.nspname = 'public' THEN c.relname::text ELSE n.nspname || '.' || c.relname END, "
    "c.relname::text, "
    "COALESCE(CASE WHEN tn.nspname = 'public' THEN t.relname::text ELSE tn.nspname || '.' || t.relname END, '') "
    "FROM pg_catalog.pg_class c "
    "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
    "LEFT JOIN pg_catalog.pg_index i ON i.indexrelid = c.oid "
    "LEFT JOIN pg_catalog.pg_class t ON t.oid = i.indrelid "
    "LEFT JOIN pg_catalog.pg_namespace tn ON tn.oid = t.relnamespace "
    "WHERE c.relkind IN ('r', 'p', 'm', 'f', 'i', 'I') "
    "AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') "
    "AND n.nspname NOT LIKE 'pg\\_temp\\_%' AND n.nspname NOT LIKE 'pg\\_toast\\_temp\\_%'";

// Relation locks this backend holds in this database (granted; the trace runs in the migration's own
// session, so nothing it waits for can show up here).
const char* const kTraceLocksQuery =
    "SELECT relation::text, mode FROM pg_catalog.pg_locks "
    "WHERE pid = pg_catalog.pg_backend_pid() AND locktype = 'relation' AND granted "
    "AND database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = pg_catalog.current_database())";

namespace {

// pg_locks mode names in conflict order (the PostgreSQL lock table, weakest first).
constexpr const char* kModes[] = {"AccessShareLock",   "RowShareLock",          "RowExclusiveLock",
                                  "ShareUpdateExclusiveLock", "ShareLock", "ShareRowExclusiveLock",
                                  "ExclusiveLock",     "AccessExclusiveLock"};

int strength(const std::string& mode) {
  for (int i = 0; i < 8; ++i) {
    if (mode == kModes[i]) return i + 1;
  }
  return 0;
}

std::uint32_t parse_oid(const std::string& text) {
  try {
    return static_cast<std::uint32_t>(std::stoul(text));
  } catch (const std::exception&) {
    return 0;
  }
}

bool is_table_kind(char kind) { return kind == 'r' || kind == 'p' || kind == 'm' || kind == 'f'; }

// "DEBUG:  rewriting table \"users\"" (psycopg2) or "rewriting table \"users\"" (libpq's primary
// message): the quoted name after `prefix`, if the notice is that message.
std::optional<std::string> quoted_after(const std::string& notice, const std::string& prefix) {
  std::size_t at = notice.find(prefix + " \"");
  if (at == std::string::npos) return std::nullopt;
  std::size_t begin = at + prefix.size() + 2;
  std::size_t end = notice.rfind('"');
  if (end == std::string::npos || end < begin) return std::nullopt;
  return notice.substr(begin, end - begin);
}

}  // namespace

RelationStates parse_relation_rows(const std::vector<std::vector<std::optional<std::string>>>& rows) {
  RelationStates states;
  for (const auto& row : rows) {
    if (row.size() < 6 || !row[0]) continue;
    TracedRelation relation;
    relation.oid = parse_oid(*row[0]);
    relation.kind = row[1] && !row[1]->empty() ? (*row[1])[0] : 'r';
    relation.relfilenode = row[2].value_or("0");
    relation.name = row[3].value_or("");
    relation.relname = row[4].value_or("");
    relation.table = row[5].value_or("");
    states[relation.oid] = std::move(relation);
  }
  return states;
}

namespace {

RelationStates relations_from_json(const nlohmann::json& rows) {
  std::vector<std::vector<std::optional<std::string>>> table;
  for (const auto& row : rows) {
    std::vector<std::optional<std::string>> values;
    for (const auto& value : row) {
      if (value.is_null()) {
        values.emplace_back(std::nullopt);
      } else if (value.is_string()) {
        values.emplace_back(value.get<std::string>());
      } else {
        values.emplace_back(value.dump());
      }
    }
    table.push_back(std::move(values));
  }
  return parse_relation_rows(table);
}

}  // namespace

ScriptObservation observation_from_json(const nlohmann::json& trace) {
  ScriptObservation observation;
  if (!trace.is_object()) return observation;
  if (trace.contains("baseline")) observation.baseline = relations_from_json(trace["baseline"]);
  for (const auto& end : trace.value("transaction_ends", nlohmann::json::array())) {
    if (end.is_number()) observation.transaction_ends.push_back(end.get<double>());
  }
  for (const auto& note : trace.value("notes", nlohmann::json::array())) {
    if (note.is_string()) observation.notes.push_back(note.get<std::string>());
  }
  for (const auto& item : trace.value("statements", nlohmann::json::array())) {
    StatementObservation statement;
    statement.path = item.value("path", "");
    statement.line = item.value("line", 0);
    statement.sql = item.value("sql", "");
    statement.in_transaction = item.value("in_transaction", false);
    statement.untraced_reason = item.value("untraced_reason", "");
    statement.started = item.value("started", 0.0);
    statement.finished = item.value("finished", 0.0);
    for (const auto& lock : item.value("locks", nlohmann::json::array())) {
      if (lock.is_array() && lock.size() == 2 && lock[0].is_string() && lock[1].is_string()) {
        statement.locks.emplace(parse_oid(lock[0].get<std::string>()), lock[1].get<std::string>());
      }
    }
    if (item.contains("relations")) statement.relations = relations_from_json(item["relations"]);
    for (const auto& notice : item.value("notices", nlohmann::json::array())) {
      if (notice.is_string()) statement.notices.push_back(notice.get<std::string>());
    }
    observation.statements.push_back(std::move(statement));
  }
  return observation;
}

std::optional<TracedLock> blocking_mode(const std::string& mode) {
  if (mode == "AccessExclusiveLock") return TracedLock{"", "", "ACCESS EXCLUSIVE", true};
  if (mode == "ExclusiveLock") return TracedLock{"", "", "EXCLUSIVE", false};
  if (mode == "ShareRowExclusiveLock") return TracedLock{"", "", "SHARE ROW EXCLUSIVE", false};
  if (mode == "ShareLock") return TracedLock{"", "", "SHARE", false};
  return std::nullopt;
}

std::vector<StatementFacts> analyze_observation(const ScriptObservation& observation) {
  std::vector<StatementFacts> facts;
  const RelationStates& baseline = observation.baseline;
  // Strongest mode held per relation in the open transaction, and relfilenodes after the previous
  // statement.
  std::map<std::uint32_t, int> held;
  const RelationStates* previous = &baseline;
  double previous_finished = 0;
  for (const auto& statement : observation.statements) {
    // A transaction that ended since the previous statement released everything it held.
    for (double end : observation.transaction_ends) {
      if (end >= previous_finished && end <= statement.started) held.clear();
    }
    StatementFacts fact;
    fact.statement = &statement;
    if (statement.in_transaction) {
      std::map<std::uint32_t, int> now;
      for (const auto& [oid, mode] : statement.locks) now[oid] = std::max(now[oid], strength(mode));
      for (const auto& [oid, level] : now) {
        int before = held.count(oid) ? held[oid] : 0;
        if (level <= before) continue;
        auto existing = baseline.find(oid);
        if (existing == baseline.end() || !is_table_kind(existing->second.kind)) continue;
        if (auto lock = blocking_mode(kModes[level - 1])) {
          lock->relation = existing->second.name;
          lock->relname = existing->second.relname;
          fact.blocking_locks.push_back(*lock);
        }
      }
      held = std::move(now);
    } else {
      held.clear();
    }
    // New data files of relations that existed before the migration.
    std::map<std::string, TracedRewrite> rewrites;  // by table
    for (const auto& [oid, after] : statement.relations) {
      auto before = previous->find(oid);
      if (before == previous->end() || !baseline.count(oid)) continue;
      if (after.relfilenode == before->second.relfilenode || after.relfilenode == "0") continue;
      if (after.kind == 'i') {
        auto& rewrite = rewrites[after.table];
        rewrite.relation = after.table;
        rewrite.indexes.push_back(after.name);
      } else {
        auto& rewrite = rewrites[after.name];
        rewrite.relation = after.name;
        rewrite.index_only = false;
        rewrite.indexes.insert(rewrite.indexes.begin(), "");  // marker: the table itself
      }
    }
    for (auto& [table, rewrite] : rewrites) {
      bool table_rewritten = !rewrite.indexes.empty() && std::find(rewrite.indexes.begin(), rewrite.indexes.end(), "") !=
                                                              rewrite.indexes.end();
      rewrite.indexes.erase(std::remove(rewrite.indexes.begin(), rewrite.indexes.end(), ""), rewrite.indexes.end());
      std::sort(rewrite.indexes.begin(), rewrite.indexes.end());
      rewrite.index_only = !table_rewritten;
      fact.rewrites.push_back(rewrite);
    }
    for (const auto& notice : statement.notices) {
      if (auto table = quoted_after(notice, "verifying table")) fact.scanned.push_back(*table);
      if (auto constraint = quoted_after(notice, "validating foreign key constraint")) {
        fact.scanned.push_back("foreign key " + *constraint);
      }
    }
    double end = statement.finished;
    if (statement.in_transaction) {
      end = observation.statements.back().finished;
      for (double transaction_end : observation.transaction_ends) {
        if (transaction_end >= statement.finished) {
          end = transaction_end;
          break;
        }
      }
    }
    fact.held_seconds = std::max(0.0, end - statement.started);
    if (!statement.relations.empty()) previous = &statement.relations;
    previous_finished = statement.finished;
    bool located = statement.range.has_value() || statement.line > 0;
    if (located && (!fact.blocking_locks.empty() || !fact.rewrites.empty())) facts.push_back(std::move(fact));
  }
  return facts;
}

}  // namespace migsafe::harness
