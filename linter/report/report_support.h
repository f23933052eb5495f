// Helpers shared by the reporters (internal to linter/report/): report order, severity totals,
// collision-free fingerprints, rule look-up, documentation links and text sanitising.
#pragma once

#include "linter/util/utf8.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "linter/model/finding.h"
#include "linter/report/reporter.h"

namespace migsafe {

struct RuleInfo;

// Where users learn about migsafe (SARIF tool.driver.informationUri when no docs URL is configured).
inline constexpr std::string_view kProjectHomepage = "https://github.com/migsafe/migsafe";

// Factories of the individual formats (one file each).
std::unique_ptr<Reporter> make_text_reporter();
std::unique_ptr<Reporter> make_gcc_reporter();
std::unique_ptr<Reporter> make_json_reporter();
std::unique_ptr<Reporter> make_sarif_reporter();
std::unique_ptr<Reporter> make_github_reporter();
std::unique_ptr<Reporter> make_gitlab_reporter();
std::unique_ptr<Reporter> make_markdown_reporter();
std::unique_ptr<Reporter> make_junit_reporter();

// Findings in report order (finding_order; stable, so equal findings keep the caller's order).
std::vector<const Finding*> in_report_order(const std::vector<Finding>& findings);

struct SeverityTotals {
  std::size_t errors = 0;
  std::size_t warnings = 0;
  std::size_t notes = 0;
  std::size_t files_with_findings = 0;  // distinct non-empty paths
  std::size_t total() const { return errors + warnings + notes; }
};
SeverityTotals count_findings(const std::vector<const Finding*>& findings);

// "3 errors, 1 warning in 2 files (12 files checked)" / "No findings in 12 files".
std::string summary_sentence(const SeverityTotals& totals, std::size_t files_checked);
// "1 error", "2 warnings".
std::string count_of(std::size_t count, std::string_view singular);

// One fingerprint value per finding (same order), unique within the report: identical statements of the
// same rule in the same file get increasing occurrence indexes, and a (theoretical) hash collision is
// resolved by moving to the next occurrence index. Values rather than text: 16 hex digits exceed
// std::string's inline capacity, so a string per finding was a heap allocation per finding; reporters
// write each value through FingerprintDigits (fingerprint.h).
std::vector<std::uint64_t> unique_fingerprints(const std::vector<const Finding*>& findings);

// The rule's metadata among those evaluated in this run, or null.
const RuleInfo* find_rule(const ReportContext& context, std::string_view id);

// Link to a rule's documentation: docs_base_url with `{id}` replaced, or docs_base_url + "/" + id
// (no doubled slash). Empty when no base URL was given.
std::string rule_doc_url(const ReportContext& context, std::string_view id);

// Replaces invalid UTF-8 sequences with U+FFFD so that every writer emits valid UTF-8.
std::string valid_utf8(std::string_view text);
// valid_utf8, and control characters other than tab and line breaks (an ESC inside a quoted identifier,
// say) replaced by their Unicode control pictures (U+2400...), so that no report can drive a terminal.
std::string printable_text(std::string_view text);
// single_line(printable_text(text)) appended to `out`, without building either string when the text is
// printable already (the common case).
void append_printable_single_line(std::string& out, std::string_view text);
// Collapses CR, LF and CRLF to single spaces (formats that are one line per finding).
std::string single_line(std::string_view text);
// single_line appended to `out` (no allocation per call when `out` is reused).
void append_single_line(std::string& out, std::string_view text);
// A finding's message, never empty: falls back to the rule's summary, then to the rule id.
std::string message_or_fallback(const Finding& finding, const ReportContext& context);
// The same text without a copy in the common case (the finding's own message); a fallback is built in
// `storage`, which the caller reuses across findings.
std::string_view message_text(const Finding& finding, const ReportContext& context, std::string& storage);

// Path with forward slashes and without a leading "./".
std::string normalised_path(std::string_view path);

// Decodes the code point that starts at text[i] the way SourceFile::position_of counts columns: a
// code point begins at every byte that is not a UTF-8 continuation byte. Sets `length` to the bytes
// it spans; malformed sequences decode to U+FFFD.
char32_t decode_code_point(std::string_view text, std::size_t i, std::size_t& length);

// Terminal display width of a code point: 0 for combining marks and zero-width characters, 2 for East
// Asian wide/fullwidth characters and emoji, 1 otherwise.
int display_width(char32_t code_point);


}  // namespace migsafe
