// Streaming JSON output laid out byte for byte as nlohmann's `dump(2, ' ', false, replace)` lays out the
// same document, for the reports that CI runs on every push (json, sarif, gitlab). Building an nlohmann
// DOM per finding and dumping it cost ~100,000 instructions per finding; writing the text directly
// into a reused block buffer costs a few thousand, and the report never exists twice in memory.
#pragma once

#include <cstdint>
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

  void begin_object();
  void end_object();
  void begin_array();
  void end_array();
  // The member name of the next value (inside an object). Names are the formats' own ASCII literals,
  // written without escaping.
  JsonWriter& key(std::string_view name);

  void string(std::string_view text);
  // A string null when empty (optional fields of the json format).
  void string_or_null(std::string_view text);
  void number(std::int64_t value);
  void null();
  // A whole nlohmann value (small parts such as SARIF rule descriptors), indented to this depth.
  void value(const nlohmann::ordered_json& json);
  // Text appended as is (a separator or trailing newline after the document).
  void raw(std::string_view text);

  // Writes what is buffered to the stream.
  void finish();

 private:
  void begin_value();
  void open(char bracket);
  void close(char bracket);
  // Room for `bytes` more bytes at the write position (flushing the block when full); returns it.
  char* room(std::size_t bytes);
  void put(std::string_view text);
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

}  // namespace migsafe
