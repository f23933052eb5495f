// gcc: `file:line:col: severity: message [rule-id]`, one line per finding, for editors and tools that
// parse compiler output (Vim quickfix, Emacs compilation-mode, problem matchers).
#include <charconv>
#include <ostream>
#include <string>

#include "linter/report/report_support.h"

namespace migsafe {
namespace {

void append_number(std::string& out, int value) {
  char digits[16];
  out.append(digits, std::to_chars(digits, digits + sizeof digits, value).ptr);
}

// Lines are built in one reused buffer and reach the stream in large blocks: a stream insertion per
// piece and a string per sanitised path and message cost more than linting.
class GccReporter final : public Reporter {
 public:
  void write(const std::vector<Finding>& findings, const ReportContext& context, std::ostream& out) const override {
    constexpr std::size_t kBlockSize = 64 * 1024;
    std::string text;
    std::string message_storage;
    for (const Finding* finding : in_report_order(findings)) {
      // Like gcc's own "cc1: error: ..." for diagnostics that concern no file.
      if (finding->path.empty()) {
        text += "migsafe";
      } else {
        append_printable_single_line(text, finding->path);
        text += ':';
        append_number(text, finding->start.line);
        text += ':';
        append_number(text, finding->start.column);
      }
      text += ": ";
      text += to_string(finding->severity);
      text += ": ";
      append_printable_single_line(text, message_text(*finding, context, message_storage));
      text += " [";
      text += finding->rule_id;
      text += "]\n";
      if (text.size() >= kBlockSize) {
        out.write(text.data(), static_cast<std::streamsize>(text.size()));
        text.clear();
      }
    }
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
  }
};

}  // namespace

std::unique_ptr<Reporter> make_gcc_reporter() { return std::make_unique<GccReporter>(); }

}  // namespace migsafe
