// Golden-output tests: every format renders the fixed sample findings exactly as in
// tests/fixtures/report/<format>.expected. After an intended change, regenerate with
//   UPDATE_GOLDEN=1 build/tests/test_report
// and review the diff like code.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "linter/report/reporter.h"
#include "sample_findings.h"

namespace migsafe {
namespace {

std::string render(std::string_view format, const std::vector<Finding>& findings, const ReportContext& context) {
  auto reporter = make_reporter(format);
  EXPECT_NE(reporter, nullptr) << format;
  if (!reporter) return {};
  std::ostringstream out;
  reporter->write(findings, context, out);
  return out.str();
}

void expect_golden(const std::string& name, const std::string& actual) {
  std::string path = std::string(MIGSAFE_TEST_DATA) + "/report/" + name + ".expected";
  const char* update = std::getenv("UPDATE_GOLDEN");
  if (update && std::string(update) == "1") {
    std::ofstream(path, std::ios::binary) << actual;
    return;
  }
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in) << "missing golden file " << path << " (run with UPDATE_GOLDEN=1 to create it)";
  std::stringstream expected;
  expected << in.rdbuf();
  EXPECT_EQ(actual, expected.str()) << "output differs from " << path << " (UPDATE_GOLDEN=1 rewrites it)";
}

class GoldenTest : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldenTest, SampleFindingsRenderAsExpected) {
  expect_golden(GetParam(), render(GetParam(), testing::sample_findings(), testing::sample_context()));
}

TEST_P(GoldenTest, NoFindingsRenderAsExpected) {
  ReportContext context = testing::sample_context();
  context.checked_paths = {"migrations/0001_init.sql"};
  context.files_checked = 1;
  expect_golden(GetParam() + "-empty", render(GetParam(), {}, context));
}

INSTANTIATE_TEST_SUITE_P(Formats, GoldenTest,
                         ::testing::Values("text", "gcc", "json", "sarif", "github", "gitlab", "markdown", "junit"),
                         [](const auto& info) { return info.param; });

TEST(GoldenText, ColorOutput) {
  ReportContext context = testing::sample_context();
  context.color = true;
  expect_golden("text-color", render("text", testing::sample_findings(), context));
}

TEST(Registry, EveryNamedFormatExistsAndUnknownNamesDoNot) {
  for (const std::string& name : reporter_names()) EXPECT_NE(make_reporter(name), nullptr) << name;
  EXPECT_EQ(make_reporter("xml"), nullptr);
  EXPECT_EQ(make_reporter(""), nullptr);
}

}  // namespace
}  // namespace migsafe
