// markdown: a human report for $GITHUB_STEP_SUMMARY, pull-request comments and pre-deploy reviews:
// totals by severity, a table of every finding, then each finding's message and help in full.
// GitHub rejects step summaries over 1 MiB, so the report stops adding rows and details before that
// and says how many findings it left out.
#include <ostream>

#include "linter/report/report_support.h"

namespace migsafe {
namespace {

// Stays clearly below GitHub's 1024 KiB per-step limit, leaving room for the truncation note.
constexpr std::size_t kSizeLimit = 1000 * 1000;
constexpr std::size_t kNoteReserve = 2048;

// Inline Markdown from plain text that uses `code spans`: code spans are kept, everything else is
// escaped so that a message cannot start a heading, a link, emphasis or raw HTML. In a table cell, pipes
// are escaped even inside code spans (GFM) and line breaks become <br>.
std::string markdown_inline(std::string_view raw, bool table_cell) {
  std::string text = valid_utf8(raw);
  std::string out;
  std::size_t i = 0;
  auto line_break = [&]() { out += table_cell ? "<br>" : "  \n"; };
  while (i < text.size()) {
    char c = text[i];
    if (c == '`') {
      std::size_t run = text.find_first_not_of('`', i);
      if (run == std::string::npos) run = text.size();
      std::string fence = text.substr(i, run - i);
      std::size_t close = text.find(fence, run);
      // The closing run must be exactly as long as the opening one.
      while (close != std::string::npos && close + fence.size() < text.size() && text[close + fence.size()] == '`') {
        close = text.find(fence, text.find_first_not_of('`', close));
      }
      bool spans_line = close != std::string::npos && text.find_first_of("\r\n", run) < close;
      if (close != std::string::npos && !spans_line) {
        std::string code = text.substr(i, close + fence.size() - i);
        for (char k : code) {
          if (table_cell && k == '|') out += "\\|";
          else out += k;
        }
        i = close + fence.size();
        continue;
      }
      for (std::size_t k = i; k < run; ++k) out += "\\`";
      i = run;
      continue;
    }
    if (c == '\r' || c == '\n') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      line_break();
    } else if (c == '&') {
      out += "&amp;";
    } else if (c == '<') {
      out += "&lt;";
    } else if (c == '>') {
      out += "&gt;";
    } else if (std::string_view("\\*_[]#|~!").find(c) != std::string_view::npos) {
      out += '\\';
      out += c;
    } else {
      out += c;
    }
    ++i;
  }
  return out;
}

std::string location(const Finding& finding) {
  if (finding.path.empty()) return "(project)";
  return finding.path + ":" + std::to_string(finding.start.line) + ":" + std::to_string(finding.start.column);
}

std::string rule_link(const Finding& finding, const ReportContext& context) {
  std::string url = rule_doc_url(context, finding.rule_id);
  std::string name = markdown_inline(finding.rule_id, true);
  if (url.empty()) return name;
  return "[" + name + "](" + markdown_inline(url, true) + ")";
}

class MarkdownReporter final : public Reporter {
 public:
  void write(const std::vector<Finding>& findings, const ReportContext& context, std::ostream& out) const override {
    std::vector<const Finding*> ordered = in_report_order(findings);
    SeverityTotals totals = count_findings(ordered);

    std::string head = "# " + markdown_inline(context.title.empty() ? "migsafe" : context.title, false) + "\n\n";
    head += markdown_inline(summary_sentence(totals, context.files_checked), false) + ".\n";
    if (ordered.empty()) {
      out << head;
      return;
    }
    head += "\n| Severity | Findings |\n|---|---:|\n";
    head += "| error | " + std::to_string(totals.errors) + " |\n";
    head += "| warning | " + std::to_string(totals.warnings) + " |\n";
    head += "| note | " + std::to_string(totals.notes) + " |\n";
    head += "\n## Findings\n\n| Severity | Rule | Location | Message |\n|---|---|---|---|\n";

    std::string table;
    std::size_t rows = 0;
    for (const Finding* finding : ordered) {
      std::string row = "| " + std::string(to_string(finding->severity)) + " | " + rule_link(*finding, context) + " | " +
                        markdown_inline(location(*finding), true) + " | " +
                        markdown_inline(message_or_fallback(*finding, context), true) + " |\n";
      if (head.size() + table.size() + row.size() + kNoteReserve > kSizeLimit) break;
      table += row;
      ++rows;
    }

    std::string details = "\n## Details\n";
    std::size_t detailed = 0;
    for (std::size_t i = 0; i < ordered.size() && rows == ordered.size(); ++i) {
      std::string section = detail(*ordered[i], i + 1, context);
      if (head.size() + table.size() + details.size() + section.size() + kNoteReserve > kSizeLimit) break;
      details += section;
      ++detailed;
    }

    out << head << table;
    if (rows < ordered.size()) {
      out << "\n> **Report truncated:** " << ordered.size() - rows << " of " << ordered.size()
          << " findings are not listed, to stay under GitHub's 1 MiB step-summary limit. "
             "The SARIF or JSON report has all of them.\n";
      return;
    }
    out << details;
    if (detailed < ordered.size()) {
      out << "\n> **Details truncated:** the details of " << ordered.size() - detailed
          << " findings are left out to stay under GitHub's 1 MiB step-summary limit; the table above lists "
             "every finding, and the SARIF or JSON report has their help text.\n";
    }
  }

 private:
  static std::string detail(const Finding& finding, std::size_t number, const ReportContext& context) {
    std::string text = "\n### " + std::to_string(number) + ". " + to_string(finding.severity) + ": " +
                       markdown_inline(finding.rule_id, false) + " at " + markdown_inline(location(finding), false) + "\n\n";
    text += markdown_inline(message_or_fallback(finding, context), false) + "\n";
    if (!finding.migration_id.empty()) text += "\nMigration: " + markdown_inline(finding.migration_id, false) + "\n";
    if (finding.help.find_first_not_of(" \t\r\n") != std::string::npos) {
      text += "\n**Help:** " + markdown_inline(finding.help, false) + "\n";
    }
    if (std::string url = rule_doc_url(context, finding.rule_id); !url.empty()) {
      text += "\nRule documentation: [" + markdown_inline(finding.rule_id, false) + "](" + markdown_inline(url, false) + ")\n";
    }
    return text;
  }
};

}  // namespace

std::unique_ptr<Reporter> make_markdown_reporter() { return std::make_unique<MarkdownReporter>(); }

}  // namespace migsafe
