#include "linter/layouts/parse_prefetch.h"

#include "linter/layouts/source_reader.h"
#include "linter/util/thread_pool.h"

namespace migsafe {

namespace {
thread_local ParsePrefetch* current_prefetch = nullptr;
}  // namespace

ParsePrefetch::ParsePrefetch(const std::vector<std::filesystem::path>& files,
                             const std::filesystem::path& display_root, ThreadPool& pool)
    : display_root_(display_root) {
  std::vector<Entry> parsed(files.size());
  pool.parallel_for(files.size(), [&](std::size_t i) {
    ReadSource source = read_source(files[i], display_root);
    if (!source.readable || source.problem) return;  // the layout reports it when it reads the file
    parsed[i].file = source.file;
    parsed[i].result = parse_postgres_script(source.file, ByteRange{0, source.file->text().size()});
  });
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (parsed[i].result) entries_.emplace(files[i].string(), std::move(parsed[i]));
  }
  previous_ = current_prefetch;
  current_prefetch = this;
}

ParsePrefetch::~ParsePrefetch() { current_prefetch = previous_; }

std::optional<SqlScriptResult> ParsePrefetch::take(const SourceFilePtr& file, ByteRange region) {
  if (!current_prefetch || !file || region.begin != 0 || region.end != file->text().size()) return std::nullopt;
  auto it = current_prefetch->entries_.find(file->path());
  if (it == current_prefetch->entries_.end() || !it->second.result ||
      (it->second.file != file && it->second.file->text() != file->text())) {
    return std::nullopt;
  }
  SqlScriptResult result = std::move(*it->second.result);
  current_prefetch->entries_.erase(it);
  for (Suppression& suppression : result.suppressions) suppression.file = file;
  return result;
}

SourceFilePtr ParsePrefetch::source(const std::filesystem::path& path, const std::filesystem::path& display_root) {
  if (!current_prefetch || current_prefetch->display_root_ != display_root) return nullptr;
  auto it = current_prefetch->entries_.find(path.string());
  if (it == current_prefetch->entries_.end() || !it->second.result) return nullptr;
  return it->second.file;
}

}  // namespace migsafe
