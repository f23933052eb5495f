// Runs one migration's upgrade or downgrade against a Database: SQL layouts through the engine's script
// runner (as the layout's tool would), Alembic projects through the Python driver.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "harness/alembic_session.h"
#include "harness/database.h"
#include "linter/model/project.h"

namespace migsafe::harness {

struct PlannedMigration {
  Migration migration;                   // the layout's view (scripts, downgrade state, files)
  std::vector<std::size_t> parents;      // indices into the plan (Alembic); SQL: the previous one
  bool downgradable = true;
  std::string no_downgrade_reason;       // when not downgradable
  std::string label() const;             // "<id>" or "<id> (<name>)"
};

// A failure with the file it points at (Alembic errors name the revision file and line).
struct ExecutorFailure {
  StepFailure failure;
  SourceFilePtr file;  // null: the script's own file
};

class MigrationExecutor {
 public:
  virtual ~MigrationExecutor() = default;
  virtual std::optional<ExecutorFailure> upgrade(Database& db, const PlannedMigration& m, const Deadline& deadline) = 0;
  virtual std::optional<ExecutorFailure> downgrade(Database& db, const PlannedMigration& m, const Deadline& deadline) = 0;
  // --trace: the upgrade, observed statement by statement (harness/trace.h).
  virtual std::optional<ExecutorFailure> upgrade_traced(Database& db, const PlannedMigration& m, const Deadline& deadline,
                                                        ScriptObservation& observation) = 0;
  // Whole chain in one go (Alembic: `upgrade heads` / `downgrade base` in one command); the index of
  // the failing migration when known. Default: one migration at a time.
  struct ChainFailure {
    ExecutorFailure failure;
    std::optional<std::size_t> migration;
  };
  virtual std::optional<ChainFailure> upgrade_all(Database& db, const std::vector<PlannedMigration>& plan,
                                                  const Deadline& deadline);
  virtual std::optional<ChainFailure> downgrade_all(Database& db, const std::vector<PlannedMigration>& plan,
                                                    std::size_t down_to, const Deadline& deadline);
};

std::unique_ptr<MigrationExecutor> make_sql_executor();

class AlembicExecutor final : public MigrationExecutor {
 public:
  explicit AlembicExecutor(AlembicSession& session) : session_(session) {}
  std::optional<ExecutorFailure> upgrade(Database& db, const PlannedMigration& m, const Deadline& deadline) override;
  std::optional<ExecutorFailure> downgrade(Database& db, const PlannedMigration& m, const Deadline& deadline) override;
  std::optional<ExecutorFailure> upgrade_traced(Database& db, const PlannedMigration& m, const Deadline& deadline,
                                                ScriptObservation& observation) override;
  std::optional<ChainFailure> upgrade_all(Database& db, const std::vector<PlannedMigration>& plan,
                                          const Deadline& deadline) override;
  std::optional<ChainFailure> downgrade_all(Database& db, const std::vector<PlannedMigration>& plan, std::size_t down_to,
                                            const Deadline& deadline) override;

 private:
  std::optional<ExecutorFailure> convert(const AlembicOutcome& outcome, const PlannedMigration* m);
  std::optional<std::size_t> locate(const AlembicOutcome& outcome, const std::vector<PlannedMigration>& plan);
  AlembicSession& session_;
};

// The plan for a project: SQL layouts in apply order; Alembic in the driver's base->heads order, with
// the layout's revision data where the Alembic front end read the same revision.
std::vector<PlannedMigration> plan_sql_project(const Project& project);
std::vector<PlannedMigration> plan_alembic_project(const Project& project, const std::vector<AlembicRevision>& revisions);

}  // namespace migsafe::harness
