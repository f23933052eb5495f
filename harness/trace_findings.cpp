#include "harness/trace_findings.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>

#include "linter/engine/engine.h"
#include "linter/engine/rule.h"

namespace migsafe::harness {
namespace {

// Static rules whose finding means "this statement rewrites the table" (engines.md 1.2).
const std::set<std::string> kRewriteRules = {"adding-column-volatile-default", "adding-serial-column",
                                             "adding-stored-generated-column", "blocking-table-rewrite",
                                             "changing-column-type"};

std::string canonical(const std::string& path) {
  std::error_code error;
  auto result = std::filesystem::weakly_canonical(path, error);
  return error ? path : result.string();
}

std::string format_duration(double seconds) {
  char buffer[32];
  if (seconds < 1) {
    std::snprintf(buffer, sizeof buffer, "%.1f ms", seconds * 1000);
  } else {
    std::snprintf(buffer, sizeof buffer, "%.2f s", seconds);
  }
  return buffer;
}

std::string join(const std::vector<std::string>& items, const std::string& last_separator = " and ") {
  std::string text;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) text += i + 1 == items.size() ? last_separator : ", ";
    text += items[i];
  }
  return text;
}

std::string code_list(const std::vector<std::string>& ids) {
  std::vector<std::string> quoted;
  for (const auto& id : ids) quoted.push_back("`" + id + "`");
  return join(quoted);
}

// One place in the migration file and everything observed there (an Alembic op can send several
// statements; they are reported together).
struct Site {
  ByteRange range;
  std::vector<TracedLock> locks;        // strongest per relation
  std::vector<TracedRewrite> rewrites;
  std::vector<std::string> scanned;
  double held_seconds = 0;
};

int lock_rank(const std::string& mode) {
  if (mode == "ACCESS EXCLUSIVE") return 4;
  if (mode == "EXCLUSIVE") return 3;
  if (mode == "SHARE ROW EXCLUSIVE") return 2;
  return 1;
}

void merge_into(Site& site, const StatementFacts& fact) {
  for (const auto& lock : fact.blocking_locks) {
    auto same = std::find_if(site.locks.begin(), site.locks.end(),
                             [&](const TracedLock& l) { return l.relation == lock.relation; });
    if (same == site.locks.end()) {
      site.locks.push_back(lock);
    } else if (lock_rank(lock.mode) > lock_rank(same->mode)) {
      *same = lock;
    }
  }
  for (const auto& rewrite : fact.rewrites) site.rewrites.push_back(rewrite);
  for (const auto& table : fact.scanned) {
    if (std::find(site.scanned.begin(), site.scanned.end(), table) == site.scanned.end()) site.scanned.push_back(table);
  }
  site.held_seconds = std::max(site.held_seconds, fact.held_seconds);
}

// The range of the linter's statement that covers `line` of the revision file (the whole `op.*` call),
// else the line itself without its indentation.
ByteRange alembic_site(const Script& script, int line) {
  const SourceFile& file = *script.file;
  std::size_t line_begin = file.line_start(line);
  std::size_t line_end = line_begin + file.line_text(line).size();
  std::optional<ByteRange> best;
  for (const auto& statement : script.statements) {
    if (statement.range.begin <= line_end && statement.range.end >= line_begin &&
        (!best || statement.range.end - statement.range.begin < best->end - best->begin)) {
      best = statement.range;
    }
  }
  if (best) return *best;
  std::string_view text = file.line_text(line);
  std::size_t indent = text.find_first_not_of(" \t");
  if (indent == std::string_view::npos) indent = 0;
  return {line_begin + indent, line_end};
}

}  // namespace

TraceReporter::TraceReporter(const Project& project, int server_version) {
  LintSettings settings;
  settings.dialect = Dialect::PostgreSQL;
  if (server_version > 0) {
    settings.target_version = Version{server_version / 10000, server_version % 10000, 0};
    server_ = "PostgreSQL " + std::to_string(server_version / 10000) + "." + std::to_string(server_version % 10000);
  } else {
    server_ = "PostgreSQL";
  }
  if (!project.migrations.empty()) lint_ = ::migsafe::Engine(settings).run(project);
}

std::vector<Finding> TraceReporter::report(const PlannedMigration& m, const ScriptObservation& observation,
                                           const std::function<void(const std::string&)>& note) const {
  std::vector<Finding> findings;
  const Script& script = m.migration.upgrade;
  if (!script.file) return findings;
  const SourceFile& file = *script.file;
  std::string file_path = canonical(file.path());
  for (const auto& text : observation.notes) note("trace of " + m.label() + ": " + text);

  // Where each observed statement is in the migration file.
  auto locate = [&](const StatementObservation& statement) -> std::optional<ByteRange> {
    if (statement.range) return statement.range;
    if (statement.line <= 0 || statement.path.empty() || canonical(statement.path) != file_path) return std::nullopt;
    if (static_cast<std::size_t>(statement.line) > file.line_count()) return std::nullopt;
    return alembic_site(script, statement.line);
  };
  for (const auto& statement : observation.statements) {
    if (statement.untraced_reason.empty()) continue;
    auto range = locate(statement);
    if (!range) continue;
    note("trace of " + m.label() + ": " + file.display_path() + ":" + std::to_string(file.position_of(range->begin).line) +
         ": locks not observed, " + statement.untraced_reason + " (rewrites are still compared)");
  }

  std::map<std::pair<std::size_t, std::size_t>, Site> sites;
  for (const auto& fact : analyze_observation(observation)) {
    auto range = locate(*fact.statement);
    if (!range) continue;
    Site& site = sites[{range->begin, range->end}];
    site.range = *range;
    merge_into(site, fact);
  }

  auto predicted_by = [&](const ByteRange& range, bool rewrite) {
    std::vector<std::string> ids;
    for (const auto& finding : lint_) {
      if (!finding.file || canonical(finding.file->path()) != file_path) continue;
      if (finding.range.begin < range.begin || finding.range.begin > range.end) continue;
      const RuleInfo* info = RuleRegistry::instance().find_info(finding.rule_id);
      bool predicts = rewrite ? kRewriteRules.count(finding.rule_id) > 0
                              : info != nullptr && info->category == RuleCategory::Locks;
      if (predicts && std::find(ids.begin(), ids.end(), finding.rule_id) == ids.end()) ids.push_back(finding.rule_id);
    }
    // The rule about this very operation first (its recipe is the one shown); missing-lock-timeout is
    // about every lock and goes last.
    std::stable_partition(ids.begin(), ids.end(), [](const std::string& id) { return id != "missing-lock-timeout"; });
    return ids;
  };
  auto prediction_text = [&](const std::vector<std::string>& ids, const std::string& generic) {
    if (ids.empty()) {
      return "No static rule predicted this (the linter cannot see it from the migration's text, or the rule is "
             "disabled). " + generic;
    }
    std::string text = "The linter's " + code_list(ids) + " predicted this.";
    if (const RuleInfo* info = RuleRegistry::instance().find_info(ids.front())) {
      if (!info->safe_alternative.empty()) text += " " + std::string(info->safe_alternative);
    }
    return text;
  };
  auto make = [&](const char* rule, const Site& site, std::string message, std::string help) {
    Finding finding;
    finding.rule_id = rule;
    finding.severity = Severity::Warning;
    finding.file = script.file;
    finding.path = file.display_path();
    finding.range = site.range;
    finding.start = file.position_of(site.range.begin);
    finding.end = file.position_of(site.range.end);
    finding.migration_id = m.migration.id;
    finding.message = std::move(message);
    finding.help = std::move(help);
    finding.fingerprint_text = std::string(file.slice(site.range)) + " " + m.migration.id;
    findings.push_back(std::move(finding));
  };

  for (const auto& [key, site] : sites) {
    std::string observed_on = "Observed by `migsafe roundtrip --trace` on " + server_ + ", on the harness's tables ";
    if (!site.locks.empty()) {
      bool reads = std::any_of(site.locks.begin(), site.locks.end(), [](const TracedLock& l) { return l.blocks_reads; });
      std::vector<std::string> tables;
      std::vector<std::string> held;
      std::vector<std::string> scans;
      for (const auto& lock : site.locks) {
        tables.push_back(lock.relation);
        held.push_back(lock.mode + " on " + lock.relation);
        if (std::find(site.scanned.begin(), site.scanned.end(), lock.relname) != site.scanned.end()) {
          scans.push_back(lock.relation);
        }
      }
      for (const auto& scanned : site.scanned) {
        if (scanned.rfind("foreign key ", 0) == 0) scans.push_back("the rows checked by " + scanned);
      }
      std::string message = std::string("While this statement's transaction runs, ") +
                             (reads ? "reads and writes of " : "writes to ") + join(tables) +
                             " wait: the trace saw it take " + join(held);
      if (!scans.empty()) message += ", and scan every row of " + join(scans) + " to validate it while holding the lock";
      message += ". The lock is held until COMMIT (" + format_duration(site.held_seconds) +
                 " here; in production as long as the statement's work on the real rows and everything after it in "
                 "the transaction).";
      std::string generic =
          "Keep the lock short: set lock_timeout before the statement (a queued ACCESS EXCLUSIVE lock blocks "
          "everyone behind it), do no slow work after it in the same transaction, and prefer the non-blocking "
          "forms (CONCURRENTLY, NOT VALID + VALIDATE).";
      make("observed-blocking-lock", site, message,
           observed_on + "(pg_locks of the migration's own session right after the statement). " +
               prediction_text(predicted_by(site.range, false), generic));
    }
    for (const auto& rewrite : site.rewrites) {
      std::string message;
      if (rewrite.index_only) {
        message = "This statement rebuilds " + std::string(rewrite.indexes.size() == 1 ? "index " : "indexes ") +
                  join(rewrite.indexes) + " of table " + rewrite.relation +
                  " (new data files, observed): in production it reads the whole table and writes the index "
                  "again while the statement's lock is held.";
      } else {
        message = "This statement rewrites table " + rewrite.relation + " (a new data file, observed)" +
                  (rewrite.indexes.empty() ? "" : " and rebuilds its indexes " + join(rewrite.indexes)) +
                  ": in production it copies every row while holding ACCESS EXCLUSIVE, so the table can be neither "
                  "read nor written until the copy is done.";
      }
      std::string generic =
          "Avoid the rewrite: add columns without a volatile default and backfill in batches, change types through a "
          "new column, and check docs/rules-locks.md for the statement's rewrite-free form.";
      make("observed-table-rewrite", site, message,
           observed_on + "(pg_class.relfilenode before and after the statement). " +
               prediction_text(predicted_by(site.range, true), generic));
    }
  }
  return findings;
}

}  // namespace migsafe::harness
