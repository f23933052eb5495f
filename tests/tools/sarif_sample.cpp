// Writes SARIF for the fixed sample findings and every registered rule (and, with --no-project-file,
// without a project file, so file-less findings point at the repository root). Used by
// tests/scripts/validate_sarif.sh to check our SARIF with Microsoft's validator, independently of the CLI.
#include <fstream>
#include <iostream>
#include <string_view>

#include "../unit/report/sample_findings.h"
#include "linter/engine/rule.h"
#include "linter/report/reporter.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: migsafe_sarif_sample OUT.sarif [--no-project-file]\n";
    return 2;
  }
  migsafe::ReportContext context = migsafe::testing::sample_context();
  context.rules = migsafe::RuleRegistry::instance().all_infos();
  context.tool_version = MIGSAFE_VERSION;
  if (argc > 2 && std::string_view(argv[2]) == "--no-project-file") context.project_file.clear();
  std::ofstream out(argv[1], std::ios::binary);
  if (!out) {
    std::cerr << "migsafe_sarif_sample: cannot write " << argv[1] << "\n";
    return 3;
  }
  migsafe::make_reporter("sarif")->write(migsafe::testing::sample_findings(), context, out);
  return out.good() ? 0 : 3;
}
