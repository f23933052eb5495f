// text: the human format (ruff/rustc style). One header line per finding, a code frame with the span
// underlined, the help text wrapped to the terminal-friendly width, and a summary line.
#include <algorithm>
#include <ostream>

#include "linter/report/report_support.h"

namespace migsafe {
namespace {

constexpr int kTabStop = 4;            // tabs expand to the next multiple of 4 columns, in frame and underline alike
constexpr int kMaxFrameLines = 3;      // lines of a multi-line span shown before the ellipsis
constexpr int kMaxLineWidth = 160;     // long lines are cut to a window around the span
constexpr int kWindowLead = 40;        // columns kept before the span when a line is cut
constexpr std::size_t kWrapWidth = 100;

struct Style {
  bool enabled = false;
  std::string paint(std::string_view text, const char* code) const {
    if (!enabled || text.empty()) return std::string(text);
    return std::string("\x1b[") + code + "m" + std::string(text) + "\x1b[0m";
  }
};

const char* severity_color(Severity severity) {
  switch (severity) {
    case Severity::Error: return "1;31";
    case Severity::Warning: return "1;33";
    case Severity::Note: return "1;36";
  }
  return "1";
}

std::size_t text_width(std::string_view text) {
  std::size_t width = 0;
  for (std::size_t i = 0; i < text.size();) {
    std::size_t length = 1;
    width += static_cast<std::size_t>(display_width(decode_code_point(text, i, length)));
    i += length;
  }
  return width;
}

// One code point of a source line as it is drawn: its glyphs, where it starts on screen and its width.
struct Cell {
  std::string glyphs;
  int start = 0;
  int width = 0;
};

std::vector<Cell> layout_line(std::string_view line) {
  std::vector<Cell> cells;
  cells.reserve(line.size());  // at most one cell per byte
  int column = 0;
  for (std::size_t i = 0; i < line.size();) {
    std::size_t length = 1;
    char32_t cp = decode_code_point(line, i, length);
    Cell cell;
    cell.start = column;
    if (cp == U'\t') {
      cell.width = kTabStop - column % kTabStop;
      cell.glyphs.assign(static_cast<std::size_t>(cell.width), ' ');
    } else if (cp < 0x20 || cp == 0x7F) {
      append_utf8(cell.glyphs, cp == 0x7F ? 0x2421 : 0x2400 + cp);
      cell.width = 1;
    } else {
      append_utf8(cell.glyphs, cp);
      cell.width = display_width(cp);
    }
    column += cell.width;
    cells.push_back(std::move(cell));
    i += length;
  }
  return cells;
}

bool is_blank(const Cell& cell) { return cell.glyphs.find_first_not_of(' ') == std::string::npos; }

class TextReporter final : public Reporter {
 public:
  void write(const std::vector<Finding>& findings, const ReportContext& context, std::ostream& out) const override {
    Style style{context.color};
    std::vector<const Finding*> ordered = in_report_order(findings);
    for (const Finding* finding : ordered) {
      write_header(*finding, context, style, out);
      if (finding->file) write_frame(*finding, style, out);
      write_help(*finding, style, out);
      out << '\n';
    }
    out << style.paint(summary_sentence(count_findings(ordered), context.files_checked), "1") << '\n';
  }

 private:
  static void write_header(const Finding& finding, const ReportContext& context, const Style& style, std::ostream& out) {
    if (!finding.path.empty()) {
      std::string location = printable_text(finding.path) + ":" + std::to_string(finding.start.line) + ":" +
                             std::to_string(finding.start.column) + ":";
      out << style.paint(location, "1") << ' ';
    }
    std::string label = std::string(to_string(finding.severity)) + "[" + printable_text(finding.rule_id) + "]";
    out << style.paint(label, severity_color(finding.severity)) << ": "
        << printable_text(single_line(message_or_fallback(finding, context))) << '\n';
  }

  static void write_frame(const Finding& finding, const Style& style, std::ostream& out) {
    const SourceFile& file = *finding.file;
    int line_count = static_cast<int>(file.line_count());
    int first = finding.start.line;
    if (first < 1 || first > line_count) return;
    int last = std::clamp(finding.end.line, first, line_count);
    int end_column = finding.end.line > line_count ? -1 : finding.end.column;
    // A span that stops at the very start of a line ends with the previous line's terminator.
    if (last > first && end_column == 1) {
      --last;
      end_column = -1;
    }
    int shown_last = std::min(last, first + kMaxFrameLines - 1);
    std::size_t gutter = std::to_string(shown_last).size();
    std::string empty_gutter = std::string(gutter, ' ') + " |";
    out << style.paint(empty_gutter, "1;34") << '\n';
    for (int line = first; line <= shown_last; ++line) {
      std::vector<Cell> cells = layout_line(file.line_text(line));
      int size = static_cast<int>(cells.size());
      // Underlined code points [from, to), 0-based.
      int from = line == first ? finding.start.column - 1 : 0;
      if (line != first) {
        while (from < size && is_blank(cells[static_cast<std::size_t>(from)])) ++from;
      }
      int to = size;
      if (line == last && end_column > 0) to = end_column - 1;
      if (line != last || end_column <= 0) {
        while (to > from && is_blank(cells[static_cast<std::size_t>(to - 1)])) --to;
      }
      from = std::clamp(from, 0, size);
      to = std::clamp(to, from, size);
      write_line(line, gutter, cells, from, to, finding.severity, style, out);
    }
    if (shown_last < last) {
      out << style.paint(empty_gutter, "1;34") << " ... (" << count_of(static_cast<std::size_t>(last - shown_last), "more line")
          << ")\n";
    }
    out << style.paint(empty_gutter, "1;34") << '\n';
  }

  static void write_line(int line, std::size_t gutter, const std::vector<Cell>& cells, int from, int to, Severity severity,
                         const Style& style, std::ostream& out) {
    int line_width = cells.empty() ? 0 : cells.back().start + cells.back().width;
    int span_start = from < static_cast<int>(cells.size()) ? cells[static_cast<std::size_t>(from)].start : line_width;
    int span_end = to > from ? cells[static_cast<std::size_t>(to - 1)].start + cells[static_cast<std::size_t>(to - 1)].width
                             : span_start;
    // Window of screen columns [window_begin, window_end) drawn for very long lines.
    int window_begin = 0;
    int window_end = line_width;
    if (line_width > kMaxLineWidth) {
      window_begin = std::max(0, span_start - kWindowLead);
      window_end = std::min(line_width, window_begin + kMaxLineWidth);
    }
    std::string text;
    int drawn = 0;  // screen columns used so far, including the leading ellipsis
    if (window_begin > 0) {
      text += "…";
      drawn = 1;
    }
    int offset = drawn - window_begin;  // screen column of source column c is c + offset
    for (const Cell& cell : cells) {
      if (cell.start < window_begin) continue;
      if (cell.start + cell.width > window_end) break;
      text += cell.glyphs;
    }
    if (window_end < line_width) text += "…";
    std::string number = std::to_string(line);
    std::string prefix = std::string(gutter - number.size(), ' ') + number + " |";
    out << style.paint(prefix, "1;34") << (text.empty() ? "" : " ") << text << '\n';

    int caret_from = std::clamp(span_start, window_begin, window_end) + offset;
    int caret_to = std::clamp(span_end, window_begin, window_end) + offset;
    int carets = std::max(1, caret_to - caret_from);
    out << style.paint(std::string(gutter, ' ') + " |", "1;34") << ' ' << std::string(static_cast<std::size_t>(caret_from), ' ')
        << style.paint(std::string(static_cast<std::size_t>(carets), '^'), severity_color(severity)) << '\n';
  }

  static void write_help(const Finding& finding, const Style& style, std::ostream& out) {
    std::string help = printable_text(finding.help);
    if (help.find_first_not_of(" \t\r\n") == std::string::npos) return;
    const std::string lead = "  = help: ";
    const std::string indent(lead.size(), ' ');
    bool first_line = true;
    auto emit = [&](const std::string& text) {
      if (first_line) {
        out << "  = " << style.paint("help", "1") << ": " << text << '\n';
      } else if (text.empty()) {
        out << '\n';  // a blank line between paragraphs, without trailing spaces
      } else {
        out << indent << text << '\n';
      }
      first_line = false;
    };
    // Each paragraph line of the help (numbered steps keep their own lines) is wrapped by words.
    std::size_t begin = 0;
    while (begin <= help.size()) {
      std::size_t end = help.find('\n', begin);
      if (end == std::string::npos) end = help.size();
      std::string paragraph = help.substr(begin, end - begin);
      if (!paragraph.empty() && paragraph.back() == '\r') paragraph.pop_back();
      std::string current;
      std::size_t width = 0;
      std::size_t pos = 0;
      bool any = false;
      while (pos < paragraph.size()) {
        std::size_t space = paragraph.find(' ', pos);
        if (space == std::string::npos) space = paragraph.size();
        std::string word = paragraph.substr(pos, space - pos);
        pos = space + 1;
        if (word.empty()) continue;
        std::size_t word_width = text_width(word);
        if (!current.empty() && lead.size() + width + 1 + word_width > kWrapWidth) {
          emit(current);
          any = true;
          current.clear();
          width = 0;
        }
        if (!current.empty()) {
          current += ' ';
          ++width;
        }
        current += word;
        width += word_width;
      }
      // An empty paragraph line is kept as a blank line, except before the first text.
      if (!current.empty() || (!any && !first_line)) emit(current);
      if (end == help.size()) break;
      begin = end + 1;
    }
  }
};

}  // namespace

std::unique_ptr<Reporter> make_text_reporter() { return std::make_unique<TextReporter>(); }

}  // namespace migsafe
