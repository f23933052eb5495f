#include "linter/report/json_writer.h"

#include <bit>
#include <cstring>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace migsafe {

namespace {

// Reports reach the stream in blocks of this size.
constexpr std::size_t kBlockSize = 64 * 1024;

// Marks (high bit of each byte) the bytes of `word` that need attention: below 0x20, '"', '\\' or
// non-ASCII. Checking 8 bytes per step (the classic "has zero byte" bit trick) keeps the common case,
// long runs of plain ASCII in messages and help texts, at about one instruction per byte instead of a
// branch per byte. Borrows only run towards higher bytes, so the lowest mark is always exact.
inline std::uint64_t attention_mask(std::uint64_t word) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
  auto zero_bytes = [](std::uint64_t x) { return (x - kOnes) & ~x & kHigh; };
  std::uint64_t below_space = (word - kOnes * 0x20) & ~word & kHigh;  // exact for bytes < 0x80
  std::uint64_t quote = zero_bytes(word ^ (kOnes * '"'));
  std::uint64_t backslash = zero_bytes(word ^ (kOnes * '\\'));
  return below_space | quote | backslash | (word & kHigh);
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

char* put_escape(char* out, unsigned char c) {
  static constexpr char kHex[] = "0123456789abcdef";
  char letter = 0;
  switch (c) {
    case '\b': letter = 'b'; break;
    case '\t': letter = 't'; break;
    case '\n': letter = 'n'; break;
    case '\f': letter = 'f'; break;
    case '\r': letter = 'r'; break;
    case '"': letter = '"'; break;
    case '\\': letter = '\\'; break;
    default: {
      const char escape[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
      std::memcpy(out, escape, sizeof escape);
      return out + sizeof escape;
    }
  }
  out[0] = '\\';
  out[1] = letter;
  return out + 2;
}

inline bool needs_attention(unsigned char c) { return c < 0x20 || c >= 0x80 || c == '"' || c == '\\'; }

// Index of the first byte at or after `i` that needs attention (see attention_mask), or text.size().
// Messages and help texts are long runs of plain ASCII, so this scan is where string writing spends
// its time; it ends in a single step too, not byte by byte.
std::size_t next_attention(std::string_view text, std::size_t i) {
  const char* data = text.data();
  std::size_t size = text.size();
#ifdef __SSE2__
  // 16 bytes per step where SSE2 is available (every x86-64): a signed "less than 0x20" catches both
  // control characters and non-ASCII bytes (negative as signed), two compares catch '"' and '\\'.
  auto marks_at = [data](std::size_t at) {
    __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + at));
    __m128i special = _mm_or_si128(_mm_cmplt_epi8(bytes, _mm_set1_epi8(0x20)),
                                   _mm_or_si128(_mm_cmpeq_epi8(bytes, _mm_set1_epi8('"')),
                                                _mm_cmpeq_epi8(bytes, _mm_set1_epi8('\\'))));
    return static_cast<unsigned>(_mm_movemask_epi8(special));
  };
  for (; i + 16 <= size; i += 16) {
    if (unsigned marks = marks_at(i)) return i + static_cast<std::size_t>(std::countr_zero(marks));
  }
  if (i == size) return size;
  if (size >= 16) {
    // The rest in one load of the last 16 bytes: the marks of bytes before `i`, checked already, are
    // shifted out.
    unsigned marks = marks_at(size - 16) >> (i - (size - 16));
    return marks ? i + static_cast<std::size_t>(std::countr_zero(marks)) : size;
  }
#endif
  for (; i + 8 <= size; i += 8) {
    std::uint64_t word;
    std::memcpy(&word, data + i, 8);
    if (std::uint64_t marks = attention_mask(word)) {
      // The lowest mark is the first byte needing attention only when byte 0 is the lowest byte.
      if constexpr (std::endian::native == std::endian::little) return i + static_cast<std::size_t>(std::countr_zero(marks)) / 8;
      break;
    }
  }
  while (i < size && !needs_attention(static_cast<unsigned char>(data[i]))) ++i;
  return i;
}

// Writes `text` as a JSON string literal at `out`, which has room for 6 * size + 2 bytes (every byte
// escaped as \u00xx, or replaced by the 3 bytes of U+FFFD, is the worst case). Returns the end.
char* put_json_string(char* out, std::string_view text) {
  char* const start = out;
  *out++ = '"';
  std::size_t run = 0;  // start of the bytes not yet copied
  auto copy_run = [&](std::size_t end) {
    std::memcpy(out, text.data() + run, end - run);
    out += end - run;
  };
  for (std::size_t i = next_attention(text, 0); i < text.size(); i = next_attention(text, i)) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      std::size_t length = utf8_sequence_length(text, i);
      if (length == 0) {
        // Invalid UTF-8 (a file in another encoding): rare, so nlohmann itself writes the string and
        // its U+FFFD replacement rules stay exactly what the reports always printed.
        std::string dumped = nlohmann::ordered_json(std::string(text)).dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
        std::memcpy(start, dumped.data(), dumped.size());
        return start + dumped.size();
      }
      i += length;  // valid UTF-8 is copied as is
    } else {
      copy_run(i);
      out = put_escape(out, c);
      run = i + 1;
      i = run;
    }
  }
  copy_run(text.size());
  *out++ = '"';
  return out;
}

std::size_t json_string_bound(std::string_view text) { return 6 * text.size() + 2; }

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
  std::size_t size = out.size();
  out.resize(size + json_string_bound(text));
  char* end = put_json_string(out.data() + size, text);
  out.resize(static_cast<std::size_t>(end - out.data()));
}

JsonWriter::JsonWriter(std::ostream& out) : out_(out), buffer_(kBlockSize) {}

void JsonWriter::make_room(std::size_t bytes) {
  out_.write(buffer_.data(), static_cast<std::streamsize>(used_));
  used_ = 0;
  if (bytes > buffer_.size()) buffer_.resize(bytes);
}

void JsonWriter::string(std::string_view text) {
  begin_value();
  commit(put_json_string(room(json_string_bound(text)), text));
}

void JsonWriter::string_or_null(std::string_view text) {
  if (text.empty()) {
    null();
  } else {
    string(text);
  }
}

void JsonWriter::value(const nlohmann::ordered_json& json) {
  begin_value();
  std::string text = json.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  // Every line after the first indented to this depth; whole lines are copied, not byte by byte.
  std::string indent(2 * has_member_.size(), ' ');
  std::size_t begin = 0;
  for (std::size_t newline = text.find('\n'); newline != std::string::npos; newline = text.find('\n', begin)) {
    raw(std::string_view(text).substr(begin, newline + 1 - begin));
    raw(indent);
    begin = newline + 1;
  }
  raw(std::string_view(text).substr(begin));
}

void JsonWriter::raw(std::string_view text) {
  std::memcpy(room(text.size()), text.data(), text.size());
  used_ += text.size();
}

void JsonWriter::finish() {
  out_.write(buffer_.data(), static_cast<std::streamsize>(used_));
  used_ = 0;
}

}  // namespace migsafe
