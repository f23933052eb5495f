#include "harness/junit_steps.h"

#include <cstdio>

namespace migsafe::harness {
namespace {

std::string xml_escape(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      case '\n': case '\t': case '\r': out += static_cast<char>(c); break;
      default:
        if (c < 0x20) continue;  // not allowed in XML 1.0
        out += static_cast<char>(c);
    }
  }
  return out;
}

std::string seconds_text(double seconds) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3f", seconds);
  return buffer;
}

}  // namespace

void write_junit_steps(const std::vector<ProjectSteps>& projects, std::ostream& out) {
  std::size_t tests = 0, failures = 0, skipped = 0;
  double total = 0;
  for (const auto& project : projects) {
    for (const auto& step : project.report->steps) {
      ++tests;
      failures += step.status == StepRecord::Status::Failed;
      skipped += step.status == StepRecord::Status::Skipped;
      total += step.seconds;
    }
  }
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << "<testsuites name=\"migsafe roundtrip\" tests=\"" << tests << "\" failures=\"" << failures << "\" skipped=\""
      << skipped << "\" time=\"" << seconds_text(total) << "\">\n";
  for (const auto& project : projects) {
    std::size_t suite_failures = 0, suite_skipped = 0;
    double suite_time = 0;
    for (const auto& step : project.report->steps) {
      suite_failures += step.status == StepRecord::Status::Failed;
      suite_skipped += step.status == StepRecord::Status::Skipped;
      suite_time += step.seconds;
    }
    out << "  <testsuite name=\"" << xml_escape("roundtrip " + project.engine + " " + project.project) << "\" tests=\""
        << project.report->steps.size() << "\" failures=\"" << suite_failures << "\" skipped=\"" << suite_skipped
        << "\" time=\"" << seconds_text(suite_time) << "\">\n";
    for (const auto& step : project.report->steps) {
      out << "    <testcase classname=\"" << xml_escape(step.migration) << "\" name=\"" << xml_escape(step.step)
          << "\" time=\"" << seconds_text(step.seconds) << "\"";
      if (!step.path.empty()) out << " file=\"" << xml_escape(step.path) << "\"";
      if (step.status == StepRecord::Status::Passed) {
        out << "/>\n";
        continue;
      }
      out << ">\n";
      if (step.status == StepRecord::Status::Failed) {
        std::string first_line = step.message.substr(0, step.message.find('\n'));
        out << "      <failure message=\"" << xml_escape(first_line) << "\">" << xml_escape(step.message)
            << "</failure>\n";
      } else {
        out << "      <skipped message=\"" << xml_escape(step.message) << "\"/>\n";
      }
      out << "    </testcase>\n";
    }
    out << "  </testsuite>\n";
  }
  out << "</testsuites>\n";
}

}  // namespace migsafe::harness
