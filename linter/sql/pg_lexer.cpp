#include "linter/sql/pg_lexer.h"

#include "linter/util/text.h"

namespace migsafe::pg {

LexResult lex(std::string_view text, std::size_t base, LexOptions options) {
  LexResult result;
  // About one token per 4 bytes of SQL: one allocation instead of a chain of doublings.
  if (options.keep_tokens) result.tokens.reserve(text.size() / 4 + 4);
  auto on_token = [&](const Token& token) {
    if (options.keep_tokens) result.tokens.push_back(token);
  };
  auto on_comment = [&](const Comment& comment) {
    if (options.keep_comments) result.comments.push_back(comment);
  };
  result.unterminated_at = scan(text, base, on_token, on_comment);
  return result;
}

}  // namespace migsafe::pg
