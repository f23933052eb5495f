#include "linter/sql/pg_lexer.h"

#include <cstring>
#include <utility>

namespace migsafe::pg {

namespace {

// A NUL byte counts as white space: the parser gets a copy with NULs replaced by spaces.
bool is_space(char c) { return c == '\0' || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_ident_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || static_cast<unsigned char>(c) >= 0x80;
}
bool is_ident_char(char c) { return is_ident_start(c) || is_digit(c) || c == '$'; }
bool is_operator_char(char c) { return std::strchr("+-*/<>=~!@#%^&|`?", c) != nullptr && c != '\0'; }
char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

class Lexer {
 public:
  Lexer(std::string_view text, std::size_t base, LexOptions options)
      : text_(text), base_(base), options_(std::move(options)) {}

  LexResult run() {
    // About one token per 4 bytes of SQL: one allocation instead of a chain of doublings.
    if (options_.keep_tokens) result_.tokens.reserve(text_.size() / 4 + 4);
    while (pos_ < text_.size() && !result_.unterminated_at) step();
    return std::move(result_);
  }

 private:
  char at(std::size_t i) const { return i < text_.size() ? text_[i] : '\0'; }

  void emit(TokenKind kind, std::size_t begin) {
    if (!options_.keep_tokens && !options_.on_token) return;
    Token token{kind, base_ + begin, base_ + pos_, text_.substr(begin, pos_ - begin)};
    if (options_.on_token) options_.on_token(token);
    if (options_.keep_tokens) result_.tokens.push_back(token);
  }

  void unterminated(std::size_t begin) {
    result_.unterminated_at = base_ + begin;
    pos_ = text_.size();
  }

  void step() {
    char c = text_[pos_];
    std::size_t begin = pos_;
    if (is_space(c)) {
      ++pos_;
    } else if (c == '-' && at(pos_ + 1) == '-') {
      line_comment();
    } else if (c == '/' && at(pos_ + 1) == '*') {
      block_comment();
    } else if (c == '\'') {
      quoted_string(begin, pos_, false);
    } else if (c == '"') {
      quoted_identifier(begin, pos_);
    } else if ((c == 'e' || c == 'E') && at(pos_ + 1) == '\'') {
      quoted_string(begin, pos_ + 1, true);
    } else if ((c == 'b' || c == 'B' || c == 'x' || c == 'X' || c == 'n' || c == 'N') && at(pos_ + 1) == '\'') {
      quoted_string(begin, pos_ + 1, false);
    } else if ((c == 'u' || c == 'U') && at(pos_ + 1) == '&' && (at(pos_ + 2) == '\'' || at(pos_ + 2) == '"')) {
      if (at(pos_ + 2) == '\'') {
        quoted_string(begin, pos_ + 2, false);
      } else {
        quoted_identifier(begin, pos_ + 2);
      }
    } else if (is_ident_start(c)) {
      while (pos_ < text_.size() && is_ident_char(text_[pos_])) ++pos_;
      emit(TokenKind::Word, begin);
    } else if (c == '$') {
      dollar(begin);
    } else if (is_digit(c) || (c == '.' && is_digit(at(pos_ + 1)))) {
      number(begin);
    } else if (c == ':' && at(pos_ + 1) == ':') {
      pos_ += 2;
      emit(TokenKind::Operator, begin);
    } else if (std::strchr("()[],;.:", c) != nullptr) {
      ++pos_;
      emit(TokenKind::Punctuation, begin);
    } else if (is_operator_char(c)) {
      // An operator never swallows the start of a comment (the server's rule too).
      while (pos_ < text_.size() && is_operator_char(text_[pos_])) {
        if (pos_ > begin && ((text_[pos_] == '-' && at(pos_ + 1) == '-') || (text_[pos_] == '/' && at(pos_ + 1) == '*'))) break;
        ++pos_;
      }
      emit(TokenKind::Operator, begin);
    } else {
      // Any other byte (a stray NUL, a control character): its own one-byte token, never a crash.
      ++pos_;
      emit(TokenKind::Operator, begin);
    }
  }

  void line_comment() {
    std::size_t begin = pos_;
    while (pos_ < text_.size() && text_[pos_] != '\n' && text_[pos_] != '\r') ++pos_;
    add_comment(begin, pos_, false, text_.substr(begin + 2, pos_ - begin - 2));
  }

  void block_comment() {
    std::size_t begin = pos_;
    int depth = 0;
    while (pos_ < text_.size()) {
      if (text_[pos_] == '/' && at(pos_ + 1) == '*') {
        ++depth;
        pos_ += 2;
      } else if (text_[pos_] == '*' && at(pos_ + 1) == '/') {
        pos_ += 2;
        if (--depth == 0) {
          add_comment(begin, pos_, true, text_.substr(begin + 2, pos_ - begin - 4));
          return;
        }
      } else {
        ++pos_;
      }
    }
    unterminated(begin);
  }

  void add_comment(std::size_t begin, std::size_t end, bool block, std::string_view body) {
    if (!options_.keep_comments) return;
    result_.comments.push_back(Comment{base_ + begin, base_ + end, block, body});
  }

  // `quote` is the offset of the opening quote; backslash escapes only in E'' strings
  // (standard_conforming_strings is on by default since PostgreSQL 9.1).
  void quoted_string(std::size_t begin, std::size_t quote, bool backslash_escapes) {
    pos_ = quote + 1;
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (backslash_escapes && c == '\\') {
        pos_ += 2;
      } else if (c == '\'') {
        if (at(pos_ + 1) == '\'') {
          pos_ += 2;
        } else {
          ++pos_;
          emit(TokenKind::String, begin);
          return;
        }
      } else {
        ++pos_;
      }
    }
    unterminated(begin);
  }

  void quoted_identifier(std::size_t begin, std::size_t quote) {
    pos_ = quote + 1;
    while (pos_ < text_.size()) {
      if (text_[pos_] == '"') {
        if (at(pos_ + 1) == '"') {
          pos_ += 2;
          continue;
        }
        ++pos_;
        emit(TokenKind::QuotedIdentifier, begin);
        return;
      }
      ++pos_;
    }
    unterminated(begin);
  }

  void dollar(std::size_t begin) {
    if (is_digit(at(pos_ + 1))) {
      ++pos_;
      while (pos_ < text_.size() && is_digit(text_[pos_])) ++pos_;
      emit(TokenKind::Parameter, begin);
      return;
    }
    std::size_t tag_end = pos_ + 1;
    if (is_ident_start(at(tag_end))) {
      while (tag_end < text_.size() && is_ident_char(text_[tag_end]) && text_[tag_end] != '$') ++tag_end;
    }
    if (at(tag_end) != '$') {
      ++pos_;
      emit(TokenKind::Operator, begin);
      return;
    }
    std::string_view tag = text_.substr(pos_, tag_end + 1 - pos_);
    std::size_t close = text_.find(tag, tag_end + 1);
    if (close == std::string_view::npos) {
      unterminated(begin);
      return;
    }
    pos_ = close + tag.size();
    emit(TokenKind::String, begin);
  }

  void number(std::size_t begin) {
    while (is_digit(at(pos_))) ++pos_;
    if (at(pos_) == '.' && at(pos_ + 1) != '.') {
      ++pos_;
      while (is_digit(at(pos_))) ++pos_;
    }
    if ((at(pos_) == 'e' || at(pos_) == 'E') &&
        (is_digit(at(pos_ + 1)) || ((at(pos_ + 1) == '+' || at(pos_ + 1) == '-') && is_digit(at(pos_ + 2))))) {
      pos_ += 2;
      while (is_digit(at(pos_))) ++pos_;
    }
    emit(TokenKind::Number, begin);
  }

  std::string_view text_;
  std::size_t base_;
  LexOptions options_;
  std::size_t pos_ = 0;
  LexResult result_;
};

}  // namespace

bool Token::is_keyword(std::string_view keyword) const {
  if (kind != TokenKind::Word || text.size() != keyword.size()) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (lower(text[i]) != keyword[i]) return false;
  }
  return true;
}

LexResult lex(std::string_view text, std::size_t base, LexOptions options) {
  return Lexer(text, base, std::move(options)).run();
}

}  // namespace migsafe::pg
