// gcc: `file:line:col: severity: message [rule-id]`, one line per finding, for editors and tools that
// parse compiler output (Vim quickfix, Emacs compilation-mode, problem matchers).
#include <ostream>

#include "linter/report/report_support.h"

namespace migsafe {
namespace {

class GccReporter final : public Reporter {
 public:
  void write(const std::vector<Finding>& findings, const ReportContext& context, std::ostream& out) const override {
    for (const Finding* finding : in_report_order(findings)) {
      // Like gcc's own "cc1: error: ..." for diagnostics that concern no file.
      if (finding->path.empty()) {
        out << "migsafe";
      } else {
        out << single_line(valid_utf8(finding->path)) << ':' << finding->start.line << ':' << finding->start.column;
      }
      out << ": " << to_string(finding->severity) << ": "
          << single_line(valid_utf8(message_or_fallback(*finding, context))) << " [" << finding->rule_id << "]\n";
    }
  }
};

}  // namespace

std::unique_ptr<Reporter> make_gcc_reporter() { return std::make_unique<GccReporter>(); }

}  // namespace migsafe
