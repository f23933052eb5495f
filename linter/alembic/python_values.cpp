#include "linter/alembic/python_values.h"

#include <cstdlib>

namespace migsafe::alembic {

namespace {

// Bindings that hold in every revision file, also in snippets that forgot their imports: these are the
// names Alembic's templates and documentation use.
const std::map<std::string, std::string>& default_imports() {
  static const std::map<std::string, std::string> defaults = {
      {"op", "alembic.op"},
      {"sa", "sqlalchemy"},
      {"sqlalchemy", "sqlalchemy"},
      {"alembic", "alembic"},
      {"context", "alembic.context"},
      {"postgresql", "sqlalchemy.dialects.postgresql"},
      {"mysql", "sqlalchemy.dialects.mysql"},
      {"sqlite", "sqlalchemy.dialects.sqlite"},
  };
  return defaults;
}

constexpr int kMaxFollow = 16;

}  // namespace

Values::Values(std::string_view text) : text_(text) { scopes_.emplace_back(); }

void Values::add_import(const python::ImportedName& imported) {
  if (imported.name == "*") return;
  std::string target = imported.name.empty() ? imported.module : imported.module + "." + imported.name;
  // `import sqlalchemy.dialects.postgresql` binds `sqlalchemy` to the package.
  imports_[imported.alias] = target;
  // An import rebinds the name in the module scope: forget a variable of the same name.
  scopes_.front().erase(imported.alias);
}

void Values::push_scope() { scopes_.emplace_back(); }

void Values::pop_scope() {
  if (scopes_.size() > 1) scopes_.pop_back();
}

void Values::bind(const std::string& name, ExprPtr value) { scopes_.back()[name] = std::move(value); }

void Values::bind_target(const Expr& target, ExprPtr value) {
  if (target.kind == ExprKind::Name) {
    bind(target.name, std::move(value));
  } else if (target.kind == ExprKind::Tuple || target.kind == ExprKind::List) {
    // Unpacking: pair up literal tuples, forget the rest.
    const Expr* source = value ? &follow(*value) : nullptr;
    bool pairs = source && (source->kind == ExprKind::Tuple || source->kind == ExprKind::List) &&
                 source->items.size() == target.items.size();
    for (std::size_t i = 0; i < target.items.size(); ++i) {
      bind_target(*target.items[i], pairs ? source->items[i] : nullptr);
    }
  }
}

const Expr& Values::follow(const Expr& expr) const {
  const Expr* current = &expr;
  for (int depth = 0; depth < kMaxFollow && current->kind == ExprKind::Name; ++depth) {
    const Expr* next = nullptr;
    bool found = false;
    for (auto scope = scopes_.rbegin(); scope != scopes_.rend(); ++scope) {
      auto it = scope->find(current->name);
      if (it != scope->end()) {
        next = it->second.get();
        found = true;
        break;
      }
    }
    if (!found || !next || next == current) break;
    current = next;
  }
  return *current;
}

std::string Values::canonical(const Expr& expr) const {
  const Expr& target = follow(expr);
  if (target.kind == ExprKind::Attribute && target.base) {
    std::string prefix = canonical(*target.base);
    return prefix.empty() ? std::string() : prefix + "." + target.name;
  }
  if (target.kind != ExprKind::Name) return {};
  // A variable bound to something unknown shadows imports.
  for (auto scope = scopes_.rbegin(); scope != scopes_.rend(); ++scope) {
    if (scope->count(target.name)) return {};
  }
  if (auto it = imports_.find(target.name); it != imports_.end()) return it->second;
  if (auto it = default_imports().find(target.name); it != default_imports().end()) return it->second;
  return target.name;
}

std::string Values::callee(const Expr& call) const {
  if (call.kind != ExprKind::Call || !call.base) return {};
  return canonical(*call.base);
}

std::string_view Values::source(const Expr& expr) const { return source(expr.range); }

std::string_view Values::source(ByteRange range) const {
  if (range.begin >= text_.size()) return {};
  return text_.substr(range.begin, std::min(range.end, text_.size()) - range.begin);
}

std::optional<std::string> Values::string(const Expr& expr) const {
  const Expr& value = follow(expr);
  switch (value.kind) {
    case ExprKind::String:
      if (!value.is_static) return std::nullopt;
      return value.value;
    case ExprKind::Call: {
      // op.f("name"), conv("name"), str("x") keep the name as given.
      std::string name = callee(value);
      bool passthrough = op_directive(name) == "f" || sqlalchemy_symbol(name) == "conv" || name == "str" ||
                         name.ends_with(".conv") || op_directive(name) == "inline_literal";
      if (passthrough && value.items.size() == 1) return string(*value.items[0]);
      return std::nullopt;
    }
    case ExprKind::Binary:
      if (value.name == "+" && value.items.size() == 2) {
        auto left = string(*value.items[0]);
        auto right = string(*value.items[1]);
        if (left && right) return *left + *right;
      }
      return std::nullopt;
    default: return std::nullopt;
  }
}

std::optional<bool> Values::boolean(const Expr& expr) const {
  const Expr& value = follow(expr);
  if (value.is_constant("True")) return true;
  if (value.is_constant("False")) return false;
  if (value.kind == ExprKind::Number) return value.name != "0";
  return std::nullopt;
}

std::optional<long> Values::integer(const Expr& expr) const {
  const Expr& value = follow(expr);
  if (value.kind == ExprKind::Number) {
    std::string digits;
    for (char c : value.name) {
      if (c != '_') digits += c;
    }
    char* end = nullptr;
    long number = std::strtol(digits.c_str(), &end, 0);
    if (end && *end == '\0') return number;
  }
  if (value.kind == ExprKind::Unary && value.name == "-" && value.base) {
    if (auto inner = integer(*value.base)) return -*inner;
  }
  return std::nullopt;
}

bool Values::is_none(const Expr& expr) const { return follow(expr).is_constant("None"); }

std::vector<const Expr*> Values::elements(const Expr& expr) const {
  const Expr& value = follow(expr);
  std::vector<const Expr*> result;
  if (value.kind == ExprKind::List || value.kind == ExprKind::Tuple || value.kind == ExprKind::Set) {
    for (const ExprPtr& item : value.items) {
      if (item) result.push_back(item.get());
    }
  } else {
    result.push_back(&value);
  }
  return result;
}

std::vector<std::string> Values::names(const Expr& expr) const {
  std::vector<std::string> result;
  for (const Expr* element : elements(expr)) {
    if (auto text = string(*element)) {
      result.push_back(*text);
    } else if (element->kind == ExprKind::Call && element->items.size() == 1 &&
               sqlalchemy_symbol(callee(*element)) == "text") {
      // sa.text("lower(email)") in an index: the expression's SQL.
      auto sql = string(*element->items[0]);
      result.push_back(sql ? *sql : std::string(source(*element)));
    } else {
      result.push_back(std::string(source(*element)));
    }
  }
  return result;
}

std::string sqlalchemy_symbol(std::string_view canonical) {
  bool from_sqlalchemy = canonical.starts_with("sqlalchemy.") || canonical.starts_with("sqlmodel.") ||
                         canonical.starts_with("sqlalchemy_utils.");
  if (!from_sqlalchemy) return {};
  return std::string(canonical.substr(canonical.rfind('.') + 1));
}

std::string sqlalchemy_dialect(std::string_view canonical) {
  constexpr std::string_view prefix = "sqlalchemy.dialects.";
  if (!canonical.starts_with(prefix)) return {};
  std::string_view rest = canonical.substr(prefix.size());
  return std::string(rest.substr(0, rest.find('.')));
}

std::string op_directive(std::string_view canonical) {
  constexpr std::string_view prefix = "alembic.op.";
  if (!canonical.starts_with(prefix)) return {};
  std::string_view rest = canonical.substr(prefix.size());
  if (rest.find('.') != std::string_view::npos) return {};
  return std::string(rest);
}

}  // namespace migsafe::alembic
