#include "linter/sql/pg_splitter.h"

#include <algorithm>
#include <array>

#include "linter/sql/pg_lexer.h"

namespace migsafe::pg {

namespace {

// Keywords that chain operands without brackets (`a AND b AND c`, `x IS NULL IS NULL`): each may add a
// level to the parse tree, like an operator.
constexpr std::array<std::string_view, 15> kChainWords{"and",     "or",      "not",      "is", "isnull",
                                                       "notnull", "like",    "ilike",    "similar", "between",
                                                       "in",      "overlaps", "at",      "collate", "escape"};

// Runs for every word of every statement: one lower-cased copy, then plain comparisons.
bool is_chain_word(const Token& token) {
  constexpr std::size_t kLongest = 8;  // "overlaps"
  if (token.kind != TokenKind::Word || token.text.size() < 2 || token.text.size() > kLongest) return false;
  char lowered[kLongest];
  for (std::size_t i = 0; i < token.text.size(); ++i) {
    char c = token.text[i];
    lowered[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  std::string_view word(lowered, token.text.size());
  return std::find(kChainWords.begin(), kChainWords.end(), word) != kChainWords.end();
}

class Splitter {
 public:
  explicit Splitter(int max_nesting) : max_nesting_(max_nesting) {}

  void token(const Token& token) {
    if (token.is(';') && parens_ == 0 && atomic_depth_ == 0) {
      finish(token.end);
      return;
    }
    if (!current_) {
      current_ = StatementPiece{token.begin, token.end, token.end, std::nullopt, std::nullopt};
      words_ = 0;
      creates_routine_ = false;
    }
    current_->end = token.end;
    current_->text_end = token.end;
    track_routine_body(token);
    track_nesting(token);
  }

  SplitResult finish_all(std::size_t text_end, std::optional<std::size_t> unterminated_at) {
    if (unterminated_at) {
      if (!current_) current_ = StatementPiece{*unterminated_at, text_end, text_end, std::nullopt, std::nullopt};
      current_->end = text_end;
      current_->text_end = text_end;
      current_->unterminated_at = unterminated_at;
      result_.unterminated = true;
    }
    finish(std::nullopt);
    return std::move(result_);
  }

 private:
  void finish(std::optional<std::size_t> terminator_end) {
    if (current_) {
      if (terminator_end) current_->text_end = *terminator_end;
      if (current_->too_deep_at) result_.any_too_deep = true;
      result_.pieces.push_back(*current_);
    }
    current_.reset();
    parens_ = 0;
    atomic_depth_ = 0;
    chain_.assign(1, 0);
    nesting_ = 0;
    unbracketed_levels_ = 0;
  }

  // CREATE [OR REPLACE] FUNCTION/PROCEDURE ... BEGIN ATOMIC ... END: semicolons inside the body do not end
  // the statement. CASE ... END inside the body nests.
  void track_routine_body(const Token& token) {
    if (token.kind != TokenKind::Word) return;
    ++words_;
    if (words_ <= 4 && (token.is_keyword("function") || token.is_keyword("procedure"))) creates_routine_ = first_is_create_;
    if (words_ == 1) first_is_create_ = token.is_keyword("create");
    if (!creates_routine_) return;
    if (token.is_keyword("atomic") && previous_was_begin_) {
      ++atomic_depth_;
    } else if (atomic_depth_ > 0 && token.is_keyword("case")) {
      ++atomic_depth_;
    } else if (atomic_depth_ > 0 && token.is_keyword("end")) {
      --atomic_depth_;
    }
    previous_was_begin_ = token.is_keyword("begin");
  }

  void track_nesting(const Token& token) {
    if (token.is('(') || token.is('[')) {
      ++parens_;
      chain_.push_back(0);
      ++nesting_;
    } else if (token.is(')') || token.is(']')) {
      if (parens_ > 0) --parens_;
      if (chain_.size() > 1) {
        nesting_ -= chain_.back() + 1;
        chain_.pop_back();
      }
    } else if (token.is(',')) {
      nesting_ -= chain_.back();
      chain_.back() = 0;
    } else if (token.kind == TokenKind::Operator || is_chain_word(token)) {
      ++chain_.back();
      ++nesting_;
    }
    if (token.kind == TokenKind::Word && (token.is_keyword("case") || token.is_keyword("union") ||
                                          token.is_keyword("intersect") || token.is_keyword("except"))) {
      ++unbracketed_levels_;
    }
    result_.deepest = std::max(result_.deepest, nesting_ + unbracketed_levels_);
    if (nesting_ > max_nesting_ && current_ && !current_->too_deep_at) current_->too_deep_at = token.begin;
  }

  int max_nesting_;
  SplitResult result_;
  std::optional<StatementPiece> current_;
  int parens_ = 0;
  int atomic_depth_ = 0;
  int words_ = 0;
  bool first_is_create_ = false;
  bool creates_routine_ = false;
  bool previous_was_begin_ = false;
  std::vector<int> chain_{0};  // operators in the current comma-separated item, per bracket level
  long nesting_ = 0;           // sum of chain_ plus the bracket depth: an upper bound of the tree depth
  long unbracketed_levels_ = 0;  // CASE / UNION / INTERSECT / EXCEPT in the statement (see `deepest`)
};

}  // namespace

SplitResult split_statements(std::string_view text, std::size_t base, int max_nesting) {
  Splitter splitter(max_nesting);
  LexOptions options = lex_options(false, false);
  options.on_token = [&](const Token& token) { splitter.token(token); };
  LexResult lexed = lex(text, base, std::move(options));
  return splitter.finish_all(base + text.size(), lexed.unterminated_at);
}

}  // namespace migsafe::pg
