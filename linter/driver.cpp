#include "linter/driver.h"

#include <algorithm>
#include <map>
#include <set>
#include <system_error>
#include <string_view>
#include <tuple>
#include <unordered_set>

#include "linter/alembic/render_sql.h"
#include "linter/config/project_settings.h"
#include "linter/engine/engine.h"
#include "linter/engine/rule.h"
#include "linter/layouts/loader.h"
#include "linter/report/reporter.h"
#include "linter/util/atomic_file.h"
#include "linter/util/string_distance.h"
#include "linter/util/thread_pool.h"

namespace migsafe {

namespace fs = std::filesystem;

OutputTarget parse_output_target(std::string_view spec) {
  OutputTarget target;
  std::size_t colon = spec.find(':');
  target.format = std::string(spec.substr(0, colon));
  if (colon != std::string_view::npos) {
    target.file = std::string(spec.substr(colon + 1));
    if (target.file.empty()) {
      throw ConfigError("--format: '" + std::string(spec) + "' names no file after ':' (use FORMAT or FORMAT:FILE)");
    }
  }
  if (!make_reporter(target.format)) {
    std::vector<std::string> names = reporter_names();
    std::string list;
    for (const std::string& name : names) list += (list.empty() ? "" : ", ") + name;
    throw ConfigError("--format: unknown format '" + target.format + "'" + did_you_mean(target.format, names) +
                      " (expected one of " + list + ")");
  }
  return target;
}

namespace {

// --changed-since: whether a finding is about a changed file. A finding about no file is about its
// project, and is reported when the project has a changed file (`project_changed`).
bool concerns_changed(const LintRequest& request, const Finding& finding, bool project_changed) {
  if (!request.changed) return true;
  if (finding.path.empty() && finding.related_paths.empty()) return project_changed;
  if (is_changed(*request.changed, finding.path, request.working_directory)) return true;
  return std::any_of(finding.related_paths.begin(), finding.related_paths.end(), [&](const std::string& path) {
    return is_changed(*request.changed, path, request.working_directory);
  });
}

// Display paths of every file a project read (migrations and files that could not be used), sorted,
// each once. Pointers to the project's own strings: a std::set<std::string> copied every path into
// a node of its own, twice per run.
using PathList = std::vector<const std::string*>;

void sort_paths(PathList& paths) {
  std::sort(paths.begin(), paths.end(), [](const std::string* a, const std::string* b) { return *a < *b; });
  paths.erase(std::unique(paths.begin(), paths.end(), [](const std::string* a, const std::string* b) { return *a == *b; }),
              paths.end());
}

PathList project_paths(const Project& project) {
  PathList files;
  auto add = [&files](const SourceFilePtr& file) {
    if (file) files.push_back(&file->display_path());
  };
  for (const Migration& migration : project.migrations) {
    add(migration.upgrade.file);
    if (migration.downgrade) add(migration.downgrade->file);
  }
  for (const FileProblem& problem : project.problems) {
    if (problem.file) {
      add(problem.file);
    } else if (!problem.path.empty()) {
      files.push_back(&problem.path);
    }
  }
  sort_paths(files);
  return files;
}

// The files of a project whose findings are reported: the named ones when the project is narrowed to
// named files, and of those the changed ones under --changed-since.
PathList reported_paths(const Project& project, const LintRequest& request) {
  PathList files = project_paths(project);
  std::erase_if(files, [&](const std::string* path) {
    if (!project.only_files.empty() &&
        std::find(project.only_files.begin(), project.only_files.end(), *path) == project.only_files.end()) {
      return true;
    }
    return request.changed && !is_changed(*request.changed, *path, request.working_directory);
  });
  return files;
}

// A project loaded whole for context but asked about only some files (pre-commit passes the changed
// files): findings elsewhere are not reported. Findings about no file concern the named files' project.
bool asked_for(const Project& project, const Finding& finding) {
  if (project.only_files.empty() || !finding.file) return true;
  return std::find(project.only_files.begin(), project.only_files.end(), finding.path) != project.only_files.end();
}

bool same_finding(const Finding& a, const Finding& b) {
  return std::tie(a.rule_id, a.path, a.range.begin, a.range.end, a.message) ==
         std::tie(b.rule_id, b.path, b.range.begin, b.range.end, b.message);
}

// What one project contributes: its findings and the rules its settings enable.
struct ProjectResult {
  std::vector<Finding> findings;
  std::vector<const RuleInfo*> enabled;
};

ProjectResult lint_project(const Project& project, const EffectiveSettings& settings, const LintRequest& request,
                           const std::vector<std::optional<alembic::RenderedRevision>>& rendered) {
  Engine engine(settings_for_project(settings, project));
  const RuleRegistry& registry = RuleRegistry::instance();
  ProjectResult result;
  for (const auto& rule : registry.rules()) {
    if (engine.enabled(*rule)) result.enabled.push_back(&rule->info());
  }
  std::vector<Finding> findings = engine.run(project);
  bool project_changed = request.changed && !reported_paths(project, request).empty();
  if (!rendered.empty()) {
    std::vector<Finding> extra = alembic::lint_rendered(project, rendered, engine, findings);
    std::move(extra.begin(), extra.end(), std::back_inserter(findings));
  }
  // Findings the loader recorded for a rule the selection turned off (e.g. broken-revision-graph)
  // respect the selection like any other. Looked up per rule once, not per finding.
  std::unordered_set<std::string_view> disabled;
  for (const auto& rule : registry.rules()) {
    if (!engine.enabled(*rule)) disabled.insert(rule->info().id);
  }
  // Findings come grouped by file: the exclusion of the previous finding's file is reused.
  const SourceFile* last_file = nullptr;
  bool last_file_excluded = false;
  auto filtered_out = [&](const Finding& finding) {
    if (disabled.count(finding.rule_id)) return true;
    if (finding.file && !settings.exclude.empty()) {
      if (finding.file.get() != last_file) {
        last_file = finding.file.get();
        last_file_excluded = is_excluded(settings.exclude, finding.file->path());
      }
      if (last_file_excluded) return true;
    }
    return !asked_for(project, finding) || !concerns_changed(request, finding, project_changed);
  };
  // Filtered in place: a second array of findings meant megabytes of fresh pages on a large history.
  // (The exclusion cache above is keyed by file, so it is right in any visiting order.)
  findings.erase(std::remove_if(findings.begin(), findings.end(), filtered_out), findings.end());
  result.findings = std::move(findings);
  return result;
}

LayoutOptions layout_options(const EffectiveSettings& settings, const fs::path& display_root) {
  LayoutOptions options;
  options.dialect = settings.lint.dialect;
  options.dialect_from_user = settings.dialect_from_user;
  options.transaction_overrides = settings.transaction;
  for (const ExcludePattern& pattern : settings.exclude) options.exclude.push_back(pattern.glob);
  options.display_root = display_root;
  return options;
}

// The settings a project rooted at `root` is loaded and linted with.
std::shared_ptr<const EffectiveSettings> settings_for_root(const LintRequest& request, const fs::path& root) {
  if (request.project_settings) return request.project_settings->for_root(root);
  // Not owned: the request outlives the run.
  return std::shared_ptr<const EffectiveSettings>(std::shared_ptr<const EffectiveSettings>(), &request.settings);
}

}  // namespace

LintOutcome lint(const LintRequest& request, ThreadPool& pool) {
  LoadRequest load;
  load.paths = request.paths;
  load.stdin_filename = request.stdin_filename;
  load.layout = request.settings.layout;
  load.options = layout_options(request.settings, request.working_directory);
  load.pool = &pool;
  if (request.project_settings) {
    load.settings_for_root = [&request](const fs::path& root) {
      std::shared_ptr<const EffectiveSettings> settings = settings_for_root(request, root);
      return ProjectLoadSettings{layout_options(*settings, request.working_directory), settings->layout};
    };
  }
  LoadResult loaded = load_projects(load);

  LintOutcome outcome;
  outcome.usage_errors = std::move(loaded.usage_errors);
  if (!outcome.usage_errors.empty()) return outcome;
  outcome.projects = loaded.projects.size();
  PathList checked;
  for (const Project& project : loaded.projects) {
    PathList paths = reported_paths(project, request);
    checked.insert(checked.end(), paths.begin(), paths.end());
  }
  if (loaded.projects.size() > 1) sort_paths(checked);  // one project's list is sorted already
  outcome.checked_paths.reserve(checked.size());
  for (const std::string* path : checked) outcome.checked_paths.push_back(*path);
  outcome.files_checked = outcome.checked_paths.size();

  // --render-sql: one helper run per Alembic project, before linting (render failures become findings).
  std::vector<std::vector<std::optional<alembic::RenderedRevision>>> rendered(loaded.projects.size());
  if (request.render_sql) {
    std::optional<fs::path> python;
    for (std::size_t i = 0; i < loaded.projects.size(); ++i) {
      if (loaded.projects[i].layout != "alembic") continue;
      if (!python) python = alembic::python_for_rendering(request.python);
      rendered[i] = alembic::render_project(loaded.projects[i], *python);
    }
  }

  // Resolved before the parallel part: a broken nested configuration stops the run with its error.
  std::vector<std::shared_ptr<const EffectiveSettings>> settings;
  for (const Project& project : loaded.projects) settings.push_back(settings_for_root(request, project.root));
  std::vector<ProjectResult> results(loaded.projects.size());
  pool.parallel_for(loaded.projects.size(), [&](std::size_t i) {
    results[i] = lint_project(loaded.projects[i], *settings[i], request, rendered[i]);
  });

  std::set<const RuleInfo*> evaluated;
  for (ProjectResult& result : results) {
    evaluated.insert(result.enabled.begin(), result.enabled.end());
    if (outcome.findings.empty()) {
      outcome.findings = std::move(result.findings);
    } else {
      std::move(result.findings.begin(), result.findings.end(), std::back_inserter(outcome.findings));
    }
  }
  if (loaded.projects.empty()) {
    // Nothing to lint: SARIF still lists the rules that would have run.
    Engine engine(request.settings.lint);
    for (const auto& rule : RuleRegistry::instance().rules()) {
      if (engine.enabled(*rule)) evaluated.insert(&rule->info());
    }
  }
  // Every reported rule id must resolve in SARIF rules[], including loader-reported ones.
  std::unordered_set<std::string_view> reported_ids;
  for (const Finding& finding : outcome.findings) {
    if (!reported_ids.insert(finding.rule_id).second) continue;
    if (const RuleInfo* info = RuleRegistry::instance().find_info(finding.rule_id)) evaluated.insert(info);
  }
  outcome.rules.assign(evaluated.begin(), evaluated.end());
  std::sort(outcome.rules.begin(), outcome.rules.end(),
            [](const RuleInfo* a, const RuleInfo* b) { return a->id < b->id; });

  // The same file reached through two paths ("migrations" and "migrations/0001.sql") is linted twice.
  // One project's findings come sorted from the engine already.
  if (!std::is_sorted(outcome.findings.begin(), outcome.findings.end(), finding_order)) {
    sort_findings(outcome.findings, /*stable=*/true);
  }
  outcome.findings.erase(std::unique(outcome.findings.begin(), outcome.findings.end(), same_finding),
                         outcome.findings.end());
  return outcome;
}

std::vector<Finding> only_changed(const LintRequest& request, std::vector<Finding> findings) {
  if (!request.changed) return findings;
  std::vector<Finding> kept;
  for (Finding& finding : findings) {
    if (concerns_changed(request, finding, true)) kept.push_back(std::move(finding));
  }
  return kept;
}

void apply_baseline(const LintRequest& request, LintOutcome& outcome) {
  if (!request.baseline) return;
  std::set<std::string> checked_files;
  for (const std::string& path : outcome.checked_paths) {
    checked_files.insert(baseline_file_key(path, request.working_directory, request.baseline_directory));
  }
  BaselineMatch match = match_baseline(*request.baseline, outcome.findings, request.working_directory,
                                       request.baseline_directory, &checked_files);
  outcome.findings = std::move(match.remaining);
  outcome.baseline_hidden = match.hidden;
  outcome.baseline_unmatched = match.unmatched;
}

void print_scope_notes(const LintRequest& request, const LintOutcome& outcome, const std::string& prefix,
                       std::ostream& err) {
  if (request.quiet) return;
  if (request.changed) {
    std::string base = request.changed->merge_base.substr(0, 12);
    err << prefix << ": note: --changed-since " << request.changed->ref << " (merge base " << base << "): "
        << outcome.files_checked << " changed migration file(s) reported on\n";
  }
  if (request.baseline) {
    err << prefix << ": note: the baseline hid " << outcome.baseline_hidden << " known finding(s)";
    if (outcome.baseline_unmatched > 0) {
      err << "; " << outcome.baseline_unmatched
          << " baseline entr" << (outcome.baseline_unmatched == 1 ? "y matches" : "ies match")
          << " no finding any more (fixed or edited): refresh the file with `migsafe baseline`";
    }
    err << "\n";
  }
}

void write_reports(const LintRequest& request, const LintOutcome& outcome, std::ostream& out) {
  std::vector<OutputTarget> outputs = request.outputs;
  if (outputs.empty()) outputs.push_back({"text", ""});
  for (const OutputTarget& target : outputs) {
    std::unique_ptr<Reporter> reporter = make_reporter(target.format);
    if (!reporter) throw ConfigError("--format: unknown format '" + target.format + "'");
    ReportContext context;
    context.tool_version = MIGSAFE_VERSION;
    context.rules = outcome.rules;
    context.color = request.color && target.file.empty();
    context.category = request.category;
    context.title = request.title;
    context.docs_base_url = request.settings.docs_base_url;
    context.files_checked = outcome.files_checked;
    context.checked_paths = outcome.checked_paths;
    context.project_file = request.project_file;
    if (target.file.empty()) {
      reporter->write(outcome.findings, context, out);
      out.flush();
      continue;
    }
    // Never half a report: the file appears complete or not at all.
    bool written = write_file_atomically(
        target.file, [&](std::ostream& stream) { reporter->write(outcome.findings, context, stream); });
    if (!written) throw EnvironmentError("cannot write " + target.format + " report to '" + target.file + "'");
  }
}

int exit_code_for(const std::vector<Finding>& findings, FailOn fail_on) {
  for (const Finding& finding : findings) {
    if (fails(finding.severity, fail_on)) return kExitFindings;
  }
  return kExitClean;
}

int run_lint(const LintRequest& request, std::size_t jobs, std::ostream& out, std::ostream& err) {
  ThreadPool pool(jobs);
  LintOutcome outcome = lint(request, pool);
  if (!outcome.usage_errors.empty()) {
    for (const std::string& message : outcome.usage_errors) err << "migsafe lint: error: " << message << "\n";
    return kExitUsage;
  }
  if (outcome.projects == 0 && !request.quiet) {
    err << "migsafe lint: note: no migrations found in the given paths\n";
  }
  apply_baseline(request, outcome);
  print_scope_notes(request, outcome, "migsafe lint", err);
  write_reports(request, outcome, out);
  return exit_code_for(outcome.findings, request.settings.fail_on);
}

}  // namespace migsafe
