#include "linter/sql/statement_context.h"

#include <algorithm>

namespace migsafe::pg {

StatementContext::StatementContext(std::string_view file_text, std::size_t buffer_base, ByteRange statement)
    : file_text_(file_text), buffer_base_(buffer_base), statement_(statement) {}

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

const std::vector<Token>& StatementContext::tokens() const {
  if (!tokens_) {
    LexResult lexed = lex(text(statement_), statement_.begin, lex_options(true, false));
    tokens_ = std::move(lexed.tokens);
  }
  return *tokens_;
}

std::size_t StatementContext::token_at(std::size_t offset) const {
  const std::vector<Token>& all = tokens();
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
  const std::vector<Token>& all = tokens();
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
  const std::vector<Token>& all = tokens();
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
  const std::vector<Token>& all = tokens();
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
  const std::vector<Token>& all = tokens();
  last = std::min(last, all.size());
  for (std::size_t i = first; i < last; ++i) {
    if (all[i].is('(')) return i;
    if (all[i].is('[')) i = after_matching(i) - 1;
  }
  return last;
}

std::size_t StatementContext::skip_name(std::size_t first) const {
  const std::vector<Token>& all = tokens();
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
