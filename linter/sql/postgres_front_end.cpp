// Splitting, parsing and error recovery for a region of PostgreSQL SQL.
//
// The fast path parses the whole region at once. When that fails, the scanner splits the region into
// statements and each is parsed on its own, so one bad statement becomes one error statement and every
// other statement is still analysed. When even the scanner fails (an unterminated string, dollar quote or
// comment swallows the rest of the file), the statements before the failure point are still returned.
#include "linter/sql/postgres_front_end.h"

#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>

#include <algorithm>
#include <array>
#include <memory>

#include "linter/sql/large_stack.h"
#include "linter/sql/pg_lexer.h"
#include "linter/sql/pg_translate.h"
#include "linter/sql/suppression_comments.h"

namespace migsafe {

namespace {

// More nesting than this (operators in one chain plus open brackets) is refused before parsing: the
// parser accepts arbitrarily long left-associative chains (`1 + 1 + ...`) and its recursive output code
// would exhaust any stack. Real migrations stay far below it.
constexpr int kMaxNesting = 10000;
constexpr std::size_t kParserStackBytes = std::size_t{512} << 20;

struct ParseTreeDeleter {
  void operator()(PgQuery__ParseResult* result) const { pg_query__parse_result__free_unpacked(result, nullptr); }
};
using ParseTree = std::unique_ptr<PgQuery__ParseResult, ParseTreeDeleter>;

struct ParseOutcome {
  ParseTree tree;
  std::optional<std::string> error;
  int cursor = 0;  // 1-based character position of the error in the parsed text, 0 when unknown
};

// The parser needs a NUL-terminated copy; a stray NUL byte would end the text early, so it becomes a
// space (a NUL is not valid SQL anywhere, and offsets stay the same).
std::string parser_text(std::string_view text) {
  std::string copy(text);
  std::replace(copy.begin(), copy.end(), '\0', ' ');
  return copy;
}

ParseOutcome parse(std::string_view text) {
  std::string input = parser_text(text);
  ParseOutcome outcome;
  PgQueryProtobufParseResult result = pg_query_parse_protobuf(input.c_str());
  if (result.error != nullptr) {
    outcome.error = result.error->message != nullptr ? result.error->message : "syntax error";
    outcome.cursor = result.error->cursorpos;
  } else {
    outcome.tree.reset(pg_query__parse_result__unpack(nullptr, result.parse_tree.len,
                                                      reinterpret_cast<const uint8_t*>(result.parse_tree.data)));
    if (!outcome.tree) outcome.error = "internal error: the parse tree could not be read";
  }
  pg_query_free_protobuf_parse_result(result);
  return outcome;
}

struct Piece {
  std::size_t begin = 0;  // file offsets
  std::size_t end = 0;
};

struct SplitOutcome {
  std::vector<Piece> pieces;
  std::optional<std::string> error;
  int cursor = 0;
};

SplitOutcome split(std::string_view text, std::size_t base) {
  std::string input = parser_text(text);
  SplitOutcome outcome;
  PgQuerySplitResult result = pg_query_split_with_scanner(input.c_str());
  if (result.error != nullptr) {
    // On error the statement list is not valid (n_stmts is not even initialised).
    outcome.error = result.error->message != nullptr ? result.error->message : "syntax error";
    outcome.cursor = result.error->cursorpos;
  } else {
    for (int i = 0; i < result.n_stmts; ++i) {
      const PgQuerySplitStmt* stmt = result.stmts[i];
      std::size_t begin = base + static_cast<std::size_t>(std::max(stmt->stmt_location, 0));
      std::size_t end = stmt->stmt_len > 0 ? begin + static_cast<std::size_t>(stmt->stmt_len) : base + text.size();
      outcome.pieces.push_back(Piece{begin, std::min(end, base + text.size())});
    }
  }
  pg_query_free_split_result(result);
  return outcome;
}

// PostgreSQL reports error positions as 1-based character (code point) counts; ranges are bytes.
std::optional<std::size_t> byte_offset_of_cursor(std::string_view text, int cursor) {
  if (cursor <= 0) return std::nullopt;
  int characters = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (++characters == cursor) return i;
  }
  return std::nullopt;
}

// Offsets of the first token where a statement's nesting estimate exceeds kMaxNesting, one per statement.
std::vector<std::size_t> too_deep_offsets(std::string_view text, std::size_t base) {
  static constexpr std::array<std::string_view, 15> kChainWords{
      "and", "or", "not", "is", "isnull", "notnull", "like", "ilike", "similar", "between", "in", "overlaps", "at",
      "collate", "escape"};
  std::vector<std::size_t> offsets;
  std::vector<int> chain{0};  // operators seen in the current comma-separated item, per bracket level
  long total = 0;             // sum of `chain` plus the bracket depth
  bool reported = false;
  pg::LexOptions options = pg::lex_options(false, false);
  options.on_token = [&](const pg::Token& token) {
    if (token.is('(') || token.is('[')) {
      chain.push_back(0);
      ++total;
    } else if (token.is(')') || token.is(']')) {
      if (chain.size() > 1) {
        total -= chain.back() + 1;
        chain.pop_back();
      }
    } else if (token.is(',')) {
      total -= chain.back();
      chain.back() = 0;
    } else if (token.is(';')) {
      chain.assign(1, 0);
      total = 0;
      reported = false;
    } else if (token.kind == pg::TokenKind::Operator ||
               (token.kind == pg::TokenKind::Word &&
                std::any_of(kChainWords.begin(), kChainWords.end(), [&](std::string_view w) { return token.is_keyword(w); }))) {
      ++chain.back();
      ++total;
    }
    if (total > kMaxNesting && !reported) {
      offsets.push_back(token.begin);
      reported = true;
    }
  };
  pg::lex(text, base, std::move(options));
  return offsets;
}

class ScriptParser {
 public:
  ScriptParser(const SourceFilePtr& file, ByteRange region) : file_(file), text_(file->text()), region_(region) {
    region_.begin = std::min(region_.begin, text_.size());
    region_.end = std::clamp(region_.end, region_.begin, text_.size());
  }

  SqlScriptResult run() {
    std::string_view region_text = slice(region_.begin, region_.end);
    too_deep_ = too_deep_offsets(region_text, region_.begin);
    if (too_deep_.empty()) {
      ParseOutcome whole = parse(region_text);
      if (!whole.error) {
        add_statements(*whole.tree, region_.begin, region_.end);
        return finish();
      }
    }
    SplitOutcome pieces = split(region_text, region_.begin);
    if (!pieces.error) {
      for (const Piece& piece : pieces.pieces) parse_piece(piece);
    } else {
      recover_from_scanner_error(pieces);
    }
    return finish();
  }

 private:
  std::string_view slice(std::size_t begin, std::size_t end) const {
    return std::string_view(text_).substr(begin, end - begin);
  }

  SqlScriptResult finish() {
    result_.suppressions = sql_suppressions(file_, region_, result_.statements);
    return std::move(result_);
  }

  // The statement without surrounding whitespace, comments and `;`; empty when there is no token.
  ByteRange trimmed(std::size_t begin, std::size_t end) const {
    std::optional<std::size_t> first;
    std::size_t last = begin;
    pg::LexOptions options = pg::lex_options(false, false);
    options.on_token = [&](const pg::Token& token) {
      if (token.is(';')) return;
      if (!first) first = token.begin;
      last = token.end;
    };
    pg::LexResult lexed = pg::lex(slice(begin, end), begin, std::move(options));
    if (lexed.unterminated_at) last = end;  // the statement runs into an unterminated token
    if (!first) return ByteRange{begin, begin};
    return ByteRange{*first, std::max(last, *first)};
  }

  void add_statements(const PgQuery__ParseResult& tree, std::size_t base, std::size_t buffer_end) {
    for (std::size_t i = 0; i < tree.n_stmts; ++i) {
      const PgQuery__RawStmt* raw = tree.stmts[i];
      if (raw == nullptr) continue;
      std::size_t begin = base + static_cast<std::size_t>(std::max(raw->stmt_location, 0));
      // stmt_len 0 means "to the end of the parsed text" (the last statement without a `;`).
      std::size_t end = raw->stmt_len > 0 ? begin + static_cast<std::size_t>(raw->stmt_len) : buffer_end;
      ByteRange range = trimmed(std::min(begin, buffer_end), std::min(end, buffer_end));
      if (range.empty()) continue;
      Statement statement;
      statement.range = range;
      pg::StatementContext context(text_, base, range);
      pg::translate_statement(context, raw->stmt, statement.operations);
      result_.statements.push_back(std::move(statement));
    }
  }

  void add_error(ByteRange statement_range, std::string message, ByteRange error_range) {
    Statement statement;
    statement.range = statement_range;
    statement.error = SyntaxError{std::move(message), error_range};
    result_.statements.push_back(std::move(statement));
  }

  // The token at `offset`, as the error's range; the whole statement when the offset is unusable.
  ByteRange error_token(ByteRange statement, std::optional<std::size_t> offset) const {
    if (!offset || *offset < statement.begin || *offset >= statement.end) return statement;
    std::optional<ByteRange> token;
    pg::LexResult lexed = pg::lex(slice(*offset, statement.end), *offset, pg::lex_options(true, false));
    if (!lexed.tokens.empty()) return ByteRange{lexed.tokens.front().begin, lexed.tokens.front().end};
    return ByteRange{*offset, statement.end};
  }

  void parse_piece(const Piece& piece) {
    ByteRange range = trimmed(piece.begin, piece.end);
    if (range.empty()) return;
    for (std::size_t offset : too_deep_) {
      if (offset >= piece.begin && offset < piece.end) {
        add_error(range,
                  "statement is nested too deeply to analyse (more than " + std::to_string(kMaxNesting) +
                      " levels of operators and brackets)",
                  ByteRange{offset, std::min(offset + 1, range.end)});
        return;
      }
    }
    std::string_view text = slice(piece.begin, piece.end);
    ParseOutcome outcome = parse(text);
    if (outcome.error) {
      std::optional<std::size_t> at = byte_offset_of_cursor(text, outcome.cursor);
      if (at) *at += piece.begin;
      add_error(range, *outcome.error, error_token(range, at));
      return;
    }
    add_statements(*outcome.tree, piece.begin, piece.end);
  }

  void recover_from_scanner_error(const SplitOutcome& failed) {
    std::optional<std::size_t> failure = byte_offset_of_cursor(slice(region_.begin, region_.end), failed.cursor);
    std::size_t failure_at = failure ? region_.begin + *failure : region_.begin;
    std::size_t error_start = failure_at;
    SplitOutcome before = split(slice(region_.begin, failure_at), region_.begin);
    if (!before.error) {
      for (std::size_t i = 0; i < before.pieces.size(); ++i) {
        const Piece& piece = before.pieces[i];
        bool last = i + 1 == before.pieces.size();
        // The last piece before the failure point belongs to the broken statement unless a `;` ends it.
        if (last && slice(piece.end, failure_at).find(';') == std::string_view::npos) {
          ByteRange start = trimmed(piece.begin, failure_at);
          if (!start.empty()) error_start = start.begin;
          break;
        }
        parse_piece(piece);
      }
    } else {
      error_start = trimmed(region_.begin, region_.end).begin;
    }
    std::size_t end = region_.end;
    while (end > failure_at && std::isspace(static_cast<unsigned char>(text_[end - 1]))) --end;
    add_error(ByteRange{error_start, std::max(end, failure_at)}, *failed.error,
              ByteRange{failure_at, std::max(end, failure_at)});
  }

  SourceFilePtr file_;
  const std::string& text_;
  ByteRange region_;
  std::vector<std::size_t> too_deep_;
  SqlScriptResult result_;
};

}  // namespace

SqlScriptResult parse_postgres_script(const SourceFilePtr& file, ByteRange region) {
  SqlScriptResult result;
  if (!file) return result;
  run_with_large_stack(kParserStackBytes, [&] { result = ScriptParser(file, region).run(); });
  return result;
}

}  // namespace migsafe
