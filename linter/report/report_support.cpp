#include "linter/report/report_support.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <unordered_set>
#include <utility>

#include "linter/engine/rule.h"
#include "linter/model/fingerprint.h"

namespace migsafe {

std::vector<const Finding*> in_report_order(const std::vector<Finding>& findings) {
  std::vector<const Finding*> ordered;
  ordered.reserve(findings.size());
  for (const Finding& finding : findings) ordered.push_back(&finding);
  // The driver hands findings over already sorted; one linear check is much cheaper than a sort of
  // pointers that compares strings, and a caller that did not sort still gets the same order.
  auto before = [](const Finding* a, const Finding* b) { return finding_order(*a, *b); };
  if (!std::is_sorted(ordered.begin(), ordered.end(), before)) std::stable_sort(ordered.begin(), ordered.end(), before);
  return ordered;
}

SeverityTotals count_findings(const std::vector<const Finding*>& findings) {
  SeverityTotals totals;
  // Findings in report order come grouped by path in ascending order: then every change to a greater
  // path is a new file, and no set of paths is needed. Input in any other order falls back to a set.
  std::string_view previous_path;
  bool ascending = true;
  std::size_t ascending_paths = 0;
  std::unordered_set<std::string_view> paths;
  for (const Finding* finding : findings) {
    switch (finding->severity) {
      case Severity::Error: ++totals.errors; break;
      case Severity::Warning: ++totals.warnings; break;
      case Severity::Note: ++totals.notes; break;
    }
    std::string_view path = finding->path;
    if (path.empty() || path == previous_path) continue;
    if (ascending && path > previous_path) {
      ++ascending_paths;
    } else if (ascending) {
      ascending = false;
      for (const Finding* seen : findings) {
        if (seen == finding) break;
        if (!seen->path.empty()) paths.insert(seen->path);
      }
    }
    if (!ascending) paths.insert(path);
    previous_path = path;
  }
  totals.files_with_findings = ascending ? ascending_paths : paths.size();
  return totals;
}

std::string count_of(std::size_t count, std::string_view singular) {
  std::string text = std::to_string(count) + " " + std::string(singular);
  if (count != 1) text += "s";
  return text;
}

std::string summary_sentence(const SeverityTotals& totals, std::size_t files_checked) {
  if (totals.total() == 0) return "No findings in " + count_of(files_checked, "file");
  std::vector<std::string> parts;
  if (totals.errors) parts.push_back(count_of(totals.errors, "error"));
  if (totals.warnings) parts.push_back(count_of(totals.warnings, "warning"));
  if (totals.notes) parts.push_back(count_of(totals.notes, "note"));
  std::string text;
  for (std::size_t i = 0; i < parts.size(); ++i) text += (i ? ", " : "") + parts[i];
  if (totals.files_with_findings > 0) text += " in " + count_of(totals.files_with_findings, "file");
  if (files_checked > 0) text += " (" + count_of(files_checked, "file") + " checked)";
  return text;
}

namespace {

// Open-addressing tables for unique_fingerprints, sized once for the report: std::unordered_map/set
// allocated a node per finding and scattered them over the heap. Keys are 64-bit hashes already, so a
// multiplicative step (Fibonacci hashing) spreads them over the slots; its high bits are used, since
// FNV-1a's low bits vary little between texts that differ only at their end.
struct TableShape {
  explicit TableShape(std::size_t entries) {
    // At most half full: linear probes stay short.
    while ((std::size_t{1} << bits) < 2 * entries) ++bits;
  }
  std::size_t size() const { return std::size_t{1} << bits; }
  std::size_t home(std::uint64_t hash) const { return static_cast<std::size_t>((hash * 0x9E3779B97F4A7C15ULL) >> (64 - bits)); }
  std::size_t next(std::size_t slot) const { return (slot + 1) & (size() - 1); }
  int bits = 4;
};

// Occurrence counters per "same statement": rule, path and raw identity text. Identical raw text always
// gives the identical fingerprint prefix, so the prefix, computed anyway, serves as the hash, and the
// texts are compared (with the first finding of that key) only when prefixes are equal.
class OccurrenceCounters {
 public:
  explicit OccurrenceCounters(std::size_t findings) : shape_(findings), slots_(shape_.size()) {}

  // The next occurrence index of `finding`'s key (0 for its first finding); the caller advances it.
  int& counter(const Finding& finding, std::uint64_t prefix) {
    for (std::size_t i = shape_.home(prefix);; i = shape_.next(i)) {
      Slot& slot = slots_[i];
      if (!slot.first) {
        slot = Slot{prefix, &finding, 0};
        return slot.next_occurrence;
      }
      if (slot.prefix == prefix && same_key(*slot.first, finding)) return slot.next_occurrence;
    }
  }

 private:
  struct Slot {
    std::uint64_t prefix = 0;
    const Finding* first = nullptr;  // null: free
    int next_occurrence = 0;
  };

  static bool same_key(const Finding& a, const Finding& b) {
    return a.rule_id == b.rule_id && a.path == b.path && a.identity_text() == b.identity_text();
  }

  TableShape shape_;
  std::vector<Slot> slots_;
};

// The fingerprint values handed out so far. 0 marks a free slot; the value 0 itself is tracked apart.
class UsedValues {
 public:
  explicit UsedValues(std::size_t values) : shape_(values), slots_(shape_.size(), 0) {}

  // False when `value` was handed out before.
  bool insert(std::uint64_t value) {
    if (value == 0) return !std::exchange(zero_used_, true);
    for (std::size_t i = shape_.home(value);; i = shape_.next(i)) {
      if (slots_[i] == value) return false;
      if (slots_[i] == 0) {
        slots_[i] = value;
        return true;
      }
    }
  }

 private:
  TableShape shape_;
  std::vector<std::uint64_t> slots_;
  bool zero_used_ = false;
};

}  // namespace

std::vector<std::uint64_t> unique_fingerprints(const std::vector<const Finding*>& findings) {
  OccurrenceCounters occurrences(findings.size());
  // Exactly one value per finding is inserted (a retry after a collision inserts nothing).
  UsedValues used(findings.size());
  std::vector<std::uint64_t> result;
  result.reserve(findings.size());
  for (const Finding* finding : findings) {
    std::uint64_t prefix = fingerprint_prefix(*finding);
    int& occurrence = occurrences.counter(*finding, prefix);
    std::uint64_t value = fingerprint_with_occurrence(prefix, occurrence++);
    while (!used.insert(value)) value = fingerprint_with_occurrence(prefix, occurrence++);
    result.push_back(value);
  }
  return result;
}

const RuleInfo* find_rule(const ReportContext& context, std::string_view id) {
  for (const RuleInfo* info : context.rules) {
    if (info && info->id == id) return info;
  }
  return nullptr;
}

std::string rule_doc_url(const ReportContext& context, std::string_view id) {
  const std::string& base = context.docs_base_url;
  if (base.empty()) return {};
  if (auto placeholder = base.find("{id}"); placeholder != std::string::npos) {
    std::string url = base;
    url.replace(placeholder, 4, id);
    return url;
  }
  return base + (base.back() == '/' ? "" : "/") + std::string(id);
}

namespace {

bool is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// Strict decoding of one well-formed sequence at text[i]; 0 bytes when malformed.
std::size_t decode_strict(std::string_view text, std::size_t i, char32_t& cp) {
  unsigned char lead = static_cast<unsigned char>(text[i]);
  std::size_t length;
  char32_t min;
  if (lead < 0x80) { cp = lead; return 1; }
  if ((lead & 0xE0) == 0xC0) { length = 2; cp = lead & 0x1F; min = 0x80; }
  else if ((lead & 0xF0) == 0xE0) { length = 3; cp = lead & 0x0F; min = 0x800; }
  else if ((lead & 0xF8) == 0xF0) { length = 4; cp = lead & 0x07; min = 0x10000; }
  else return 0;
  if (i + length > text.size()) return 0;
  for (std::size_t k = 1; k < length; ++k) {
    unsigned char c = static_cast<unsigned char>(text[i + k]);
    if (!is_continuation(c)) return 0;
    cp = (cp << 6) | (c & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return length;
}

}  // namespace

char32_t decode_code_point(std::string_view text, std::size_t i, std::size_t& length) {
  // Span: this byte plus the continuation bytes after it (what position_of counts as one column).
  length = 1;
  // ASCII not followed by a stray continuation byte, the common case of source lines: itself.
  if (auto c = static_cast<unsigned char>(text[i]); c < 0x80) {
    if (i + 1 == text.size() || !is_continuation(static_cast<unsigned char>(text[i + 1]))) return c;
  }
  while (i + length < text.size() && is_continuation(static_cast<unsigned char>(text[i + length]))) ++length;
  char32_t cp = 0;
  std::size_t strict = decode_strict(text, i, cp);
  if (strict == 0 || strict != length) return U'\uFFFD';
  return cp;
}

std::string valid_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    char32_t cp = 0;
    std::size_t length = decode_strict(text, i, cp);
    if (length == 0) {
      append_utf8(out, U'\uFFFD');
      ++i;
      while (i < text.size() && is_continuation(static_cast<unsigned char>(text[i]))) ++i;
    } else {
      out.append(text.substr(i, length));
      i += length;
    }
  }
  return out;
}

namespace {

// True when printable_text would return `text` unchanged: valid UTF-8 without control characters other
// than tab and line breaks. One pass without building anything; the common case for every message.
bool already_printable(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    // Eight bytes at a time while they are all plain printable ASCII (0x20-0x7E): no byte below 0x20,
    // none with the high bit, none equal to 0x7F (the "has zero byte" bit tricks).
    if (i + 8 <= text.size()) {
      constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
      constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
      std::uint64_t word;
      std::memcpy(&word, text.data() + i, 8);
      std::uint64_t del = word ^ (kOnes * 0x7F);
      if ((((word - kOnes * 0x20) | word | ((del - kOnes) & ~del)) & kHigh) == 0) {
        i += 8;
        continue;
      }
    }
    auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x7F) {
      ++i;
    } else if (c == '\n' || c == '\r' || c == '\t') {
      ++i;
    } else if (c >= 0x80) {
      char32_t cp = 0;
      std::size_t length = decode_strict(text, i, cp);
      if (length == 0) return false;
      i += length;
    } else {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string printable_text(std::string_view text) {
  if (already_printable(text)) return std::string(text);
  std::string out;
  for (char c : valid_utf8(text)) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 && c != '\n' && c != '\r' && c != '\t') {
      append_utf8(out, 0x2400 + u);
    } else if (u == 0x7F) {
      append_utf8(out, 0x2421);
    } else {
      out += c;
    }
  }
  return out;
}

void append_single_line(std::string& out, std::string_view text) {
  // Copies whole runs between line breaks, found with memchr (most messages have none and are long).
  const char* run = text.data();
  const char* end = text.data() + text.size();
  while (run < end) {
    auto* lf = static_cast<const char*>(std::memchr(run, '\n', static_cast<std::size_t>(end - run)));
    const char* limit = lf ? lf : end;
    auto* cr = static_cast<const char*>(std::memchr(run, '\r', static_cast<std::size_t>(limit - run)));
    const char* brk = cr ? cr : lf;
    if (!brk) break;
    out.append(run, brk);
    out += ' ';
    run = brk + (*brk == '\r' && brk + 1 < end && brk[1] == '\n' ? 2 : 1);
  }
  out.append(run, end);
}

void append_printable_single_line(std::string& out, std::string_view text) {
  if (already_printable(text)) {
    append_single_line(out, text);
  } else {
    append_single_line(out, printable_text(text));
  }
}

std::string single_line(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  append_single_line(out, text);
  return out;
}

namespace {

bool blank(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; });
}

}  // namespace

std::string_view message_text(const Finding& finding, const ReportContext& context, std::string& storage) {
  if (!blank(finding.message)) return finding.message;
  if (const RuleInfo* info = find_rule(context, finding.rule_id); info && !blank(info->summary)) {
    return info->summary;
  }
  storage = "migsafe rule " + (finding.rule_id.empty() ? std::string("(unknown)") : finding.rule_id) + " reported a finding.";
  return storage;
}

std::string message_or_fallback(const Finding& finding, const ReportContext& context) {
  std::string storage;
  return std::string(message_text(finding, context, storage));
}

std::string normalised_path(std::string_view path) {
  std::string out(path);
  std::replace(out.begin(), out.end(), '\\', '/');
  while (out.size() > 2 && out.compare(0, 2, "./") == 0) out.erase(0, 2);
  return out;
}

int display_width(char32_t cp) {
  // Below the first zero-width or wide range (U+0300): one column. Source lines are mostly ASCII, and
  // the range searches below cost a few hundred instructions per code point.
  if (cp < 0x0300) return 1;
  struct Range { char32_t first, last; };
  // Combining marks and zero-width format characters.
  static constexpr Range kZero[] = {
      {0x0300, 0x036F}, {0x0483, 0x0489}, {0x0591, 0x05BD}, {0x0610, 0x061A}, {0x064B, 0x065F},
      {0x0E31, 0x0E31}, {0x0E34, 0x0E3A}, {0x0E47, 0x0E4E}, {0x1AB0, 0x1AFF}, {0x1DC0, 0x1DFF},
      {0x200B, 0x200F}, {0x202A, 0x202E}, {0x2060, 0x2064}, {0x20D0, 0x20FF}, {0xFE00, 0xFE0F},
      {0xFE20, 0xFE2F}, {0xFEFF, 0xFEFF}, {0xE0100, 0xE01EF}};
  // East Asian Wide and Fullwidth blocks, and emoji presentation ranges.
  static constexpr Range kWide[] = {
      {0x1100, 0x115F}, {0x231A, 0x231B}, {0x2329, 0x232A}, {0x23E9, 0x23EC}, {0x23F0, 0x23F0},
      {0x23F3, 0x23F3}, {0x25FD, 0x25FE}, {0x2614, 0x2615}, {0x2648, 0x2653}, {0x267F, 0x267F},
      {0x2693, 0x2693}, {0x26A1, 0x26A1}, {0x26AA, 0x26AB}, {0x26BD, 0x26BE}, {0x26C4, 0x26C5},
      {0x26CE, 0x26CE}, {0x26D4, 0x26D4}, {0x26EA, 0x26EA}, {0x26F2, 0x26F3}, {0x26F5, 0x26F5},
      {0x26FA, 0x26FA}, {0x26FD, 0x26FD}, {0x2705, 0x2705}, {0x270A, 0x270B}, {0x2728, 0x2728},
      {0x274C, 0x274C}, {0x274E, 0x274E}, {0x2753, 0x2755}, {0x2757, 0x2757}, {0x2795, 0x2797},
      {0x27B0, 0x27B0}, {0x27BF, 0x27BF}, {0x2B1B, 0x2B1C}, {0x2B50, 0x2B50}, {0x2B55, 0x2B55},
      {0x2E80, 0x303E}, {0x3041, 0x33FF}, {0x3400, 0x4DBF}, {0x4E00, 0x9FFF}, {0xA000, 0xA4CF},
      {0xA960, 0xA97F}, {0xAC00, 0xD7A3}, {0xF900, 0xFAFF}, {0xFE10, 0xFE19}, {0xFE30, 0xFE6F},
      {0xFF00, 0xFF60}, {0xFFE0, 0xFFE6}, {0x16FE0, 0x16FE4}, {0x17000, 0x18CFF}, {0x1B000, 0x1B2FF},
      {0x1F004, 0x1F004}, {0x1F0CF, 0x1F0CF}, {0x1F18E, 0x1F18E}, {0x1F191, 0x1F19A}, {0x1F200, 0x1F251},
      {0x1F300, 0x1F64F}, {0x1F680, 0x1F6FF}, {0x1F7E0, 0x1F7EB}, {0x1F90C, 0x1F9FF}, {0x1FA70, 0x1FAFF},
      {0x20000, 0x2FFFD}, {0x30000, 0x3FFFD}};
  auto in = [cp](const auto& ranges) {
    return std::any_of(std::begin(ranges), std::end(ranges),
                       [cp](const Range& r) { return cp >= r.first && cp <= r.last; });
  };
  if (in(kZero)) return 0;
  if (in(kWide)) return 2;
  return 1;
}

}  // namespace migsafe
