// Streaming JSON output laid out byte for byte as nlohmann's `dump(2, ' ', false, replace)` lays out the
// same document, for the reports that CI runs on every push (json, sarif, gitlab). Building an nlohmann
// DOM per finding and dumping it cost ~100,000 instructions per finding; writing the text directly
// into a reused block buffer costs a few thousand, and the report never exists twice in memory.
#pragma once

#include <charconv>
#include <cstdint>
#include <cstring>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace migsafe {

// Appends `text` as a JSON string literal exactly as nlohmann's dump() writes it with ensure_ascii off:
// `"` `\` and control characters escaped (\b \t \n \f \r, else \u00xx), valid UTF-8 copied as is,
// invalid UTF-8 replaced by U+FFFD.
void append_json_string(std::string& out, std::string_view text);

class JsonWriter {
 public:
  // `out` receives the text in large blocks; call finish() at the end.
  explicit JsonWriter(std::ostream& out);

  // The structural calls are defined inline below: a report makes a dozen of them per finding, and
  // inlined with their literal member names they become a few fixed-size stores each instead of a
  // call, a capacity check and a memcpy call of unknown length.
  void begin_object() { open('{'); }
  void end_object() { close('}'); }
  void begin_array() { open('['); }
  void end_array() { close(']'); }
  // The member name of the next value (inside an object). Names are the formats' own ASCII literals,
  // written without escaping.
  JsonWriter& key(std::string_view name);

  void string(std::string_view text);
  // A string null when empty (optional fields of the json format).
  void string_or_null(std::string_view text);
  void number(std::int64_t value);
  void null() { raw_value("null"); }
  // A whole nlohmann value (small parts such as SARIF rule descriptors), indented to this depth.
  void value(const nlohmann::ordered_json& json);
  // Text appended as is (a separator or trailing newline after the document).
  void raw(std::string_view text);

  // Writes what is buffered to the stream.
  void finish();

 private:
  // Indentation is copied as one block of this many spaces (bytes past the indentation are overwritten
  // by what follows), so every reservation includes this slack.
  static constexpr std::size_t kIndentSlack = 32;

  void begin_value();
  void raw_value(std::string_view text);
  void open(char bracket);
  void close(char bracket);
  // Room for `bytes` more bytes at the write position (flushing the block when full); returns it.
  char* room(std::size_t bytes) {
    if (bytes > buffer_.size() - used_) make_room(bytes);
    return buffer_.data() + used_;
  }
  void make_room(std::size_t bytes);
  void commit(const char* end) { used_ = static_cast<std::size_t>(end - buffer_.data()); }
  static char* put_indent(char* out, std::size_t depth);
  char* put_separator(char* out);

  std::ostream& out_;
  // A block written with plain stores (std::string appends cost a capacity check and a call each, and
  // a report is made of hundreds of thousands of short pieces); `used_` bytes of it are filled.
  std::vector<char> buffer_;
  std::size_t used_ = 0;
  // One entry per open object/array: whether it has a member yet (decides "\n" vs ",\n" and how it closes).
  std::vector<unsigned char> has_member_;
  bool after_key_ = false;
};

// Indentation of `depth` levels at `out`, which has room for kIndentSlack more bytes than it needs. The
// usual depths are copied as one fixed-size block (a few stores, no call).
inline char* JsonWriter::put_indent(char* out, std::size_t depth) {
  static constexpr char kSpaces[kIndentSlack + 1] = "                                ";
  std::size_t width = 2 * depth;
  if (width <= kIndentSlack) {
    std::memcpy(out, kSpaces, kIndentSlack);
  } else {
    std::memset(out, ' ', width);
  }
  return out + width;
}

// Writes "\n" before the first member of the innermost container, ",\n" before the others, then the
// member's indentation, at `out` (room for 2 + 2 * depth + kIndentSlack bytes); returns the end.
inline char* JsonWriter::put_separator(char* out) {
  std::size_t depth = has_member_.size();
  if (has_member_.back()) *out++ = ',';
  *out++ = '\n';
  out = put_indent(out, depth);
  has_member_.back() = 1;
  return out;
}

// Nothing after a key; inside an array, the separator and the element's indentation.
inline void JsonWriter::begin_value() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (has_member_.empty()) return;
  commit(put_separator(room(2 + 2 * has_member_.size() + kIndentSlack)));
}

inline JsonWriter& JsonWriter::key(std::string_view name) {
  char* out = room(2 + 2 * has_member_.size() + kIndentSlack + name.size() + 4);
  out = put_separator(out);
  *out++ = '"';
  std::memcpy(out, name.data(), name.size());
  out += name.size();
  *out++ = '"';
  *out++ = ':';
  *out++ = ' ';
  commit(out);
  after_key_ = true;
  return *this;
}

inline void JsonWriter::open(char bracket) {
  begin_value();
  *room(1) = bracket;
  ++used_;
  has_member_.push_back(0);
}

// A container with members closes on its own line; an empty one right after its opening bracket
// ("{}", "[]"), as dump() prints them.
inline void JsonWriter::close(char bracket) {
  bool had_members = has_member_.back() != 0;
  has_member_.pop_back();
  std::size_t depth = has_member_.size();
  char* out = room(2 + 2 * depth + kIndentSlack);
  if (had_members) {
    *out++ = '\n';
    out = put_indent(out, depth);
  }
  *out++ = bracket;
  commit(out);
}

inline void JsonWriter::number(std::int64_t value) {
  begin_value();
  char* out = room(24);
  commit(std::to_chars(out, out + 24, value).ptr);
}

inline void JsonWriter::raw_value(std::string_view text) {
  begin_value();
  std::memcpy(room(text.size()), text.data(), text.size());
  used_ += text.size();
}

}  // namespace migsafe
