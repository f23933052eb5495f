// --render-sql: the helper's JSON document, the embedded helper, and the whole path on the fixture
// project tests/fixtures/alembic-render (skipped when no python3 can import alembic).
#include <gtest/gtest.h>

#include <algorithm>

#include "linter/alembic/alembic_project.h"
#include "linter/alembic/render_sql.h"
#include "linter/driver.h"
#include "linter/engine/engine.h"

namespace migsafe::alembic {
namespace {

TEST(RenderSqlOutput, ParsesSqlErrorsAndLines) {
  auto revisions = parse_rendered_revisions(R"({"revisions": [
    {"path": "/p/a.py", "revision": "a", "upgrade": {"sql": "CREATE INDEX i ON t (c);\n", "error": null},
     "downgrade": {"sql": null, "error": "AttributeError: x", "line": 13}}]})");
  ASSERT_EQ(revisions.size(), 1u);
  EXPECT_EQ(revisions[0].path, "/p/a.py");
  ASSERT_TRUE(revisions[0].upgrade.sql);
  EXPECT_EQ(*revisions[0].upgrade.sql, "CREATE INDEX i ON t (c);\n");
  EXPECT_FALSE(revisions[0].downgrade.sql);
  EXPECT_EQ(revisions[0].downgrade.error, "AttributeError: x");
  EXPECT_EQ(revisions[0].downgrade.error_line, 13);
}

TEST(RenderSqlOutput, MalformedDocumentIsAnEnvironmentError) {
  EXPECT_THROW(parse_rendered_revisions("Traceback (most recent call last):"), EnvironmentError);
  EXPECT_THROW(parse_rendered_revisions(R"({"revisions": [{"upgrade": {}}]})"), EnvironmentError);
}

TEST(RenderSqlHelper, IsEmbedded) {
  EXPECT_NE(render_sql_helper_source().find("as_sql"), std::string_view::npos);
}

TEST(RenderSqlProject, FindsDynamicIndexBuildsAndNotesUnrenderableRevisions) {
  std::filesystem::path python;
  try {
    python = python_for_rendering(std::nullopt);
  } catch (const EnvironmentError&) {
    GTEST_SKIP() << "no python3 that can import alembic";
  }
  Project project = load_alembic(std::string(MIGSAFE_TEST_DATA) + "/alembic-render", LayoutOptions{});
  ASSERT_EQ(project.migrations.size(), 3u);
  auto rendered = render_project(project, python);
  ASSERT_EQ(rendered.size(), 3u);

  auto unchecked = std::count_if(project.problems.begin(), project.problems.end(), [](const FileProblem& p) {
    return p.rule_id == "unchecked-code" && p.path.ends_with("c3_backfill_from_rows.py");
  });
  EXPECT_EQ(unchecked, 1);

  LintSettings settings;
  Engine engine(settings);
  std::vector<Finding> static_findings = engine.run(project);
  std::vector<Finding> extra = lint_rendered(project, rendered, engine, static_findings);
  std::vector<const Finding*> index_builds;
  for (const Finding& finding : extra) {
    if (finding.rule_id == "blocking-index-build") index_builds.push_back(&finding);
  }
  ASSERT_EQ(index_builds.size(), 2u);  // one per loop iteration
  for (const Finding* finding : index_builds) {
    EXPECT_TRUE(finding->path.ends_with("b2_dynamic_indexes.py"));
    EXPECT_EQ(finding->start.line, 18);  // the op.execute() the SQL was built for
    EXPECT_NE(finding->message.find("CREATE INDEX ix_"), std::string::npos);
  }
  // Nothing new about the clean revision.
  for (const Finding& finding : extra) EXPECT_FALSE(finding.path.ends_with("a1_create_audit_log.py")) << finding.message;
}

}  // namespace
}  // namespace migsafe::alembic
