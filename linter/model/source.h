// Source text and positions. Every front end records byte offsets into SourceFile::text(); the one
// converter here turns them into 1-based lines and columns, so no reporter can be off by one.
// Columns count Unicode code points (SARIF columnKind "unicodeCodePoints"); end positions are exclusive.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace migsafe {

struct Position {
  int line = 1;    // 1-based
  int column = 1;  // 1-based, in code points
  bool operator==(const Position&) const = default;
};

// Half-open byte range [begin, end) into a SourceFile's text.
struct ByteRange {
  std::size_t begin = 0;
  std::size_t end = 0;
  bool empty() const { return end <= begin; }
  bool operator==(const ByteRange&) const = default;
};

class SourceFile {
 public:
  // `path` is where the file was read from; `display_path` is what reports show (repository-relative,
  // forward slashes). A leading UTF-8 byte order mark is removed from `text`: editors put column 1 after it.
  SourceFile(std::string path, std::string display_path, std::string text);

  const std::string& path() const { return path_; }
  const std::string& display_path() const { return display_path_; }
  const std::string& text() const { return text_; }
  bool had_bom() const { return had_bom_; }

  // Line and column of a byte offset. Offsets past the end clamp to the end of the text.
  // Lines end at LF, CRLF or a lone CR.
  Position position_of(std::size_t offset) const;
  std::size_t line_count() const { return line_starts_.size(); }
  // Text of a 1-based line without its line terminator.
  std::string_view line_text(int line) const;
  // Byte offset where a 1-based line starts.
  std::size_t line_start(int line) const;
  std::string_view slice(ByteRange range) const;

 private:
  std::string path_;
  std::string display_path_;
  std::string text_;
  bool had_bom_ = false;
  std::vector<std::size_t> line_starts_;
};

using SourceFilePtr = std::shared_ptr<const SourceFile>;

}  // namespace migsafe
