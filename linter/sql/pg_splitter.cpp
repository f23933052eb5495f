#include "linter/sql/pg_splitter.h"

#include <algorithm>
#include <array>
#include <cstdint>

#include "linter/sql/pg_lexer.h"
#include "linter/util/text.h"

namespace migsafe::pg {

namespace {

// The words the splitter reacts to. Every word of every statement is classified once, by length and
// then by a lower-cased comparison, instead of testing it against each keyword in turn.
enum class Keyword { None, Chain, Create, Function, Procedure, Begin, Atomic, Case, End, Union, Intersect, Except };

struct NamedKeyword {
  std::string_view word;
  Keyword keyword;
};

// Words that chain operands without brackets (`a AND b AND c`, `x IS NULL IS NULL`) may each add a level
// to the parse tree, like an operator (Keyword::Chain).
constexpr std::array<NamedKeyword, 25> kKeywords{{
    {"and", Keyword::Chain},        {"or", Keyword::Chain},          {"not", Keyword::Chain},
    {"is", Keyword::Chain},         {"isnull", Keyword::Chain},      {"notnull", Keyword::Chain},
    {"like", Keyword::Chain},       {"ilike", Keyword::Chain},       {"similar", Keyword::Chain},
    {"between", Keyword::Chain},    {"in", Keyword::Chain},          {"overlaps", Keyword::Chain},
    {"at", Keyword::Chain},         {"collate", Keyword::Chain},     {"escape", Keyword::Chain},
    {"create", Keyword::Create},     {"function", Keyword::Function}, {"procedure", Keyword::Procedure},
    {"begin", Keyword::Begin},      {"atomic", Keyword::Atomic},     {"case", Keyword::Case},
    {"end", Keyword::End},          {"union", Keyword::Union},       {"intersect", Keyword::Intersect},
    {"except", Keyword::Except},
}};

constexpr std::size_t kLongestKeyword = 9;  // "procedure", "intersect"

// Per word length, the keywords of that length and bit masks of their first and last letters: most
// words (table and column names) are rejected by two mask tests, without lower-casing them.
struct KeywordsOfLength {
  std::array<NamedKeyword, kKeywords.size()> entries{};
  std::size_t count = 0;
  std::uint32_t first_letters = 0;
  std::uint32_t last_letters = 0;
};

constexpr std::array<KeywordsOfLength, kLongestKeyword + 1> make_keyword_index() {
  std::array<KeywordsOfLength, kLongestKeyword + 1> index{};
  for (const NamedKeyword& named : kKeywords) {
    KeywordsOfLength& group = index[named.word.size()];
    group.entries[group.count++] = named;
    group.first_letters |= std::uint32_t{1} << (named.word[0] - 'a');
    group.last_letters |= std::uint32_t{1} << (named.word.back() - 'a');
  }
  return index;
}

constexpr std::array<KeywordsOfLength, kLongestKeyword + 1> kKeywordIndex = make_keyword_index();

Keyword classify(const Token& token) {
  std::size_t size = token.text.size();
  if (token.kind != TokenKind::Word || size > kLongestKeyword) return Keyword::None;
  const KeywordsOfLength& group = kKeywordIndex[size];
  auto letter_in = [](char c, std::uint32_t letters) {
    c = static_cast<char>(c | 0x20);  // lower case for letters
    return c >= 'a' && c <= 'z' && (letters & (std::uint32_t{1} << (c - 'a'))) != 0;
  };
  if (!letter_in(token.text[0], group.first_letters) || !letter_in(token.text[size - 1], group.last_letters)) {
    return Keyword::None;
  }
  for (std::size_t i = 0; i < group.count; ++i) {
    // Compared in place: keywords are lower case, words may be written in any case.
    if (equals_folded(token.text, group.entries[i].word)) return group.entries[i].keyword;
  }
  return Keyword::None;
}

class Splitter {
 public:
  // Room for one statement per 64 bytes of text is reserved up front: migrations rarely have shorter
  // statements on average, and the list then grows without a chain of reallocations. Capped, so that a
  // huge file reserves no more than an ordinary growth step would.
  // `result` and `chain` are emptied here but keep their capacity: a caller that splits file after file
  // into the same buffers allocates only when a file needs more room than any before it.
  Splitter(int max_nesting, std::size_t text_size, SplitResult& result, std::vector<int>& chain)
      : max_nesting_(max_nesting), result_(result), chain_(chain) {
    result_.pieces.clear();
    result_.any_too_deep = false;
    result_.unterminated = false;
    result_.deepest = 0;
    result_.tokens.clear();
    result_.pieces.reserve(std::min<std::size_t>(text_size / 64 + 4, 4096));
    chain_.assign(1, 0);
  }

  // `index`: the token's index in the list of all tokens of the text.
  void token(const Token& token, std::size_t index) {
    if (token.kind == TokenKind::Punctuation && token.text[0] == ';' && parens_ == 0 && atomic_depth_ == 0) {
      finish(token.end);
      return;
    }
    if (!current_) {
      current_ = StatementPiece{token.begin, token.end, token.end, std::nullopt, std::nullopt, index, index};
      words_ = 0;
      creates_routine_ = false;
    }
    current_->end = token.end;
    current_->text_end = token.end;
    current_->end_token = index + 1;
    // Only words, brackets, commas and operators matter below; strings, numbers and quoted names (a
    // third of all tokens) stop here.
    if (token.kind == TokenKind::Word) {
      Keyword keyword = classify(token);
      track_routine_body(keyword);
      track_word_nesting(token, keyword);
    } else if (token.kind == TokenKind::Punctuation || token.kind == TokenKind::Operator) {
      track_nesting(token);
    }
  }

  void finish_all(std::size_t text_end, std::optional<std::size_t> unterminated_at) {
    if (unterminated_at) {
      if (!current_) current_ = StatementPiece{*unterminated_at, text_end, text_end, std::nullopt, std::nullopt};
      current_->end = text_end;
      current_->text_end = text_end;
      current_->unterminated_at = unterminated_at;
      result_.unterminated = true;
    }
    finish(std::nullopt);
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
  void track_routine_body(Keyword keyword) {
    ++words_;
    if (words_ <= 4 && (keyword == Keyword::Function || keyword == Keyword::Procedure)) creates_routine_ = first_is_create_;
    if (words_ == 1) first_is_create_ = keyword == Keyword::Create;
    if (!creates_routine_) return;
    if (keyword == Keyword::Atomic && previous_was_begin_) {
      ++atomic_depth_;
    } else if (atomic_depth_ > 0 && keyword == Keyword::Case) {
      ++atomic_depth_;
    } else if (atomic_depth_ > 0 && keyword == Keyword::End) {
      --atomic_depth_;
    }
    previous_was_begin_ = keyword == Keyword::Begin;
  }

  // A word that chains operands adds a level like an operator; CASE / UNION / INTERSECT / EXCEPT nest
  // without brackets (see SplitResult::deepest).
  void track_word_nesting(const Token& token, Keyword keyword) {
    if (keyword == Keyword::Chain) {
      ++chain_.back();
      ++nesting_;
      deepened(token);
    } else if (keyword == Keyword::Case || keyword == Keyword::Union || keyword == Keyword::Intersect ||
               keyword == Keyword::Except) {
      ++unbracketed_levels_;
      deepened(token);
    }
  }

  // Brackets, commas and operators.
  void track_nesting(const Token& token) {
    // One switch on the token's single character instead of a Token::is() test per bracket kind.
    switch (token.text.size() == 1 ? token.text[0] : '\0') {
      case '(':
      case '[':
        ++parens_;
        chain_.push_back(0);
        ++nesting_;
        deepened(token);
        break;
      case ')':
      case ']':
        if (parens_ > 0) --parens_;
        if (chain_.size() > 1) {
          nesting_ -= chain_.back() + 1;
          chain_.pop_back();
        }
        break;
      case ',':
        nesting_ -= chain_.back();
        chain_.back() = 0;
        break;
      default:
        if (token.kind == TokenKind::Operator) {
          ++chain_.back();
          ++nesting_;
          deepened(token);
        }
    }
  }

  // After the nesting estimate grew: the only moments it can reach a new maximum or pass the limit.
  void deepened(const Token& token) {
    result_.deepest = std::max(result_.deepest, nesting_ + unbracketed_levels_);
    if (nesting_ > max_nesting_ && current_ && !current_->too_deep_at) current_->too_deep_at = token.begin;
  }

  int max_nesting_;
  SplitResult& result_;
  std::optional<StatementPiece> current_;
  int parens_ = 0;
  int atomic_depth_ = 0;
  int words_ = 0;
  bool first_is_create_ = false;
  bool creates_routine_ = false;
  bool previous_was_begin_ = false;
  std::vector<int>& chain_;  // operators in the current comma-separated item, per bracket level
  long nesting_ = 0;           // sum of chain_ plus the bracket depth: an upper bound of the tree depth
  long unbracketed_levels_ = 0;  // CASE / UNION / INTERSECT / EXCEPT in the statement (see `deepest`)
};

}  // namespace

void split_statements(std::string_view text, std::size_t base, int max_nesting, SplitResult& result) {
  // The splitter's bracket-level counters, reused from file to file on this thread (split_statements
  // never runs inside itself).
  thread_local std::vector<int> chain;
  Splitter splitter(max_nesting, text.size(), result, chain);
  std::vector<Token>& tokens = result.tokens;
  bool keep_tokens = text.size() <= kKeptTokensBytes;
  if (keep_tokens) tokens.reserve(text.size() / 4 + 4);  // about one token per 4 bytes of SQL
  std::size_t index = 0;
  std::optional<std::size_t> unterminated_at = scan_tokens(text, base, [&](const Token& token) {
    splitter.token(token, index++);
    if (keep_tokens) tokens.push_back(token);
  });
  splitter.finish_all(base + text.size(), unterminated_at);
  // Deeply bracketed text (thousands of levels) would otherwise keep its counters for the thread's life.
  constexpr std::size_t kRetainedLevels = 4096;
  if (chain.capacity() > kRetainedLevels) std::vector<int>().swap(chain);
}

SplitResult split_statements(std::string_view text, std::size_t base, int max_nesting) {
  SplitResult result;
  split_statements(text, base, max_nesting, result);
  return result;
}

}  // namespace migsafe::pg
