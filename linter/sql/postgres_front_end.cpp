// Splitting, parsing and error recovery for a region of PostgreSQL SQL.
//
// The region is split into statements (pg_splitter.h, one lexer pass) and parsed in chunks of many
// statements. A chunk that fails is parsed statement by statement, so one bad statement becomes one
// error statement and every other statement is still analysed. A string, dollar quote or comment that never ends swallows
// the rest of the region into one error statement; the statements before it are still returned.
#include "linter/sql/postgres_front_end.h"

#include <pthread.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <span>
#include <utility>
#include <vector>

#include "linter/sql/large_stack.h"
#include "linter/sql/pg_lexer.h"
#include "linter/sql/pg_splitter.h"
#include "linter/sql/pg_translate.h"
#include "linter/sql/suppression_comments.h"

namespace migsafe {

namespace {

// More nesting than this (operators in one chain plus open brackets) is refused before parsing: the
// grammar accepts arbitrarily long left-associative chains (`1 + 1 + ...`), and code that walks such a
// tree recursively would overflow any stack. Real migrations stay far below it.
constexpr int kMaxNesting = 10000;
// Measured: the worst inputs just below kMaxNesting (10,000 chained NOTs, `||`, `::`, IS NULL; 3,300
// levels of `1+(`; 4,900 nested calls or ARRAYs) parse with a peak RSS of 36 MB for the whole process.
// The rest is margin; only touched pages are committed.
constexpr std::size_t kParserStackBytes = std::size_t{256} << 20;
// Up to this nesting estimate (pg_splitter.h), parsing needs far less stack than kInlineStackBytes (each
// level costs a few recursive calls of a few hundred bytes in the grammar actions and the translators),
// so it runs on the calling thread when that much stack is left.
constexpr long kInlineNesting = 100;
constexpr std::size_t kInlineStackBytes = std::size_t{2} << 20;
// Statements are parsed in chunks of about this many bytes of SQL (see ScriptParser::run).
constexpr std::size_t kChunkBytes = std::size_t{64} << 10;

// Bytes of stack left below the current frame on the calling thread (0 when unknown).
std::size_t stack_left() {
  thread_local std::uintptr_t stack_low = [] {
    pthread_attr_t attributes;
    void* address = nullptr;
    std::size_t size = 0;
    if (pthread_getattr_np(pthread_self(), &attributes) != 0) return std::uintptr_t{0};
    bool known = pthread_attr_getstack(&attributes, &address, &size) == 0;
    pthread_attr_destroy(&attributes);
    return known ? reinterpret_cast<std::uintptr_t>(address) : std::uintptr_t{0};
  }();
  char here = 0;
  auto current = reinterpret_cast<std::uintptr_t>(&here);
  return stack_low != 0 && current > stack_low ? current - stack_low : 0;
}

// Owns the memory context a parse tree lives in: releasing it frees the whole tree at once.
class ParserMemory {
 public:
  ParserMemory() = default;
  explicit ParserMemory(MemoryContext context) : context_(context) {}
  ParserMemory(ParserMemory&& other) noexcept : context_(std::exchange(other.context_, nullptr)) {}
  ParserMemory& operator=(ParserMemory&& other) noexcept {
    std::swap(context_, other.context_);
    return *this;
  }
  ~ParserMemory() {
    if (context_ != nullptr) pg_query_exit_memory_context(context_);
  }

 private:
  MemoryContext context_ = nullptr;
};

// The statements libpg_query parsed (RawStmt nodes), valid as long as the outcome lives.
struct ParseOutcome {
  const List* statements = nullptr;
  std::optional<std::string> error;
  int cursor = 0;  // 1-based character position of the error in the parsed text, 0 when unknown
  ParserMemory memory;
};

// The parser reads a NUL-terminated string. `text` is read in place when `nul_terminated` (it ends
// where its std::string ends) and holds no NUL; otherwise the parser gets a copy in which a stray NUL
// byte, which would end the text early, becomes a space (a NUL is not valid SQL anywhere, and offsets
// stay the same). The parser copies what it keeps, so the tree does not point into `text`.
ParseOutcome parse(std::string_view text, bool nul_terminated = false) {
  std::string copy;
  const char* input = text.data();
  if (!nul_terminated || std::memchr(text.data(), '\0', text.size()) != nullptr) {
    copy.assign(text);
    std::replace(copy.begin(), copy.end(), '\0', ' ');
    input = copy.c_str();
  }
  ParseOutcome outcome;
  // pg_query_parse without its JSON rendering of the tree: the same parser, memory context and errors.
  outcome.memory = ParserMemory(pg_query_enter_memory_context());
  PgQueryInternalParsetreeAndError result = pg_query_raw_parse(input);
  if (result.error != nullptr) {
    outcome.error = result.error->message != nullptr ? result.error->message : "syntax error";
    outcome.cursor = result.error->cursorpos;
    pg_query_free_error(result.error);
  } else {
    outcome.statements = result.tree;
  }
  std::free(result.stderr_buffer);
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

  // Splitting is iterative: it runs on any stack and tells how deep the statements nest.
  void split(pg::SplitResult& into) const {
    pg::split_statements(slice(region_.begin, region_.end), region_.begin, kMaxNesting, into);
  }

  SqlScriptResult run(const pg::SplitResult& split) {
    region_tokens_ = split.tokens;
    result_.statements.reserve(split.pieces.size());
    // Statements are parsed in chunks of about kChunkBytes: one parser call per chunk keeps the call
    // overhead low, and the bounded chunk keeps memory flat (the parser's tree takes tens of bytes per
    // byte of SQL). A chunk that fails is re-parsed statement by statement, so the error lands on the
    // statement that has it.
    std::size_t first = 0;
    while (first < split.pieces.size()) {
      std::size_t last = first;
      std::size_t chunk_begin = split.pieces[first].begin;
      while (last < split.pieces.size() && is_plain(split.pieces[last]) &&
             (last == first || split.pieces[last].text_end - chunk_begin <= kChunkBytes)) {
        ++last;
      }
      if (last == first) {
        parse_piece(split.pieces[first]);  // too deep or unterminated: reported on its own
        ++first;
        continue;
      }
      std::size_t chunk_end = split.pieces[last - 1].text_end;
      // The last chunk of a region that ends with the file takes the trailing comments and white space
      // too: then it ends where the file's text ends and is parsed in place, without a copy.
      if (last == split.pieces.size() && region_.end == text_.size()) chunk_end = text_.size();
      ParseOutcome chunk =
          last - first > 1 ? parse(slice(chunk_begin, chunk_end), chunk_end == text_.size()) : ParseOutcome{};
      if (last - first > 1 && !chunk.error) {
        add_statements(chunk.statements, chunk_begin, chunk_end,
                       std::span<const pg::StatementPiece>(split.pieces).subspan(first, last - first));
      } else {
        for (std::size_t i = first; i < last; ++i) parse_piece(split.pieces[i]);
      }
      first = last;
    }
    result_.suppressions = sql_suppressions(file_, region_, result_.statements);
    return std::move(result_);
  }

 private:
  static bool is_plain(const pg::StatementPiece& piece) { return !piece.too_deep_at && !piece.unterminated_at; }

  std::string_view slice(std::size_t begin, std::size_t end) const {
    return std::string_view(text_).substr(begin, end - begin);
  }

  // The statement without surrounding whitespace, comments and `;`; empty when there is no token.
  ByteRange trimmed(std::size_t begin, std::size_t end) const {
    std::optional<std::size_t> first;
    std::size_t last = begin;
    std::optional<std::size_t> unterminated_at = pg::scan_tokens(slice(begin, end), begin, [&](const pg::Token& token) {
      if (token.is(';')) return;
      if (!first) first = token.begin;
      last = token.end;
    });
    if (unterminated_at) last = end;
    if (!first) return ByteRange{begin, begin};
    return ByteRange{*first, std::max(last, *first)};
  }

  // The tokens of `piece` when the splitter kept them (exactly from its first to its last token), else empty.
  std::span<const pg::Token> piece_tokens(const pg::StatementPiece* piece) const {
    if (piece == nullptr || piece->first_token >= piece->end_token || piece->end_token > region_tokens_.size()) return {};
    std::span<const pg::Token> tokens = region_tokens_.subspan(piece->first_token, piece->end_token - piece->first_token);
    if (tokens.front().begin != piece->begin || tokens.back().end != piece->end) return {};
    return tokens;
  }

  // `statements`: libpg_query's RawStmt nodes (the statement, its offset and length in the parsed text).
  // `pieces`: the splitter's statements in the parsed text. A statement that covers exactly one of them
  // takes its range from it (the splitter already found its first and last token); otherwise it is
  // trimmed by lexing it again.
  void add_statements(const List* statements, std::size_t base, std::size_t buffer_end,
                      std::span<const pg::StatementPiece> pieces) {
    std::size_t next_piece = 0;
    for (const Node* node : pg::nodes(statements)) {
      const RawStmt* raw = pg::as<RawStmt>(node);
      if (raw == nullptr) continue;
      std::int64_t location = raw->stmt_location;
      std::int64_t length = raw->stmt_len;
      std::size_t begin = std::min(base + static_cast<std::size_t>(std::max<std::int64_t>(location, 0)), buffer_end);
      // stmt_len 0 means "to the end of the parsed text" (the last statement without a `;`).
      std::size_t end = length > 0 ? begin + static_cast<std::size_t>(length) : buffer_end;
      end = std::min(end, buffer_end);
      while (next_piece < pieces.size() && pieces[next_piece].begin < begin) ++next_piece;
      std::size_t covered = next_piece;
      while (covered < pieces.size() && pieces[covered].end <= end) ++covered;
      const pg::StatementPiece* piece =
          covered == next_piece + 1 && is_plain(pieces[next_piece]) ? &pieces[next_piece] : nullptr;
      ByteRange range = piece != nullptr ? ByteRange{piece->begin, piece->end} : trimmed(begin, end);
      if (range.empty()) continue;
      // Built in its place in the list (reserved for every piece): no move of the statement afterwards.
      Statement& statement = result_.statements.emplace_back();
      statement.range = range;
      if (std::span<const pg::Token> tokens = piece_tokens(piece); !tokens.empty()) {
        // The splitter already knows the piece's tokens: no search in the region's tokens.
        pg::StatementContext context(text_, base, statement.range, pg::StatementContext::ExactTokens{tokens});
        pg::translate_statement(context, raw->stmt, statement.operations);
      } else {
        pg::StatementContext context(text_, base, statement.range, region_tokens_);
        pg::translate_statement(context, raw->stmt, statement.operations);
      }
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
    add_statements(outcome.statements, piece.begin, piece.text_end, std::span<const pg::StatementPiece>(&piece, 1));
  }

  SourceFilePtr file_;
  const std::string& text_;
  ByteRange region_;
  std::span<const pg::Token> region_tokens_;  // SplitResult::tokens: empty when not kept
  SqlScriptResult result_;
};

}  // namespace

namespace {

// The splitter's token and piece lists, reused from file to file on one thread: they are rebuilt for
// every file, and fresh vectors would cost allocations and first-touch page faults (about 10 bytes of
// tokens per byte of SQL) each time. A nested call (the buffer is in use) gets its own lists.
class SplitBuffer {
 public:
  SplitBuffer() {
    if (!in_use_) {
      in_use_ = true;
      owner_ = true;
      split_ = &shared_;
    } else {
      split_ = &own_;
    }
  }
  ~SplitBuffer() {
    if (!owner_) return;
    // A huge file's lists are not kept for the rest of the run.
    constexpr std::size_t kRetainedBytes = std::size_t{1} << 20;
    if (shared_.tokens.capacity() * sizeof(pg::Token) > kRetainedBytes) std::vector<pg::Token>().swap(shared_.tokens);
    if (shared_.pieces.capacity() * sizeof(pg::StatementPiece) > kRetainedBytes) {
      std::vector<pg::StatementPiece>().swap(shared_.pieces);
    }
    in_use_ = false;
  }
  SplitBuffer(const SplitBuffer&) = delete;
  SplitBuffer& operator=(const SplitBuffer&) = delete;
  pg::SplitResult& get() { return *split_; }

 private:
  static thread_local pg::SplitResult shared_;
  static thread_local bool in_use_;
  pg::SplitResult own_;
  pg::SplitResult* split_ = nullptr;
  bool owner_ = false;
};

thread_local pg::SplitResult SplitBuffer::shared_;
thread_local bool SplitBuffer::in_use_ = false;

}  // namespace

SqlScriptResult parse_postgres_script(const SourceFilePtr& file, ByteRange region) {
  SqlScriptResult result;
  if (!file) return result;
  ScriptParser parser(file, region);
  SplitBuffer buffer;
  pg::SplitResult& split = buffer.get();
  parser.split(split);
  // Shallow statements (every real migration) are parsed right here; handing each file to the
  // large-stack thread costs two context switches.
  if (split.deepest <= kInlineNesting && stack_left() >= kInlineStackBytes) return parser.run(split);
  run_with_large_stack(kParserStackBytes, [&] { result = parser.run(split); });
  return result;
}

}  // namespace migsafe
