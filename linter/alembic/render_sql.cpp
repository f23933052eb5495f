#include "linter/alembic/render_sql.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <utility>

#include <nlohmann/json.hpp>

#include "harness/alembic_session.h"
#include "harness/process.h"
#include "linter/driver.h"
#include "linter/engine/engine.h"
#include "linter/sql/postgres_front_end.h"

namespace migsafe::alembic {

namespace fs = std::filesystem;

namespace {

// Rendering imports every revision module; a project with module-level work gets generous time, but a
// revision that hangs (waiting on a network resource) must not hang the lint run.
constexpr double kRenderTimeoutSeconds = 300;
constexpr std::size_t kQuotedStatementLimit = 200;

RenderedFunction function_from_json(const nlohmann::json& node) {
  RenderedFunction function;
  if (!node.is_object()) return function;
  if (auto sql = node.find("sql"); sql != node.end() && sql->is_string()) function.sql = sql->get<std::string>();
  if (auto error = node.find("error"); error != node.end() && error->is_string()) {
    function.error = error->get<std::string>();
  }
  if (auto line = node.find("line"); line != node.end() && line->is_number_integer()) {
    function.error_line = line->get<int>();
  }
  return function;
}

// Whitespace collapsed and cut to a readable length, for quoting a rendered statement in a message.
std::string quote_statement(std::string_view text) {
  std::string quoted;
  bool space = false;
  for (char c : text) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
      space = !quoted.empty();
      continue;
    }
    if (space) quoted += ' ';
    space = false;
    quoted += c;
  }
  if (quoted.size() > kQuotedStatementLimit) {
    std::size_t cut = kQuotedStatementLimit;
    while (cut > 0 && (static_cast<unsigned char>(quoted[cut]) & 0xC0) == 0x80) --cut;  // UTF-8 boundary
    quoted = quoted.substr(0, cut) + "...";
  }
  return quoted;
}

// The `def upgrade():` line of a revision function: where rendered findings and render failures point.
ByteRange def_line(const Script& script) {
  const std::string& text = script.file->text();
  std::size_t begin = std::min(script.region.begin, text.size());
  std::size_t end = text.find('\n', begin);
  if (end == std::string::npos) end = text.size();
  if (!script.region.empty()) end = std::min(end, script.region.end);
  if (end > begin && text[end - 1] == '\r') --end;
  return {begin, end};
}

// Where a rendered finding points in the revision: the one step the static read could not check (an
// op.execute() with SQL built at run time) when there is exactly one, since findings the static read
// could see are already reported; else the `def` line.
ByteRange anchor_for_rendered(const Script& script) {
  const Statement* unchecked = nullptr;
  for (const Statement& statement : script.statements) {
    bool is_unchecked = std::any_of(statement.operations.begin(), statement.operations.end(),
                                    [](const Operation& op) { return op.as<UncheckedOperation>() != nullptr; });
    if (!is_unchecked) continue;
    if (unchecked && unchecked->range != statement.range) return def_line(script);
    unchecked = &statement;
  }
  return unchecked ? unchecked->range : def_line(script);
}

// Rendered SQL parsed on a synthetic file that carries the revision's paths, in the revision's runner mode.
std::optional<Script> rendered_script(const Script& original, const RenderedFunction& rendered) {
  if (!rendered.sql || !original.file) return std::nullopt;
  auto file = std::make_shared<SourceFile>(original.file->path(), original.file->display_path(), *rendered.sql);
  Script script;
  script.file = file;
  script.region = {0, file->text().size()};
  script.runner = original.runner;
  script.statements = parse_postgres_script(file, script.region).statements;
  assign_transactions(script);
  return script;
}

bool suppressed(const Project& project, const Finding& finding) {
  for (const Suppression& suppression : project.suppressions) {
    if (!suppression.file || suppression.file != finding.file) continue;
    bool rule_matches = suppression.rules.empty() ||
                        std::find(suppression.rules.begin(), suppression.rules.end(), finding.rule_id) !=
                            suppression.rules.end();
    if (!rule_matches) continue;
    if (suppression.file_level ||
        (finding.start.line >= suppression.first_line && finding.start.line <= suppression.last_line)) {
      return true;
    }
  }
  return false;
}

}  // namespace

std::vector<RenderedRevision> parse_rendered_revisions(std::string_view json_text) {
  nlohmann::json document = nlohmann::json::parse(json_text, nullptr, false);
  if (document.is_discarded() || !document.is_object() || !document.contains("revisions") ||
      !document["revisions"].is_array()) {
    throw EnvironmentError("--render-sql: the rendering helper did not return the expected JSON document");
  }
  std::vector<RenderedRevision> revisions;
  for (const nlohmann::json& node : document["revisions"]) {
    if (!node.is_object() || !node.contains("path") || !node["path"].is_string()) {
      throw EnvironmentError("--render-sql: the rendering helper returned a revision without a path");
    }
    RenderedRevision revision;
    revision.path = node["path"].get<std::string>();
    revision.upgrade = function_from_json(node.value("upgrade", nlohmann::json()));
    revision.downgrade = function_from_json(node.value("downgrade", nlohmann::json()));
    revisions.push_back(std::move(revision));
  }
  return revisions;
}

fs::path python_for_rendering(const std::optional<std::string>& explicit_python) {
  try {
    return harness::find_python_with_alembic(explicit_python);
  } catch (const harness::EnvironmentError& error) {
    throw EnvironmentError(std::string("--render-sql: ") + error.what());
  }
}

std::vector<RenderedRevision> render_revisions(const std::vector<fs::path>& revision_files, Dialect dialect,
                                               const fs::path& python) {
  if (revision_files.empty()) return {};
  try {
    harness::TempDir work("migsafe-render-");
    fs::path script = work.path() / "render_sql.py";
    {
      std::ofstream out(script, std::ios::binary);
      out << render_sql_helper_source();
      if (!out) throw EnvironmentError("--render-sql: cannot write " + script.string());
    }
    fs::path output = work.path() / "rendered.json";
    fs::path log = work.path() / "render.log";
    harness::SpawnOptions options;
    options.argv = {python.string(), script.string(), "--output", output.string(), to_string(dialect)};
    for (const fs::path& file : revision_files) options.argv.push_back(fs::absolute(file).string());
    options.output_file = log;
    options.extra_environment.push_back("PYTHONDONTWRITEBYTECODE=1");
    int status = harness::run_to_completion(options, harness::Deadline::after_seconds(kRenderTimeoutSeconds),
                                            "the --render-sql helper");
    if (!harness::exited_successfully(status)) {
      throw EnvironmentError("--render-sql: the rendering helper (" + python.string() + ") " +
                             harness::describe_exit(status) + ":\n" + harness::tail_of_file(log));
    }
    std::ifstream in(output, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    std::vector<RenderedRevision> revisions = parse_rendered_revisions(text.str());
    if (revisions.size() != revision_files.size()) {
      throw EnvironmentError("--render-sql: the rendering helper returned " + std::to_string(revisions.size()) +
                             " revisions for " + std::to_string(revision_files.size()) + " files");
    }
    return revisions;
  } catch (const harness::EnvironmentError& error) {
    throw EnvironmentError(std::string("--render-sql: ") + error.what());
  }
}

std::vector<std::optional<RenderedRevision>> render_project(Project& project, const fs::path& python) {
  std::vector<std::optional<RenderedRevision>> result(project.migrations.size());
  if (project.layout != "alembic") return result;
  std::vector<fs::path> files;
  std::vector<std::size_t> owners;
  for (std::size_t i = 0; i < project.migrations.size(); ++i) {
    const Migration& migration = project.migrations[i];
    if (!migration.upgrade.file || !migration.revision_readable) continue;
    files.emplace_back(migration.upgrade.file->path());
    owners.push_back(i);
  }
  std::vector<RenderedRevision> rendered = render_revisions(files, project.dialect, python);
  for (std::size_t k = 0; k < rendered.size(); ++k) {
    const Migration& migration = project.migrations[owners[k]];
    auto note_failure = [&](const RenderedFunction& function, const Script& script, const char* name) {
      if (function.sql || function.error.empty() || !script.file) return;
      FileProblem problem;
      problem.rule_id = "unchecked-code";
      problem.file = script.file;
      problem.path = script.file->display_path();
      problem.range = def_line(script);
      if (function.error_line > 0 && function.error_line <= static_cast<int>(script.file->line_count())) {
        std::size_t begin = script.file->line_start(function.error_line);
        std::string_view line = script.file->line_text(function.error_line);
        std::size_t indent = line.find_first_not_of(" \t");
        if (indent == std::string_view::npos) indent = 0;
        problem.range = {begin + indent, begin + line.size()};
      }
      problem.message = std::string(name) + "() of this revision could not be rendered to SQL in Alembic's offline "
                        "mode (" + function.error + "), so what it runs in production was not checked.";
      problem.help = "Code that reads from the database (`op.get_bind().execute(...).fetchall()`, reflection) "
                     "needs a live connection: review this revision by hand (or run it against a copy with "
                     "`migsafe roundtrip`), then mark the line `# migsafe: ignore[unchecked-code]`.";
      project.problems.push_back(std::move(problem));
    };
    note_failure(rendered[k].upgrade, migration.upgrade, "upgrade");
    if (migration.downgrade) note_failure(rendered[k].downgrade, *migration.downgrade, "downgrade");
    result[owners[k]] = std::move(rendered[k]);
  }
  return result;
}

std::vector<Finding> lint_rendered(const Project& project,
                                   const std::vector<std::optional<RenderedRevision>>& rendered,
                                   const Engine& engine, const std::vector<Finding>& static_findings) {
  // The SQL front end reads PostgreSQL: other dialects' rendered SQL is only checked for rendering
  // failures (render_project), not linted (docs/alembic.md).
  if (project.dialect != Dialect::PostgreSQL) return {};
  Project copy;
  copy.root = project.root;
  copy.layout = project.layout;
  copy.dialect = project.dialect;
  copy.runner_sets_lock_timeout = project.runner_sets_lock_timeout;
  // Rendered file -> the original script it stands for and the rendered statements' ranges.
  struct Origin {
    const Script* original;
    std::vector<ByteRange> statements;
  };
  std::map<const SourceFile*, Origin> origin;
  auto remember = [&origin](const Script& rendered_script, const Script& original) {
    Origin entry{&original, {}};
    for (const Statement& statement : rendered_script.statements) entry.statements.push_back(statement.range);
    origin[rendered_script.file.get()] = std::move(entry);
  };
  for (std::size_t i = 0; i < project.migrations.size() && i < rendered.size(); ++i) {
    Migration migration = project.migrations[i];
    if (rendered[i]) {
      if (auto script = rendered_script(project.migrations[i].upgrade, rendered[i]->upgrade)) {
        remember(*script, project.migrations[i].upgrade);
        migration.upgrade = std::move(*script);
      }
      if (project.migrations[i].downgrade) {
        if (auto script = rendered_script(*project.migrations[i].downgrade, rendered[i]->downgrade)) {
          remember(*script, *project.migrations[i].downgrade);
          migration.downgrade = std::move(*script);
        }
      }
    }
    copy.migrations.push_back(std::move(migration));
  }

  std::set<std::pair<std::string, std::string>> already;  // (path, rule) the static read reported
  for (const Finding& finding : static_findings) already.emplace(finding.path, finding.rule_id);

  std::vector<Finding> result;
  std::set<std::tuple<std::string, std::string, std::string>> seen;
  for (Finding& finding : engine.run(copy)) {
    auto from = origin.find(finding.file.get());
    if (from == origin.end()) continue;  // about the revision as a whole: the static read covers it
    if (already.count({finding.path, finding.rule_id})) continue;
    const Script& original = *from->second.original;
    // Quote the whole rendered statement the finding is in, not just the clause it points at.
    ByteRange quoted = finding.range;
    for (const ByteRange& range : from->second.statements) {
      if (range.begin <= finding.range.begin && finding.range.begin < std::max(range.end, range.begin + 1)) {
        quoted = range;
        break;
      }
    }
    std::string statement = quote_statement(finding.file->slice(quoted));
    finding.own_statement_text();  // it quotes the rendered script, which `file` stops pointing to
    finding.file = original.file;
    finding.range = anchor_for_rendered(original);
    finding.start = finding.file->position_of(finding.range.begin);
    finding.end = finding.file->position_of(finding.range.end);
    if (!statement.empty()) finding.message += " Rendered SQL (Alembic offline mode): `" + statement + "`.";
    if (suppressed(project, finding)) continue;
    if (!seen.emplace(finding.path, finding.rule_id, finding.message).second) continue;
    result.push_back(std::move(finding));
  }
  return result;
}

}  // namespace migsafe::alembic
