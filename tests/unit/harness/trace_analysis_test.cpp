// The trace analyzer on hand-made observations: what counts as newly taken, blocking, existing, rewritten.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "harness/trace.h"

namespace migsafe::harness {
namespace {

TracedRelation relation(std::uint32_t oid, char kind, const std::string& name, const std::string& file,
                        const std::string& table = "") {
  return TracedRelation{oid, kind, name, name, table, file};
}

StatementObservation statement(std::size_t at, double started, HeldLocks locks, RelationStates relations) {
  StatementObservation observation;
  observation.range = ByteRange{at, at + 1};
  observation.started = started;
  observation.finished = started + 0.01;
  observation.locks = std::move(locks);
  observation.relations = std::move(relations);
  return observation;
}

TEST(TraceAnalysis, ReportsOnlyNewBlockingModesOnExistingTables) {
  ScriptObservation observation;
  observation.baseline = {{1, relation(1, 'r', "users", "100")}, {2, relation(2, 'i', "users_pkey", "200", "users")}};
  RelationStates after = observation.baseline;
  after[3] = relation(3, 'r', "tags", "300");  // created by the migration
  // 1: ACCESS EXCLUSIVE on users and on the new table; 2: SHARE on users again (already stronger);
  // 3: a weaker, non-blocking mode only.
  observation.statements.push_back(statement(0, 0.0, {{1, "AccessExclusiveLock"}, {3, "AccessExclusiveLock"}}, after));
  observation.statements.push_back(
      statement(10, 0.1, {{1, "AccessExclusiveLock"}, {1, "ShareLock"}, {3, "AccessExclusiveLock"}}, after));
  observation.transaction_ends = {0.15};
  observation.statements.push_back(statement(20, 0.2, {{1, "ShareUpdateExclusiveLock"}}, after));
  observation.transaction_ends.push_back(0.3);
  auto facts = analyze_observation(observation);
  ASSERT_EQ(facts.size(), 1u);
  ASSERT_EQ(facts[0].blocking_locks.size(), 1u);
  EXPECT_EQ(facts[0].blocking_locks[0].relation, "users");
  EXPECT_EQ(facts[0].blocking_locks[0].mode, "ACCESS EXCLUSIVE");
  EXPECT_TRUE(facts[0].blocking_locks[0].blocks_reads);
  EXPECT_NEAR(facts[0].held_seconds, 0.15, 1e-9);  // until the first COMMIT
}

TEST(TraceAnalysis, ATransactionEndReleasesWhatWasHeld) {
  ScriptObservation observation;
  observation.baseline = {{1, relation(1, 'r', "users", "100")}};
  observation.statements.push_back(statement(0, 0.0, {{1, "ShareLock"}}, observation.baseline));
  observation.transaction_ends = {0.05};
  observation.statements.push_back(statement(10, 0.1, {{1, "ShareLock"}}, observation.baseline));
  auto facts = analyze_observation(observation);
  ASSERT_EQ(facts.size(), 2u);  // the second transaction takes SHARE again: blocking again
  EXPECT_EQ(facts[1].blocking_locks[0].mode, "SHARE");
  EXPECT_FALSE(facts[1].blocking_locks[0].blocks_reads);
}

TEST(TraceAnalysis, TableRewriteGroupsItsIndexesAndIndexRebuildStandsAlone) {
  ScriptObservation observation;
  observation.baseline = {{1, relation(1, 'r', "users", "100")},
                          {2, relation(2, 'i', "users_pkey", "200", "users")},
                          {3, relation(3, 'r', "orders", "300")},
                          {4, relation(4, 'i', "orders_idx", "400", "orders")}};
  RelationStates after = observation.baseline;
  after[1].relfilenode = "101";
  after[2].relfilenode = "201";
  after[4].relfilenode = "401";
  observation.statements.push_back(statement(0, 0.0, {}, after));
  auto facts = analyze_observation(observation);
  ASSERT_EQ(facts.size(), 1u);
  ASSERT_EQ(facts[0].rewrites.size(), 2u);
  EXPECT_EQ(facts[0].rewrites[0].relation, "orders");
  EXPECT_TRUE(facts[0].rewrites[0].index_only);
  EXPECT_EQ(facts[0].rewrites[0].indexes, std::vector<std::string>{"orders_idx"});
  EXPECT_EQ(facts[0].rewrites[1].relation, "users");
  EXPECT_FALSE(facts[0].rewrites[1].index_only);
  EXPECT_EQ(facts[0].rewrites[1].indexes, std::vector<std::string>{"users_pkey"});
}

TEST(TraceAnalysis, ScansComeFromTheServersDebugMessages) {
  ScriptObservation observation;
  observation.baseline = {{1, relation(1, 'r', "users", "100")}};
  auto observed = statement(0, 0.0, {{1, "AccessExclusiveLock"}}, observation.baseline);
  observed.notices = {"DEBUG:  verifying table \"users\"", "validating foreign key constraint \"orders_user_fk\""};
  observation.statements.push_back(observed);
  auto facts = analyze_observation(observation);
  ASSERT_EQ(facts.size(), 1u);
  EXPECT_EQ(facts[0].scanned, (std::vector<std::string>{"users", "foreign key orders_user_fk"}));
}

TEST(TraceAnalysis, StatementsWithoutALocationAreNeverReported) {
  ScriptObservation observation;
  observation.baseline = {{1, relation(1, 'r', "alembic_version", "100")}};
  auto bookkeeping = statement(0, 0.0, {{1, "AccessExclusiveLock"}}, observation.baseline);
  bookkeeping.range.reset();  // Alembic's own statements have no revision-file line
  observation.statements.push_back(bookkeeping);
  EXPECT_TRUE(analyze_observation(observation).empty());
}

TEST(TraceAnalysis, DriverJsonRoundTrip) {
  auto trace = nlohmann::json::parse(R"({
    "baseline": [["16384", "r", "16384", "users", "users", ""]],
    "statements": [{"sql": "ALTER TABLE users ALTER COLUMN email SET NOT NULL", "path": "/p/v/r1.py", "line": 12,
                    "in_transaction": true, "started": 0.0, "finished": 0.01,
                    "locks": [["16384", "AccessExclusiveLock"]],
                    "relations": [["16384", "r", "16384", "users", "users", ""]],
                    "notices": ["DEBUG:  verifying table \"users\""]}],
    "transaction_ends": [0.02], "notes": []})");
  ScriptObservation observation = observation_from_json(trace);
  ASSERT_EQ(observation.statements.size(), 1u);
  EXPECT_EQ(observation.statements[0].line, 12);
  auto facts = analyze_observation(observation);
  ASSERT_EQ(facts.size(), 1u);
  EXPECT_EQ(facts[0].blocking_locks[0].relation, "users");
  EXPECT_EQ(facts[0].scanned, std::vector<std::string>{"users"});
  EXPECT_NEAR(facts[0].held_seconds, 0.02, 1e-9);
}

}  // namespace
}  // namespace migsafe::harness
