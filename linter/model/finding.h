// A finding is what every reporter consumes: rule, severity, exact location, what happens in
// production (first sentence of `message`) and the safe recipe for this very statement (`help`).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "linter/model/source.h"

namespace migsafe {

enum class Severity { Note = 0, Warning = 1, Error = 2 };
const char* to_string(Severity severity);                      // "note", "warning", "error"
std::optional<Severity> parse_severity(std::string_view text);  // also accepts "info"

struct Finding {
  std::string rule_id;
  Severity severity = Severity::Error;
  SourceFilePtr file;          // null only for findings about no particular file
  std::string path;            // display path (repository-relative, forward slashes)
  ByteRange range;             // in `file`
  Position start;              // 1-based
  Position end;                // 1-based, exclusive
  std::string message;         // first sentence: what happens in production
  std::string help;            // the safe way, for this statement
  std::string migration_id;    // the migration it concerns, when known
  // Identity that survives edits elsewhere in the file: whitespace-normalised statement text. Used by
  // baselines and GitLab/SARIF fingerprints; never contains line numbers.
  std::string fingerprint_text;
  // When `fingerprint_text` is empty, the statement text is file->slice(fingerprint_range): the engine's
  // findings quote their own file, and keeping the range instead of a copy spares one allocation per
  // finding. Read it through statement_text(). Empty (the default) when there is no statement.
  ByteRange fingerprint_range;
  // Other files the finding is about (display paths), when it concerns several: multiple-heads names
  // every head, a duplicate revision id both files. --changed-since reports the finding when any of
  // them, or `path`, changed.
  std::vector<std::string> related_paths;

  // The statement text that identifies the finding (fingerprint_text or the range of `file`); may be
  // empty.
  std::string_view statement_text() const {
    if (!fingerprint_text.empty() || !file) return fingerprint_text;
    return file->slice(fingerprint_range);
  }
  // What fingerprints hash: the statement text, or the message when there is none.
  std::string_view identity_text() const {
    std::string_view text = statement_text();
    return text.empty() ? std::string_view(message) : text;
  }
  // Copies the statement text into fingerprint_text; call before changing `file`.
  void own_statement_text() {
    if (fingerprint_text.empty()) fingerprint_text = std::string(statement_text());
    fingerprint_range = {};
  }
};

// Stable hex fingerprint: rule id + path + statement identity (statement_identity of fingerprint_text,
// or of the message when there is none) + occurrence index. Never depends on line numbers.
std::string fingerprint(const Finding& finding, int occurrence = 0);

// Statement text reduced to what identifies it: comments removed (SQL `--` and nested `/* */`, or Python
// `#`), whitespace kept only as one space between two word characters, string literals, quoted
// identifiers and dollar-quoted bodies kept verbatim. Re-indenting a statement, re-wrapping it or
// editing a comment inside it does not change its identity.
std::string statement_identity(std::string_view text, bool python);

// Order for reports: path, start line, start column, rule id.
bool finding_order(const Finding& a, const Finding& b);

// Sorts by finding_order: std::sort, or std::stable_sort when `stable`, with the same resulting order.
// Sorts indices and then moves each Finding once: a Finding holds eight strings, and the sorts' own
// moves of whole findings cost more than their comparisons.
void sort_findings(std::vector<Finding>& findings, bool stable);

}  // namespace migsafe
