// Baselines: `migsafe baseline` records today's findings so that a team with a long history can adopt
// migsafe in one step; `--baseline FILE` then reports only findings that are not recorded.
//
// A finding is recorded by (rule, file, fingerprint), never by line: the fingerprint hashes the rule,
// the file and the statement text with comments and insignificant whitespace removed (fingerprint() in
// linter/model/finding.h), so adding lines above a statement, re-indenting it or editing a comment in it
// keeps it baselined, while changing the statement itself makes it a new finding. Identical findings in
// one file (the same statement twice) are matched by count. The file format is documented in
// docs/changed-and-baseline.md.
#pragma once

#include <cstddef>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "linter/model/finding.h"

namespace migsafe {

inline constexpr int kBaselineFormatVersion = 1;

struct BaselineEntry {
  std::string rule;
  std::string file;         // relative to the baseline file's directory, forward slashes; empty = no file
  std::string fingerprint;  // 16 hex digits
  std::string message;      // for humans reading the file; not part of the key
  std::size_t count = 1;    // identical findings absorbed by this entry
};

struct Baseline {
  std::vector<BaselineEntry> entries;  // sorted by (file, rule, fingerprint), keys unique
};

// The key file of a finding: its display path (relative to `working_directory`, or absolute) made
// relative to `baseline_directory`, so that a baseline works whichever directory migsafe runs from.
std::string baseline_file_key(const std::string& display_path, const std::filesystem::path& working_directory,
                              const std::filesystem::path& baseline_directory);

// The baseline recording `findings`.
Baseline make_baseline(const std::vector<Finding>& findings, const std::filesystem::path& working_directory,
                       const std::filesystem::path& baseline_directory);

// The file's text: stable, sorted, one entry per line group, ending in a newline.
std::string baseline_json(const Baseline& baseline, const std::string& tool_version);

// Reads a baseline written by baseline_json. Throws ConfigError naming `shown_name` (and, for JSON syntax
// errors, the line and column) when the text is not a baseline of a supported format version.
Baseline parse_baseline(const std::string& text, const std::string& shown_name);
// Reads the file; a missing or unreadable file is a ConfigError too (exit 2).
Baseline load_baseline(const std::filesystem::path& file, const std::string& shown_name);

struct BaselineMatch {
  std::vector<Finding> remaining;   // findings the baseline does not cover, in their original order
  std::size_t hidden = 0;           // findings the baseline covered
  std::size_t unmatched = 0;        // recorded findings (counting `count`) that no longer occur
};

// Removes the recorded findings: each entry absorbs up to `count` findings with its key. `checked_files`
// (key files, see baseline_file_key) are the files this run read: entries of other files (not linted
// this time, or not changed under --changed-since) are not counted as unmatched. Null: all files.
BaselineMatch match_baseline(const Baseline& baseline, const std::vector<Finding>& findings,
                             const std::filesystem::path& working_directory,
                             const std::filesystem::path& baseline_directory,
                             const std::set<std::string>* checked_files = nullptr);

}  // namespace migsafe
