#include "linter/model/source.h"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>

namespace migsafe {

namespace {

bool is_utf8_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

}  // namespace

SourceFile::SourceFile(std::string path, std::string display_path, std::string text)
    : path_(std::move(path)), display_path_(std::move(display_path)), text_(std::move(text)) {
  if (text_.size() >= 3 && static_cast<unsigned char>(text_[0]) == 0xEF &&
      static_cast<unsigned char>(text_[1]) == 0xBB && static_cast<unsigned char>(text_[2]) == 0xBF) {
    text_.erase(0, 3);
    had_bom_ = true;
  }
  if (std::memchr(text_.data(), '\r', text_.size()) == nullptr) {
    // The common case, no CR: line starts are found with memchr, tens of bytes at a time. Room for a
    // line per 32 bytes is reserved first (SQL lines average 30 to 40 bytes), so the index is allocated
    // once or twice per file instead of growing through a dozen reallocations.
    const char* data = text_.data();
    std::size_t size = text_.size();
    line_starts_.reserve(std::min<std::size_t>(size / 32 + 2, std::size_t{1} << 16));  // capped for huge files
    line_starts_.push_back(0);
    for (const void* at = std::memchr(data, '\n', size); at != nullptr;) {
      std::size_t next = static_cast<std::size_t>(static_cast<const char*>(at) - data) + 1;
      line_starts_.push_back(next);
      at = std::memchr(data + next, '\n', size - next);
    }
    return;
  }
  line_starts_.push_back(0);
  for (std::size_t i = 0; i < text_.size(); ++i) {
    if (text_[i] == '\n') {
      line_starts_.push_back(i + 1);
    } else if (text_[i] == '\r') {
      if (i + 1 < text_.size() && text_[i + 1] == '\n') ++i;
      line_starts_.push_back(i + 1);
    }
  }
}

Position SourceFile::position_of(std::size_t offset) const {
  offset = std::min(offset, text_.size());
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  std::size_t line_index = static_cast<std::size_t>(it - line_starts_.begin()) - 1;
  std::size_t start = line_starts_[line_index];
  // Columns count code points: every byte but UTF-8 continuation bytes (10xxxxxx). Continuation bytes
  // are counted eight at a time (bit 7 set and bit 6 clear), as findings ask for thousands of positions.
  std::size_t continuations = 0;
  std::size_t i = start;
  for (; i + 8 <= offset; i += 8) {
    std::uint64_t word;
    std::memcpy(&word, text_.data() + i, 8);
    std::uint64_t continuation_bits = word & ~(word << 1) & 0x8080808080808080ULL;
    continuations += static_cast<std::size_t>(std::popcount(continuation_bits));
  }
  for (; i < offset; ++i) {
    if (is_utf8_continuation(static_cast<unsigned char>(text_[i]))) ++continuations;
  }
  int column = static_cast<int>(offset - start - continuations) + 1;
  return Position{static_cast<int>(line_index) + 1, column};
}

std::size_t SourceFile::line_start(int line) const {
  if (line < 1) return 0;
  if (static_cast<std::size_t>(line) > line_starts_.size()) return text_.size();
  return line_starts_[static_cast<std::size_t>(line) - 1];
}

std::string_view SourceFile::line_text(int line) const {
  if (line < 1 || static_cast<std::size_t>(line) > line_starts_.size()) return {};
  std::size_t start = line_starts_[static_cast<std::size_t>(line) - 1];
  std::size_t end = static_cast<std::size_t>(line) < line_starts_.size()
                        ? line_starts_[static_cast<std::size_t>(line)]
                        : text_.size();
  while (end > start && (text_[end - 1] == '\n' || text_[end - 1] == '\r')) --end;
  return std::string_view(text_).substr(start, end - start);
}

std::string_view SourceFile::slice(ByteRange range) const {
  std::size_t begin = std::min(range.begin, text_.size());
  std::size_t end = std::clamp(range.end, begin, text_.size());
  return std::string_view(text_).substr(begin, end - begin);
}

}  // namespace migsafe
