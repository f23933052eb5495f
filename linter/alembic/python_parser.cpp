// Recursive-descent parser over python_lexer tokens. Expressions follow Python 3.12's precedence
// grammar; statements migsafe does not interpret are read through (their blocks are kept in `body`).
#include <algorithm>
#include <array>
#include <cstdint>
#include <stdexcept>

#include "linter/util/utf8.h"
#include "linter/alembic/python_ast.h"

namespace migsafe::python {

const Keyword* Expr::keyword(std::string_view keyword_name) const {
  for (const Keyword& k : keywords) {
    if (k.name == keyword_name) return &k;
  }
  return nullptr;
}

const Expr* Expr::argument(std::size_t index, std::string_view keyword_name) const {
  if (!keyword_name.empty()) {
    if (const Keyword* k = keyword(keyword_name)) return k->value.get();
  }
  // Positional arguments stop at the first *args: what follows is not at a known position.
  for (std::size_t i = 0; i < items.size() && i <= index; ++i) {
    if (items[i]->kind == ExprKind::Starred) return nullptr;
    if (i == index) return items[i].get();
  }
  return nullptr;
}

std::string Expr::dotted() const {
  if (kind == ExprKind::Name) return name;
  if (kind == ExprKind::Attribute && base) {
    std::string prefix = base->dotted();
    return prefix.empty() ? std::string() : prefix + "." + name;
  }
  return {};
}

namespace {

constexpr std::array<std::string_view, 35> kKeywords = {
    "False", "None",   "True",    "and",      "as",     "assert", "async", "await", "break",
    "class", "continue", "def",   "del",      "elif",   "else",   "except", "finally", "for",
    "from",  "global", "if",      "import",   "in",     "is",     "lambda", "nonlocal", "not",
    "or",    "pass",   "raise",   "return",   "try",    "while",  "with",  "yield"};

bool is_keyword(std::string_view text) {
  return std::find(kKeywords.begin(), kKeywords.end(), text) != kKeywords.end();
}

struct Failure {
  std::string message;
  std::size_t offset;
};

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::size_t closing_quote_length(std::string_view token);

namespace {

class Parser {
 public:
  Parser(std::string_view text, LexResult lexed) : text_(text), lexed_(std::move(lexed)) {}

  Module run() {
    Module module;
    module.comments = lexed_.comments;
    try {
      while (!at(TokenKind::EndOfFile)) {
        if (at(TokenKind::Indent)) fail("unexpected indent");
        if (at(TokenKind::Dedent)) fail("unexpected unindent");
        parse_statement(module.body);
      }
    } catch (const Failure& failure) {
      module.error = ParseError{failure.message, failure.offset};
    }
    // A tokenizer error comes first in the text only if the parser did not stop earlier.
    if (lexed_.error && (!module.error || lexed_.error->offset <= module.error->offset)) {
      module.error = ParseError{lexed_.error->message, lexed_.error->offset};
    }
    return module;
  }

 private:
  // ---- token helpers ------------------------------------------------------------------------------
  const Token& peek(std::size_t ahead = 0) const {
    std::size_t i = std::min(index_ + ahead, lexed_.tokens.size() - 1);
    return lexed_.tokens[i];
  }
  bool at(TokenKind kind) const { return peek().kind == kind; }
  bool at_op(std::string_view op, std::size_t ahead = 0) const {
    return peek(ahead).kind == TokenKind::Op && peek(ahead).text == op;
  }
  bool at_keyword(std::string_view word, std::size_t ahead = 0) const {
    return peek(ahead).kind == TokenKind::Name && peek(ahead).text == word;
  }
  const Token& next() {
    const Token& token = peek();
    if (index_ < lexed_.tokens.size() - 1) ++index_;
    return token;
  }
  std::size_t previous_end() const { return index_ == 0 ? 0 : lexed_.tokens[index_ - 1].range.end; }

  [[noreturn]] void fail(std::string message) const {
    const Token& token = peek();
    if (token.kind == TokenKind::EndOfFile) throw Failure{"unexpected end of file", token.range.begin};
    throw Failure{std::move(message), token.range.begin};
  }
  [[noreturn]] void fail_unexpected() const {
    const Token& token = peek();
    switch (token.kind) {
      case TokenKind::Newline: fail("invalid syntax: unexpected end of line");
      case TokenKind::Indent: fail("unexpected indent");
      case TokenKind::Dedent: fail("unexpected unindent");
      case TokenKind::EndOfFile: fail("unexpected end of file");
      default: fail("invalid syntax: unexpected '" + std::string(token.text) + "'");
    }
  }
  void expect_op(std::string_view op) {
    if (!at_op(op)) {
      if (peek().kind == TokenKind::Op || peek().kind == TokenKind::Name) {
        fail("invalid syntax: expected '" + std::string(op) + "' before '" + std::string(peek().text) + "'");
      }
      fail("invalid syntax: expected '" + std::string(op) + "'");
    }
    next();
  }
  void expect_keyword(std::string_view word) {
    if (!at_keyword(word)) fail("invalid syntax: expected '" + std::string(word) + "'");
    next();
  }
  std::string expect_name() {
    if (!at(TokenKind::Name) || is_keyword(peek().text)) fail_unexpected();
    return std::string(next().text);
  }
  void expect_newline() {
    if (at(TokenKind::Newline)) {
      next();
      return;
    }
    if (at(TokenKind::EndOfFile)) return;
    fail_unexpected();
  }

  static std::shared_ptr<Expr> make(ExprKind kind, ByteRange range) {
    auto expr = std::make_shared<Expr>();
    expr->kind = kind;
    expr->range = range;
    return expr;
  }

  // ---- statements ---------------------------------------------------------------------------------
  void parse_statement(std::vector<StmtPtr>& out) {
    const Token& token = peek();
    if (token.kind == TokenKind::Op && token.text == "@") {
      next();
      parse_named_expression();
      expect_newline();
      return;  // the decorated definition follows as its own statement
    }
    if (token.kind == TokenKind::Name) {
      std::string_view word = token.text;
      if (word == "def") return out.push_back(parse_def(token.range.begin));
      if (word == "async" && (at_keyword("def", 1) || at_keyword("with", 1) || at_keyword("for", 1))) {
        next();
        std::string_view inner = peek().text;
        if (inner == "def") return out.push_back(parse_def(token.range.begin));
        if (inner == "with") return out.push_back(parse_with(token.range.begin));
        return out.push_back(parse_for(token.range.begin));
      }
      if (word == "if") return out.push_back(parse_if(token.range.begin));
      if (word == "for") return out.push_back(parse_for(token.range.begin));
      if (word == "with") return out.push_back(parse_with(token.range.begin));
      if (word == "while") return out.push_back(parse_while());
      if (word == "try") return out.push_back(parse_try());
      if (word == "class") return out.push_back(parse_class());
      if ((word == "match") && is_soft_keyword_block()) return out.push_back(parse_match());
    }
    parse_simple_statements(out);
  }

  // `match`/`case` are soft keywords: a statement starting with them and ending with ':' is a block.
  bool is_soft_keyword_block() const {
    if (peek(1).kind == TokenKind::Newline || (peek(1).kind == TokenKind::Op && peek(1).text == "=")) return false;
    int depth = 0;
    for (std::size_t i = index_; i < lexed_.tokens.size(); ++i) {
      const Token& t = lexed_.tokens[i];
      if (t.kind == TokenKind::Newline || t.kind == TokenKind::EndOfFile) return false;
      if (t.kind != TokenKind::Op) continue;
      if (t.text == "(" || t.text == "[" || t.text == "{") ++depth;
      if (t.text == ")" || t.text == "]" || t.text == "}") --depth;
      if (depth == 0 && t.text == ":") {
        return i + 1 < lexed_.tokens.size() && lexed_.tokens[i + 1].kind == TokenKind::Newline;
      }
    }
    return false;
  }

  // Skips a header we do not interpret, up to its ':' at bracket depth 0.
  void skip_header() {
    int depth = 0;
    while (true) {
      const Token& t = peek();
      if (t.kind == TokenKind::Newline || t.kind == TokenKind::EndOfFile) fail("invalid syntax: expected ':'");
      if (t.kind == TokenKind::Op) {
        if (t.text == "(" || t.text == "[" || t.text == "{") ++depth;
        if (t.text == ")" || t.text == "]" || t.text == "}") --depth;
        if (depth == 0 && t.text == ":") {
          next();
          return;
        }
      }
      next();
    }
  }

  // After the ':' of a compound statement: an indented block or simple statements on the same line.
  void parse_block(std::vector<StmtPtr>& out) {
    if (at(TokenKind::Newline)) {
      next();
      if (!at(TokenKind::Indent)) fail("expected an indented block");
      next();
      while (!at(TokenKind::Dedent) && !at(TokenKind::EndOfFile)) {
        if (at(TokenKind::Indent)) fail("unexpected indent");
        parse_statement(out);
      }
      if (at(TokenKind::Dedent)) next();
      return;
    }
    parse_simple_statements(out);
  }

  std::shared_ptr<Stmt> start(StmtKind kind, std::size_t begin) {
    auto stmt = std::make_shared<Stmt>();
    stmt->kind = kind;
    stmt->range.begin = begin;
    return stmt;
  }
  StmtPtr finish(std::shared_ptr<Stmt> stmt) {
    stmt->range.end = std::max(stmt->range.begin, previous_end());
    // The NEWLINE/DEDENT tokens end after the text; trailing whitespace is not part of a statement.
    while (stmt->range.end > stmt->range.begin &&
           (text_[stmt->range.end - 1] == '\n' || text_[stmt->range.end - 1] == '\r')) {
      --stmt->range.end;
    }
    return stmt;
  }

  StmtPtr parse_def(std::size_t begin) {
    auto stmt = start(StmtKind::FunctionDef, begin);
    expect_keyword("def");
    stmt->name = expect_name();
    expect_op("(");
    while (!at_op(")")) {
      if (at_op("/")) {
        next();
      } else {
        if (at_op("*") || at_op("**")) next();
        if (at(TokenKind::Name)) {
          stmt->params.push_back(expect_name());
          if (at_op(":")) {
            next();
            parse_expression();
          }
          if (at_op("=")) {
            next();
            parse_expression();
          }
        } else if (!at_op(",")) {
          fail_unexpected();
        }
      }
      if (!at_op(",")) break;
      next();
    }
    expect_op(")");
    if (at_op("->")) {
      next();
      parse_expression();
    }
    stmt->header = ByteRange{begin, peek().range.end};
    expect_op(":");
    parse_block(stmt->body);
    return finish(stmt);
  }

  StmtPtr parse_if(std::size_t begin) {
    auto stmt = start(StmtKind::If, begin);
    next();  // if / elif
    stmt->value = parse_named_expression();
    stmt->header = ByteRange{begin, peek().range.end};
    expect_op(":");
    parse_block(stmt->body);
    if (at_keyword("elif")) {
      stmt->orelse.push_back(parse_if(peek().range.begin));
    } else if (at_keyword("else")) {
      next();
      expect_op(":");
      parse_block(stmt->orelse);
    }
    return finish(stmt);
  }

  StmtPtr parse_for(std::size_t begin) {
    auto stmt = start(StmtKind::For, begin);
    expect_keyword("for");
    stmt->targets.push_back(parse_target_list());
    expect_keyword("in");
    stmt->value = parse_star_expressions();
    stmt->header = ByteRange{begin, peek().range.end};
    expect_op(":");
    parse_block(stmt->body);
    if (at_keyword("else")) {
      next();
      expect_op(":");
      parse_block(stmt->orelse);
    }
    return finish(stmt);
  }

  // `for` targets and comprehension targets: expressions above comparisons (so `in` stays free).
  ExprPtr parse_target_list() {
    std::size_t begin = peek().range.begin;
    std::vector<ExprPtr> items;
    bool comma = false;
    while (true) {
      if (at_op("*")) {
        std::size_t star = next().range.begin;
        auto starred = make(ExprKind::Starred, {star, 0});
        starred->base = parse_bitor();
        starred->range.end = previous_end();
        items.push_back(starred);
      } else {
        items.push_back(parse_bitor());
      }
      if (!at_op(",")) break;
      next();
      comma = true;
      if (at_keyword("in") || at_op("=")) break;
    }
    if (!comma) return items.front();
    auto tuple = make(ExprKind::Tuple, {begin, previous_end()});
    tuple->items = std::move(items);
    return tuple;
  }

  StmtPtr parse_with(std::size_t begin) {
    auto stmt = start(StmtKind::With, begin);
    expect_keyword("with");
    bool parenthesized = at_op("(") && parenthesized_with_items();
    if (parenthesized) next();
    while (true) {
      WithItem item;
      item.context = parse_expression();
      if (at_keyword("as")) {
        next();
        item.target = parse_bitor();  // one target: `as (a, b)` is a parenthesized tuple
      }
      stmt->with_items.push_back(std::move(item));
      if (!at_op(",")) break;
      next();
      if (parenthesized && at_op(")")) break;
    }
    if (parenthesized) expect_op(")");
    stmt->header = ByteRange{begin, peek().range.end};
    expect_op(":");
    parse_block(stmt->body);
    return finish(stmt);
  }

  // `with (a as b, c as d):` (3.10+) versus `with (a, b):` / `with (x).y():`.
  bool parenthesized_with_items() const {
    int depth = 0;
    bool saw_as = false;
    for (std::size_t i = index_; i < lexed_.tokens.size(); ++i) {
      const Token& t = lexed_.tokens[i];
      if (t.kind == TokenKind::Newline || t.kind == TokenKind::EndOfFile) return false;
      if (t.kind == TokenKind::Op && (t.text == "(" || t.text == "[" || t.text == "{")) ++depth;
      if (t.kind == TokenKind::Op && (t.text == ")" || t.text == "]" || t.text == "}")) {
        if (--depth == 0) {
          return i + 1 < lexed_.tokens.size() && lexed_.tokens[i + 1].kind == TokenKind::Op &&
                 lexed_.tokens[i + 1].text == ":" && saw_as;
        }
      }
      if (depth == 1 && t.kind == TokenKind::Name && t.text == "as") saw_as = true;
    }
    return false;
  }

  StmtPtr parse_while() {
    auto stmt = start(StmtKind::Other, peek().range.begin);
    stmt->name = "while";
    next();
    parse_named_expression();
    stmt->header = ByteRange{stmt->range.begin, peek().range.end};
    expect_op(":");
    parse_block(stmt->body);
    if (at_keyword("else")) {
      next();
      expect_op(":");
      parse_block(stmt->body);
    }
    return finish(stmt);
  }

  StmtPtr parse_try() {
    auto stmt = start(StmtKind::Other, peek().range.begin);
    stmt->name = "try";
    next();
    stmt->header = ByteRange{stmt->range.begin, peek().range.end};
    expect_op(":");
    parse_block(stmt->body);
    bool handlers = false;
    while (at_keyword("except")) {
      handlers = true;
      next();
      if (at_op("*")) next();  // except* (3.11)
      if (!at_op(":")) {
        parse_expression();
        if (at_keyword("as")) {
          next();
          expect_name();
        } else if (at_op(",")) {
          // `except A, B:` is Python 2 only.
          fail("multiple exception types must be parenthesized");
        }
      }
      expect_op(":");
      parse_block(stmt->body);
    }
    if (handlers && at_keyword("else")) {
      next();
      expect_op(":");
      parse_block(stmt->body);
    }
    if (at_keyword("finally")) {
      handlers = true;
      next();
      expect_op(":");
      parse_block(stmt->body);
    }
    if (!handlers) fail("expected 'except' or 'finally' block");
    return finish(stmt);
  }

  StmtPtr parse_class() {
    auto stmt = start(StmtKind::Other, peek().range.begin);
    stmt->name = "class";
    next();
    expect_name();
    if (at_op("[")) skip_brackets();  // type parameters (3.12)
    if (at_op("(")) parse_call_arguments(*make(ExprKind::Call, {}));
    stmt->header = ByteRange{stmt->range.begin, peek().range.end};
    expect_op(":");
    parse_block(stmt->body);
    return finish(stmt);
  }

  void skip_brackets() {
    int depth = 0;
    do {
      const Token& t = next();
      if (t.kind == TokenKind::Op && (t.text == "(" || t.text == "[" || t.text == "{")) ++depth;
      if (t.kind == TokenKind::Op && (t.text == ")" || t.text == "]" || t.text == "}")) --depth;
      if (t.kind == TokenKind::EndOfFile) fail_unexpected();
    } while (depth > 0);
  }

  StmtPtr parse_match() {
    auto stmt = start(StmtKind::Other, peek().range.begin);
    stmt->name = "match";
    skip_header();
    stmt->header = ByteRange{stmt->range.begin, previous_end()};
    expect_newline();
    if (!at(TokenKind::Indent)) fail("expected an indented block");
    next();
    while (!at(TokenKind::Dedent) && !at(TokenKind::EndOfFile)) {
      if (!at_keyword("case")) fail("invalid syntax: expected 'case'");
      skip_header();
      parse_block(stmt->body);
    }
    if (at(TokenKind::Dedent)) next();
    return finish(stmt);
  }

  void parse_simple_statements(std::vector<StmtPtr>& out) {
    while (true) {
      out.push_back(parse_simple_statement());
      if (!at_op(";")) break;
      next();
      if (at(TokenKind::Newline) || at(TokenKind::EndOfFile)) break;
    }
    expect_newline();
  }

  StmtPtr parse_simple_statement() {
    std::size_t begin = peek().range.begin;
    if (peek().kind == TokenKind::Name) {
      std::string_view word = peek().text;
      if (word == "pass") {
        next();
        return finish(start(StmtKind::Pass, begin));
      }
      if (word == "break" || word == "continue") {
        auto stmt = start(StmtKind::Other, begin);
        stmt->name = std::string(next().text);
        return finish(stmt);
      }
      if (word == "return") {
        auto stmt = start(StmtKind::Return, begin);
        next();
        if (!at_statement_end()) stmt->value = parse_star_expressions();
        return finish(stmt);
      }
      if (word == "raise") {
        auto stmt = start(StmtKind::Raise, begin);
        next();
        if (!at_statement_end()) {
          stmt->value = parse_expression();
          if (at_keyword("from")) {
            next();
            parse_expression();
          }
        }
        return finish(stmt);
      }
      if (word == "global" || word == "nonlocal") {
        auto stmt = start(StmtKind::Other, begin);
        stmt->name = std::string(next().text);
        expect_name();
        while (at_op(",")) {
          next();
          expect_name();
        }
        return finish(stmt);
      }
      if (word == "del" || word == "assert") {
        auto stmt = start(StmtKind::Other, begin);
        stmt->name = std::string(next().text);
        parse_star_expressions();
        return finish(stmt);
      }
      if (word == "import") return parse_import(begin);
      if (word == "from") return parse_from_import(begin);
      if (word == "type" && peek(1).kind == TokenKind::Name && !is_keyword(peek(1).text) &&
          (at_op("=", 2) || at_op("[", 2))) {
        auto stmt = start(StmtKind::Other, begin);  // type alias (3.12)
        stmt->name = "type";
        next();
        next();
        if (at_op("[")) skip_brackets();
        expect_op("=");
        parse_expression();
        return finish(stmt);
      }
    }
    ExprPtr first = parse_star_expressions_or_yield();
    if (at_op(":")) {
      auto stmt = start(StmtKind::AnnAssign, begin);
      next();
      stmt->targets.push_back(first);
      stmt->annotation = parse_expression();
      if (at_op("=")) {
        next();
        stmt->value = parse_star_expressions_or_yield();
      }
      return finish(stmt);
    }
    if (at_op("=")) {
      auto stmt = start(StmtKind::Assign, begin);
      stmt->targets.push_back(first);
      while (at_op("=")) {
        next();
        stmt->targets.push_back(parse_star_expressions_or_yield());
      }
      stmt->value = stmt->targets.back();
      stmt->targets.pop_back();
      return finish(stmt);
    }
    static constexpr std::array<std::string_view, 13> kAugmented = {
        "+=", "-=", "*=", "/=", "//=", "%=", "**=", ">>=", "<<=", "&=", "|=", "^=", "@="};
    if (peek().kind == TokenKind::Op &&
        std::find(kAugmented.begin(), kAugmented.end(), peek().text) != kAugmented.end()) {
      auto stmt = start(StmtKind::AugAssign, begin);
      stmt->name = std::string(next().text);
      stmt->targets.push_back(first);
      stmt->value = parse_star_expressions_or_yield();
      return finish(stmt);
    }
    if (!at_statement_end()) fail_unexpected();
    auto stmt = start(StmtKind::Expr, begin);
    stmt->value = first;
    return finish(stmt);
  }

  bool at_statement_end() const {
    return at(TokenKind::Newline) || at(TokenKind::EndOfFile) || at_op(";");
  }

  std::string parse_dotted_name() {
    std::string name = expect_name();
    while (at_op(".")) {
      next();
      name += "." + expect_name();
    }
    return name;
  }

  StmtPtr parse_import(std::size_t begin) {
    auto stmt = start(StmtKind::Import, begin);
    next();
    while (true) {
      ImportedName imported;
      imported.module = parse_dotted_name();
      if (at_keyword("as")) {
        next();
        imported.alias = expect_name();
      } else {
        // `import a.b` binds `a`.
        imported.alias = imported.module.substr(0, imported.module.find('.'));
        imported.module = imported.alias;
      }
      stmt->imports.push_back(std::move(imported));
      if (!at_op(",")) break;
      next();
    }
    return finish(stmt);
  }

  StmtPtr parse_from_import(std::size_t begin) {
    auto stmt = start(StmtKind::Import, begin);
    next();
    std::string module;
    while (at_op(".") || at_op("...")) module += std::string(next().text);
    if (!at_keyword("import")) module += parse_dotted_name();
    if (module.empty()) fail_unexpected();
    expect_keyword("import");
    bool parenthesized = at_op("(");
    if (parenthesized) next();
    if (at_op("*")) {
      next();
      stmt->imports.push_back(ImportedName{module, "*", ""});
    } else {
      while (true) {
        ImportedName imported;
        imported.module = module;
        imported.name = expect_name();
        imported.alias = imported.name;
        if (at_keyword("as")) {
          next();
          imported.alias = expect_name();
        }
        stmt->imports.push_back(std::move(imported));
        if (!at_op(",")) break;
        next();
        if (parenthesized && at_op(")")) break;
      }
    }
    if (parenthesized) expect_op(")");
    return finish(stmt);
  }

  // ---- expressions --------------------------------------------------------------------------------
  ExprPtr parse_star_expressions_or_yield() {
    if (at_keyword("yield")) return parse_yield();
    return parse_star_expressions();
  }

  ExprPtr parse_yield() {
    std::size_t begin = next().range.begin;
    if (at_keyword("from")) {
      next();
      parse_expression();
    } else if (!at_statement_end() && !at_op(")") && !at_op("=")) {
      parse_star_expressions();
    }
    return make(ExprKind::Other, {begin, previous_end()});
  }

  // a, *b, c   (a tuple when there is a comma)
  ExprPtr parse_star_expressions() {
    std::size_t begin = peek().range.begin;
    std::vector<ExprPtr> items;
    bool comma = false;
    while (true) {
      items.push_back(parse_star_expression());
      if (!at_op(",")) break;
      next();
      comma = true;
      if (!starts_expression()) break;
    }
    if (!comma) return items.front();
    auto tuple = make(ExprKind::Tuple, {begin, previous_end()});
    tuple->items = std::move(items);
    return tuple;
  }

  bool starts_expression() const {
    const Token& t = peek();
    switch (t.kind) {
      case TokenKind::Name:
        return !is_keyword(t.text) || t.text == "not" || t.text == "lambda" || t.text == "await" ||
               t.text == "None" || t.text == "True" || t.text == "False" || t.text == "yield";
      case TokenKind::Number:
      case TokenKind::String: return true;
      case TokenKind::Op:
        return t.text == "(" || t.text == "[" || t.text == "{" || t.text == "-" || t.text == "+" ||
               t.text == "~" || t.text == "*" || t.text == "**" || t.text == "...";
      default: return false;
    }
  }

  ExprPtr parse_star_expression() {
    if (at_op("*")) {
      std::size_t begin = next().range.begin;
      auto starred = make(ExprKind::Starred, {begin, 0});
      starred->name = "*";
      starred->base = parse_bitor();
      starred->range.end = previous_end();
      return starred;
    }
    return parse_named_expression();
  }

  ExprPtr parse_named_expression() {
    if (peek().kind == TokenKind::Name && at_op(":=", 1)) {
      std::size_t begin = next().range.begin;
      next();
      parse_expression();
      return make(ExprKind::Other, {begin, previous_end()});
    }
    return parse_expression();
  }

  ExprPtr parse_expression() {
    if (at_keyword("lambda")) {
      std::size_t begin = next().range.begin;
      while (!at_op(":")) {
        if (at(TokenKind::Newline) || at(TokenKind::EndOfFile)) fail_unexpected();
        if (at_op("=")) {
          next();
          parse_expression();
          continue;
        }
        next();
      }
      next();
      parse_expression();
      return make(ExprKind::Other, {begin, previous_end()});
    }
    ExprPtr body = parse_or();
    if (at_keyword("if")) {
      next();
      parse_or();
      expect_keyword("else");
      parse_expression();
      auto conditional = make(ExprKind::Other, {body->range.begin, previous_end()});
      conditional->name = "if";
      conditional->items.push_back(body);
      return conditional;
    }
    return body;
  }

  ExprPtr binary(std::string op, ExprPtr left, ExprPtr right) {
    auto expr = make(ExprKind::Binary, {left->range.begin, right->range.end});
    expr->name = std::move(op);
    expr->items = {std::move(left), std::move(right)};
    return expr;
  }

  ExprPtr parse_or() {
    ExprPtr left = parse_and();
    while (at_keyword("or")) {
      next();
      left = binary("or", left, parse_and());
    }
    return left;
  }
  ExprPtr parse_and() {
    ExprPtr left = parse_not();
    while (at_keyword("and")) {
      next();
      left = binary("and", left, parse_not());
    }
    return left;
  }
  ExprPtr parse_not() {
    if (at_keyword("not")) {
      std::size_t begin = next().range.begin;
      auto expr = make(ExprKind::Unary, {begin, 0});
      expr->name = "not";
      expr->base = parse_not();
      expr->range.end = expr->base->range.end;
      return expr;
    }
    return parse_comparison();
  }
  ExprPtr parse_comparison() {
    ExprPtr left = parse_bitor();
    while (true) {
      std::string op;
      const Token& t = peek();
      if (t.kind == TokenKind::Op &&
          (t.text == "==" || t.text == "!=" || t.text == "<" || t.text == ">" || t.text == "<=" || t.text == ">=")) {
        op = std::string(next().text);
      } else if (at_keyword("in")) {
        next();
        op = "in";
      } else if (at_keyword("not") && at_keyword("in", 1)) {
        next();
        next();
        op = "not in";
      } else if (at_keyword("is")) {
        next();
        op = "is";
        if (at_keyword("not")) {
          next();
          op = "is not";
        }
      } else {
        return left;
      }
      left = binary(op, left, parse_bitor());
    }
  }

  template <class Next>
  ExprPtr parse_left_assoc(std::initializer_list<std::string_view> ops, Next next_level) {
    ExprPtr left = (this->*next_level)();
    while (peek().kind == TokenKind::Op &&
           std::find(ops.begin(), ops.end(), peek().text) != ops.end()) {
      std::string op(next().text);
      left = binary(op, left, (this->*next_level)());
    }
    return left;
  }
  ExprPtr parse_bitor() { return parse_left_assoc({"|"}, &Parser::parse_bitxor); }
  ExprPtr parse_bitxor() { return parse_left_assoc({"^"}, &Parser::parse_bitand); }
  ExprPtr parse_bitand() { return parse_left_assoc({"&"}, &Parser::parse_shift); }
  ExprPtr parse_shift() { return parse_left_assoc({"<<", ">>"}, &Parser::parse_sum); }
  ExprPtr parse_sum() { return parse_left_assoc({"+", "-"}, &Parser::parse_term); }
  ExprPtr parse_term() { return parse_left_assoc({"*", "/", "//", "%", "@"}, &Parser::parse_factor); }

  ExprPtr parse_factor() {
    if (at_op("-") || at_op("+") || at_op("~")) {
      const Token& op = next();
      auto expr = make(ExprKind::Unary, {op.range.begin, 0});
      expr->name = std::string(op.text);
      expr->base = parse_factor();
      expr->range.end = expr->base->range.end;
      return expr;
    }
    return parse_power();
  }

  ExprPtr parse_power() {
    ExprPtr base;
    if (at_keyword("await")) {
      std::size_t begin = next().range.begin;
      auto expr = make(ExprKind::Unary, {begin, 0});
      expr->name = "await";
      expr->base = parse_primary();
      expr->range.end = expr->base->range.end;
      base = expr;
    } else {
      base = parse_primary();
    }
    if (at_op("**")) {
      next();
      return binary("**", base, parse_factor());
    }
    return base;
  }

  ExprPtr parse_primary() {
    ExprPtr expr = parse_atom();
    while (true) {
      if (at_op(".")) {
        next();
        auto attribute = make(ExprKind::Attribute, {expr->range.begin, 0});
        attribute->base = expr;
        attribute->name = expect_name();
        attribute->range.end = previous_end();
        expr = attribute;
      } else if (at_op("(")) {
        auto call = make(ExprKind::Call, {expr->range.begin, 0});
        call->base = expr;
        parse_call_arguments(*call);
        call->range.end = previous_end();
        expr = call;
      } else if (at_op("[")) {
        next();
        auto subscript = make(ExprKind::Subscript, {expr->range.begin, 0});
        subscript->base = expr;
        subscript->items.push_back(parse_slices());
        expect_op("]");
        subscript->range.end = previous_end();
        expr = subscript;
      } else {
        return expr;
      }
    }
  }

  void parse_call_arguments(Expr& call) {
    expect_op("(");
    while (!at_op(")")) {
      std::size_t begin = peek().range.begin;
      if (peek().kind == TokenKind::Name && !is_keyword(peek().text) && at_op("=", 1)) {
        Keyword keyword;
        keyword.name = std::string(next().text);
        next();
        keyword.value = parse_expression();
        keyword.range = ByteRange{begin, previous_end()};
        call.keywords.push_back(std::move(keyword));
      } else if (at_op("**")) {
        next();
        Keyword keyword;
        keyword.value = parse_expression();
        keyword.range = ByteRange{begin, previous_end()};
        call.keywords.push_back(std::move(keyword));
      } else {
        ExprPtr argument = parse_star_expression();
        if (at_keyword("for") || (at_keyword("async") && at_keyword("for", 1))) {
          parse_comprehension_clauses();
          argument = make(ExprKind::Other, {begin, previous_end()});
        }
        call.items.push_back(argument);
      }
      if (!at_op(",")) break;
      next();
    }
    expect_op(")");
  }

  ExprPtr parse_slices() {
    std::size_t begin = peek().range.begin;
    std::vector<ExprPtr> items;
    bool comma = false;
    while (true) {
      items.push_back(parse_slice());
      if (!at_op(",")) break;
      next();
      comma = true;
      if (at_op("]")) break;
    }
    if (!comma) return items.front();
    auto tuple = make(ExprKind::Tuple, {begin, previous_end()});
    tuple->items = std::move(items);
    return tuple;
  }

  ExprPtr parse_slice() {
    std::size_t begin = peek().range.begin;
    ExprPtr lower;
    if (!at_op(":")) {
      lower = parse_star_expression();
      if (!at_op(":")) return lower;
    }
    next();  // ':'
    if (!at_op(":") && !at_op("]") && !at_op(",")) parse_expression();
    if (at_op(":")) {
      next();
      if (!at_op("]") && !at_op(",")) parse_expression();
    }
    return make(ExprKind::Other, {begin, previous_end()});
  }

  void parse_comprehension_clauses() {
    while (at_keyword("for") || (at_keyword("async") && at_keyword("for", 1))) {
      if (at_keyword("async")) next();
      next();
      parse_target_list();
      expect_keyword("in");
      parse_or();
      while (at_keyword("if")) {
        next();
        parse_or();
      }
    }
  }

  ExprPtr parse_atom() {
    const Token& token = peek();
    switch (token.kind) {
      case TokenKind::Name: {
        if (token.text == "None" || token.text == "True" || token.text == "False") {
          next();
          auto constant = make(ExprKind::Constant, token.range);
          constant->name = std::string(token.text);
          return constant;
        }
        if (is_keyword(token.text)) fail_unexpected();
        next();
        auto name = make(ExprKind::Name, token.range);
        name->name = std::string(token.text);
        return name;
      }
      case TokenKind::Number: {
        next();
        auto number = make(ExprKind::Number, token.range);
        number->name = std::string(token.text);
        return number;
      }
      case TokenKind::String: return parse_strings();
      case TokenKind::Op:
        if (token.text == "...") {
          next();
          auto constant = make(ExprKind::Constant, token.range);
          constant->name = "...";
          return constant;
        }
        if (token.text == "(") return parse_parenthesized();
        if (token.text == "[") return parse_list();
        if (token.text == "{") return parse_dict_or_set();
        fail_unexpected();
      default: fail_unexpected();
    }
  }

  ExprPtr parse_strings() {
    auto expr = make(ExprKind::String, {peek().range.begin, 0});
    int pieces = 0;
    const Token* last = nullptr;
    while (at(TokenKind::String)) {
      last = &next();
      if (!decode_string_token(last->text, last->range.begin, *expr)) expr->is_static = false;
      if (pieces++ > 0) expr->has_escapes = true;  // offsets jump between the pieces
    }
    expr->range.end = previous_end();
    // The end entry: the closing quote of the last literal.
    expr->value_offsets.push_back(last->range.end - closing_quote_length(last->text));
    return expr;
  }

  ExprPtr parse_parenthesized() {
    std::size_t begin = next().range.begin;
    if (at_op(")")) {
      next();
      return make(ExprKind::Tuple, {begin, previous_end()});
    }
    if (at_keyword("yield")) {
      parse_yield();
      expect_op(")");
      return make(ExprKind::Other, {begin, previous_end()});
    }
    ExprPtr first = parse_star_expression();
    if (at_keyword("for") || (at_keyword("async") && at_keyword("for", 1))) {
      parse_comprehension_clauses();
      expect_op(")");
      return make(ExprKind::Other, {begin, previous_end()});
    }
    if (at_op(")")) {
      next();
      // A parenthesized expression keeps its own range (so `("a" "b")` maps its literal exactly).
      return first;
    }
    auto tuple = make(ExprKind::Tuple, {begin, 0});
    tuple->items.push_back(first);
    while (at_op(",")) {
      next();
      if (at_op(")")) break;
      tuple->items.push_back(parse_star_expression());
    }
    expect_op(")");
    tuple->range.end = previous_end();
    return tuple;
  }

  ExprPtr parse_list() {
    std::size_t begin = next().range.begin;
    auto list = make(ExprKind::List, {begin, 0});
    if (!at_op("]")) {
      list->items.push_back(parse_star_expression());
      if (at_keyword("for") || (at_keyword("async") && at_keyword("for", 1))) {
        parse_comprehension_clauses();
        expect_op("]");
        return make(ExprKind::Other, {begin, previous_end()});
      }
      while (at_op(",")) {
        next();
        if (at_op("]")) break;
        list->items.push_back(parse_star_expression());
      }
    }
    expect_op("]");
    list->range.end = previous_end();
    return list;
  }

  ExprPtr parse_dict_or_set() {
    std::size_t begin = next().range.begin;
    if (at_op("}")) {
      next();
      return make(ExprKind::Dict, {begin, previous_end()});
    }
    // The first element decides: `key: value` or `**mapping` makes a dict, anything else a set.
    bool is_dict = at_op("**");
    ExprPtr first_key;
    ExprPtr first_value;
    if (is_dict) {
      next();
      first_value = parse_bitor();
    } else {
      first_key = parse_star_expression();
      if (at_op(":")) {
        is_dict = true;
        next();
        first_value = parse_expression();
      }
    }
    if (at_keyword("for") || (at_keyword("async") && at_keyword("for", 1))) {
      parse_comprehension_clauses();
      expect_op("}");
      return make(ExprKind::Other, {begin, previous_end()});
    }
    auto expr = make(is_dict ? ExprKind::Dict : ExprKind::Set, {begin, 0});
    if (is_dict) {
      expr->items.push_back(first_key);
      expr->items.push_back(first_value);
    } else {
      expr->items.push_back(first_key);
    }
    while (at_op(",")) {
      next();
      if (at_op("}")) break;
      if (is_dict) {
        if (at_op("**")) {
          next();
          expr->items.push_back(nullptr);
          expr->items.push_back(parse_bitor());
        } else {
          expr->items.push_back(parse_expression());
          expect_op(":");
          expr->items.push_back(parse_expression());
        }
      } else {
        expr->items.push_back(parse_star_expression());
      }
    }
    expect_op("}");
    expr->range.end = previous_end();
    return expr;
  }

  std::string_view text_;
  LexResult lexed_;
  std::size_t index_ = 0;
};

}  // namespace

std::size_t closing_quote_length(std::string_view token) {
  std::size_t prefix_length = token.find_first_of("'\"");
  char quote = token[prefix_length];
  return token.substr(prefix_length, 3) == std::string(3, quote) && token.size() >= prefix_length + 6 ? 3 : 1;
}

bool decode_string_token(std::string_view token, std::size_t token_offset, Expr& out) {
  std::size_t prefix_length = token.find_first_of("'\"");
  std::string_view prefix = token.substr(0, prefix_length);
  bool raw = false, format = false;
  for (char c : prefix) {
    char lower = static_cast<char>(c | 0x20);
    if (lower == 'r') raw = true;
    if (lower == 'f') format = true;
    if (lower == 'b') out.is_bytes = true;
  }
  std::size_t quote_length = closing_quote_length(token);
  std::size_t begin = prefix_length + quote_length;
  std::size_t end = token.size() - quote_length;
  bool is_static = true;
  auto emit = [&](char c, std::size_t at) {
    out.value += c;
    out.value_offsets.push_back(token_offset + at);
  };
  for (std::size_t i = begin; i < end;) {
    char c = token[i];
    if (format && (c == '{' || c == '}')) {
      if (i + 1 < end && token[i + 1] == c) {
        emit(c, i);
        out.has_escapes = true;
        i += 2;
        continue;
      }
      if (c == '{') is_static = false;
      emit(c, i);
      ++i;
      continue;
    }
    if (c == '\r') {  // Python reads source with universal newlines
      emit('\n', i);
      out.has_escapes = true;
      i += (i + 1 < end && token[i + 1] == '\n') ? 2 : 1;
      continue;
    }
    if (c != '\\' || raw) {
      if (c == '\\' && raw && i + 1 < end) {  // raw: the backslash and the next character both stay
        emit(c, i);
        emit(token[i + 1], i + 1);
        i += 2;
        continue;
      }
      emit(c, i);
      ++i;
      continue;
    }
    // An escape sequence: every produced byte maps to the backslash.
    out.has_escapes = true;
    std::size_t at = i;
    char e = i + 1 < end ? token[i + 1] : '\\';
    i += 2;
    switch (e) {
      case '\n': break;  // line continuation inside the literal
      case '\r':
        if (i < end && token[i] == '\n') ++i;
        break;
      case '\\': emit('\\', at); break;
      case '\'': emit('\'', at); break;
      case '"': emit('"', at); break;
      case 'a': emit('\a', at); break;
      case 'b': emit('\b', at); break;
      case 'f': emit('\f', at); break;
      case 'n': emit('\n', at); break;
      case 'r': emit('\r', at); break;
      case 't': emit('\t', at); break;
      case 'v': emit('\v', at); break;
      case 'x': {
        int value = 0;
        for (int k = 0; k < 2 && i < end && hex_value(token[i]) >= 0; ++k) value = value * 16 + hex_value(token[i++]);
        if (out.is_bytes) {
          emit(static_cast<char>(value), at);
        } else {
          std::string encoded;
          append_utf8(encoded, static_cast<std::uint32_t>(value));
          for (char b : encoded) emit(b, at);
        }
        break;
      }
      case 'u':
      case 'U': {
        if (out.is_bytes) {
          emit('\\', at);
          emit(e, at);
          break;
        }
        int digits = e == 'u' ? 4 : 8;
        std::uint32_t value = 0;
        for (int k = 0; k < digits && i < end && hex_value(token[i]) >= 0; ++k) value = value * 16 + hex_value(token[i++]);
        std::string encoded;
        append_utf8(encoded, value);
        for (char b : encoded) emit(b, at);
        break;
      }
      case 'N': {  // \N{NAME}: kept as written (the name table is not worth carrying)
        emit('\\', at);
        emit('N', at);
        break;
      }
      default:
        if (e >= '0' && e <= '7') {
          int value = e - '0';
          for (int k = 0; k < 2 && i < end && token[i] >= '0' && token[i] <= '7'; ++k) value = value * 8 + (token[i++] - '0');
          if (out.is_bytes) {
            emit(static_cast<char>(value), at);
          } else {
            std::string encoded;
            append_utf8(encoded, static_cast<std::uint32_t>(value));
            for (char b : encoded) emit(b, at);
          }
        } else {
          // Unknown escapes keep the backslash (Python warns but keeps it).
          emit('\\', at);
          emit(e, at + 1);
        }
    }
  }
  return is_static;
}

Module parse_module(std::string_view text) {
  LexResult lexed = tokenize(text);
  return Parser(text, std::move(lexed)).run();
}

}  // namespace migsafe::python
