#include "linter/report/json_writer.h"

#include <array>
#include <charconv>
#include <cstring>

namespace migsafe {

namespace {

constexpr std::size_t kBlockSize = 64 * 1024;

// True when one of the 8 bytes of `word` needs attention: below 0x20, '"', '\\' or non-ASCII. Checking
// 8 bytes per step (the classic "has zero byte" bit trick) keeps the common case, long runs of plain
// ASCII in messages and help texts, at a few instructions per 8 bytes instead of a branch per byte.
inline bool needs_attention(std::uint64_t word) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
  auto has_zero = [](std::uint64_t x) { return (x - kOnes) & ~x & kHigh; };
  std::uint64_t below_space = (word - kOnes * 0x20) & ~word & kHigh;  // exact for bytes < 0x80
  std::uint64_t quote = has_zero(word ^ (kOnes * '"'));
  std::uint64_t backslash = has_zero(word ^ (kOnes * '\\'));
  return (below_space | quote | backslash | (word & kHigh)) != 0;
}

// Length of the well-formed UTF-8 sequence at text[i] (RFC 3629: no overlong forms, surrogates or code
// points above U+10FFFF, which is what nlohmann's decoder accepts), or 0.
std::size_t utf8_sequence_length(std::string_view text, std::size_t i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char lead = byte(i);
  std::size_t length;
  unsigned char low = 0x80;
  unsigned char high = 0xBF;  // allowed range of the second byte
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;   // overlong
    if (lead == 0xED) high = 0x9F;  // surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;   // overlong
    if (lead == 0xF4) high = 0x8F;  // above U+10FFFF
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  if (byte(i + 1) < low || byte(i + 1) > high) return 0;
  for (std::size_t k = 2; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
  }
  return length;
}

void append_escape(std::string& out, unsigned char c) {
  switch (c) {
    case '\b': out += "\\b"; return;
    case '\t': out += "\\t"; return;
    case '\n': out += "\\n"; return;
    case '\f': out += "\\f"; return;
    case '\r': out += "\\r"; return;
    case '"': out += "\\\""; return;
    case '\\': out += "\\\\"; return;
    default: {
      static constexpr char kHex[] = "0123456789abcdef";
      char escape[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
      out.append(escape, sizeof escape);
    }
  }
}

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
  std::size_t start_size = out.size();
  out += '"';
  std::size_t run = 0;  // start of the bytes not yet copied
  std::size_t i = 0;
  while (i < text.size()) {
    if (i + 8 <= text.size()) {
      std::uint64_t word;
      std::memcpy(&word, text.data() + i, 8);
      if (!needs_attention(word)) {
        i += 8;
        continue;
      }
    }
    auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
      ++i;
    } else if (c >= 0x80) {
      std::size_t length = utf8_sequence_length(text, i);
      if (length == 0) {
        // Invalid UTF-8 (a file in another encoding): rare, so nlohmann itself writes the string and
        // its U+FFFD replacement rules stay exactly what the reports always printed.
        out.resize(start_size);
        out += nlohmann::ordered_json(std::string(text)).dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
        return;
      }
      i += length;
    } else {
      out.append(text.data() + run, i - run);
      append_escape(out, c);
      run = ++i;
    }
  }
  out.append(text.data() + run, text.size() - run);
  out += '"';
}

JsonWriter::JsonWriter(std::ostream& out) : out_(out) { buffer_.reserve(kBlockSize + 4096); }

void JsonWriter::indent(std::size_t depth) { buffer_.append(depth * 2, ' '); }

void JsonWriter::flush_if_full() {
  if (buffer_.size() >= kBlockSize) {
    out_.write(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
    buffer_.clear();
  }
}

// Puts the separator and indentation before a value: nothing after a key; inside an array "\n" before
// the first element and ",\n" before the others, then the element's indentation.
void JsonWriter::begin_value() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (has_member_.empty()) return;
  buffer_ += has_member_.back() ? ",\n" : "\n";
  has_member_.back() = true;
  indent(has_member_.size());
}

JsonWriter& JsonWriter::key(std::string_view name) {
  buffer_ += has_member_.back() ? ",\n" : "\n";
  has_member_.back() = true;
  indent(has_member_.size());
  append_json_string(buffer_, name);
  buffer_ += ": ";
  after_key_ = true;
  return *this;
}

void JsonWriter::open(char bracket) {
  begin_value();
  buffer_ += bracket;
  has_member_.push_back(false);
}

// A container with members closes on its own line; an empty one right after its opening bracket
// ("{}", "[]"), as dump() prints them.
void JsonWriter::close(char bracket) {
  bool had_members = has_member_.back();
  has_member_.pop_back();
  if (had_members) {
    buffer_ += '\n';
    indent(has_member_.size());
  }
  buffer_ += bracket;
  flush_if_full();
}

void JsonWriter::begin_object() { open('{'); }
void JsonWriter::end_object() { close('}'); }
void JsonWriter::begin_array() { open('['); }
void JsonWriter::end_array() { close(']'); }

void JsonWriter::string(std::string_view text) {
  begin_value();
  append_json_string(buffer_, text);
}

void JsonWriter::string_or_null(std::string_view text) {
  if (text.empty()) {
    null();
  } else {
    string(text);
  }
}

void JsonWriter::number(std::int64_t value) {
  begin_value();
  char digits[24];
  char* end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  buffer_.append(digits, end);
}

void JsonWriter::null() {
  begin_value();
  buffer_ += "null";
}

void JsonWriter::value(const nlohmann::ordered_json& json) {
  begin_value();
  std::string text = json.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  std::size_t depth = has_member_.size();
  for (char c : text) {
    buffer_ += c;
    if (c == '\n') indent(depth);
  }
  flush_if_full();
}

void JsonWriter::raw(std::string_view text) { buffer_ += text; }

void JsonWriter::finish() {
  out_.write(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
  buffer_.clear();
}

}  // namespace migsafe
