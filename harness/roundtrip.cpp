#include "harness/roundtrip.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>

#include "harness/abandoned_dirs.h"
#include "harness/alembic_session.h"
#include "harness/data_generator.h"
#include "harness/migration_executor.h"
#include "harness/process.h"
#include "harness/trace.h"
#include "harness/trace_findings.h"

namespace migsafe::harness {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string format_seconds(double seconds) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.2f s", seconds);
  return buffer;
}

// The first line of a script region (where a finding points when no statement is known).
ByteRange first_line(const SourceFile& file, ByteRange region) {
  const std::string& text = file.text();
  std::size_t begin = std::min(region.begin, text.size());
  std::size_t limit = std::min(region.end, text.size());
  // Skip blank and comment lines (SQL `--`, Python `#`): point at the first line that does something.
  while (begin < limit) {
    if (std::isspace(static_cast<unsigned char>(text[begin]))) {
      ++begin;
    } else if (text.compare(begin, 2, "--") == 0 || text[begin] == '#') {
      while (begin < limit && text[begin] != '\n') ++begin;
    } else {
      break;
    }
  }
  if (begin >= limit) begin = std::min(region.begin, text.size());
  std::size_t end = begin;
  while (end < text.size() && text[end] != '\n' && text[end] != '\r') ++end;
  return {begin, end};
}

// Hints for errors whose fix is well known.
std::string hint_for(const std::string& error) {
  if (error.find("cannot run inside a transaction block") != std::string::npos ||
      error.find("cannot be executed from a function") != std::string::npos) {
    return "\nThis statement must run outside the migration runner's transaction: put it in a migration of its "
           "own and turn the transaction off for it (golang-migrate: a file with this single statement; "
           "Flyway: `executeInTransaction=false` in a script config file; dbmate: `-- migrate:up "
           "transaction:false`; Alembic: `with op.get_context().autocommit_block():`).";
  }
  if (error.find("contains null values") != std::string::npos ||
      error.find("NOT NULL constraint failed") != std::string::npos ||
      error.find("Cannot add a NOT NULL column") != std::string::npos) {
    return "\nExisting rows have no value for the column: add it with a constant DEFAULT (or nullable), backfill "
           "in batches, then enforce NOT NULL (PostgreSQL 12+: CHECK ... NOT VALID, VALIDATE, SET NOT NULL).";
  }
  return "";
}

class Roundtrip {
 public:
  Roundtrip(Engine& engine, const RoundtripOptions& options, std::vector<PlannedMigration> plan,
            MigrationExecutor& executor, const TraceReporter* tracer)
      : engine_(engine), options_(options), plan_(std::move(plan)), executor_(executor), tracer_(tracer),
        failed_(plan_.size(), false), blocked_(plan_.size(), false), before_(plan_.size()) {}

  RoundtripReport run() {
    report_.migrations = plan_.size();
    stairway();
    chain();
    if (options_.with_data_rows > 0) with_data();
    return std::move(report_);
  }

 private:
  struct RebuildFailed {
    std::size_t migration;
    std::string error;
  };

  Deadline step_deadline() const {
    return options_.step_timeout_seconds ? Deadline::after_seconds(*options_.step_timeout_seconds) : Deadline();
  }

  void note(const std::string& text) {
    if (options_.note) options_.note(text);
  }

  std::string engine_label() const { return engine_.name() == "sqlite" ? "SQLite" : "PostgreSQL"; }

  std::string error_text(const ExecutorFailure& failure) const {
    if (failure.failure.timed_out && options_.step_timeout_seconds) {
      return "it did not finish within --step-timeout " + format_seconds(*options_.step_timeout_seconds) + " (" +
             failure.failure.message + ")";
    }
    return failure.failure.message;
  }

  // A database with exactly the given migrations applied (upgrades only, no checks): the last checkpoint
  // when it is a prefix of `applied` (the stairway's), else a fresh database.
  std::unique_ptr<Database> fresh_at(const std::vector<std::size_t>& applied, bool use_checkpoint = false) {
    std::unique_ptr<Database> db;
    std::size_t start = 0;
    if (use_checkpoint && checkpoint_ && checkpoint_applied_.size() <= applied.size() &&
        std::equal(checkpoint_applied_.begin(), checkpoint_applied_.end(), applied.begin())) {
      db = std::move(checkpoint_);
      start = checkpoint_applied_.size();
      // The copy is used up: the next rebuild would start from scratch, so copy at the next good step.
      replay_seconds_since_checkpoint_ = std::numeric_limits<double>::infinity();
    } else {
      db = engine_.create_database();
    }
    if (!applied.empty()) ++report_.rebuilds;
    for (std::size_t i = start; i < applied.size(); ++i) {
      throw_if_interrupted();
      ++report_.replayed_upgrades;
      if (auto failure = executor_.upgrade(*db, plan_[applied[i]], step_deadline())) {
        throw RebuildFailed{applied[i], failure->failure.message};
      }
    }
    return db;
  }

  // After a good step: keep a copy of the database for the next rebuild (CheckpointPolicy). After the
  // first failure a copy is taken once replaying the upgrades since the last one would take longer than
  // a copy did (measured in this run): the "rent or buy" rule, never more than twice the better choice.
  void checkpoint(Database& db, const std::vector<std::size_t>& applied) {
    if (options_.checkpoints == CheckpointPolicy::Never) return;
    if (options_.checkpoints == CheckpointPolicy::AfterFirstFailure) {
      if (!any_failure_ || copy_failed_) return;
      if (copy_seconds_ && replay_seconds_since_checkpoint_ < *copy_seconds_) return;
    }
    checkpoint_.reset();  // drop the previous copy first
    auto started = Clock::now();
    if (auto copy = engine_.copy_database(db)) {
      copy_seconds_ = seconds_since(started);
      report_.checkpoint_seconds += *copy_seconds_;
      checkpoint_ = std::move(copy);
      checkpoint_applied_ = applied;
      replay_seconds_since_checkpoint_ = 0;
      ++report_.checkpoints;
    } else {
      copy_failed_ = true;  // e.g. env.py keeps connections open: replay from now on
    }
  }

  void add_finding(const char* rule, const PlannedMigration& m, bool downgrade_side, const ExecutorFailure* failure,
                   const std::string& message, const std::string& help) {
    SourceFilePtr file;
    ByteRange range;
    const Script* script = downgrade_side && m.migration.downgrade ? &*m.migration.downgrade : &m.migration.upgrade;
    if (failure != nullptr && failure->failure.statement) {
      file = failure->file ? failure->file : script->file;
      range = *failure->failure.statement;
    } else if (script->file) {
      file = script->file;
      range = first_line(*file, script->region);
    } else if (downgrade_side && m.migration.downgrade_anchor_file) {
      file = m.migration.downgrade_anchor_file;
      range = m.migration.downgrade_anchor;
    } else if (m.migration.upgrade.file) {
      file = m.migration.upgrade.file;
      range = first_line(*file, m.migration.upgrade.region);
    }
    Finding finding;
    finding.rule_id = rule;
    finding.severity = Severity::Error;
    finding.file = file;
    finding.migration_id = m.migration.id;
    finding.message = message;
    finding.help = help;
    if (file) {
      finding.path = file->display_path();
      finding.range = range;
      finding.start = file->position_of(range.begin);
      finding.end = file->position_of(range.end);
      finding.fingerprint_text = std::string(file->slice(range)) + " " + m.migration.id;
    } else {
      finding.fingerprint_text = m.migration.id;
    }
    report_.findings.push_back(std::move(finding));
  }

  void record(const PlannedMigration* m, const std::string& step, StepRecord::Status status,
              const std::string& message, double seconds) {
    StepRecord entry;
    entry.migration = m ? m->label() : "(all migrations)";
    entry.step = step;
    entry.status = status;
    entry.message = message;
    entry.seconds = seconds;
    if (m && m->migration.upgrade.file) entry.path = m->migration.upgrade.file->display_path();
    report_.steps.push_back(std::move(entry));
  }

  void progress(std::size_t index, const std::string& text) {
    if (!options_.progress) return;
    options_.progress("[" + std::to_string(index + 1) + "/" + std::to_string(plan_.size()) + "] " +
                      plan_[index].label() + ": " + text);
  }

  void block_descendants(std::size_t failed) {
    for (std::size_t j = failed + 1; j < plan_.size(); ++j) {
      for (std::size_t parent : plan_[j].parents) {
        if (parent == failed || blocked_[parent] || failed_[parent]) {
          blocked_[j] = true;
          blocked_by_[j] = failed;
        }
      }
    }
  }

  std::vector<std::string> describe(const std::vector<SchemaDifference>& differences, const DiffWording& wording) {
    std::vector<std::string> lines;
    for (const auto& difference : differences) lines.push_back(describe_difference(difference, wording));
    return lines;
  }

  static std::string join_diff(const std::vector<std::string>& lines) {
    std::string text = lines.empty() ? "" : lines.front() + ".";
    if (lines.size() > 1) {
      text += "\nAll differences:";
      for (const auto& line : lines) text += "\n  - " + line;
    }
    return text;
  }

  // --- the stairway: up, down, up for every migration -------------------------------------------
  void stairway() {
    std::unique_ptr<Database> db;
    std::vector<std::size_t> applied;
    std::optional<Schema> current;
    auto reset = [&] {
      db.reset();
      current.reset();
    };
    for (std::size_t i = 0; i < plan_.size(); ++i) {
      throw_if_interrupted();
      const PlannedMigration& m = plan_[i];
      if (blocked_[i]) {
        std::string why = "not run: it builds on " + plan_[blocked_by_[i]].label() + ", whose upgrade failed";
        record(&m, "upgrade", StepRecord::Status::Skipped, why, 0);
        progress(i, "skipped (" + why + ")");
        continue;
      }
      if (!db) {
        try {
          db = fresh_at(applied, true);
        } catch (const RebuildFailed& failure) {
          note("could not rebuild the database up to " + plan_[i].label() + ": upgrade of " +
               plan_[failure.migration].label() + " failed on the second run (" + failure.error +
               "); the remaining migrations are not tested");
          for (std::size_t j = i; j < plan_.size(); ++j) {
            record(&plan_[j], "upgrade", StepRecord::Status::Skipped, "not run: the database could not be rebuilt", 0);
          }
          return;
        }
      }
      Schema before = current ? *current : db->snapshot();
      before_[i] = before;
      auto started = Clock::now();
      ScriptObservation observation;
      auto failure = tracer_ ? executor_.upgrade_traced(*db, m, step_deadline(), observation)
                             : executor_.upgrade(*db, m, step_deadline());
      if (!failure && tracer_) {
        for (auto& finding : tracer_->report(m, observation, [this](const std::string& text) { note(text); })) {
          report_.findings.push_back(std::move(finding));
        }
      }
      if (failure) {
        std::string error = error_text(*failure);
        add_finding("roundtrip-upgrade-failed", m, false, &*failure,
                    "Upgrade of migration " + m.label() + " fails on " + engine_label() +
                        ", so the deploy stops here: " + error,
                    "The migration was run on an empty " + engine_label() + " database at the previous migration, as "
                    "its runner would run it. Fix the statement and run `migsafe roundtrip` again." + hint_for(error));
        record(&m, "upgrade", StepRecord::Status::Failed, error, seconds_since(started));
        progress(i, "upgrade FAILED");
        failed_[i] = true;
        any_failure_ = true;
        block_descendants(i);
        reset();
        continue;
      }
      double upgrade_seconds = seconds_since(started);
      record(&m, "upgrade", StepRecord::Status::Passed, "", upgrade_seconds);
      applied.push_back(i);
      replay_seconds_since_checkpoint_ += upgrade_seconds;
      Schema after_upgrade = db->snapshot();
      if (!m.downgradable) {
        note("skipping the downgrade of " + m.label() + ": " + m.no_downgrade_reason);
        record(&m, "downgrade", StepRecord::Status::Skipped, m.no_downgrade_reason, 0);
        progress(i, "up ok, down skipped (" + m.no_downgrade_reason + ")");
        current = std::move(after_upgrade);
        checkpoint(*db, applied);
        continue;
      }
      started = Clock::now();
      failure = executor_.downgrade(*db, m, step_deadline());
      if (failure) {
        std::string error = error_text(*failure);
        add_finding("roundtrip-downgrade-failed", m, true, &*failure,
                    "Downgrade of migration " + m.label() + " fails on " + engine_label() +
                        ", so a rollback in production would stop here: " + error,
                    "The downgrade ran right after the upgrade, on the schema the upgrade produced. Make it undo "
                    "exactly what the upgrade did, in reverse order." + hint_for(error));
        record(&m, "downgrade", StepRecord::Status::Failed, error, seconds_since(started));
        progress(i, "up ok, downgrade FAILED");
        any_failure_ = true;
        reset();
        continue;
      }
      double down_seconds = seconds_since(started);
      Schema after_downgrade = db->snapshot();
      auto differences = diff_schemas(before, after_downgrade);
      if (!differences.empty()) {
        auto lines = describe(differences, {"still exists after downgrade of " + m.migration.id,
                                            "is missing after downgrade of " + m.migration.id +
                                                " (it existed before the upgrade)",
                                            "differs after downgrade of " + m.migration.id + " from before the upgrade"});
        add_finding("roundtrip-schema-drift", m, true, nullptr,
                    "Downgrade of migration " + m.label() + " does not restore the schema it started from: " +
                        join_diff(lines),
                    "A rollback would leave the database in a state no migration describes, and upgrading again "
                    "would fail or diverge. Make the downgrade drop what the upgrade created (columns, indexes, "
                    "types, sequences) and recreate what it dropped.");
        record(&m, "downgrade", StepRecord::Status::Failed, lines.front(), down_seconds);
        record(&m, "re-upgrade", StepRecord::Status::Skipped, "not run: the downgrade left a different schema", 0);
        progress(i, "up ok, down ok, schema DRIFT");
        any_failure_ = true;
        reset();
        continue;
      }
      record(&m, "downgrade", StepRecord::Status::Passed, "", down_seconds);
      started = Clock::now();
      failure = executor_.upgrade(*db, m, step_deadline());
      if (failure) {
        std::string error = error_text(*failure);
        add_finding("roundtrip-reupgrade-failed", m, false, &*failure,
                    "Upgrading migration " + m.label() + " again after its downgrade fails on " + engine_label() +
                        ": " + error,
                    "After a rollback the same release cannot be deployed again. The downgrade probably leaves "
                    "something behind that the schema snapshot does not show (data, a sequence position) or the "
                    "upgrade is not repeatable.");
        record(&m, "re-upgrade", StepRecord::Status::Failed, error, seconds_since(started));
        progress(i, "up ok, down ok, re-upgrade FAILED");
        any_failure_ = true;
        reset();
        continue;
      }
      double reup_seconds = seconds_since(started);
      Schema after_reupgrade = db->snapshot();
      differences = diff_schemas(after_upgrade, after_reupgrade);
      if (!differences.empty()) {
        auto lines = describe(differences, {"exists after the re-upgrade of " + m.migration.id + " but not after the first upgrade",
                                            "is missing after the re-upgrade of " + m.migration.id,
                                            "differs between the first upgrade and the re-upgrade of " + m.migration.id});
        add_finding("roundtrip-reupgrade-failed", m, false, nullptr,
                    "Upgrading migration " + m.label() + " again after its downgrade produces a different schema: " +
                        join_diff(lines),
                    "The upgrade depends on state its downgrade does not restore. Make the upgrade deterministic "
                    "and the downgrade a complete inverse.");
        record(&m, "re-upgrade", StepRecord::Status::Failed, lines.front(), reup_seconds);
        progress(i, "up ok, down ok, re-upgrade DIFFERS");
        any_failure_ = true;
        reset();
        continue;
      }
      record(&m, "re-upgrade", StepRecord::Status::Passed, "", reup_seconds);
      progress(i, "up ok, down ok, up ok");
      current = std::move(after_reupgrade);
      checkpoint(*db, applied);
    }
    checkpoint_.reset();
  }

  // --- the whole chain: base -> head -> base -> head ---------------------------------------------
  void chain() {
    if (plan_.empty()) return;
    if (any_failure_) {
      note("skipping the whole-chain run (base -> head -> base -> head): fix the failing steps first");
      record(nullptr, "chain base->head->base->head", StepRecord::Status::Skipped, "the stairway found failures", 0);
      return;
    }
    throw_if_interrupted();
    auto db = engine_.create_database();
    auto started = Clock::now();
    if (auto failure = executor_.upgrade_all(*db, plan_, Deadline())) {
      chain_failure("roundtrip-upgrade-failed", *failure, false, "upgrading the whole chain from base to head");
      record(nullptr, "chain base->head", StepRecord::Status::Failed, failure->failure.failure.message, seconds_since(started));
      return;
    }
    record(nullptr, "chain base->head", StepRecord::Status::Passed, "", seconds_since(started));
    Schema head = db->snapshot();
    std::size_t down_to = plan_.size();
    while (down_to > 0 && plan_[down_to - 1].downgradable) --down_to;
    if (down_to == plan_.size()) {
      note("skipping the chain downgrade: the head migration " + plan_.back().label() + " cannot be downgraded");
      record(nullptr, "chain head->base", StepRecord::Status::Skipped, "the head migration cannot be downgraded", 0);
      return;
    }
    if (down_to > 0) {
      note("the chain downgrade stops above " + plan_[down_to - 1].label() + " (" +
           plan_[down_to - 1].no_downgrade_reason + ")");
    }
    started = Clock::now();
    if (auto failure = executor_.downgrade_all(*db, plan_, down_to, Deadline())) {
      chain_failure("roundtrip-downgrade-failed", *failure, true, "downgrading the whole chain from head");
      record(nullptr, "chain head->base", StepRecord::Status::Failed, failure->failure.failure.message, seconds_since(started));
      return;
    }
    record(nullptr, "chain head->base", StepRecord::Status::Passed, "", seconds_since(started));
    if (before_[down_to]) {
      auto differences = diff_schemas(*before_[down_to], db->snapshot());
      if (!differences.empty()) {
        auto lines = describe(differences, {"still exists after downgrading the whole chain",
                                            "is missing after downgrading the whole chain",
                                            "differs after downgrading the whole chain"});
        add_finding("roundtrip-schema-drift", plan_[down_to], true, nullptr,
                    "Downgrading the whole chain from head to before " + plan_[down_to].label() +
                        " does not restore the schema, although every single step did: " + join_diff(lines),
                    "The downgrades interact (one relies on state another leaves). Run the chain by hand and check "
                    "the order of the downgrades.");
        return;
      }
    }
    started = Clock::now();
    std::optional<MigrationExecutor::ChainFailure> failure;
    if (down_to == 0) {
      failure = executor_.upgrade_all(*db, plan_, Deadline());
    } else {
      for (std::size_t i = down_to; i < plan_.size() && !failure; ++i) {
        if (auto f = executor_.upgrade(*db, plan_[i], Deadline())) failure = MigrationExecutor::ChainFailure{*f, i};
      }
    }
    if (failure) {
      chain_failure("roundtrip-reupgrade-failed", *failure, false, "upgrading the whole chain again after downgrading it");
      record(nullptr, "chain base->head again", StepRecord::Status::Failed, failure->failure.failure.message,
             seconds_since(started));
      return;
    }
    auto differences = diff_schemas(head, db->snapshot());
    if (!differences.empty()) {
      auto lines = describe(differences, {"exists after the second base->head run only",
                                          "is missing after the second base->head run",
                                          "differs between the two base->head runs"});
      add_finding("roundtrip-reupgrade-failed", plan_.back(), false, nullptr,
                  "Upgrading the whole chain a second time produces a different schema: " + join_diff(lines),
                  "Some migration depends on state that the downgrades do not restore.");
      record(nullptr, "chain base->head again", StepRecord::Status::Failed, lines.front(), seconds_since(started));
      return;
    }
    record(nullptr, "chain base->head again", StepRecord::Status::Passed, "", seconds_since(started));
  }

  void chain_failure(const char* rule, const MigrationExecutor::ChainFailure& failure, bool downgrade_side,
                     const std::string& what) {
    std::size_t index = failure.migration.value_or(downgrade_side ? plan_.size() - 1 : 0);
    const PlannedMigration& m = plan_[index];
    std::string error = error_text(failure.failure);
    add_finding(rule, m, downgrade_side, &failure.failure,
                std::string(downgrade_side ? "Downgrade" : "Upgrade") + " of migration " + m.label() + " fails when " +
                    what + " on " + engine_label() + ", although its single step passed: " + error,
                "Migrations that pass one at a time but fail in one run usually depend on the runner's transaction "
                "(everything in one transaction) or on the order of independent branches." + hint_for(error));
  }

  // --- every upgrade again, with rows in every table ---------------------------------------------
  void with_data() {
    std::unique_ptr<Database> db;
    std::vector<std::size_t> applied;
    int round = 0;
    for (std::size_t i = 0; i < plan_.size(); ++i) {
      throw_if_interrupted();
      const PlannedMigration& m = plan_[i];
      if (failed_[i] || blocked_[i]) continue;
      if (!db) {
        try {
          db = fresh_at(applied);
        } catch (const RebuildFailed& failure) {
          note("with-data run stopped: could not rebuild the database (" + failure.error + ")");
          return;
        }
      }
      auto filled = fill_tables(*db, db->snapshot(), options_.with_data_rows, round++);
      for (const auto& problem : filled.problems) note("with-data before " + m.label() + ": " + problem);
      note("with-data: " + std::to_string(filled.rows_inserted) + " rows inserted before " + m.label());
      auto started = Clock::now();
      auto failure = executor_.upgrade(*db, m, step_deadline());
      if (failure) {
        std::string error = error_text(*failure);
        add_finding("upgrade-fails-with-data", m, false, &*failure,
                    "Upgrade of migration " + m.label() + " fails once the tables have rows, although it passes on "
                    "empty tables: " + error,
                    "Each table held " + std::to_string(options_.with_data_rows) + " generated rows (" +
                        std::to_string(filled.rows_inserted) + " in total). Production tables have rows, so the "
                        "deploy would fail there." + hint_for(error));
        record(&m, "upgrade with data", StepRecord::Status::Failed, error, seconds_since(started));
        progress(i, "upgrade with data FAILED");
        db.reset();
      } else {
        record(&m, "upgrade with data", StepRecord::Status::Passed, "", seconds_since(started));
      }
      applied.push_back(i);
    }
  }

  Engine& engine_;
  const RoundtripOptions& options_;
  std::vector<PlannedMigration> plan_;
  MigrationExecutor& executor_;
  const TraceReporter* tracer_;
  std::unique_ptr<Database> checkpoint_;  // a copy of the database after checkpoint_applied_
  std::vector<std::size_t> checkpoint_applied_;
  double replay_seconds_since_checkpoint_ = 0;  // upgrade time a rebuild from the checkpoint would repeat
  std::optional<double> copy_seconds_;          // how long the last copy took
  bool copy_failed_ = false;
  std::vector<bool> failed_;
  std::vector<bool> blocked_;
  std::map<std::size_t, std::size_t> blocked_by_;
  std::vector<std::optional<Schema>> before_;
  bool any_failure_ = false;
  RoundtripReport report_;
};

}  // namespace

RoundtripReport roundtrip_project(const Project& project, Engine& engine, const RoundtripOptions& options) {
  std::optional<TraceReporter> tracer;
  if (options.trace) {
    if (engine.name() != "postgresql") {
      throw UsageError("--trace needs PostgreSQL (--engine postgresql or --database-url)");
    }
    tracer.emplace(project, engine.server_version());
  }
  const TraceReporter* trace = tracer ? &*tracer : nullptr;
  std::optional<AlembicProjectFiles> alembic_files;
  if (project.layout == "alembic" || project.migrations.empty()) {
    alembic_files = locate_alembic_project(project.root);
    if (!alembic_files && project.layout == "alembic") {
      throw EnvironmentError(project.root + ": no alembic.ini or env.py + versions/ found for the Alembic project");
    }
  }
  if (alembic_files) {
    TempDir work = create_owned_temp_dir("migsafe-alembic-");
    auto python = find_python_with_alembic(options.python);
    AlembicSession session(python, *alembic_files, options.alembic_env, work.path(), options.step_timeout_seconds);
    auto plan = plan_alembic_project(project, session.revisions());
    AlembicExecutor executor(session);
    // The driver keeps one connection per database between steps; the engine has it closed before a
    // copy or drop. Unregistered before the session goes away (also when the run throws).
    engine.set_connection_releaser([&session] { session.release_connections(); });
    struct Unregister {
      Engine& engine;
      ~Unregister() { engine.set_connection_releaser({}); }
    } unregister{engine};
    return Roundtrip(engine, options, std::move(plan), executor, trace).run();
  }
  auto executor = make_sql_executor();
  return Roundtrip(engine, options, plan_sql_project(project), *executor, trace).run();
}

}  // namespace migsafe::harness
