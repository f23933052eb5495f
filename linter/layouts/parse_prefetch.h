// Parallel parsing for the loader. Layouts read and parse their files one by one (they need each
// result to decide downgrade states and transaction modes), so before a layout loads a project the
// loader parses the project's whole .sql files on the thread pool; while the prefetch is installed,
// build_script() takes those results instead of parsing again. Regions other than a whole file
// (dbmate sections) are parsed as before.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "linter/sql/postgres_front_end.h"

namespace migsafe {

class ThreadPool;

class ParsePrefetch {
 public:
  // Reads and parses `files` on `pool`, and installs itself for the calling thread.
  ParsePrefetch(const std::vector<std::filesystem::path>& files, const std::filesystem::path& display_root,
                ThreadPool& pool);
  ~ParsePrefetch();
  ParsePrefetch(const ParsePrefetch&) = delete;
  ParsePrefetch& operator=(const ParsePrefetch&) = delete;

  // The prefetched result for `region` of `file`, when the calling thread has a prefetch installed that
  // parsed exactly this text; suppressions are re-pointed at `file`. Each result is handed out once.
  static std::optional<SqlScriptResult> take(const SourceFilePtr& file, ByteRange region);
  // The file as the prefetch read it (readable, no problem), when it read `path` for `display_root`:
  // layouts take it instead of reading, validating and indexing the file a second time.
  static SourceFilePtr source(const std::filesystem::path& path, const std::filesystem::path& display_root);

 private:
  struct Entry {
    SourceFilePtr file;  // the file that was parsed: a hit requires the layout to have the same bytes
    std::optional<SqlScriptResult> result;
  };
  std::map<std::string, Entry> entries_;  // by path
  std::filesystem::path display_root_;
  ParsePrefetch* previous_ = nullptr;
};

}  // namespace migsafe
