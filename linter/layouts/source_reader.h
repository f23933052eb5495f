// Reading migration files for the layouts: display paths, and every way a file can be bad (missing,
// a directory, a FIFO, unreadable, binary, invalid UTF-8) turned into a `syntax-error` FileProblem
// instead of an exception or a silent skip.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "linter/model/project.h"
#include "linter/model/source.h"

namespace migsafe {

// `path` relative to `display_root` with forward slashes when it lies under it, else absolute
// (forward slashes too). An empty root means the current directory.
std::string display_path(const std::filesystem::path& path, const std::filesystem::path& display_root);

struct ReadSource {
  // Always set, so a script can point at it: empty text when the file could not be read or is binary;
  // invalid UTF-8 sequences are replaced by '?' byte for byte (positions stay those of the file).
  SourceFilePtr file;
  std::optional<FileProblem> problem;
  // False when the content is not SQL text at all (unreadable, binary): do not parse it.
  bool readable = true;
};

// Reads `path` whole (no size limit).
ReadSource read_source(const std::filesystem::path& path, const std::filesystem::path& display_root);
// Checks text that was already read (standard input) the same way.
ReadSource make_source(std::string path, std::string display, std::string bytes);

// Offset of the first byte that is not part of valid UTF-8 (overlong forms, surrogates and code points
// past U+10FFFF are invalid), and its length; nullopt when the text is valid.
struct InvalidUtf8 {
  std::size_t offset = 0;
  std::size_t length = 1;
};
std::optional<InvalidUtf8> find_invalid_utf8(std::string_view text, std::size_t from = 0);

// A `syntax-error` FileProblem about `file` (may be null) at `range`.
FileProblem file_problem(const SourceFilePtr& file, std::string display, ByteRange range, std::string message,
                         std::string help, std::string rule_id = "syntax-error");

}  // namespace migsafe
