#include "harness/migration_executor.h"

#include <fstream>
#include <map>
#include <sstream>

#include "harness/trace.h"

namespace migsafe::harness {
namespace {

class SqlExecutor final : public MigrationExecutor {
 public:
  std::optional<ExecutorFailure> upgrade(Database& db, const PlannedMigration& m, const Deadline& deadline) override {
    if (auto failure = db.run_script(m.migration.upgrade, deadline)) return ExecutorFailure{*failure, nullptr};
    return std::nullopt;
  }
  std::optional<ExecutorFailure> upgrade_traced(Database& db, const PlannedMigration& m, const Deadline& deadline,
                                                ScriptObservation& observation) override {
    if (auto failure = db.run_script_traced(m.migration.upgrade, deadline, observation)) {
      return ExecutorFailure{*failure, nullptr};
    }
    return std::nullopt;
  }
  std::optional<ExecutorFailure> downgrade(Database& db, const PlannedMigration& m, const Deadline& deadline) override {
    if (!m.migration.downgrade) return std::nullopt;
    if (auto failure = db.run_script(*m.migration.downgrade, deadline)) return ExecutorFailure{*failure, nullptr};
    return std::nullopt;
  }
};

SourceFilePtr read_source(const std::filesystem::path& path, const std::string& display) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return std::make_shared<SourceFile>(path.string(), display, text.str());
}

// Byte range of a top-level `def <name>` function in a revision file (the driver's fallback when the
// Alembic front end did not read the file): from the `def` line to the next top-level statement.
std::optional<ByteRange> top_level_function(const std::string& text, const std::string& name) {
  std::string needle = "def " + name + "(";
  std::size_t at = text.rfind(needle, 0) == 0 ? 0 : text.find("\n" + needle);
  if (at == std::string::npos) return std::nullopt;
  if (at != 0) ++at;
  std::size_t end = at;
  while (true) {
    end = text.find('\n', end);
    if (end == std::string::npos) return ByteRange{at, text.size()};
    ++end;
    if (end < text.size() && text[end] != ' ' && text[end] != '\t' && text[end] != '\n' && text[end] != '\r' &&
        text[end] != '#') {
      return ByteRange{at, end};
    }
  }
}

std::string canonical(const std::string& path) {
  std::error_code error;
  auto result = std::filesystem::weakly_canonical(path, error);
  return error ? path : result.string();
}

}  // namespace

std::string PlannedMigration::label() const {
  if (migration.name.empty() || migration.name == migration.id) return migration.id;
  return migration.id + " (" + migration.name + ")";
}

std::optional<MigrationExecutor::ChainFailure> MigrationExecutor::upgrade_all(
    Database& db, const std::vector<PlannedMigration>& plan, const Deadline& deadline) {
  for (std::size_t i = 0; i < plan.size(); ++i) {
    if (auto failure = upgrade(db, plan[i], deadline)) return ChainFailure{*failure, i};
  }
  return std::nullopt;
}

std::optional<MigrationExecutor::ChainFailure> MigrationExecutor::downgrade_all(
    Database& db, const std::vector<PlannedMigration>& plan, std::size_t down_to, const Deadline& deadline) {
  for (std::size_t i = plan.size(); i-- > down_to;) {
    if (auto failure = downgrade(db, plan[i], deadline)) return ChainFailure{*failure, i};
  }
  return std::nullopt;
}

std::unique_ptr<MigrationExecutor> make_sql_executor() { return std::make_unique<SqlExecutor>(); }

std::optional<ExecutorFailure> AlembicExecutor::convert(const AlembicOutcome& outcome, const PlannedMigration* m) {
  if (outcome.ok) return std::nullopt;
  ExecutorFailure result{StepFailure{outcome.error, std::nullopt, outcome.timed_out}, nullptr};
  if (m != nullptr && m->migration.upgrade.file && outcome.line > 0 &&
      canonical(m->migration.upgrade.file->path()) == canonical(outcome.path.string())) {
    const auto& file = *m->migration.upgrade.file;
    if (static_cast<std::size_t>(outcome.line) <= file.line_count()) {
      std::size_t begin = file.line_start(outcome.line);
      std::string_view line = file.line_text(outcome.line);
      std::size_t indent = line.find_first_not_of(" \t");
      if (indent == std::string_view::npos) indent = 0;
      result.failure.statement = ByteRange{begin + indent, begin + line.size()};
      result.file = m->migration.upgrade.file;
    }
  }
  return result;
}

std::optional<std::size_t> AlembicExecutor::locate(const AlembicOutcome& outcome,
                                                   const std::vector<PlannedMigration>& plan) {
  if (outcome.path.empty()) return std::nullopt;
  for (std::size_t i = 0; i < plan.size(); ++i) {
    const auto& file = plan[i].migration.upgrade.file;
    if (file && canonical(file->path()) == canonical(outcome.path.string())) return i;
  }
  return std::nullopt;
}

std::optional<ExecutorFailure> AlembicExecutor::upgrade(Database& db, const PlannedMigration& m, const Deadline& deadline) {
  return convert(session_.upgrade_one(m.migration.id, db.sqlalchemy_url(), deadline), &m);
}

std::optional<ExecutorFailure> AlembicExecutor::upgrade_traced(Database& db, const PlannedMigration& m,
                                                              const Deadline& deadline, ScriptObservation& observation) {
  auto outcome = session_.upgrade_one(m.migration.id, db.sqlalchemy_url(), deadline, true);
  observation = observation_from_json(outcome.trace);
  return convert(outcome, &m);
}

std::optional<ExecutorFailure> AlembicExecutor::downgrade(Database& db, const PlannedMigration& m, const Deadline& deadline) {
  return convert(session_.downgrade_one(m.migration.id, db.sqlalchemy_url(), deadline), &m);
}

std::optional<MigrationExecutor::ChainFailure> AlembicExecutor::upgrade_all(
    Database& db, const std::vector<PlannedMigration>& plan, const Deadline& deadline) {
  auto outcome = session_.upgrade_to("heads", db.sqlalchemy_url(), deadline);
  if (outcome.ok) return std::nullopt;
  auto index = locate(outcome, plan);
  return ChainFailure{*convert(outcome, index ? &plan[*index] : nullptr), index};
}

std::optional<MigrationExecutor::ChainFailure> AlembicExecutor::downgrade_all(
    Database& db, const std::vector<PlannedMigration>& plan, std::size_t down_to, const Deadline& deadline) {
  if (down_to != 0) return MigrationExecutor::downgrade_all(db, plan, down_to, deadline);
  auto outcome = session_.downgrade_to("base", db.sqlalchemy_url(), deadline);
  if (outcome.ok) return std::nullopt;
  auto index = locate(outcome, plan);
  return ChainFailure{*convert(outcome, index ? &plan[*index] : nullptr), index};
}

namespace {

void set_downgradability(PlannedMigration& planned) {
  switch (planned.migration.downgrade_state) {
    case DowngradeState::Missing:
      planned.downgradable = false;
      planned.no_downgrade_reason = "it has no downgrade (the linter reports missing-downgrade)";
      break;
    case DowngradeState::Irreversible:
      planned.downgradable = false;
      planned.no_downgrade_reason = "it is marked irreversible";
      break;
    case DowngradeState::NotApplicable:
      planned.downgradable = false;
      planned.no_downgrade_reason = "the " + planned.migration.layout + " layout has no downgrades";
      break;
    case DowngradeState::Present:
    case DowngradeState::Empty:
      planned.downgradable = true;
      break;
  }
}

}  // namespace

std::vector<PlannedMigration> plan_sql_project(const Project& project) {
  std::vector<PlannedMigration> plan;
  for (const auto& migration : project.migrations) {
    PlannedMigration planned{migration, {}, true, {}};
    if (!plan.empty()) planned.parents.push_back(plan.size() - 1);
    set_downgradability(planned);
    if (planned.downgradable && !planned.migration.downgrade) {
      planned.downgradable = false;
      planned.no_downgrade_reason = "the layout gave no downgrade script";
    }
    plan.push_back(std::move(planned));
  }
  return plan;
}

std::vector<PlannedMigration> plan_alembic_project(const Project& project, const std::vector<AlembicRevision>& revisions) {
  std::map<std::string, const Migration*> by_id;
  for (const auto& migration : project.migrations) by_id[migration.id] = &migration;
  std::map<std::string, std::size_t> index_of;
  std::vector<PlannedMigration> plan;
  for (const auto& revision : revisions) {
    PlannedMigration planned;
    if (auto found = by_id.find(revision.id); found != by_id.end()) {
      planned.migration = *found->second;
    } else {
      // The static Alembic front end did not read this revision (or is not available): take the
      // driver's view; Alembic itself found `downgrade` or not.
      auto display = std::filesystem::relative(revision.path, std::filesystem::current_path()).generic_string();
      if (display.empty() || display.rfind("..", 0) == 0) display = revision.path.generic_string();
      auto file = read_source(revision.path, display);
      planned.migration.id = revision.id;
      planned.migration.name = revision.path.stem().string();
      planned.migration.layout = "alembic";
      planned.migration.upgrade.file = file;
      planned.migration.upgrade.region =
          top_level_function(file->text(), "upgrade").value_or(ByteRange{0, file->text().size()});
      planned.migration.downgrade_state = revision.has_downgrade ? DowngradeState::Present : DowngradeState::Missing;
      if (revision.has_downgrade) {
        planned.migration.downgrade = planned.migration.upgrade;
        planned.migration.downgrade->region =
            top_level_function(file->text(), "downgrade").value_or(ByteRange{0, file->text().size()});
      }
    }
    for (const auto& parent : revision.parents) {
      if (auto found = index_of.find(parent); found != index_of.end()) planned.parents.push_back(found->second);
    }
    set_downgradability(planned);
    index_of[revision.id] = plan.size();
    plan.push_back(std::move(planned));
  }
  return plan;
}

}  // namespace migsafe::harness
