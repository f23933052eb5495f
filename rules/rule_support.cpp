#include "rules/rule_support.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "linter/util/text.h"

namespace migsafe::rules {

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string result;
  for (const std::string& part : parts) {
    if (!result.empty()) result += separator;
    result += part;
  }
  return result;
}

std::string type_text(const TypeRef& type) {
  if (!type.written.empty()) return type.written;
  std::string text = type.name;
  if (!type.modifiers.empty()) {
    text += "(";
    for (std::size_t i = 0; i < type.modifiers.size(); ++i) {
      text += (i ? "," : "") + std::to_string(type.modifiers[i]);
    }
    text += ")";
  }
  if (type.is_array) text += "[]";
  return text;
}

std::string plain_type_for_serial(const TypeRef& type) {
  if (type.name == "serial2") return "smallint";
  if (type.name == "serial4") return "integer";
  if (type.name == "serial8") return "bigint";
  return type_text(type);
}

std::string postgres_default_name(const QualifiedName& table, const std::vector<std::string>& columns,
                                  std::string_view suffix) {
  // Appended in place into one reserved string: the `+` temporaries of each piece cost an allocation each.
  auto simple = [](const std::string& column) {
    // Expression index elements have no simple name; PostgreSQL uses "expr" for them.
    return !column.empty() && column.find_first_of(" ()+-*/,'\"") == std::string::npos;
  };
  std::size_t size = table.name.size() + 1 + suffix.size();
  for (const std::string& column : columns) size += 1 + (simple(column) ? column.size() : 4);
  std::string name;
  name.reserve(size);
  name.append(table.name);
  for (const std::string& column : columns) name.append("_").append(simple(column) ? std::string_view(column) : "expr");
  const std::size_t tail_size = 1 + suffix.size();  // "_" + suffix
  constexpr std::size_t kMaxIdentifier = 63;
  if (name.size() + tail_size > kMaxIdentifier) name.resize(kMaxIdentifier - tail_size);
  name.append("_").append(suffix);
  return name;
}

namespace {

std::string strip_outer(std::string text) {
  auto trim = [](std::string& s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.erase(0, 1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  };
  trim(text);
  while (text.size() >= 2 && text.front() == '(' && text.back() == ')') {
    text = text.substr(1, text.size() - 2);
    trim(text);
  }
  // A trailing cast does not change volatility: 'x'::text, now()::date.
  std::size_t cast = text.rfind("::");
  if (cast != std::string::npos && text.find('\'', cast) == std::string::npos) {
    text.resize(cast);
    trim(text);
  }
  return text;
}

bool calls(const std::string& text, std::string_view function) {
  for (std::size_t at = text.find(function); at != std::string::npos; at = text.find(function, at + 1)) {
    bool starts = at == 0 || !(std::isalnum(static_cast<unsigned char>(text[at - 1])) || text[at - 1] == '_');
    std::size_t after = at + function.size();
    while (after < text.size() && std::isspace(static_cast<unsigned char>(text[after]))) ++after;
    if (starts && after < text.size() && text[after] == '(') return true;
  }
  return false;
}

}  // namespace

Volatility default_volatility(const Expression& expression) {
  if (expression.volatility != Volatility::Unknown) return expression.volatility;
  std::string text = strip_outer(ascii_lowered(expression.text));
  if (text.empty()) return Volatility::Unknown;
  // pg_proc.provolatile = 'v' for these; each row gets its own value, which forces a rewrite.
  static constexpr std::array kVolatile = {"gen_random_uuid", "uuid_generate_v1", "uuid_generate_v1mc",
                                           "uuid_generate_v4", "uuid_generate_v7", "random", "clock_timestamp",
                                           "timeofday", "nextval", "setseed", "random_normal", "uuid",
                                           "uuid_short", "rand", "sysdate"};
  for (const char* function : kVolatile) {
    if (calls(text, function)) return Volatility::Volatile;
  }
  static constexpr std::array kStableWords = {"current_timestamp", "current_date", "current_time", "localtimestamp",
                                              "localtime", "current_user", "session_user"};
  for (const char* word : kStableWords) {
    if (text == word || calls(text, word)) return Volatility::Stable;
  }
  static constexpr std::array kStableCalls = {"now", "transaction_timestamp", "statement_timestamp"};
  for (const char* function : kStableCalls) {
    if (calls(text, function)) return Volatility::Stable;
  }
  if (text == "null") return Volatility::Null;
  if (text == "true" || text == "false") return Volatility::Constant;
  if (text.front() == '\'' && text.back() == '\'') return Volatility::Constant;
  bool numeric = text.find_first_not_of("+-0123456789.e") == std::string::npos;
  if (numeric) return Volatility::Constant;
  return Volatility::Unknown;
}

std::string one_line(std::string_view statement, std::size_t max_length) {
  auto is_space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  std::string result;
  result.reserve(std::min(statement.size(), max_length == std::string::npos ? statement.size() : max_length + 1));
  // Word by word (runs of non-space characters appended at once, one space between them), not character
  // by character: this renders a statement for every finding that quotes it.
  std::size_t at = 0;
  while (at < statement.size()) {
    std::size_t word = at;
    while (word < statement.size() && is_space(statement[word])) ++word;
    if (word == statement.size()) break;
    std::size_t end = word;
    while (end < statement.size() && !is_space(statement[end])) ++end;
    if (word > at && !result.empty()) result += ' ';
    result.append(statement, word, end - word);
    at = end;
    // Only trailing `;` and spaces are trimmed below, so a longer result that ends in anything else
    // stays too long: stop instead of folding the rest of a long statement.
    if (result.size() > max_length && result.back() != ';') return {};
  }
  while (!result.empty() && (result.back() == ';' || result.back() == ' ')) result.pop_back();
  if (result.size() > max_length) return {};
  return result;
}

std::string insert_after_keywords(std::string_view statement, std::initializer_list<std::string_view> after,
                                  std::string_view word) {
  // Compared in place (keywords are lower-case), not on a lower-cased copy of the whole statement.
  auto folds_to = [&statement](std::size_t at, std::string_view keyword) {
    return statement.size() - at >= keyword.size() && equals_folded(statement.substr(at, keyword.size()), keyword);
  };
  std::size_t position = 0;
  for (std::string_view keyword : after) {
    while (position < statement.size() && statement[position] == ' ') ++position;
    if (!folds_to(position, keyword)) return {};
    position += keyword.size();
    if (position < statement.size() &&
        (std::isalnum(static_cast<unsigned char>(statement[position])) || statement[position] == '_')) {
      return {};
    }
  }
  return concat({statement.substr(0, position), " ", word, statement.substr(position)});
}

std::string add_clause_text(const OperationContext& context) {
  if (context.op.range.empty()) return {};
  std::string clause = one_line(context.script.file->slice(context.op.range));
  // "ADD " in any case, checked in place rather than on a lower-cased copy of the clause.
  if (clause.size() < 4 || !equals_folded(std::string_view(clause).substr(0, 3), "add") ||
      (clause[3] != ' ' && clause[3] != '\t')) {
    return {};
  }
  return clause;
}

namespace {

void scan_sql_literals(std::string_view text, std::size_t base, std::vector<StringLiteral>& out, int depth) {
  std::size_t i = 0;
  const std::size_t n = text.size();
  auto is_word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  while (i < n) {
    char c = text[i];
    if (c == '-' && i + 1 < n && text[i + 1] == '-') {
      while (i < n && text[i] != '\n') ++i;
    } else if (c == '/' && i + 1 < n && text[i + 1] == '*') {
      int nesting = 1;  // PostgreSQL block comments nest
      i += 2;
      while (i < n && nesting > 0) {
        if (text[i] == '/' && i + 1 < n && text[i + 1] == '*') { ++nesting; i += 2; }
        else if (text[i] == '*' && i + 1 < n && text[i + 1] == '/') { --nesting; i += 2; }
        else ++i;
      }
    } else if (c == '"') {
      ++i;
      while (i < n) {
        if (text[i] != '"') { ++i; continue; }
        if (i + 1 < n && text[i + 1] == '"') { i += 2; continue; }  // "" inside an identifier
        break;
      }
      ++i;
    } else if (c == '\'') {
      bool escapes = i > 0 && (text[i - 1] == 'e' || text[i - 1] == 'E') && !(i > 1 && is_word(text[i - 2]));
      std::size_t start = i;
      std::string value;
      ++i;
      while (i < n) {
        if (text[i] == '\'' && i + 1 < n && text[i + 1] == '\'') { value += '\''; i += 2; continue; }
        if (text[i] == '\'') break;
        if (escapes && text[i] == '\\' && i + 1 < n) { value += text[i + 1]; i += 2; continue; }
        value += text[i++];
      }
      ++i;
      out.push_back({base + start, std::move(value)});
    } else if (c == '$' && !(i > 0 && is_word(text[i - 1]))) {
      std::size_t close = text.find('$', i + 1);
      bool tag_ok = close != std::string_view::npos &&
                    (close == i + 1 || !std::isdigit(static_cast<unsigned char>(text[i + 1])));  // $1 is a parameter
      for (std::size_t k = i + 1; tag_ok && k < close; ++k) tag_ok = is_word(text[k]);
      if (!tag_ok) { ++i; continue; }
      std::string_view tag = text.substr(i, close - i + 1);
      std::size_t body = close + 1;
      std::size_t end = text.find(tag, body);
      if (end == std::string_view::npos) end = n;
      if (depth < 4) scan_sql_literals(text.substr(body, end - body), base + body, out, depth + 1);
      i = end == n ? n : end + tag.size();
    } else {
      ++i;
    }
  }
}

}  // namespace

std::vector<StringLiteral> sql_string_literals(std::string_view text) {
  std::vector<StringLiteral> literals;
  scan_sql_literals(text, 0, literals, 0);
  return literals;
}

std::vector<StringLiteral> python_string_literals(std::string_view text) {
  std::vector<StringLiteral> literals;
  std::size_t i = 0;
  const std::size_t n = text.size();
  while (i < n) {
    char c = text[i];
    if (c == '#') {
      while (i < n && text[i] != '\n') ++i;
    } else if (c == '\'' || c == '"') {
      bool triple = i + 2 < n && text[i + 1] == c && text[i + 2] == c;
      std::string_view quote = triple ? text.substr(i, 3) : text.substr(i, 1);
      std::size_t start = i;
      i += quote.size();
      std::string value;
      while (i < n && text.compare(i, quote.size(), quote) != 0) {
        if (text[i] == '\\' && i + 1 < n) { value += text[i + 1]; i += 2; continue; }
        value += text[i++];
      }
      i += quote.size();
      literals.push_back({start, value});
      // SQL inside a Python string: its own literals count too (op.execute("UPDATE ... 'x'")).
      for (StringLiteral& inner : sql_string_literals(value)) {
        literals.push_back({start + quote.size() + inner.offset, std::move(inner.value)});
      }
    } else {
      ++i;
    }
  }
  return literals;
}

std::string_view transaction_description(TransactionSource source) {
  switch (source) {
    case TransactionSource::Explicit: return "inside the script's BEGIN ... COMMIT block";
    case TransactionSource::Runner: return "inside the transaction the migration runner wraps around the script";
    case TransactionSource::ImplicitMultiStatement:
      return "in the implicit transaction PostgreSQL opens when a file with several statements is sent as one query";
    case TransactionSource::None: return "outside a transaction";
  }
  return "inside a transaction block";
}

std::string_view leave_transaction_advice(TransactionSource source) {
  switch (source) {
    case TransactionSource::Explicit: return "Move it out of the BEGIN ... COMMIT block and run it on its own.";
    case TransactionSource::Runner:
      return "Run it in its own migration with the runner's transaction turned off (Alembic: `with "
             "op.get_context().autocommit_block():`; dbmate: `-- migrate:up transaction:false`; Flyway: "
             "`executeInTransaction=false` in the script's .conf file).";
    case TransactionSource::ImplicitMultiStatement:
      return "Put it alone in its own migration file: a file with one statement is not wrapped in a transaction.";
    case TransactionSource::None: return "";
  }
  return "";
}

std::string postgres_version_text(const Version& version) {
  return "PostgreSQL " + std::to_string(version.major);
}

}  // namespace migsafe::rules
