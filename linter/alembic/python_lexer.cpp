#include "linter/alembic/python_lexer.h"

#include <array>
#include <cctype>

namespace migsafe::python {

namespace {

bool is_name_start(unsigned char c) { return std::isalpha(c) || c == '_' || c >= 0x80; }
bool is_name_char(unsigned char c) { return std::isalnum(c) || c == '_' || c >= 0x80; }

// Longest first, so that the first match is the longest operator.
constexpr std::array<std::string_view, 47> kOperators = {
    "**=", "//=", ">>=", "<<=", "...", "->", ":=", "**", "//", "<<", ">>", "<=", ">=", "==", "!=", "+=",
    "-=",  "*=",  "/=",  "%=",  "&=",  "|=", "^=", "@=", "(",  ")",  "[",  "]",  "{",  "}",  ",",  ":",
    ";",   ".",   "+",   "-",   "*",   "/",  "%",  "|",  "&",  "^",  "~",  "<",  ">",  "=",  "@"};

class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}

  LexResult run() {
    indents_.push_back(0);
    while (!result_.error) {
      if (at_line_start_ && brackets_.empty()) {
        if (!read_indentation()) break;  // end of text
        continue;
      }
      if (pos_ >= text_.size()) break;
      scan_token();
    }
    finish();
    return std::move(result_);
  }

 private:
  void fail(std::string message, std::size_t offset) {
    if (!result_.error) result_.error = SyntaxIssue{std::move(message), offset};
  }

  void push(TokenKind kind, std::size_t begin, std::size_t end) {
    result_.tokens.push_back(Token{kind, ByteRange{begin, end}, text_.substr(begin, end - begin)});
  }

  bool is_newline_at(std::size_t i) const { return i < text_.size() && (text_[i] == '\n' || text_[i] == '\r'); }

  // Length of the line break at `i` (CRLF counts as one break).
  std::size_t newline_length(std::size_t i) const {
    if (text_[i] == '\r' && i + 1 < text_.size() && text_[i + 1] == '\n') return 2;
    return 1;
  }

  // Measures the indentation of the line starting at pos_; emits INDENT/DEDENT for lines with code.
  // Returns false at the end of the text.
  bool read_indentation() {
    std::size_t column = 0;
    std::size_t i = pos_;
    while (i < text_.size()) {
      char c = text_[i];
      if (c == ' ') {
        ++column;
      } else if (c == '\t') {
        column = (column / 8 + 1) * 8;
      } else if (c == '\f') {
        column = 0;
      } else {
        break;
      }
      ++i;
    }
    if (i >= text_.size()) {
      pos_ = i;
      return false;
    }
    if (is_newline_at(i)) {  // blank line: no tokens
      pos_ = i + newline_length(i);
      return true;
    }
    if (text_[i] == '#') {  // comment-only line
      std::size_t end = i;
      while (end < text_.size() && !is_newline_at(end)) ++end;
      result_.comments.push_back(Comment{ByteRange{i, end}, true});
      pos_ = end < text_.size() ? end + newline_length(end) : end;
      return true;
    }
    if (text_[i] == '\\' && is_newline_at(i + 1)) {
      // A continuation on an otherwise empty line joins with the next one.
      pos_ = i + 1 + newline_length(i + 1);
      at_line_start_ = false;
      return true;
    }
    at_line_start_ = false;
    pos_ = i;
    if (column > indents_.back()) {
      indents_.push_back(column);
      push(TokenKind::Indent, i, i);
    } else {
      while (column < indents_.back()) {
        indents_.pop_back();
        push(TokenKind::Dedent, i, i);
      }
      if (column != indents_.back()) fail("unindent does not match any outer indentation level", i);
    }
    return true;
  }

  void end_logical_line(std::size_t at, std::size_t length) {
    if (brackets_.empty()) {
      // Only a line that produced tokens ends a logical line.
      if (!result_.tokens.empty() && result_.tokens.back().kind != TokenKind::Newline &&
          result_.tokens.back().kind != TokenKind::Indent && result_.tokens.back().kind != TokenKind::Dedent) {
        push(TokenKind::Newline, at, at + length);
      }
      at_line_start_ = true;
    }
    pos_ = at + length;
  }

  void scan_token() {
    unsigned char c = static_cast<unsigned char>(text_[pos_]);
    if (c == ' ' || c == '\t' || c == '\f') {
      ++pos_;
      return;
    }
    if (c == '\n' || c == '\r') {
      end_logical_line(pos_, newline_length(pos_));
      return;
    }
    if (c == '#') {
      std::size_t end = pos_;
      while (end < text_.size() && !is_newline_at(end)) ++end;
      result_.comments.push_back(Comment{ByteRange{pos_, end}, false});
      pos_ = end;
      return;
    }
    if (c == '\\') {
      if (is_newline_at(pos_ + 1)) {
        pos_ += 1 + newline_length(pos_ + 1);
        if (pos_ >= text_.size()) fail("unexpected end of file after line continuation", pos_ - 1);
        return;
      }
      fail("unexpected character after line continuation character", pos_);
      return;
    }
    if (is_name_start(c)) {
      std::size_t end = pos_;
      while (end < text_.size() && is_name_char(static_cast<unsigned char>(text_[end]))) ++end;
      if (end < text_.size() && (text_[end] == '\'' || text_[end] == '"') &&
          is_string_prefix(text_.substr(pos_, end - pos_))) {
        scan_string(pos_, end);
        return;
      }
      push(TokenKind::Name, pos_, end);
      pos_ = end;
      return;
    }
    if (c == '\'' || c == '"') {
      scan_string(pos_, pos_);
      return;
    }
    if (std::isdigit(c) || (c == '.' && pos_ + 1 < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_ + 1])))) {
      scan_number();
      return;
    }
    for (std::string_view op : kOperators) {
      if (text_.substr(pos_, op.size()) == op) {
        if (op == "(" || op == "[" || op == "{") {
          brackets_.push_back(pos_);
        } else if (op == ")" || op == "]" || op == "}") {
          if (brackets_.empty()) {
            fail("unmatched '" + std::string(op) + "'", pos_);
            return;
          }
          char open = text_[brackets_.back()];
          char expected = open == '(' ? ')' : open == '[' ? ']' : '}';
          if (op[0] != expected) {
            fail("closing parenthesis '" + std::string(op) + "' does not match opening parenthesis '" +
                     std::string(1, open) + "'",
                 pos_);
            return;
          }
          brackets_.pop_back();
        }
        push(TokenKind::Op, pos_, pos_ + op.size());
        pos_ += op.size();
        return;
      }
    }
    if (c == '!') {
      fail("invalid syntax: '!'", pos_);
      return;
    }
    fail(std::string("invalid character '") + static_cast<char>(c) + "' in source", pos_);
  }

  void scan_number() {
    std::size_t end = pos_;
    auto digits = [&](auto accept) {
      while (end < text_.size() && (accept(static_cast<unsigned char>(text_[end])) || text_[end] == '_')) ++end;
    };
    if (text_[end] == '0' && end + 1 < text_.size() && std::string_view("xXoObB").find(text_[end + 1]) != std::string_view::npos) {
      end += 2;
      digits([](unsigned char ch) { return std::isxdigit(ch) != 0; });
    } else {
      digits([](unsigned char ch) { return std::isdigit(ch) != 0; });
      if (end < text_.size() && text_[end] == '.') {
        ++end;
        digits([](unsigned char ch) { return std::isdigit(ch) != 0; });
      }
      if (end < text_.size() && (text_[end] == 'e' || text_[end] == 'E')) {
        std::size_t save = end;
        ++end;
        if (end < text_.size() && (text_[end] == '+' || text_[end] == '-')) ++end;
        if (end < text_.size() && std::isdigit(static_cast<unsigned char>(text_[end]))) {
          digits([](unsigned char ch) { return std::isdigit(ch) != 0; });
        } else {
          end = save;
        }
      }
      if (end < text_.size() && (text_[end] == 'j' || text_[end] == 'J')) ++end;
    }
    if (end < text_.size() && is_name_start(static_cast<unsigned char>(text_[end]))) {
      fail("invalid decimal literal", pos_);
      return;
    }
    push(TokenKind::Number, pos_, end);
    pos_ = end;
  }

  // `begin` is where the prefix starts, `quote_at` where the opening quote is.
  void scan_string(std::size_t begin, std::size_t quote_at) {
    char quote = text_[quote_at];
    bool triple = text_.substr(quote_at, 3) == std::string(3, quote);
    std::size_t i = quote_at + (triple ? 3 : 1);
    while (true) {
      if (i >= text_.size()) {
        fail(triple ? "unterminated triple-quoted string literal" : "unterminated string literal", begin);
        return;
      }
      char c = text_[i];
      if (c == '\\') {
        // Also in raw strings a backslash keeps the next character (quote or line break) in the string.
        i += 1;
        if (i < text_.size()) i += is_newline_at(i) ? newline_length(i) : 1;
        continue;
      }
      if (!triple && (c == '\n' || c == '\r')) {
        fail("unterminated string literal", begin);
        return;
      }
      if (c == quote) {
        if (!triple) {
          ++i;
          break;
        }
        if (text_.substr(i, 3) == std::string(3, quote)) {
          i += 3;
          break;
        }
      }
      ++i;
    }
    push(TokenKind::String, begin, i);
    pos_ = i;
  }

  void finish() {
    if (!result_.error && !brackets_.empty()) {
      fail(std::string("'") + text_[brackets_.back()] + "' was never closed", brackets_.back());
    }
    std::size_t end = text_.size();
    if (!result_.error) {
      if (!result_.tokens.empty() && result_.tokens.back().kind != TokenKind::Newline &&
          result_.tokens.back().kind != TokenKind::Dedent && result_.tokens.back().kind != TokenKind::Indent) {
        push(TokenKind::Newline, end, end);
      }
      while (indents_.size() > 1) {
        indents_.pop_back();
        push(TokenKind::Dedent, end, end);
      }
    }
    push(TokenKind::EndOfFile, end, end);
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  bool at_line_start_ = true;
  std::vector<std::size_t> indents_;
  std::vector<std::size_t> brackets_;  // offsets of open brackets
  LexResult result_;
};

}  // namespace

bool is_string_prefix(std::string_view prefix) {
  if (prefix.empty() || prefix.size() > 2) return false;
  bool raw = false, bytes = false, unicode = false, format = false;
  for (char c : prefix) {
    switch (std::tolower(static_cast<unsigned char>(c))) {
      case 'r': if (raw) return false; raw = true; break;
      case 'b': if (bytes) return false; bytes = true; break;
      case 'u': if (unicode) return false; unicode = true; break;
      case 'f': if (format) return false; format = true; break;
      default: return false;
    }
  }
  if (unicode && prefix.size() > 1) return false;  // "u" combines with nothing
  if (bytes && format) return false;
  return true;
}

LexResult tokenize(std::string_view text) { return Lexer(text).run(); }

}  // namespace migsafe::python
