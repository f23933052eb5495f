// A small PostgreSQL lexer. libpg_query parses statements; this lexer only answers the questions the
// parse tree cannot: where a clause or an expression ends (nodes carry start offsets only), where the
// comments are (suppressions), and where a statement's first and last tokens are. It follows the
// server's rules for what is a string, a quoted identifier, a dollar quote or a comment, so that a `;`,
// `(` or `--` inside any of them is never mistaken for structure.
//
// The lexer runs over every byte of every file (splitting), so its core is a template, `scan`, that
// hands each token and comment to inlined callbacks: no std::function call and no vector per token.
// `lex` collects them for callers that want lists.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "linter/util/text.h"

namespace migsafe::pg {

enum class TokenKind {
  Word,              // identifier or keyword (unquoted)
  QuotedIdentifier,  // "..." or U&"..."
  String,            // '...', E'...', B'...', X'...', N'...', U&'...', $tag$...$tag$
  Number,
  Parameter,         // $1
  Operator,          // + - * / < > = ~ ! @ # % ^ & | ` ? and their combinations, also ::
  Punctuation,       // ( ) [ ] , ; . :
};

struct Token {
  TokenKind kind = TokenKind::Word;
  std::size_t begin = 0;  // absolute byte offsets (into the text the lexer was given, plus `base`)
  std::size_t end = 0;
  std::string_view text;  // as written
  bool is(char punctuation) const {
    return (kind == TokenKind::Punctuation || kind == TokenKind::Operator) && text.size() == 1 && text[0] == punctuation;
  }
  // Case-insensitive keyword test for unquoted words; `keyword` must be lower case. Inline: the
  // translators ask it of nearly every token they walk.
  bool is_keyword(std::string_view keyword) const {
    return kind == TokenKind::Word && equals_folded(text, keyword);
  }
};

struct Comment {
  std::size_t begin = 0;  // absolute offsets, including the `--` / `/*` and `*/`
  std::size_t end = 0;
  bool block = false;
  std::string_view body;  // without the comment markers
};

struct LexResult {
  std::vector<Token> tokens;
  std::vector<Comment> comments;
  // Set when a string, quoted identifier, dollar quote or block comment runs to the end of the input.
  std::optional<std::size_t> unterminated_at;
};

struct LexOptions {
  bool keep_tokens = true;
  bool keep_comments = true;
};

inline LexOptions lex_options(bool keep_tokens, bool keep_comments) { return LexOptions{keep_tokens, keep_comments}; }

// Lexes `text`; offsets in the result are `base + offset in text`.
LexResult lex(std::string_view text, std::size_t base = 0, LexOptions options = {});

namespace lexer_detail {

// Character classes, one table lookup per byte instead of chains of comparisons.
enum CharClass : std::uint8_t {
  kSpace = 1,        // a NUL byte counts as white space: the parser gets a copy with NULs replaced by spaces
  kDigit = 2,
  kIdentStart = 4,   // letters, `_`, every byte >= 0x80
  kIdentChar = 8,    // kIdentStart, digits and `$`
  kOperatorChar = 16,
  kPunctuation = 32,  // ( ) [ ] , ; . :
};

constexpr std::array<std::uint8_t, 256> make_char_classes() {
  std::array<std::uint8_t, 256> classes{};
  for (int c = 0; c < 256; ++c) {
    std::uint8_t flags = 0;
    if (c == 0 || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') flags |= kSpace;
    if (c >= '0' && c <= '9') flags |= kDigit | kIdentChar;
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80) flags |= kIdentStart | kIdentChar;
    if (c == '$') flags |= kIdentChar;
    for (char op : std::string_view("+-*/<>=~!@#%^&|`?")) {
      if (c == op) flags |= kOperatorChar;
    }
    for (char punctuation : std::string_view("()[],;.:")) {
      if (c == punctuation) flags |= kPunctuation;
    }
    classes[static_cast<std::size_t>(c)] = flags;
  }
  return classes;
}

inline constexpr std::array<std::uint8_t, 256> kCharClasses = make_char_classes();

inline bool has_class(char c, std::uint8_t flags) {
  return (kCharClasses[static_cast<unsigned char>(c)] & flags) != 0;
}

template <class OnToken, class OnComment>
class Scanner {
 public:
  Scanner(std::string_view text, std::size_t base, OnToken& on_token, OnComment& on_comment)
      : text_(text), base_(base), on_token_(on_token), on_comment_(on_comment) {}

  std::optional<std::size_t> run() {
    while (!unterminated_at_) {
      pos_ = skip(pos_, kSpace);  // runs of indentation and line breaks in one tight loop
      if (pos_ >= text_.size()) break;
      std::size_t begin = pos_;
      produced_ = false;
      step();
      // The one place a token is handed over: the callback is inlined here once, not at each of the
      // lexer's dozen token kinds (as an out-of-line call it cost a tenth of the splitter's time).
      if (produced_) {
        on_token_(Token{produced_kind_, base_ + begin, base_ + pos_, std::string_view(text_.data() + begin, pos_ - begin)});
      }
    }
    return unterminated_at_;
  }

 private:
  char at(std::size_t i) const { return i < text_.size() ? text_[i] : '\0'; }

  // The first offset at or after `i` whose byte is not of class `flags` (local copies keep the loop in
  // registers).
  std::size_t skip(std::size_t i, std::uint8_t flags) const {
    const char* data = text_.data();
    const std::size_t size = text_.size();
    while (i < size && (kCharClasses[static_cast<unsigned char>(data[i])] & flags) != 0) ++i;
    return i;
  }

  // A token of `kind` ends at pos_; it starts where step() started (run() hands it over). pos_ never
  // passes the end: no bounds-checked substr() on the hottest path.
  void emit(TokenKind kind) {
    produced_kind_ = kind;
    produced_ = true;
  }

  void unterminated(std::size_t begin) {
    unterminated_at_ = base_ + begin;
    pos_ = text_.size();
  }

  void step() {
    char c = text_[pos_];
    std::uint8_t classes = kCharClasses[static_cast<unsigned char>(c)];
    std::size_t begin = pos_;
    if (classes & kSpace) {
      ++pos_;
    } else if (classes & kIdentStart) {
      // Prefixed strings (E'', B'', X'', N'', U&'', U&"") start like words.
      char next = at(pos_ + 1);
      if (next == '\'' && (c == 'e' || c == 'E')) {
        quoted_string(begin, pos_ + 1, true);
      } else if (next == '\'' && (c == 'b' || c == 'B' || c == 'x' || c == 'X' || c == 'n' || c == 'N')) {
        quoted_string(begin, pos_ + 1, false);
      } else if (next == '&' && (c == 'u' || c == 'U') && at(pos_ + 2) == '\'') {
        quoted_string(begin, pos_ + 2, false);
      } else if (next == '&' && (c == 'u' || c == 'U') && at(pos_ + 2) == '"') {
        quoted_identifier(begin, pos_ + 2);
      } else {
        pos_ = skip(pos_ + 1, kIdentChar);
        emit(TokenKind::Word);
      }
    } else if (c == '-' && at(pos_ + 1) == '-') {
      line_comment();
    } else if (c == '/' && at(pos_ + 1) == '*') {
      block_comment();
    } else if (c == '\'') {
      quoted_string(begin, pos_, false);
    } else if (c == '"') {
      quoted_identifier(begin, pos_);
    } else if (c == '$') {
      dollar(begin);
    } else if ((classes & kDigit) || (c == '.' && has_class(at(pos_ + 1), kDigit))) {
      number();
    } else if (c == ':' && at(pos_ + 1) == ':') {
      pos_ += 2;
      emit(TokenKind::Operator);
    } else if (classes & kPunctuation) {
      ++pos_;
      emit(TokenKind::Punctuation);
    } else if (classes & kOperatorChar) {
      // An operator never swallows the start of a comment (the server's rule too).
      while (pos_ < text_.size() && has_class(text_[pos_], kOperatorChar)) {
        if (pos_ > begin && ((text_[pos_] == '-' && at(pos_ + 1) == '-') || (text_[pos_] == '/' && at(pos_ + 1) == '*'))) break;
        ++pos_;
      }
      emit(TokenKind::Operator);
    } else {
      // Any other byte (a control character): its own one-byte token, never a crash.
      ++pos_;
      emit(TokenKind::Operator);
    }
  }

  // Up to the next line break (`\n` or `\r`), found with memchr.
  void line_comment() {
    std::size_t begin = pos_;
    const char* start = text_.data() + pos_;
    std::size_t left = text_.size() - pos_;
    const void* newline = std::memchr(start, '\n', left);
    std::size_t end = newline ? static_cast<std::size_t>(static_cast<const char*>(newline) - text_.data()) : text_.size();
    if (const void* cr = std::memchr(start, '\r', end - pos_)) end = static_cast<std::size_t>(static_cast<const char*>(cr) - text_.data());
    pos_ = end;
    add_comment(begin, pos_, false, text_.substr(begin + 2, pos_ - begin - 2));
  }

  void block_comment() {
    std::size_t begin = pos_;
    int depth = 0;
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c == '/' && at(pos_ + 1) == '*') {
        ++depth;
        pos_ += 2;
      } else if (c == '*' && at(pos_ + 1) == '/') {
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
    on_comment_(Comment{base_ + begin, base_ + end, block, body});
  }

  // `quote` is the offset of the opening quote; backslash escapes only in E'' strings
  // (standard_conforming_strings is on by default since PostgreSQL 9.1).
  void quoted_string(std::size_t begin, std::size_t quote, bool backslash_escapes) {
    pos_ = quote + 1;
    while (pos_ < text_.size()) {
      if (!backslash_escapes) {
        // No escapes but '': jump to the next quote.
        const void* next = std::memchr(text_.data() + pos_, '\'', text_.size() - pos_);
        if (next == nullptr) break;
        pos_ = static_cast<std::size_t>(static_cast<const char*>(next) - text_.data());
      }
      char c = text_[pos_];
      if (backslash_escapes && c == '\\') {
        pos_ += 2;
      } else if (c == '\'') {
        if (at(pos_ + 1) == '\'') {
          pos_ += 2;
        } else {
          ++pos_;
          emit(TokenKind::String);
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
      const void* next = std::memchr(text_.data() + pos_, '"', text_.size() - pos_);
      if (next == nullptr) break;
      pos_ = static_cast<std::size_t>(static_cast<const char*>(next) - text_.data());
      if (at(pos_ + 1) == '"') {
        pos_ += 2;
        continue;
      }
      ++pos_;
      emit(TokenKind::QuotedIdentifier);
      return;
    }
    unterminated(begin);
  }

  void dollar(std::size_t begin) {
    if (has_class(at(pos_ + 1), kDigit)) {
      ++pos_;
      while (pos_ < text_.size() && has_class(text_[pos_], kDigit)) ++pos_;
      emit(TokenKind::Parameter);
      return;
    }
    std::size_t tag_end = pos_ + 1;
    if (has_class(at(tag_end), kIdentStart)) {
      while (tag_end < text_.size() && has_class(text_[tag_end], kIdentChar) && text_[tag_end] != '$') ++tag_end;
    }
    if (at(tag_end) != '$') {
      ++pos_;
      emit(TokenKind::Operator);
      return;
    }
    std::string_view tag = text_.substr(pos_, tag_end + 1 - pos_);
    std::size_t close = text_.find(tag, tag_end + 1);
    if (close == std::string_view::npos) {
      unterminated(begin);
      return;
    }
    pos_ = close + tag.size();
    emit(TokenKind::String);
  }

  void number() {
    auto digit = [&](std::size_t i) { return has_class(at(i), kDigit); };
    while (digit(pos_)) ++pos_;
    if (at(pos_) == '.' && at(pos_ + 1) != '.') {
      ++pos_;
      while (digit(pos_)) ++pos_;
    }
    if ((at(pos_) == 'e' || at(pos_) == 'E') &&
        (digit(pos_ + 1) || ((at(pos_ + 1) == '+' || at(pos_ + 1) == '-') && digit(pos_ + 2)))) {
      pos_ += 2;
      while (digit(pos_)) ++pos_;
    }
    emit(TokenKind::Number);
  }

  std::string_view text_;
  std::size_t base_;
  OnToken& on_token_;
  OnComment& on_comment_;
  std::size_t pos_ = 0;
  std::optional<std::size_t> unterminated_at_;
  bool produced_ = false;  // step() found a token (not a comment), of kind produced_kind_
  TokenKind produced_kind_ = TokenKind::Word;
};

}  // namespace lexer_detail

// Streams the tokens and comments of `text` (offsets `base + offset in text`) to `on_token(const Token&)`
// and `on_comment(const Comment&)`, in order. Returns where a string, quoted identifier, dollar quote or
// block comment starts that runs to the end of the input (lexing stops there).
template <class OnToken, class OnComment>
std::optional<std::size_t> scan(std::string_view text, std::size_t base, OnToken&& on_token, OnComment&& on_comment) {
  return lexer_detail::Scanner<std::remove_reference_t<OnToken>, std::remove_reference_t<OnComment>>(
             text, base, on_token, on_comment)
      .run();
}

// `scan` for callers that only want tokens.
template <class OnToken>
std::optional<std::size_t> scan_tokens(std::string_view text, std::size_t base, OnToken&& on_token) {
  auto ignore_comment = [](const Comment&) {};
  return scan(text, base, on_token, ignore_comment);
}

}  // namespace migsafe::pg
