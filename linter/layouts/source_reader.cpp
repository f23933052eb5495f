#include "linter/layouts/source_reader.h"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <system_error>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace migsafe {

namespace fs = std::filesystem;

namespace {

// True when `text` is an absolute POSIX path already in lexically normal form without a trailing
// slash: every component is non-empty and neither "." nor "..". For such paths lexically_normal() is
// the identity and lexically_relative() to a prefix directory is the rest of the string.
bool is_plain_absolute(std::string_view text) {
  if (text.size() < 2 || text.front() != '/') return false;
  std::size_t start = 1;
  for (;;) {
    std::size_t end = text.find('/', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view part = text.substr(start, end - start);
    if (part.empty() || part == "." || part == "..") return false;
    if (end == text.size()) return true;
    start = end + 1;
  }
}

}  // namespace

std::string display_path(const fs::path& path, const fs::path& display_root) {
  std::error_code ec;
  fs::path current;  // only when there is no root: a copy of the root would cost allocations per file
  if (display_root.empty()) current = fs::current_path(ec);
  const fs::path& root = display_root.empty() ? current : display_root;
  // Fast path for the usual case, both paths absolute and already normal: the answer by string
  // comparison. The general form below decomposes and normalizes both paths per file (~17,000
  // instructions). For such paths lexically_relative gives the rest after the root when the file lies
  // under it, "." when they are equal, and otherwise starts with "..", so the file itself is shown.
  // (is_plain_absolute implies is_absolute(), which costs a walk over the path's components.)
  if (is_plain_absolute(path.native()) && is_plain_absolute(root.native())) {
    std::string_view file = path.native(), base = root.native();
    if (file == base) return ".";
    if (file.size() > base.size() + 1 && file.starts_with(base) && file[base.size()] == '/') {
      return std::string(file.substr(base.size() + 1));
    }
    return path.native();
  }
  fs::path absolute = fs::absolute(path, ec).lexically_normal();
  fs::path absolute_root = fs::absolute(root, ec).lexically_normal();
  fs::path relative = absolute.lexically_relative(absolute_root);
  if (!relative.empty() && *relative.begin() != "..") {
    std::string text = relative.generic_string();
    return text == "." ? std::string(".") : text;
  }
  return absolute.generic_string();
}

std::optional<InvalidUtf8> find_invalid_utf8(std::string_view text, std::size_t from) {
  std::size_t i = from;
  const std::size_t n = text.size();
  while (i < n) {
    // ASCII runs (nearly all SQL) are skipped eight bytes at a time.
    while (i + 8 <= n) {
      std::uint64_t word;
      std::memcpy(&word, text.data() + i, 8);
      if ((word & 0x8080808080808080ULL) != 0) break;
      i += 8;
    }
    if (i >= n) break;
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t length = 0;
    unsigned char low = 0x80, high = 0xBF;  // allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      length = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      length = 3;
      if (c == 0xE0) low = 0xA0;   // overlong
      if (c == 0xED) high = 0x9F;  // UTF-16 surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      length = 4;
      if (c == 0xF0) low = 0x90;   // overlong
      if (c == 0xF4) high = 0x8F;  // past U+10FFFF
    } else {
      return InvalidUtf8{i, 1};
    }
    std::size_t valid = 1;
    for (std::size_t k = 1; k < length; ++k) {
      if (i + k >= n) break;
      unsigned char next = static_cast<unsigned char>(text[i + k]);
      unsigned char lo = k == 1 ? low : 0x80, hi = k == 1 ? high : 0xBF;
      if (next < lo || next > hi) break;
      ++valid;
    }
    if (valid != length) return InvalidUtf8{i, valid};
    i += length;
  }
  return std::nullopt;
}

FileProblem file_problem(const SourceFilePtr& file, std::string display, ByteRange range, std::string message,
                         std::string help, std::string rule_id) {
  FileProblem problem;
  problem.rule_id = std::move(rule_id);
  problem.file = file;
  problem.path = std::move(display);
  problem.range = range;
  problem.message = std::move(message);
  problem.help = std::move(help);
  return problem;
}

namespace {

ReadSource unreadable(const std::string& path, const std::string& display, std::string message, std::string help) {
  ReadSource result;
  result.file = std::make_shared<SourceFile>(path, display, std::string());
  result.problem = file_problem(nullptr, display, {}, std::move(message), std::move(help));
  result.readable = false;
  return result;
}

}  // namespace

ReadSource make_source(std::string path, std::string display, std::string bytes) {
  if (std::size_t nul = bytes.find('\0'); nul != std::string::npos) {
    // Name the line for the user; the text itself is dropped so no reporter prints binary bytes.
    SourceFile raw(path, display, bytes.substr(0, nul));
    Position at = raw.position_of(nul);
    return unreadable(path, display,
                      display + " is a binary file (NUL byte on line " + std::to_string(at.line) +
                          "), not SQL text, so it was not checked.",
                      "Migration files must be UTF-8 text. If this file is not a migration, move it out of the "
                      "migrations directory or list it under `exclude` in migsafe.toml.");
  }
  auto first_bad = find_invalid_utf8(bytes, 0);
  if (!first_bad) {
    ReadSource result;
    result.file = std::make_shared<SourceFile>(std::move(path), std::move(display), std::move(bytes));
    return result;
  }
  // Replace every invalid sequence by '?' byte for byte: the statements around it are still checked and
  // every other offset stays that of the file on disk.
  std::string cleaned = bytes;
  for (auto bad = first_bad; bad; bad = find_invalid_utf8(cleaned, bad->offset + bad->length)) {
    for (std::size_t k = 0; k < bad->length; ++k) cleaned[bad->offset + k] = '?';
  }
  auto file = std::make_shared<SourceFile>(path, display, std::move(cleaned));
  // The BOM (if any) was stripped by SourceFile: shift the offset to its text.
  std::size_t offset = first_bad->offset - (file->had_bom() ? 3 : 0);
  Position at = file->position_of(offset);
  ReadSource result;
  result.file = file;
  result.problem = file_problem(
      file, display, ByteRange{offset, offset + first_bad->length},
      display + " is not valid UTF-8 (first invalid byte 0x" +
          [&] {
            static const char* digits = "0123456789ABCDEF";
            unsigned char c = static_cast<unsigned char>(bytes[first_bad->offset]);
            return std::string{digits[c >> 4], digits[c & 15]};
          }() +
          " at line " + std::to_string(at.line) + ", column " + std::to_string(at.column) +
          "); invalid bytes were read as '?', so text around them may be checked wrongly.",
      "Re-encode the file as UTF-8 (for example `iconv -f latin1 -t utf-8`); PostgreSQL rejects invalid UTF-8 "
      "in a UTF8 database too.");
  return result;
}

ReadSource read_source(const fs::path& path, const fs::path& display_root) {
  std::string display = display_path(path, display_root);
  std::string native = path.string();
  // One stat() answers both what the path is and how large the file is: fs::status() and an fstat()
  // after opening would be two system calls. Its errors read as fs::status()'s (generic category).
  struct stat info {};
  std::error_code ec;
  if (::stat(native.c_str(), &info) != 0) ec.assign(errno, std::generic_category());
  if (ec) {
    // Only a failing path is asked whether it is a link: one system call less for every good file.
    std::error_code link_ec;
    if (fs::is_symlink(fs::symlink_status(path, link_ec))) {
      std::error_code target_ec;
      fs::path target = fs::read_symlink(path, target_ec);
      if (ec == std::errc::too_many_symbolic_link_levels) {
        return unreadable(native, display, display + " is a symbolic link loop, so it was not checked.",
                          "Point the link at a real file or remove it.");
      }
      return unreadable(native, display,
                        display + " is a broken symbolic link (to " + target.generic_string() +
                            "), so it was not checked.",
                        "Point the link at an existing file or remove it.");
    }
    return unreadable(native, display, display + " cannot be read (" + ec.message() + ").",
                      "Check that the file exists and that migsafe may read it.");
  }
  if (S_ISDIR(info.st_mode)) {
    return unreadable(native, display, display + " is a directory where a migration file was expected.",
                      "Rename the directory, or move the migration it should hold into a file of that name.");
  }
  if (!S_ISREG(info.st_mode)) {
    // Opening a FIFO would block forever; devices and sockets are not migrations either.
    return unreadable(native, display, display + " is not a regular file (a FIFO, socket or device), so it was not read.",
                      "Replace it with a regular file or remove it from the migrations directory.");
  }
  // POSIX reads: unlike iostreams they report a failing read (EIO) instead of a short file.
  int fd = ::open(native.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int error = errno;
    return unreadable(native, display, display + " cannot be read (" + std::strerror(error) + ").",
                      "Check the file's permissions: migsafe needs read access to every migration.");
  }
  // Read straight into the string, sized from stat plus one byte so that a file of the expected size
  // needs no reallocation; a file that grows (or is replaced) meanwhile still is read whole (the buffer
  // doubles), and the loop ends only on a read of 0 bytes (end of file).
  std::string bytes;
  std::size_t expected = info.st_size > 0 ? static_cast<std::size_t>(info.st_size) : 0;
  bytes.resize(expected + 1);
  std::size_t size = 0;
  for (;;) {
    if (size == bytes.size()) bytes.resize(std::max<std::size_t>(bytes.size() * 2, std::size_t{1} << 16));
    ssize_t got = ::read(fd, bytes.data() + size, bytes.size() - size);
    if (got == 0) break;
    if (got < 0) {
      if (errno == EINTR) continue;
      int error = errno;
      ::close(fd);
      return unreadable(native, display, display + " could not be read to the end (" + std::strerror(error) + ").",
                        "Check the disk and the file; migsafe needs to read every migration whole.");
    }
    size += static_cast<std::size_t>(got);
  }
  ::close(fd);
  bytes.resize(size);
  return make_source(std::move(native), std::move(display), std::move(bytes));
}

}  // namespace migsafe
