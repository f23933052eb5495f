// A small PostgreSQL lexer. libpg_query parses statements; this lexer only answers the questions the
// parse tree cannot: where a clause or an expression ends (nodes carry start offsets only), where the
// comments are (suppressions), and where a statement's first and last tokens are. It follows the
// server's rules for what is a string, a quoted identifier, a dollar quote or a comment, so that a `;`,
// `(` or `--` inside any of them is never mistaken for structure.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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
  // Case-insensitive keyword test for unquoted words; `keyword` must be lower case.
  bool is_keyword(std::string_view keyword) const;
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
  // Called for every token as it is found (lets callers stream a large file without storing tokens).
  std::function<void(const Token&)> on_token;
};

inline LexOptions lex_options(bool keep_tokens, bool keep_comments) {
  LexOptions options;
  options.keep_tokens = keep_tokens;
  options.keep_comments = keep_comments;
  return options;
}

// Lexes `text`; offsets in the result are `base + offset in text`.
LexResult lex(std::string_view text, std::size_t base = 0, LexOptions options = {});

}  // namespace migsafe::pg
