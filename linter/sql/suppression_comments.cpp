#include "linter/sql/suppression_comments.h"

#include <algorithm>
#include <cctype>
#include <cstring>

#include "linter/sql/pg_lexer.h"
#include "linter/util/text.h"

namespace migsafe {

namespace {

// `prefix` is lower case.
bool starts_with_ci(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && equals_folded(text.substr(0, prefix.size()), prefix);
}

bool is_fixture_annotation(std::string_view part) {
  part = trim(part);
  return starts_with_ci(part, "expect:") || starts_with_ci(part, "migsafe-test:");
}

// Splits at `--` separators: rules, then the reason (possibly followed by fixture annotations).
std::vector<std::string_view> split_dashes(std::string_view text) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    std::size_t at = text.find("--", start);
    if (at == std::string_view::npos) {
      parts.push_back(text.substr(start));
      return parts;
    }
    parts.push_back(text.substr(start, at - start));
    start = at + 2;
  }
}

// Whether `text` contains "migsafe:" in any case. Runs over every file: it jumps from `:` to `:` with
// memchr and compares the 7 bytes before each, instead of a case-folding comparison at every byte.
bool mentions_marker(std::string_view text) {
  constexpr std::string_view kName = "migsafe";
  std::size_t from = kName.size();
  while (from < text.size()) {
    const void* colon = std::memchr(text.data() + from, ':', text.size() - from);
    if (colon == nullptr) return false;
    std::size_t at = static_cast<std::size_t>(static_cast<const char*>(colon) - text.data());
    if (starts_with_ci(text.substr(at - kName.size()), kName)) return true;
    from = at + 1;
  }
  return false;
}

int line_of(const SourceFile& file, std::size_t offset) { return file.position_of(offset).line; }

int last_line_of(const SourceFile& file, ByteRange range) {
  return file.position_of(range.end > range.begin ? range.end - 1 : range.begin).line;
}

}  // namespace

std::optional<SuppressionDirective> parse_suppression_directive(std::string_view body) {
  std::string_view text = trim(body);
  while (!text.empty() && text.front() == '*') text = trim(text.substr(1));  // `/** migsafe:... */`
  if (!starts_with_ci(text, "migsafe:")) return std::nullopt;
  text = trim(text.substr(8));
  SuppressionDirective directive;
  if (starts_with_ci(text, "ignore-file")) {
    directive.file_level = true;
    text = text.substr(11);
  } else if (starts_with_ci(text, "ignore")) {
    text = text.substr(6);
  } else {
    return std::nullopt;
  }
  // `ignore-filex`, `ignored`: another word, not our directive.
  if (!text.empty() && (std::isalnum(static_cast<unsigned char>(text.front())) || text.front() == '-' || text.front() == '_')) {
    return std::nullopt;
  }
  std::vector<std::string_view> parts = split_dashes(text);
  std::string_view rules = parts.front();
  std::string current;
  auto flush = [&]() {
    if (!current.empty()) directive.rules.push_back(current);
    current.clear();
  };
  for (char c : rules) {
    if (std::isspace(static_cast<unsigned char>(c)) || c == ',' || c == '[' || c == ']' || c == ':' || c == '=') {
      flush();
    } else {
      current += ascii_lower(c);
    }
  }
  flush();
  for (std::size_t i = 1; i < parts.size(); ++i) {
    if (is_fixture_annotation(parts[i])) break;
    std::string_view part = trim(parts[i]);
    if (part.empty()) continue;
    if (!directive.reason.empty()) directive.reason += " -- ";
    directive.reason += part;
  }
  return directive;
}

std::vector<Suppression> sql_suppressions(const SourceFilePtr& file, ByteRange region,
                                          const std::vector<Statement>& statements) {
  std::vector<Suppression> suppressions;
  const std::string& text = file->text();
  region.begin = std::min(region.begin, text.size());
  region.end = std::clamp(region.end, region.begin, text.size());
  std::string_view source = std::string_view(text).substr(region.begin, region.end - region.begin);
  if (!mentions_marker(source)) return suppressions;  // the common case: no directive, no need to scan comments
  pg::LexResult lexed = pg::lex(source, region.begin, pg::lex_options(false, true));
  for (const pg::Comment& comment : lexed.comments) {
    std::optional<SuppressionDirective> directive = parse_suppression_directive(comment.body);
    if (!directive) continue;
    Suppression suppression;
    suppression.file = file;
    suppression.range = ByteRange{comment.begin, comment.end};
    suppression.rules = std::move(directive->rules);
    suppression.reason = std::move(directive->reason);
    suppression.file_level = directive->file_level;
    int comment_line = line_of(*file, comment.begin);
    suppression.first_line = comment_line;
    suppression.last_line = comment_line;
    if (suppression.file_level) {
      suppression.first_line = 1;
      suppression.last_line = static_cast<int>(file->line_count());
    } else {
      const Statement* target = nullptr;
      // The first statement that ends after the comment starts: it either contains the comment or follows it.
      auto next = std::lower_bound(statements.begin(), statements.end(), comment.begin,
                                   [](const Statement& s, std::size_t offset) { return s.range.end <= offset; });
      if (next != statements.end() && next->range.begin < comment.begin) {
        target = &*next;  // inside a multi-line statement
      } else if (next != statements.begin() && last_line_of(*file, std::prev(next)->range) == comment_line) {
        target = &*std::prev(next);  // trailing the statement on the same line
      } else if (next != statements.end()) {
        target = &*next;
      }
      if (target != nullptr) {
        suppression.first_line = line_of(*file, target->range.begin);
        suppression.last_line = last_line_of(*file, target->range);
      }
    }
    suppressions.push_back(std::move(suppression));
  }
  return suppressions;
}

}  // namespace migsafe
