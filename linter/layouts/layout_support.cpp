#include "linter/layouts/layout_support.h"
#include "linter/layouts/parse_prefetch.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <functional>
#include <memory>
#include <system_error>

#include <dirent.h>
#include <fnmatch.h>
#include <sys/stat.h>

#include "linter/sql/postgres_front_end.h"
#include "linter/util/text.h"

namespace migsafe {

namespace fs = std::filesystem;

// ---- lines ----------------------------------------------------------------------------------------

namespace {

// The line that starts at `start` (< end) in text[.., end).
TextLine line_at(std::string_view text, std::size_t start, std::size_t end) {
  std::size_t stop = start;
  while (stop < end && text[stop] != '\n' && text[stop] != '\r') ++stop;
  std::size_t next = stop;
  if (next < end) next += (text[next] == '\r' && next + 1 < end && text[next + 1] == '\n') ? 2 : 1;
  return TextLine{text.substr(start, stop - start), start, stop, next};
}

}  // namespace

std::vector<TextLine> split_lines(std::string_view text, std::size_t begin, std::size_t end) {
  std::vector<TextLine> lines;
  end = std::min(end, text.size());
  for (std::size_t start = begin; start < end; start = lines.back().next) lines.push_back(line_at(text, start, end));
  return lines;
}

// ---- ordering -------------------------------------------------------------------------------------

int compare_decimal(std::string_view a, std::string_view b) {
  while (a.size() > 1 && a.front() == '0') a.remove_prefix(1);
  while (b.size() > 1 && b.front() == '0') b.remove_prefix(1);
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  int c = a.compare(b);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

bool natural_less(std::string_view a, std::string_view b) {
  std::size_t i = 0, j = 0;
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  while (i < a.size() && j < b.size()) {
    if (digit(a[i]) && digit(b[j])) {
      std::size_t ie = i, je = j;
      while (ie < a.size() && digit(a[ie])) ++ie;
      while (je < b.size() && digit(b[je])) ++je;
      int c = compare_decimal(a.substr(i, ie - i), b.substr(j, je - j));
      if (c != 0) return c < 0;
      i = ie;
      j = je;
      continue;
    }
    if (a[i] != b[j]) return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[j]);
    ++i;
    ++j;
  }
  if ((a.size() - i) != (b.size() - j)) return (a.size() - i) < (b.size() - j);
  return a < b;  // equal up to leading zeros: still a strict, total order
}

// ---- directories ----------------------------------------------------------------------------------

namespace {

struct DirectoryCloser {
  void operator()(DIR* directory) const { ::closedir(directory); }
};

// Whether the entry is a directory after following symbolic links, as directory_entry::is_directory()
// answers it: from the type readdir() reported, and only for a link (or an unknown type) from stat().
bool entry_is_directory(const dirent& entry, const std::string& path, std::error_code& ec) {
  ec.clear();
  if (entry.d_type != DT_LNK && entry.d_type != DT_UNKNOWN) return entry.d_type == DT_DIR;
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    ec.assign(errno, std::generic_category());
    return false;
  }
  return S_ISDIR(info.st_mode);
}

}  // namespace

// Read with opendir()/readdir() rather than fs::directory_iterator, which builds each entry's path by
// appending to a path object (several allocations and a re-split into components per entry) before
// it is copied out here. Entry paths are `dir / name` exactly as the iterator forms them (a separator
// unless `dir` already ends with one), and errors carry the same errno in the generic category, so
// messages are unchanged.
std::vector<DirEntry> list_directory(const fs::path& dir, const std::vector<fs::path>& ancestors,
                                     const fs::path& display_root, std::vector<FileProblem>& problems) {
  std::vector<DirEntry> entries;
  std::unique_ptr<DIR, DirectoryCloser> directory(::opendir(dir.c_str()));
  if (!directory) {
    std::error_code ec(errno, std::generic_category());
    std::string display = display_path(dir, display_root);
    problems.push_back(file_problem(nullptr, display, {},
                                    "Directory " + display + " cannot be read (" + ec.message() +
                                        "), so the migrations in it were not checked.",
                                    "Give migsafe read access to the directory, or exclude it in migsafe.toml."));
    return entries;
  }
  std::string prefix = dir.native();
  if (!prefix.empty() && prefix.back() != '/') prefix += '/';
  struct Listed {
    std::string name;
    std::string native;  // the entry's path
    bool is_directory = false;
  };
  std::vector<Listed> listed;
  for (;;) {
    errno = 0;
    const dirent* entry = ::readdir(directory.get());
    if (entry == nullptr) {
      if (errno != 0) {
        std::error_code ec(errno, std::generic_category());
        std::string display = display_path(dir, display_root);
        problems.push_back(file_problem(nullptr, display, {},
                                        "Directory " + display + " could not be read to the end (" + ec.message() +
                                            "), so some migrations in it may not have been checked.",
                                        "Check the file system and the directory's permissions."));
      }
      break;
    }
    std::string_view entry_name = entry->d_name;
    if (entry_name == "." || entry_name == "..") continue;
    std::string name(entry_name);
    std::string native;
    native.reserve(prefix.size() + name.size());
    native.append(prefix).append(name);
    std::error_code status_ec;
    bool is_directory = entry_is_directory(*entry, native, status_ec);
    if (status_ec) {
      fs::path path(std::move(native));
      std::string display = display_path(path, display_root);
      std::error_code link_ec;
      if (fs::is_symlink(fs::symlink_status(path, link_ec))) {
        if (status_ec == std::errc::too_many_symbolic_link_levels) {
          problems.push_back(file_problem(nullptr, display, {},
                                          display + " is a symbolic link loop; it was not followed.",
                                          "Point the link at a real file or directory, or remove it."));
        } else {
          fs::path target = fs::read_symlink(path, link_ec);
          problems.push_back(file_problem(nullptr, display, {},
                                          display + " is a broken symbolic link (to " + target.generic_string() +
                                              "), so whatever it should point to was not checked.",
                                          "Point the link at an existing file or remove it."));
        }
      } else {
        problems.push_back(file_problem(nullptr, display, {},
                                        display + " cannot be examined (" + status_ec.message() + ").",
                                        "Check the file system and the permissions."));
      }
      continue;
    }
    if (is_directory) {
      if (!name.empty() && name.front() == '.') continue;  // .git, .venv, editor state
      fs::path path(native);
      fs::path canonical = fs::canonical(path, status_ec);
      if (!status_ec && std::find(ancestors.begin(), ancestors.end(), canonical) != ancestors.end()) {
        std::string display = display_path(path, display_root);
        problems.push_back(file_problem(nullptr, display, {},
                                        display + " is a symbolic link loop (it leads back to " +
                                            display_path(canonical, display_root) + "); it was not followed.",
                                        "Remove the link or point it outside the migrations tree."));
        continue;
      }
    }
    listed.push_back(Listed{std::move(name), std::move(native), is_directory});
  }
  // Sorted as strings, and only then turned into paths: moving a path object (as sorting does, many
  // times per entry) re-splits the emptied source into components.
  std::sort(listed.begin(), listed.end(), [](const Listed& a, const Listed& b) { return a.name < b.name; });
  entries.reserve(listed.size());
  for (Listed& item : listed) {
    DirEntry& entry = entries.emplace_back();
    entry.path = fs::path(std::move(item.native));
    entry.is_directory = item.is_directory;
    entry.name = std::move(item.name);
  }
  return entries;
}

std::string glob_escape(std::string_view text) {
  std::string escaped;
  for (char c : text) {
    if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') escaped += '\\';
    escaped += c;
  }
  return escaped;
}

bool path_excluded(const fs::path& path, const fs::path& base, const std::vector<std::string>& patterns) {
  if (patterns.empty()) return false;
  fs::path relative = path.lexically_normal().lexically_relative(base.lexically_normal());
  if (relative.empty() || *relative.begin() == "..") return false;
  std::vector<std::string> components;
  for (const auto& part : relative) components.push_back(part.string());
  for (std::string pattern : patterns) {
    while (pattern.rfind("./", 0) == 0) pattern.erase(0, 2);
    while (pattern.size() > 1 && pattern.back() == '/') pattern.pop_back();
    bool anchored = !pattern.empty() && pattern.front() == '/';  // "/legacy": only at the top, as in .gitignore
    if (anchored) pattern.erase(0, 1);
    if (pattern.empty()) continue;
    if (!anchored && pattern.find('/') == std::string::npos) {
      for (const std::string& component : components) {
        if (fnmatch(pattern.c_str(), component.c_str(), 0) == 0) return true;
      }
      continue;
    }
    std::string prefix;
    for (const std::string& component : components) {
      prefix += prefix.empty() ? component : "/" + component;
      if (fnmatch(pattern.c_str(), prefix.c_str(), 0) == 0) return true;
    }
  }
  return false;
}

std::vector<fs::path> project_files(const fs::path& dir, LayoutScope scope, const LayoutOptions& options,
                                    Project& project) {
  std::vector<fs::path> files;
  std::function<void(const fs::path&, std::vector<fs::path>&)> walk = [&](const fs::path& current,
                                                                         std::vector<fs::path>& ancestors) {
    for (DirEntry& entry : list_directory(current, ancestors, options.display_root, project.problems)) {
      if (path_excluded(entry.path, dir, options.exclude) ||
          path_excluded(entry.path, options.display_root, options.exclude)) {
        continue;
      }
      // A directory named like a script is handed over as a file: reading it reports the mix-up.
      if (!entry.is_directory || has_sql_name(entry.path)) {
        files.push_back(std::move(entry.path));  // the listing is thrown away: no copy of the path
      } else if (scope == LayoutScope::Tree) {
        std::error_code ec;
        ancestors.push_back(fs::canonical(entry.path, ec));
        walk(entry.path, ancestors);
        ancestors.pop_back();
      }
    }
  };
  std::error_code ec;
  std::vector<fs::path> ancestors{fs::canonical(dir, ec)};
  walk(dir, ancestors);
  return files;
}

// ---- scripts --------------------------------------------------------------------------------------

ReadSource read_for_project(const fs::path& path, const LayoutOptions& options, Project& project) {
  if (SourceFilePtr prefetched = ParsePrefetch::source(path, options.display_root)) {
    ReadSource source;
    source.file = std::move(prefetched);
    return source;
  }
  ReadSource source = read_source(path, options.display_root);
  if (source.problem) project.problems.push_back(*source.problem);
  return source;
}

RunnerTransaction runner_for_layout(std::string_view layout, RunnerTransaction default_mode,
                                    const LayoutOptions& options) {
  auto it = options.transaction_overrides.find(std::string(layout));
  return it == options.transaction_overrides.end() ? default_mode : it->second;
}

std::optional<RunnerTransaction> transaction_comment(const SourceFilePtr& file, ByteRange region, Project& project) {
  const std::string& text = file->text();
  // Only the leading comment lines matter: lines are read one by one, not the whole file split.
  std::size_t end = std::min(region.end, text.size());
  for (std::size_t start = region.begin; start < end;) {
    TextLine line = line_at(text, start, end);
    start = line.next;
    std::string_view content = trim(line.text);
    if (content.empty()) continue;
    if (content.rfind("--", 0) != 0) break;  // the comments that open the script end here
    std::string_view body = trim(content.substr(2));
    constexpr std::string_view kPrefix = "migsafe:";
    constexpr std::string_view kKey = "transaction";
    if (body.rfind(kPrefix, 0) != 0) continue;
    body = trim(body.substr(kPrefix.size()));  // `migsafe: transaction` as well, like `migsafe: ignore`
    if (body.rfind(kKey, 0) != 0) continue;
    std::string_view value = trim(body.substr(kKey.size()));
    if (!value.empty() && (value.front() == '=' || value.front() == ':')) value = trim(value.substr(1));
    std::size_t stop = 0;
    while (stop < value.size() && !std::isspace(static_cast<unsigned char>(value[stop]))) ++stop;
    std::string mode = ascii_lowered(value.substr(0, stop));
    if (mode == "none" || mode == "autocommit") return RunnerTransaction::None;
    if (mode == "per-script" || mode == "per_script" || mode == "transaction") return RunnerTransaction::PerScript;
    if (mode == "implicit" || mode == "implicit-multi-statement") return RunnerTransaction::ImplicitIfMultiStatement;
    project.problems.push_back(file_problem(
        file, file->display_path(), ByteRange{line.begin, line.end},
        "Unknown transaction mode '" + mode + "' in " + file->display_path() +
            "; the layout's default transaction mode is used instead.",
        "Write `-- migsafe:transaction none`, `-- migsafe:transaction per-script` or "
        "`-- migsafe:transaction implicit`."));
    return std::nullopt;
  }
  return std::nullopt;
}

Script build_script(const SourceFilePtr& file, ByteRange region, RunnerTransaction runner, Project& project,
                    std::optional<ByteRange> file_head) {
  Script script;
  script.file = file;
  script.region = region;
  // A comment at the head of the region (a dbmate section) wins over one at the head of the file.
  std::optional<RunnerTransaction> comment;
  ByteRange head = file_head.value_or(ByteRange{0, region.begin});
  if (!head.empty()) comment = transaction_comment(file, head, project);
  if (auto local = transaction_comment(file, region, project)) comment = local;
  script.runner = comment.value_or(runner);
  std::optional<SqlScriptResult> prefetched = ParsePrefetch::take(file, region);
  SqlScriptResult parsed = prefetched ? std::move(*prefetched) : parse_postgres_script(file, region);
  script.statements = std::move(parsed.statements);
  for (Suppression& suppression : parsed.suppressions) project.suppressions.push_back(std::move(suppression));
  assign_transactions(script);
  return script;
}

ByteRange first_line(const SourceFilePtr& file) {
  const std::string& text = file->text();
  std::size_t end = 0;
  while (end < text.size() && text[end] != '\n' && text[end] != '\r') ++end;
  return ByteRange{0, end};
}

bool script_is_empty(const Script& script) { return script.statements.empty(); }

void chain_parents(std::vector<Migration>& migrations) {
  for (std::size_t i = 1; i < migrations.size(); ++i) {
    if (migrations[i].parents.empty()) migrations[i].parents.push_back(migrations[i - 1].id);
  }
}

int score_sql_files(const fs::path& dir, int base, const std::function<bool(const std::string&)>& matches) {
  int sql = 0, matching = 0;
  for (const std::string& file : file_names_in(dir)) {
    if (!ends_with(file, ".sql")) continue;
    ++sql;
    if (matches(file)) ++matching;
  }
  return matching == 0 ? 0 : base + 70 * matching / sql;
}

std::vector<std::string> file_names_in(const fs::path& dir) {
  std::vector<std::string> names;
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec) return names;
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    if (ec) break;
    std::error_code status_ec;
    if (fs::is_regular_file(it->path(), status_ec)) names.push_back(it->path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

std::size_t leading_digits(std::string_view text) {
  std::size_t count = 0;
  while (count < text.size() && text[count] >= '0' && text[count] <= '9') ++count;
  return count;
}

Migration migration_from_source(const ReadSource& source, std::string id, std::string name, std::string_view layout,
                                RunnerTransaction runner, Project& project) {
  Migration migration;
  migration.id = std::move(id);
  migration.name = std::move(name);
  migration.layout = std::string(layout);
  migration.upgrade = build_script(source.file, whole(source.file), runner, project);
  migration.downgrade_anchor_file = source.file;
  migration.downgrade_anchor = first_line(source.file);
  return migration;
}

void attach_downgrade_file(Migration& migration, const fs::path& path, RunnerTransaction runner,
                           const LayoutOptions& options, Project& project) {
  ReadSource source = read_for_project(path, options, project);
  if (!source.readable) {
    migration.downgrade.reset();
    migration.downgrade_state = DowngradeState::NotApplicable;
    return;
  }
  migration.downgrade = build_script(source.file, whole(source.file), runner, project);
  migration.downgrade_state = script_is_empty(*migration.downgrade) ? DowngradeState::Empty : DowngradeState::Present;
  if (migration.downgrade_state == DowngradeState::Empty) {
    migration.downgrade_anchor_file = source.file;
    migration.downgrade_anchor = first_line(source.file);
  }
}

void mark_downgrade_missing(Migration& migration) {
  migration.downgrade.reset();
  migration.downgrade_state = DowngradeState::Missing;
  migration.downgrade_anchor_file = migration.upgrade.file;
  migration.downgrade_anchor = first_line(migration.upgrade.file);
}

std::string file_name(const fs::path& path) {
  // On POSIX, path::filename() is what follows the last '/' (empty after a trailing one); taken from the
  // string directly, since filename() builds another path per call.
  const std::string& native = path.native();
  std::size_t slash = native.rfind('/');
  return slash == std::string::npos ? native : native.substr(slash + 1);
}

bool has_sql_name(const fs::path& path) { return ends_with(path.native(), ".sql"); }

}  // namespace migsafe
