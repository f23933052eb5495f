// Fingerprints are stored in baselines and by CI systems (GitLab, SARIF): a faster implementation must
// give exactly the values earlier versions gave. The pinned values below were printed by migsafe before
// fingerprint() hashed while normalising; the differential tests compare against the original
// two-pass definition (the statement identity, then FNV-1a over the fields) on generated statement
// texts, with the identity computed by a byte-at-a-time copy of the normaliser as first released.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <vector>
#include <string>
#include <string_view>

#include "linter/model/finding.h"
#include "tests/unit/random_text.h"

namespace migsafe {
namespace {

Finding make_finding(std::string rule, std::string path, std::string text, std::string message = "message") {
  Finding finding;
  finding.rule_id = std::move(rule);
  finding.path = std::move(path);
  finding.fingerprint_text = std::move(text);
  finding.message = std::move(message);
  return finding;
}

// The statement identity as first released, one byte or token at a time: the reference for
// statement_identity(), whose faster walk must give the same text for every input.
bool reference_word_byte(char c) {
  auto b = static_cast<unsigned char>(c);
  return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || b == '_' || b == '$' || b >= 0x80;
}

std::string reference_identity(std::string_view text, bool python) {
  std::string out;
  bool pending_space = false;
  auto starts_with_at = [&text](std::size_t i, std::string_view prefix) { return text.substr(i, prefix.size()) == prefix; };
  auto emit = [&](std::string_view token) {
    if (token.empty()) return;
    if (pending_space && !out.empty() && reference_word_byte(out.back()) && reference_word_byte(token.front())) out += ' ';
    pending_space = false;
    out += token;
  };
  auto quoted = [&](std::size_t i, std::string_view close, bool backslash_escapes) {
    std::size_t j = i + close.size();
    while (j < text.size() && !starts_with_at(j, close)) j += (backslash_escapes && text[j] == '\\') ? 2 : 1;
    j = std::min(text.size(), j + close.size());
    emit(text.substr(i, j - i));
    return j;
  };
  auto dollar_tag_length = [&text](std::size_t i) -> std::size_t {
    if (text[i] != '$') return 0;
    std::size_t j = i + 1;
    if (j < text.size() && text[j] >= '0' && text[j] <= '9') return 0;
    while (j < text.size() && text[j] != '$' && reference_word_byte(text[j])) ++j;
    return j < text.size() && text[j] == '$' ? j - i + 1 : 0;
  };
  std::size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (c == ' ' || (c >= '\t' && c <= '\r')) {
      pending_space = true;
      ++i;
    } else if (python && c == '#') {
      while (i < text.size() && text[i] != '\n') ++i;
      pending_space = true;
    } else if (python && c == '\\' && i + 1 < text.size() && (text[i + 1] == '\n' || text[i + 1] == '\r')) {
      pending_space = true;
      i += 2;
    } else if (python && (c == '\'' || c == '"')) {
      std::string_view triple = c == '"' ? std::string_view("\"\"\"") : std::string_view("\'\'\'");
      i = starts_with_at(i, triple) ? quoted(i, triple, true) : quoted(i, text.substr(i, 1), true);
    } else if (!python && starts_with_at(i, "--")) {
      while (i < text.size() && text[i] != '\n') ++i;
      pending_space = true;
    } else if (!python && starts_with_at(i, "/*")) {
      int depth = 0;
      while (i < text.size()) {
        if (starts_with_at(i, "/*")) {
          ++depth;
          i += 2;
        } else if (starts_with_at(i, "*/")) {
          i += 2;
          if (--depth == 0) break;
        } else {
          ++i;
        }
      }
      pending_space = true;
    } else if (!python && (c == '\'' || c == '"' || c == '`')) {
      i = quoted(i, text.substr(i, 1), false);
    } else if (std::size_t tag = !python && (out.empty() || pending_space || !reference_word_byte(out.back()))
                                     ? dollar_tag_length(i)
                                     : 0;
               tag > 0) {
      i = quoted(i, text.substr(i, tag), false);
    } else {
      std::size_t j = i + 1;
      if (reference_word_byte(c)) {
        while (j < text.size() && reference_word_byte(text[j])) ++j;
      }
      emit(text.substr(i, j - i));
      i = j;
    }
  }
  return out;
}

// The definition of fingerprint() as first released: FNV-1a 64 over rule id, path, statement identity
// and occurrence index, each followed by 0xff.
std::string two_pass_fingerprint(const Finding& finding, int occurrence) {
  std::uint64_t hash = 1469598103934665603ULL;
  auto mix = [&hash](std::string_view text) {
    for (char c : text) {
      hash ^= static_cast<unsigned char>(c);
      hash *= 1099511628211ULL;
    }
    hash ^= 0xff;
    hash *= 1099511628211ULL;
  };
  bool python = finding.path.size() >= 3 && finding.path.compare(finding.path.size() - 3, 3, ".py") == 0;
  mix(finding.rule_id);
  mix(finding.path);
  mix(reference_identity(finding.fingerprint_text.empty() ? finding.message : finding.fingerprint_text, python));
  mix(std::to_string(occurrence));
  char buffer[17];
  std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(hash));
  return buffer;
}

TEST(Fingerprint, PinnedValues) {
  struct Case {
    Finding finding;
    int occurrence;
    const char* expected;
  };
  Case cases[] = {
      {make_finding("adding-not-null-column", "migrations/0001.sql",
                    "ALTER TABLE users\n  ADD COLUMN email text -- the address\n  NOT NULL;"),
       0, "2eb4dea303f6b465"},
      {make_finding("adding-not-null-column", "migrations/0001.sql",
                    "ALTER TABLE users\n  ADD COLUMN email text -- the address\n  NOT NULL;"),
       3, "2ebedea303ff08ea"},
      {make_finding("require-concurrent-index", "db/0002.sql",
                    "CREATE INDEX /* outer /* nested */ x */ idx ON t (a, b) WHERE s = 'a  b' AND $q$ x $q$ = $1;"),
       0, "1ec6c35cac874c24"},
      {make_finding("batch-data-migration", "alembic/versions/abc_add.py",
                    "op.execute(\"\"\"UPDATE t SET a = 1  # kept\n\"\"\")  # dropped\nop.add_column('t',\\\n  sa.Column('x'))"),
       0, "cc0f57e93aa838b7"},
      {make_finding("multiple-heads", "", "", "Two heads: a1 and b2."), 0, "fef94df9ac6e9c69"},
      {make_finding("syntax-error", "bad.sql", std::string("SELECT '\xff\xfe unterminated \\' x\r\n  \"q", 33)), 1,
       "936fb260ef77d238"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(fingerprint(c.finding, c.occurrence), c.expected) << c.finding.fingerprint_text;
  }
}

// Random statement texts built from the pieces the normaliser treats specially (comments, quotes,
// dollar quotes, escapes, Python continuations, non-ASCII and truncated input).
TEST(Fingerprint, SameAsTwoPassDefinition) {
  static const char* const kPieces[] = {
      " ",  "  ", "\n", "\r\n", "\t", "--", "-", "/*", "*/", "/", "*", "#", "'", "\"", "`", "\\", "\\\n", "$",
      "$$", "$a$", "$1", "a$b", "$tag", "\"\"\"", "'''", "x", "users", "ADD", "_", "9", "(", ")", ",", ";",
      "=", "\xc3\xa9", "\xff", "\xe2\x80", "é", "\f", "\v", "\r", ".", "\x01", "a--b", "x//y"};
  std::vector<std::string> texts = testing::random_texts(kPieces, 12345, 40, 20000);
  for (std::size_t round = 0; round < texts.size(); ++round) {
    const std::string& text = texts[round];
    for (const char* path : {"m/0001.sql", "versions/x.py", ""}) {
      Finding finding = make_finding("rule", path, text, "fallback message");
      int occurrence = static_cast<int>(round % 13);
      ASSERT_EQ(fingerprint(finding, occurrence), two_pass_fingerprint(finding, occurrence))
          << "text: " << text << " path: " << path;
    }
    for (bool python : {false, true}) {
      ASSERT_EQ(statement_identity(text, python), reference_identity(text, python)) << "text: " << text;
    }
  }
}

}  // namespace
}  // namespace migsafe
