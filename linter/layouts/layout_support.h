// Helpers shared by the layouts: listing directories safely (symlink loops, unreadable directories,
// excludes), line splitting for any line ending, natural and version ordering, and turning a region of
// a file into a Script with its runner transaction mode.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "linter/layouts/layout.h"
#include "linter/layouts/source_reader.h"
#include "linter/util/text.h"

namespace migsafe {

// ---- lines ----------------------------------------------------------------------------------------
struct TextLine {
  std::string_view text;  // without its terminator
  std::size_t begin = 0;  // offset of the first byte
  std::size_t end = 0;    // offset just past the text (before the terminator)
  std::size_t next = 0;   // offset of the next line
};
// Lines of text[begin, end), ending at LF, CRLF or a lone CR (as SourceFile counts them).
std::vector<TextLine> split_lines(std::string_view text, std::size_t begin, std::size_t end);

// ---- ordering -------------------------------------------------------------------------------------
// "2_b" < "10_a": digit runs compare as numbers (any length), the rest byte by byte.
bool natural_less(std::string_view a, std::string_view b);
// Compares two non-negative decimal integers of any length ("0010" == "10").
int compare_decimal(std::string_view a, std::string_view b);

// ---- directories ----------------------------------------------------------------------------------
struct DirEntry {
  std::filesystem::path path;
  bool is_directory = false;  // after following symbolic links
  std::string name;           // the file name, kept for sorting
};

// Lists `dir` sorted by name, following symbolic links. `ancestors` are the canonical paths of the
// directories walked down to (and including) `dir`: a link back to one of them is a loop, reported and
// not followed. Unreadable directories and broken links become problems. Hidden directories (".git")
// are left out.
std::vector<DirEntry> list_directory(const std::filesystem::path& dir, const std::vector<std::filesystem::path>& ancestors,
                                     const std::filesystem::path& display_root, std::vector<FileProblem>& problems);

// True when `path` matches one of `patterns` (fnmatch globs) relative to `base`: the whole relative path,
// one of its leading directories, or, for a pattern without '/', any single path component. A leading
// '/' anchors the pattern at `base`.
bool path_excluded(const std::filesystem::path& path, const std::filesystem::path& base,
                   const std::vector<std::string>& patterns);
// `text` with fnmatch's special characters escaped, to exclude one literal path.
std::string glob_escape(std::string_view text);

// Files directly in `dir` (Directory scope) or anywhere below it (Tree scope), sorted, excludes applied
// relative to `dir` and to the display root. Problems go to `project`.
std::vector<std::filesystem::path> project_files(const std::filesystem::path& dir, LayoutScope scope,
                                                 const LayoutOptions& options, Project& project);

// ---- scripts --------------------------------------------------------------------------------------
// Reads a file for `project`: a problem found while reading is added to it.
ReadSource read_for_project(const std::filesystem::path& path, const LayoutOptions& options, Project& project);

// The runner mode for `layout`: its default, then the configuration's override for that layout.
RunnerTransaction runner_for_layout(std::string_view layout, RunnerTransaction default_mode, const LayoutOptions& options);

// A `-- migsafe:transaction none|per-script|implicit` comment among the comment lines that open `region`.
// A comment with an unknown mode becomes a problem in `project`.
std::optional<RunnerTransaction> transaction_comment(const SourceFilePtr& file, ByteRange region, Project& project);

// Parses `region` of `file` with the PostgreSQL front end, applies the runner mode (overridden by a
// transaction comment at the head of the region or of the file) and the explicit BEGIN/COMMIT, and moves
// the suppressions into `project`.
// `file_head` is where a file-wide comment may stand (default: everything before the region).
Script build_script(const SourceFilePtr& file, ByteRange region, RunnerTransaction runner, Project& project,
                    std::optional<ByteRange> file_head = std::nullopt);
inline ByteRange whole(const SourceFilePtr& file) { return ByteRange{0, file->text().size()}; }

// The first line of `file` (where a missing downgrade is reported).
ByteRange first_line(const SourceFilePtr& file);

// True when the script holds no statement (empty, whitespace, comments only).
bool script_is_empty(const Script& script);

// Sets each migration's parent to the one before it, so the history rules see a linear chain.
void chain_parents(std::vector<Migration>& migrations);

// Names of the regular files (links followed) directly in `dir`, for detect(): no problems reported.
std::vector<std::string> file_names_in(const std::filesystem::path& dir);
bool ends_with(std::string_view text, std::string_view suffix);
// The number of ASCII digits at the start of `text`. File-name patterns are matched by hand rather than
// with std::regex, whose compilation alone costs more than linting a one-statement file.
std::size_t leading_digits(std::string_view text);

// detect() score for layouts recognised by their .sql file names: 0 when no .sql file in `dir`
// matches, else `base` plus up to 70 for the share of .sql files that match.
int score_sql_files(const std::filesystem::path& dir, int base, const std::function<bool(const std::string&)>& matches);

// A migration whose upgrade is the whole file. `readable` tells whether the file could be read as text.
Migration migration_from_source(const ReadSource& source, std::string id, std::string name, std::string_view layout,
                                RunnerTransaction runner, Project& project);
// Sets the downgrade of `migration` from a whole file: Present, Empty (nothing in it) or, when the file
// cannot be read, NotApplicable (the read problem is reported; migsafe cannot judge the downgrade).
void attach_downgrade_file(Migration& migration, const std::filesystem::path& path, RunnerTransaction runner,
                           const LayoutOptions& options, Project& project);
// Marks the downgrade missing, anchored at the upgrade file's first line.
void mark_downgrade_missing(Migration& migration);

// A plain project of the given .sql files of `root`, in natural name order (the plain layout, and the
// loose files a layout's directory holds but the layout does not use).
Project load_plain_files(const std::filesystem::path& root, std::vector<std::filesystem::path> files,
                         const LayoutOptions& options);

// Everything but the file name: "migrations/1_a.up.sql" -> "1_a.up.sql".
std::string file_name(const std::filesystem::path& path);
// True when the file name ends in ".sql"; no copy, as directory walks ask it of every entry.
bool has_sql_name(const std::filesystem::path& path);

}  // namespace migsafe
