// The format registry: one factory per format, each defined in its own file.
#include "linter/report/reporter.h"

#include "linter/report/report_support.h"

namespace migsafe {

std::unique_ptr<Reporter> make_reporter(std::string_view format) {
  if (format == "text") return make_text_reporter();
  if (format == "gcc") return make_gcc_reporter();
  if (format == "json") return make_json_reporter();
  if (format == "sarif") return make_sarif_reporter();
  if (format == "github") return make_github_reporter();
  if (format == "gitlab") return make_gitlab_reporter();
  if (format == "markdown") return make_markdown_reporter();
  if (format == "junit") return make_junit_reporter();
  return nullptr;
}

std::vector<std::string> reporter_names() {
  return {"text", "gcc", "json", "sarif", "github", "gitlab", "markdown", "junit"};
}

}  // namespace migsafe
