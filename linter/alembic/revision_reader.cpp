#include "linter/alembic/revision_reader.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>

#include "linter/alembic/op_translator.h"
#include "linter/alembic/python_ast.h"
#include "linter/alembic/python_values.h"
#include "linter/util/text.h"

namespace migsafe::alembic {

using python::Stmt;
using python::StmtKind;

namespace {

// Module-level statements, also inside `if TYPE_CHECKING:` / `try:` blocks at module level.
void collect_module(const std::vector<python::StmtPtr>& body, Values& values,
                    std::map<std::string, const Stmt*>& functions, std::map<std::string, const Stmt*>& assignments) {
  for (const python::StmtPtr& stmt : body) {
    switch (stmt->kind) {
      case StmtKind::Import:
        for (const python::ImportedName& imported : stmt->imports) values.add_import(imported);
        break;
      case StmtKind::Assign:
      case StmtKind::AnnAssign:
        for (const ExprPtr& target : stmt->targets) {
          if (stmt->value) values.bind_target(*target, stmt->value);
          if (target->kind == ExprKind::Name) assignments[target->name] = stmt.get();
        }
        break;
      case StmtKind::FunctionDef:
        functions[stmt->name] = stmt.get();
        break;
      case StmtKind::If:
      case StmtKind::Other:
        collect_module(stmt->body, values, functions, assignments);
        collect_module(stmt->orelse, values, functions, assignments);
        break;
      default: break;
    }
  }
}

// Reads an identifier variable: None -> {}, "a" -> {"a"}, ("a", "b") / ["a", "b"] -> {"a", "b"}.
// nullopt when the value is not static.
std::optional<std::vector<std::string>> identifier_list(const Expr& expr, const Values& values) {
  const Expr& value = values.follow(expr);
  if (value.is_constant("None")) return std::vector<std::string>{};
  if (auto text = values.string(value)) return std::vector<std::string>{*text};
  if (value.kind == ExprKind::Tuple || value.kind == ExprKind::List || value.kind == ExprKind::Set) {
    std::vector<std::string> ids;
    for (const ExprPtr& item : value.items) {
      auto text = values.string(*item);
      if (!text) return std::nullopt;
      ids.push_back(*text);
    }
    return ids;
  }
  return std::nullopt;
}

bool is_docstring_or_pass(const Stmt& stmt) {
  if (stmt.kind == StmtKind::Pass) return true;
  if (stmt.kind == StmtKind::Expr && stmt.value) {
    return stmt.value->kind == ExprKind::String || stmt.value->is_constant("...");
  }
  return false;
}

bool is_trivial(const std::vector<python::StmtPtr>& body) {
  return std::all_of(body.begin(), body.end(), [](const python::StmtPtr& stmt) { return is_docstring_or_pass(*stmt); });
}

bool raises_not_implemented(const Stmt& stmt) {
  if (stmt.kind != StmtKind::Raise || !stmt.value) return false;
  const Expr* exception = stmt.value.get();
  if (exception->kind == ExprKind::Call && exception->base) exception = exception->base.get();
  return exception->dotted() == "NotImplementedError" || exception->dotted() == "builtins.NotImplementedError";
}

// `globals()["downgrade_%s" % engine_name]()`: the prefix of the dispatched functions.
std::optional<std::string> dispatch_prefix(const Stmt& stmt, const Values& values) {
  if (stmt.kind != StmtKind::Expr || !stmt.value || stmt.value->kind != ExprKind::Call) return std::nullopt;
  const Expr& callee = *stmt.value->base;
  if (callee.kind != ExprKind::Subscript || !callee.base || callee.items.empty()) return std::nullopt;
  if (callee.base->kind != ExprKind::Call || !callee.base->base || !callee.base->base->is_name("globals")) {
    return std::nullopt;
  }
  const Expr* key = callee.items.front().get();
  if (key->kind == ExprKind::Binary && !key->items.empty()) key = key->items.front().get();
  auto text = values.string(*key);
  if (!text) return std::nullopt;
  std::string prefix = text->substr(0, text->find('%'));
  if (prefix.empty()) return std::nullopt;
  return prefix;
}

DowngradeState downgrade_state(const Stmt& function, const std::map<std::string, const Stmt*>& functions,
                               const Values& values) {
  for (const python::StmtPtr& stmt : function.body) {
    if (raises_not_implemented(*stmt)) return DowngradeState::Irreversible;
  }
  if (is_trivial(function.body)) return DowngradeState::Empty;
  // Multi-database template: the downgrade only dispatches to downgrade_<engine>() functions.
  bool only_dispatch = true;
  bool all_targets_trivial = true;
  bool any_target = false;
  for (const python::StmtPtr& stmt : function.body) {
    if (is_docstring_or_pass(*stmt)) continue;
    auto prefix = dispatch_prefix(*stmt, values);
    if (!prefix) {
      only_dispatch = false;
      break;
    }
    for (const auto& [name, target] : functions) {
      if (!name.starts_with(*prefix) || name.size() == prefix->size()) continue;
      any_target = true;
      for (const python::StmtPtr& inner : target->body) {
        if (raises_not_implemented(*inner)) return DowngradeState::Irreversible;
      }
      if (!is_trivial(target->body)) all_targets_trivial = false;
    }
  }
  if (only_dispatch && any_target && all_targets_trivial) return DowngradeState::Empty;
  return DowngradeState::Present;
}

// `# migsafe: ignore[a, b] reason` / `# migsafe: ignore-file[a]`; an absent list means every rule.
std::optional<Suppression> parse_suppression(const SourceFilePtr& file, const python::Comment& comment) {
  std::string_view text = file->slice(comment.range);
  text.remove_prefix(1);  // '#'
  std::string body = trimmed(text);
  constexpr std::string_view marker = "migsafe:";
  if (!body.starts_with(marker)) return std::nullopt;
  std::string rest = trimmed(std::string_view(body).substr(marker.size()));
  bool file_level = false;
  if (rest.starts_with("ignore-file")) {
    file_level = true;
    rest = rest.substr(std::string_view("ignore-file").size());
  } else if (rest.starts_with("ignore")) {
    rest = rest.substr(std::string_view("ignore").size());
  } else {
    return std::nullopt;
  }
  Suppression suppression;
  suppression.file = file;
  suppression.range = comment.range;
  suppression.file_level = file_level;
  if (!rest.empty() && rest.front() == '[') {
    std::size_t close = rest.find(']');
    std::string list = rest.substr(1, close == std::string::npos ? std::string::npos : close - 1);
    std::size_t start = 0;
    while (start <= list.size()) {
      std::size_t comma = list.find(',', start);
      std::string id = trimmed(std::string_view(list).substr(start, comma == std::string::npos ? std::string::npos : comma - start));
      if (!id.empty()) suppression.rules.push_back(id);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    rest = close == std::string::npos ? std::string() : rest.substr(close + 1);
  } else if (!rest.empty() && !std::isspace(static_cast<unsigned char>(rest.front())) && rest.front() != ':' &&
             rest.front() != '-') {
    return std::nullopt;  // "migsafe: ignored" or another word
  }
  std::string reason = trimmed(rest);
  while (!reason.empty() && (reason.front() == '-' || reason.front() == ':')) reason = trimmed(reason.substr(1));
  suppression.reason = reason;

  int line = file->position_of(comment.range.begin).line;
  suppression.first_line = line;
  suppression.last_line = line;
  if (comment.own_line && !file_level) {
    // On its own line it covers the next line of code (blank lines and comment lines in between skipped).
    int next = line + 1;
    while (static_cast<std::size_t>(next) <= file->line_count()) {
      std::string content = trimmed(file->line_text(next));
      if (!content.empty() && content.front() != '#') break;
      ++next;
    }
    suppression.last_line = std::min<int>(next, static_cast<int>(file->line_count()));
  }
  return suppression;
}

std::string migration_name(const std::string& path, const std::string& id) {
  std::string stem = std::filesystem::path(path).stem().string();
  if (!id.empty()) {
    std::size_t at = stem.find(id);
    if (at != std::string::npos) {
      std::string rest = stem.substr(at + id.size());
      while (!rest.empty() && (rest.front() == '_' || rest.front() == '-')) rest.erase(0, 1);
      if (!rest.empty()) return rest;
    }
  }
  return stem;
}

}  // namespace

RunnerTransaction default_runner(Dialect dialect) {
  return dialect == Dialect::PostgreSQL ? RunnerTransaction::PerScript : RunnerTransaction::None;
}

bool looks_like_revision_file(std::string_view text) {
  std::size_t at = 0;
  while ((at = text.find("revision", at)) != std::string_view::npos) {
    bool line_start = at == 0 || text[at - 1] == '\n' || text[at - 1] == '\r';
    std::size_t after = at + 8;
    while (after < text.size() && (text[after] == ' ' || text[after] == '\t')) ++after;
    if (line_start && after < text.size() && (text[after] == '=' || text[after] == ':')) return true;
    at += 8;
  }
  return false;
}

RevisionFile read_revision_file(const SourceFilePtr& file, const RevisionReadOptions& options) {
  RevisionFile result;
  Migration& migration = result.migration;
  migration.layout = "alembic";
  migration.upgrade.file = file;
  migration.upgrade.runner = options.runner;

  python::Module module = python::parse_module(file->text());
  for (const python::Comment& comment : module.comments) {
    if (auto suppression = parse_suppression(file, comment)) result.suppressions.push_back(std::move(*suppression));
  }

  Values values(file->text());
  std::map<std::string, const Stmt*> functions;
  std::map<std::string, const Stmt*> assignments;
  collect_module(module.body, values, functions, assignments);

  auto read_ids = [&](const char* name) -> std::optional<std::vector<std::string>> {
    auto it = assignments.find(name);
    if (it == assignments.end() || !it->second->value) return std::nullopt;
    return identifier_list(*it->second->value, values);
  };
  if (assignments.count("revision")) result.has_revision_variable = true;
  auto revision = read_ids("revision");
  migration.revision_readable = revision && revision->size() == 1 && !revision->front().empty();
  if (migration.revision_readable) migration.id = revision->front();
  migration.parents = read_ids("down_revision").value_or(std::vector<std::string>{});
  migration.branch_labels = read_ids("branch_labels").value_or(std::vector<std::string>{});
  migration.depends_on = read_ids("depends_on").value_or(std::vector<std::string>{});
  migration.name = migration_name(file->path(), migration.id);

  if (module.error) {
    std::size_t offset = std::min(module.error->offset, file->text().size());
    std::size_t end = offset;
    while (end < file->text().size() && file->text()[end] != '\n' && file->text()[end] != '\r') ++end;
    FileProblem problem;
    problem.rule_id = "syntax-error";
    problem.file = file;
    problem.path = file->display_path();
    problem.range = ByteRange{offset, std::max(end, offset)};
    problem.message = "This revision file is not valid Python (" + module.error->message +
                      "), so Alembic cannot import it and every `alembic` command on this project fails.";
    problem.help = "Fix the syntax error at this position (`python -m py_compile " + file->display_path() +
                   "` shows the same error); migsafe checks the file's operations once it parses.";
    result.problems.push_back(std::move(problem));
    // The operations are not read from a file Python rejects: nothing in it would run.
    migration.downgrade_state = DowngradeState::NotApplicable;
    return result;
  }

  OpTranslator translator(file, values, options.dialect, functions);
  auto script_for = [&](const Stmt& function) {
    Script script;
    script.file = file;
    script.region = function.range;
    script.runner = options.runner;
    script.statements = translator.translate(function);
    assign_transactions(script);
    return script;
  };

  auto upgrade = functions.find("upgrade");
  if (upgrade != functions.end()) migration.upgrade = script_for(*upgrade->second);

  auto downgrade = functions.find("downgrade");
  migration.downgrade_anchor_file = file;
  if (downgrade == functions.end()) {
    migration.downgrade_state = DowngradeState::Missing;
    migration.downgrade_anchor = upgrade != functions.end() ? upgrade->second->header : ByteRange{0, 0};
  } else {
    migration.downgrade = script_for(*downgrade->second);
    migration.downgrade_state = downgrade_state(*downgrade->second, functions, values);
    migration.downgrade_anchor = downgrade->second->header;
  }
  for (Suppression& suppression : translator.take_sql_suppressions()) result.suppressions.push_back(std::move(suppression));
  return result;
}

}  // namespace migsafe::alembic
