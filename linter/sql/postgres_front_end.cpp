// Splitting, parsing and error recovery for a region of PostgreSQL SQL.
//
// The fast path parses the whole region at once. When that fails, the region is split into statements
// (pg_splitter.h) and each is parsed on its own, so one bad statement becomes one error statement and
// every other statement is still analysed. A string, dollar quote or comment that never ends swallows
// the rest of the region into one error statement; the statements before it are still returned.
#include "linter/sql/postgres_front_end.h"

#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>

#include <algorithm>
#include <cctype>
#include <memory>

#include "linter/sql/large_stack.h"
#include "linter/sql/pg_lexer.h"
#include "linter/sql/pg_splitter.h"
#include "linter/sql/pg_translate.h"
#include "linter/sql/suppression_comments.h"

namespace migsafe {

namespace {

// More nesting than this (operators in one chain plus open brackets) is refused before parsing: the
// grammar accepts arbitrarily long left-associative chains (`1 + 1 + ...`) and libpg_query's recursive
// output code then overflows any stack. Real migrations stay far below it.
constexpr int kMaxNesting = 10000;
// Measured need for kMaxNesting levels plus the grammar's own limit (~10,000 bracket levels) is well
// under 100 MB; the rest is margin. Only touched pages are committed.
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
ParseOutcome parse(std::string_view text) {
  std::string input(text);
  std::replace(input.begin(), input.end(), '\0', ' ');
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

// PostgreSQL reports error positions as 1-based character (code point) counts; ranges are bytes.
// A position just past the text ("at end of input") maps to the text's size.
std::optional<std::size_t> byte_offset_of_cursor(std::string_view text, int cursor) {
  if (cursor <= 0) return std::nullopt;
  int characters = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (++characters == cursor) return i;
  }
  if (characters + 1 == cursor) return text.size();
  return std::nullopt;
}

class ScriptParser {
 public:
  ScriptParser(const SourceFilePtr& file, ByteRange region) : file_(file), text_(file->text()), region_(region) {
    region_.begin = std::min(region_.begin, text_.size());
    region_.end = std::clamp(region_.end, region_.begin, text_.size());
  }

  SqlScriptResult run() {
    std::string_view region_text = slice(region_.begin, region_.end);
    pg::SplitResult split = pg::split_statements(region_text, region_.begin, kMaxNesting);
    if (!split.any_too_deep && !split.unterminated) {
      ParseOutcome whole = parse(region_text);
      if (!whole.error) {
        add_statements(*whole.tree, region_.begin, region_.end);
        return finish();
      }
    }
    for (const pg::StatementPiece& piece : split.pieces) parse_piece(piece);
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
    if (lexed.unterminated_at) last = end;
    if (!first) return ByteRange{begin, begin};
    return ByteRange{*first, std::max(last, *first)};
  }

  void add_statements(const PgQuery__ParseResult& tree, std::size_t base, std::size_t buffer_end) {
    for (std::size_t i = 0; i < tree.n_stmts; ++i) {
      const PgQuery__RawStmt* raw = tree.stmts[i];
      if (raw == nullptr) continue;
      std::size_t begin = std::min(base + static_cast<std::size_t>(std::max(raw->stmt_location, 0)), buffer_end);
      // stmt_len 0 means "to the end of the parsed text" (the last statement without a `;`).
      std::size_t end = raw->stmt_len > 0 ? begin + static_cast<std::size_t>(raw->stmt_len) : buffer_end;
      ByteRange range = trimmed(begin, std::min(end, buffer_end));
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

  // The token at `offset` as the error's range: the last token when the error is at the end of the
  // statement, the rest of the statement when no token starts there, the whole statement without offset.
  // `text_end` includes the statement's `;`, which the parser may name ("syntax error at or near ";"").
  ByteRange error_token(ByteRange statement, std::optional<std::size_t> offset, std::size_t text_end) const {
    if (!offset || *offset < statement.begin) return statement;
    pg::LexResult lexed = pg::lex(slice(statement.begin, text_end), statement.begin, pg::lex_options(true, false));
    for (const pg::Token& token : lexed.tokens) {
      if (token.end > *offset) return ByteRange{token.begin, token.end};
    }
    if (*offset >= statement.end) {
      for (auto it = lexed.tokens.rbegin(); it != lexed.tokens.rend(); ++it) {
        if (!it->is(';')) return ByteRange{it->begin, it->end};
      }
    }
    return ByteRange{std::min(*offset, statement.end), statement.end};
  }

  void parse_piece(const pg::StatementPiece& piece) {
    ByteRange range{piece.begin, piece.end};
    if (range.empty()) return;
    if (piece.too_deep_at) {
      add_error(range,
                "statement is nested too deeply to analyse (more than " + std::to_string(kMaxNesting) +
                    " levels of operators and brackets)",
                error_token(range, piece.too_deep_at, piece.text_end));
      return;
    }
    std::string_view text = slice(piece.begin, piece.text_end);
    ParseOutcome outcome = parse(text);
    if (outcome.error) {
      std::optional<std::size_t> at = byte_offset_of_cursor(text, outcome.cursor);
      if (at) *at += piece.begin;
      if (!at && piece.unterminated_at) at = piece.unterminated_at;
      if (piece.unterminated_at) {
        // The unterminated token runs to the end of the region: the error covers all of it.
        std::size_t end = range.end;
        while (end > *at && std::isspace(static_cast<unsigned char>(text_[end - 1]))) --end;
        range.end = std::max(end, range.begin);
        add_error(range, *outcome.error, ByteRange{*at, std::max(end, *at)});
        return;
      }
      add_error(range, *outcome.error, error_token(range, at, piece.text_end));
      return;
    }
    add_statements(*outcome.tree, piece.begin, piece.text_end);
  }

  SourceFilePtr file_;
  const std::string& text_;
  ByteRange region_;
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
