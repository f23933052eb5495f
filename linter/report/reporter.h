// Reporters turn findings into one output format. They see only findings and rule metadata.
#pragma once

#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "linter/model/finding.h"

namespace migsafe {

struct RuleInfo;

struct ReportContext {
  std::string tool_version;                // MIGSAFE_VERSION
  std::vector<const RuleInfo*> rules;      // every rule evaluated in this run (SARIF rules[])
  bool color = false;                      // text: ANSI colors (only on a TTY and without NO_COLOR)
  std::string category = "migsafe";        // SARIF automationDetails.id category
  std::string docs_base_url;               // where docs/rules/ID.md is published (helpUri, links)
  std::size_t files_checked = 0;           // for summaries
  std::string title = "migsafe";           // markdown/junit report title
  // Display paths of the files checked, when known: JUnit gives each file without findings a passing
  // test case. Empty: only files with findings appear.
  std::vector<std::string> checked_paths;
  // Repository-relative file that findings without a file are attached to in formats that require a
  // location (SARIF, GitLab), e.g. the config file or alembic.ini. Empty: the repository root.
  std::string project_file;
};

class Reporter {
 public:
  virtual ~Reporter() = default;
  virtual void write(const std::vector<Finding>& findings, const ReportContext& context, std::ostream& out) const = 0;
};

// "text", "gcc", "json", "sarif", "github", "gitlab", "markdown", "junit". Null for an unknown name.
std::unique_ptr<Reporter> make_reporter(std::string_view format);
std::vector<std::string> reporter_names();

}  // namespace migsafe
