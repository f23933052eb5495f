#include "linter/sql/statement_context.h"

#include <algorithm>

namespace migsafe::pg {

StatementContext::StatementContext(std::string_view file_text, std::size_t buffer_base, ByteRange statement,
                                   std::span<const Token> region_tokens)
    : file_text_(file_text), buffer_base_(buffer_base), statement_(statement), region_tokens_(region_tokens) {}

StatementContext::StatementContext(std::string_view file_text, std::size_t buffer_base, ByteRange statement,
                                   ExactTokens statement_tokens)
    : file_text_(file_text), buffer_base_(buffer_base), statement_(statement), tokens_(statement_tokens.tokens) {}

std::string_view StatementContext::text(ByteRange range) const {
  std::size_t begin = std::min(range.begin, file_text_.size());
  std::size_t end = std::clamp(range.end, begin, file_text_.size());
  return file_text_.substr(begin, end - begin);
}

std::optional<std::size_t> StatementContext::offset_of(std::int32_t location) const {
  if (location < 0) return std::nullopt;
  std::size_t offset = buffer_base_ + static_cast<std::size_t>(location);
  if (offset < statement_.begin || offset >= statement_.end) return std::nullopt;
  return offset;
}

std::span<const Token> StatementContext::first_tokens() const {
  // The region's tokens from the first one at the statement's start to the last one ending at its end
  // are exactly what lexing the statement alone gives: lexing is left to right, and a token's extent
  // depends only on the text from its start to its end. When the statement's ends are not token
  // boundaries there (or no tokens were kept), the statement is lexed on its own.
  auto first = std::lower_bound(region_tokens_.begin(), region_tokens_.end(), statement_.begin,
                                [](const Token& token, std::size_t offset) { return token.begin < offset; });
  auto last = std::lower_bound(first, region_tokens_.end(), statement_.end,
                               [](const Token& token, std::size_t offset) { return token.begin < offset; });
  bool exact = first != region_tokens_.end() && first->begin == statement_.begin && last != first &&
               std::prev(last)->end == statement_.end;
  if (exact) {
    tokens_ = std::span<const Token>(first, last);
  } else {
    lexed_tokens_ = lex(text(statement_), statement_.begin, lex_options(true, false)).tokens;
    tokens_ = std::span<const Token>(lexed_tokens_);
  }
  return *tokens_;
}

std::size_t StatementContext::token_at(std::size_t offset) const {
  std::span<const Token> all = tokens();
  auto it = std::upper_bound(all.begin(), all.end(), offset,
                             [](std::size_t value, const Token& token) { return value < token.begin; });
  if (it != all.begin()) {
    auto previous = std::prev(it);
    if (offset < previous->end) return static_cast<std::size_t>(previous - all.begin());
  }
  return static_cast<std::size_t>(it - all.begin());
}

std::optional<std::size_t> StatementContext::token_at_location(std::int32_t location) const {
  std::optional<std::size_t> offset = offset_of(location);
  if (!offset) return std::nullopt;
  std::size_t index = token_at(*offset);
  if (index >= tokens().size()) return std::nullopt;
  return index;
}

ByteRange StatementContext::span(std::size_t first, std::size_t last_exclusive) const {
  std::span<const Token> all = tokens();
  last_exclusive = std::min(last_exclusive, all.size());
  if (first >= last_exclusive) {
    std::size_t at = first < all.size() ? all[first].begin : statement_.end;
    return ByteRange{at, at};
  }
  return ByteRange{all[first].begin, all[last_exclusive - 1].end};
}

std::string StatementContext::span_text(std::size_t first, std::size_t last_exclusive) const {
  return std::string(text(span(first, last_exclusive)));
}

std::size_t StatementContext::after_matching(std::size_t open) const {
  std::span<const Token> all = tokens();
  int depth = 0;
  for (std::size_t i = open; i < all.size(); ++i) {
    if (all[i].is('(') || all[i].is('[')) {
      ++depth;
    } else if (all[i].is(')') || all[i].is(']')) {
      if (--depth == 0) return i + 1;
    }
  }
  return all.size();
}

std::size_t StatementContext::find_keyword(std::size_t first, std::size_t last, std::string_view keyword) const {
  std::span<const Token> all = tokens();
  last = std::min(last, all.size());
  int depth = 0;
  for (std::size_t i = first; i < last; ++i) {
    if (all[i].is('(') || all[i].is('[')) {
      ++depth;
    } else if (all[i].is(')') || all[i].is(']')) {
      --depth;
    } else if (depth == 0 && all[i].is_keyword(keyword)) {
      return i;
    }
  }
  return last;
}

std::size_t StatementContext::find_open_paren(std::size_t first, std::size_t last) const {
  std::span<const Token> all = tokens();
  last = std::min(last, all.size());
  for (std::size_t i = first; i < last; ++i) {
    if (all[i].is('(')) return i;
    if (all[i].is('[')) i = after_matching(i) - 1;
  }
  return last;
}

std::size_t StatementContext::skip_name(std::size_t first) const {
  std::span<const Token> all = tokens();
  std::size_t i = first;
  auto is_name = [&](std::size_t k) {
    return k < all.size() && (all[k].kind == TokenKind::Word || all[k].kind == TokenKind::QuotedIdentifier);
  };
  if (!is_name(i)) return i;
  ++i;
  while (i + 1 < all.size() && all[i].is('.') && is_name(i + 1)) i += 2;
  if (i < all.size() && all[i].kind == TokenKind::Operator && all[i].text == "*") ++i;
  return i;
}

}  // namespace migsafe::pg
