#include <array>
#include <bit>
#include <cctype>
#include <cstdint>
#include <charconv>
#include <cstring>
#include <algorithm>
#include <tuple>

#include "linter/model/finding.h"
#include "linter/model/fingerprint.h"
#include "linter/model/migration.h"
#include "linter/model/operation.h"

namespace migsafe {

const char* to_string(Severity severity) {
  switch (severity) {
    case Severity::Note: return "note";
    case Severity::Warning: return "warning";
    case Severity::Error: return "error";
  }
  return "error";
}

std::optional<Severity> parse_severity(std::string_view text) {
  if (text == "note" || text == "info") return Severity::Note;
  if (text == "warning") return Severity::Warning;
  if (text == "error") return Severity::Error;
  return std::nullopt;
}

namespace {

// Byte classes from a table: this runs for every byte of every finding's statement. Spelled out as
// what isalnum/isspace mean in the "C" locale migsafe runs in, because fingerprints are stored in
// baselines and must not depend on a locale.
constexpr std::array<bool, 256> kWordByte = [] {
  std::array<bool, 256> table{};
  for (int b = 0; b < 256; ++b) {
    table[b] = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || b == '_' || b == '$' ||
               b >= 0x80;
  }
  return table;
}();

inline bool is_word_byte(char c) { return kWordByte[static_cast<unsigned char>(c)]; }

constexpr bool is_space_byte(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }  // space, \t \n \v \f \r

// The length of a PostgreSQL dollar-quote opener ("$$", "$body$") at text[i], or 0.
std::size_t dollar_tag_length(std::string_view text, std::size_t i) {
  if (text[i] != '$') return 0;
  std::size_t j = i + 1;
  if (j < text.size() && (std::isdigit(static_cast<unsigned char>(text[j])) != 0)) return 0;  // $1 parameter
  while (j < text.size() && text[j] != '$' && is_word_byte(text[j])) ++j;
  return j < text.size() && text[j] == '$' ? j - i + 1 : 0;
}

inline bool starts_with_at(std::string_view text, std::size_t i, std::string_view prefix) {
  return text.substr(i, prefix.size()) == prefix;
}

// What the normaliser does with a byte at the start of a token. Word bytes ('$' aside) start a word,
// spaces set the pending space, plain bytes (punctuation) are copied; only the special bytes can open a
// comment, a quoted token or a dollar quote, and go through the full sequence of checks.
enum class ByteClass : unsigned char { Word, Space, Plain, Special };

constexpr std::array<ByteClass, 256> kByteClass = [] {
  std::array<ByteClass, 256> table{};
  for (int b = 0; b < 256; ++b) {
    char c = static_cast<char>(b);
    if (std::string_view("$#\\'\"`-/").find(c) != std::string_view::npos) {
      table[b] = ByteClass::Special;
    } else if (kWordByte[b]) {
      table[b] = ByteClass::Word;
    } else if (is_space_byte(c)) {
      table[b] = ByteClass::Space;
    } else {
      table[b] = ByteClass::Plain;
    }
  }
  return table;
}();

inline ByteClass byte_class(char c) { return kByteClass[static_cast<unsigned char>(c)]; }

// Walks `text` once and hands the identity's pieces to `sink` (append(token), and back()/empty() for the
// space rule). Both statement_identity (a string) and fingerprint (a hash fed while walking, without
// building the string: it runs for every finding of every report) use this one definition.
//
// Words and runs of punctuation are handed over whole: a run of plain bytes gives the same identity as
// its bytes one by one (no space can be pending between them), and only special bytes need the checks
// for comments, quotes and dollar quotes. tests/unit/model/fingerprint_test.cpp compares the identity
// with a byte-at-a-time copy of the first definition.
template <typename Sink>
void normalise_statement(std::string_view text, bool python, Sink& sink) {
  bool pending_space = false;
  // Appends a token's text; a separating space survives only between two word characters.
  auto emit = [&](std::string_view token) {
    if (token.empty()) return;
    if (pending_space && !sink.empty() && is_word_byte(sink.back()) && is_word_byte(token.front())) sink.append(" ");
    pending_space = false;
    sink.append(token);
  };
  // Copies a quoted token verbatim up to its closing delimiter (or the end of the text).
  auto quoted = [&](std::size_t i, std::string_view close, bool backslash_escapes) {
    std::size_t j = i + close.size();
    while (j < text.size() && !starts_with_at(text, j, close)) j += (backslash_escapes && text[j] == '\\') ? 2 : 1;
    j = std::min(text.size(), j + close.size());
    emit(text.substr(i, j - i));
    return j;
  };
  // The token at a special byte; returns where the next one starts.
  auto special = [&](std::size_t i) {
    char c = text[i];
    if (python && c == '#') {
      while (i < text.size() && text[i] != '\n') ++i;
      pending_space = true;
    } else if (python && c == '\\' && i + 1 < text.size() && (text[i + 1] == '\n' || text[i + 1] == '\r')) {
      pending_space = true;  // line continuation
      i += 2;
    } else if (python && (c == '\'' || c == '"')) {
      std::string_view triple = c == '"' ? std::string_view("\"\"\"") : std::string_view("\'\'\'");
      i = starts_with_at(text, i, triple) ? quoted(i, triple, true) : quoted(i, text.substr(i, 1), true);
    } else if (!python && c == '-' && starts_with_at(text, i, "--")) {
      while (i < text.size() && text[i] != '\n') ++i;
      pending_space = true;
    } else if (!python && c == '/' && starts_with_at(text, i, "/*")) {
      int depth = 0;
      while (i < text.size()) {
        if (starts_with_at(text, i, "/*")) {
          ++depth;
          i += 2;
        } else if (starts_with_at(text, i, "*/")) {
          i += 2;
          if (--depth == 0) break;
        } else {
          ++i;
        }
      }
      pending_space = true;
    } else if (!python && (c == '\'' || c == '"' || c == '`')) {
      i = quoted(i, text.substr(i, 1), false);
    } else if (std::size_t tag = !python && (sink.empty() || pending_space || !is_word_byte(sink.back()))
                                     ? dollar_tag_length(text, i)
                                     : 0;
               tag > 0) {
      i = quoted(i, text.substr(i, tag), false);
    } else {
      std::size_t j = i + 1;
      if (is_word_byte(c)) {
        while (j < text.size() && is_word_byte(text[j])) ++j;  // `a$b` is one identifier, not a dollar quote
      }
      emit(text.substr(i, j - i));
      i = j;
    }
    return i;
  };
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t j = i + 1;
    switch (byte_class(text[i])) {
      case ByteClass::Space:
        pending_space = true;
        break;
      case ByteClass::Word:
        while (j < text.size() && is_word_byte(text[j])) ++j;
        emit(text.substr(i, j - i));
        break;
      case ByteClass::Plain:
        while (j < text.size() && byte_class(text[j]) == ByteClass::Plain) ++j;
        emit(text.substr(i, j - i));
        break;
      case ByteClass::Special:
        j = special(i);
        break;
    }
    i = j;
  }
}

struct StringSink {
  std::string& out;
  bool empty() const { return out.empty(); }
  char back() const { return out.back(); }
  void append(std::string_view token) { out += token; }
};

// FNV-1a 64, the fingerprint's hash. As a sink it hashes the identity's bytes as they are produced,
// remembering only what the space rule needs (whether anything was emitted, and the last byte).
struct Fnv1a {
  std::uint64_t hash = 1469598103934665603ULL;
  char last = 0;
  bool any = false;

  void add(std::string_view text) {
    std::uint64_t h = hash;
    const char* p = text.data();
    std::size_t n = text.size();
    // The same bytes in the same order, taken from one 8-byte load at a time where the machine's byte
    // order makes the lowest byte the first: a load and a loop test per eight bytes instead of per byte.
    if constexpr (std::endian::native == std::endian::little) {
      for (; n >= 8; p += 8, n -= 8) {
        std::uint64_t word;
        std::memcpy(&word, p, 8);
        for (int k = 0; k < 8; ++k, word >>= 8) {
          h ^= word & 0xff;
          h *= 1099511628211ULL;
        }
      }
    }
    for (; n > 0; ++p, --n) {
      h ^= static_cast<unsigned char>(*p);
      h *= 1099511628211ULL;
    }
    hash = h;
  }
  void end_field() {
    hash ^= 0xff;
    hash *= 1099511628211ULL;
  }
  bool empty() const { return !any; }
  char back() const { return last; }
  void append(std::string_view token) {
    add(token);
    last = token.back();
    any = true;
  }
};

}  // namespace

std::string statement_identity(std::string_view text, bool python) {
  std::string out;
  out.reserve(text.size());
  StringSink sink{out};
  normalise_statement(text, python, sink);
  return out;
}

// FNV-1a 64 over the identity fields (rule id, path, statement identity, occurrence index), each
// followed by a separator byte. Baselines store these values: the definition must never change.
std::uint64_t fingerprint_prefix(const Finding& finding) {
  Fnv1a fnv;
  bool python = finding.path.size() >= 3 && finding.path.compare(finding.path.size() - 3, 3, ".py") == 0;
  fnv.add(finding.rule_id);
  fnv.end_field();
  fnv.add(finding.path);
  fnv.end_field();
  normalise_statement(finding.identity_text(), python, fnv);
  fnv.end_field();
  return fnv.hash;
}

std::uint64_t fingerprint_with_occurrence(std::uint64_t prefix, int occurrence) {
  Fnv1a fnv;
  fnv.hash = prefix;
  char digits[16];
  char* end = std::to_chars(digits, digits + sizeof digits, occurrence).ptr;
  fnv.add(std::string_view(digits, static_cast<std::size_t>(end - digits)));
  fnv.end_field();
  return fnv.hash;
}

FingerprintDigits::FingerprintDigits(std::uint64_t value) {
  // The two digits of each byte from one table: eight steps instead of sixteen.
  static constexpr std::array<char, 512> kDigitPairs = [] {
    constexpr char kHex[] = "0123456789abcdef";
    std::array<char, 512> pairs{};
    for (int b = 0; b < 256; ++b) {
      pairs[2 * b] = kHex[b >> 4];
      pairs[2 * b + 1] = kHex[b & 15];
    }
    return pairs;
  }();
  for (int k = 7; k >= 0; --k, value >>= 8) std::memcpy(digits_ + 2 * k, &kDigitPairs[2 * (value & 0xff)], 2);
}

std::string fingerprint_hex(std::uint64_t value) { return std::string(FingerprintDigits(value).view()); }

std::string fingerprint(const Finding& finding, int occurrence) {
  return fingerprint_hex(fingerprint_with_occurrence(fingerprint_prefix(finding), occurrence));
}

// The same order as comparing std::tie(path, line, column, rule_id, message), with one three-way compare
// per string: the tuple's operator< compares each equal string twice (a < b, then b < a), and paths
// are equal for most pairs the sorts compare.
bool finding_order(const Finding& a, const Finding& b) {
  if (int order = a.path.compare(b.path); order != 0) return order < 0;
  if (a.start.line != b.start.line) return a.start.line < b.start.line;
  if (a.start.column != b.start.column) return a.start.column < b.start.column;
  if (int order = a.rule_id.compare(b.rule_id); order != 0) return order < 0;
  return a.message.compare(b.message) < 0;
}

const char* to_string(TransactionSource source) {
  switch (source) {
    case TransactionSource::None: return "none";
    case TransactionSource::Explicit: return "explicit";
    case TransactionSource::Runner: return "runner";
    case TransactionSource::ImplicitMultiStatement: return "implicit";
  }
  return "none";
}

const char* to_string(RunnerTransaction mode) {
  switch (mode) {
    case RunnerTransaction::None: return "none";
    case RunnerTransaction::PerScript: return "per-script";
    case RunnerTransaction::ImplicitIfMultiStatement: return "implicit-multi-statement";
  }
  return "none";
}

const char* to_string(DowngradeState state) {
  switch (state) {
    case DowngradeState::NotApplicable: return "not-applicable";
    case DowngradeState::Present: return "present";
    case DowngradeState::Missing: return "missing";
    case DowngradeState::Empty: return "empty";
    case DowngradeState::Irreversible: return "irreversible";
  }
  return "present";
}

const char* to_string(ConstraintKind kind) {
  switch (kind) {
    case ConstraintKind::Check: return "check";
    case ConstraintKind::ForeignKey: return "foreign key";
    case ConstraintKind::Unique: return "unique";
    case ConstraintKind::PrimaryKey: return "primary key";
    case ConstraintKind::Exclusion: return "exclusion";
    case ConstraintKind::NotNull: return "not null";
  }
  return "constraint";
}

const char* to_string(ObjectKind kind) {
  switch (kind) {
    case ObjectKind::View: return "view";
    case ObjectKind::MaterializedView: return "materialized view";
    case ObjectKind::Function: return "function";
    case ObjectKind::Procedure: return "procedure";
    case ObjectKind::Trigger: return "trigger";
    case ObjectKind::Extension: return "extension";
    case ObjectKind::Schema: return "schema";
    case ObjectKind::Domain: return "domain";
    case ObjectKind::Other: return "object";
  }
  return "object";
}

const char* to_string(LockMode mode) {
  switch (mode) {
    case LockMode::None: return "no lock";
    case LockMode::AccessShare: return "ACCESS SHARE";
    case LockMode::RowShare: return "ROW SHARE";
    case LockMode::RowExclusive: return "ROW EXCLUSIVE";
    case LockMode::ShareUpdateExclusive: return "SHARE UPDATE EXCLUSIVE";
    case LockMode::Share: return "SHARE";
    case LockMode::ShareRowExclusive: return "SHARE ROW EXCLUSIVE";
    case LockMode::Exclusive: return "EXCLUSIVE";
    case LockMode::AccessExclusive: return "ACCESS EXCLUSIVE";
  }
  return "ACCESS EXCLUSIVE";
}

bool ColumnSpec::is_serial() const {
  return identity || auto_increment || type.name == "serial2" || type.name == "serial4" ||
         type.name == "serial8";
}

namespace {

struct Describer {
  std::string operator()(const CreateTable& o) const { return "table " + o.table.display(); }
  std::string operator()(const DropTable& o) const {
    return "drop of table " + (o.tables.empty() ? std::string() : o.tables.front().display());
  }
  std::string operator()(const RenameTable& o) const {
    return "rename of table " + o.table.display() + " to " + o.new_name;
  }
  std::string operator()(const TruncateTable&) const { return "truncate"; }
  std::string operator()(const AddColumn& o) const {
    return "column " + o.table.display() + "." + o.column.name;
  }
  std::string operator()(const DropColumn& o) const {
    return "drop of column " + o.table.display() + "." + o.column;
  }
  std::string operator()(const RenameColumn& o) const {
    return "rename of column " + o.table.display() + "." + o.column + " to " + o.new_name;
  }
  std::string operator()(const AlterColumnType& o) const {
    return "type change of column " + o.table.display() + "." + o.column + " to " +
           (o.new_type.written.empty() ? o.new_type.name : o.new_type.written);
  }
  std::string operator()(const SetNotNull& o) const {
    return "NOT NULL on column " + o.table.display() + "." + o.column;
  }
  std::string operator()(const DropNotNull& o) const {
    return "DROP NOT NULL on column " + o.table.display() + "." + o.column;
  }
  std::string operator()(const SetColumnDefault& o) const {
    return std::string(o.value ? "default of column " : "drop of the default of column ") +
           o.table.display() + "." + o.column;
  }
  std::string operator()(const AddConstraint& o) const {
    std::string name = o.constraint.name.empty() ? "" : " " + o.constraint.name;
    return std::string(to_string(o.constraint.kind)) + " constraint" + name + " on " + o.table.display();
  }
  std::string operator()(const DropConstraint& o) const {
    return "drop of constraint " + o.name + " on " + o.table.display();
  }
  std::string operator()(const ValidateConstraint& o) const {
    return "validation of constraint " + o.name + " on " + o.table.display();
  }
  std::string operator()(const CreateIndex& o) const {
    return "index " + (o.index.name.empty() ? std::string("(unnamed)") : o.index.name) + " on " +
           o.index.table.display();
  }
  std::string operator()(const DropIndex& o) const {
    return "drop of index " + (o.indexes.empty() ? std::string() : o.indexes.front().display());
  }
  std::string operator()(const RenameIndex& o) const {
    return "rename of index " + o.index.display() + " to " + o.new_name;
  }
  std::string operator()(const Reindex& o) const { return "reindex of " + o.name.display(); }
  std::string operator()(const CreateEnumType& o) const { return "enum type " + o.type.display(); }
  std::string operator()(const AddEnumValue& o) const {
    return "value '" + o.value + "' of enum type " + o.type.display();
  }
  std::string operator()(const RenameEnumValue& o) const {
    return "rename of value '" + o.old_value + "' of enum type " + o.type.display();
  }
  std::string operator()(const DropType& o) const {
    return "drop of type " + (o.types.empty() ? std::string() : o.types.front().display());
  }
  std::string operator()(const CreateSequence& o) const { return "sequence " + o.sequence.display(); }
  std::string operator()(const DropSequence& o) const {
    return "drop of sequence " + (o.sequences.empty() ? std::string() : o.sequences.front().display());
  }
  std::string operator()(const CreateObject& o) const {
    return std::string(to_string(o.kind)) + " " + o.name.display();
  }
  std::string operator()(const DropObject& o) const {
    return std::string("drop of ") + to_string(o.kind) + " " +
           (o.names.empty() ? std::string() : o.names.front().display());
  }
  std::string operator()(const SetSetting& o) const { return "setting " + o.name; }
  std::string operator()(const TransactionControl&) const { return "transaction control"; }
  std::string operator()(const DataChange& o) const { return "data change on " + o.table.display(); }
  std::string operator()(const Vacuum&) const { return "vacuum"; }
  std::string operator()(const Cluster& o) const { return "cluster of " + o.table.display(); }
  std::string operator()(const SetLogged& o) const {
    return std::string(o.logged ? "SET LOGGED" : "SET UNLOGGED") + " on " + o.table.display();
  }
  std::string operator()(const RebuildTable& o) const { return "rebuild of " + o.table.display(); }
  std::string operator()(const AttachPartition& o) const {
    return "partition " + o.partition.display() + " of " + o.parent.display();
  }
  std::string operator()(const DetachPartition& o) const {
    return "detach of partition " + o.partition.display();
  }
  std::string operator()(const DropDatabase& o) const { return "drop of database " + o.name; }
  std::string operator()(const DropSchema& o) const {
    return "drop of schema " + (o.names.empty() ? std::string() : o.names.front());
  }
  std::string operator()(const AlterTableOther& o) const { return o.description; }
  std::string operator()(const MysqlAlterOptions& o) const { return "ALTER options on " + o.table.display(); }
  std::string operator()(const UncheckedOperation& o) const { return o.description; }
  std::string operator()(const OtherStatement& o) const { return o.description; }
};

}  // namespace

std::string describe(const Operation& op) { return std::visit(Describer{}, op.data); }

}  // namespace migsafe
