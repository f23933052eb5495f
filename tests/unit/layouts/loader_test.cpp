#include <sstream>

#include "layout_test_support.h"

namespace migsafe::testing {
namespace {


LoadRequest request_for(std::vector<std::string> paths, const std::filesystem::path& display_root) {
  LoadRequest request;
  request.paths = std::move(paths);
  request.options.display_root = display_root;
  return request;
}

const Project* project_with_layout(const LoadResult& result, const std::string& layout) {
  for (const Project& project : result.projects) {
    if (project.layout == layout) return &project;
  }
  return nullptr;
}

// A repository with several projects at different depths.
void write_repository(const TempDir& dir) {
  dir.write("services/shop/db/migrations/1_users.up.sql", "CREATE TABLE users (id int);\n");
  dir.write("services/shop/db/migrations/1_users.down.sql", "DROP TABLE users;\n");
  dir.write("services/shop/db/migrations/2_orders.up.sql", "CREATE TABLE orders (id int);\n");
  dir.write("billing/sql/V1__invoices.sql", "CREATE TABLE invoices (id int);\n");
  dir.write("billing/sql/archive/V0_9__legacy.sql", "CREATE TABLE legacy (id int);\n");
  dir.write("inventory/sqitch.plan", "%project=inventory\n\nitems 2024-01-01T10:00:00Z A <a@example.com>\n");
  dir.write("inventory/deploy/items.sql", "CREATE TABLE items (id int);\n");
  dir.write("inventory/revert/items.sql", "DROP TABLE items;\n");
  dir.write("inventory/verify/items.sql", "SELECT 1 FROM items;\n");
  // A golang-migrate project inside the sqitch tree is a project of its own.
  dir.write("inventory/extra/1_x.up.sql", "CREATE TABLE x (id int);\n");
  dir.write("scripts/fix_data.sql", "UPDATE users SET id = id;\n");
  dir.write("scripts/cleanup.sql", "DELETE FROM orders WHERE id < 0;\n");
  dir.write("README.md", "# not SQL\n");
}

TEST(Loader, FindsEveryProjectInATree) {
  TempDir dir;
  write_repository(dir);
  LoadResult result = load_projects(request_for({dir.path().string()}, dir.path()));
  EXPECT_TRUE(result.usage_errors.empty());
  EXPECT_EQ(project_keys(result, dir.path()), (std::vector<std::string>{"flyway:billing/sql", "golang-migrate:inventory/extra", "golang-migrate:services/shop/db/migrations",
                          "plain:scripts", "sqitch:inventory"}));
  const Project* flyway = project_with_layout(result, "flyway");
  ASSERT_NE(flyway, nullptr);
  EXPECT_EQ(ids(*flyway), (std::vector<std::string>{"V0_9", "V1"}));
  EXPECT_EQ(flyway->migrations[0].upgrade.file->display_path(), "billing/sql/archive/V0_9__legacy.sql");
  const Project* sqitch = project_with_layout(result, "sqitch");
  ASSERT_NE(sqitch, nullptr);
  EXPECT_EQ(ids(*sqitch), (std::vector<std::string>{"items"}));
  for (const Project& project : result.projects) {
    EXPECT_TRUE(project.only_files.empty());
    EXPECT_TRUE(project.problems.empty()) << problems_text(project);
  }
}

TEST(Loader, DisplayPathsAreRelativeToTheDisplayRootWithForwardSlashes) {
  TempDir dir;
  write_repository(dir);
  LoadResult result = load_projects(request_for({(dir.path() / "services").string()}, dir.path()));
  ASSERT_EQ(result.projects.size(), 1u);
  EXPECT_EQ(result.projects[0].migrations[0].upgrade.file->display_path(), "services/shop/db/migrations/1_users.up.sql");
  // Outside the display root, paths stay absolute.
  LoadResult outside = load_projects(request_for({(dir.path() / "services").string()}, dir.path() / "billing"));
  std::string shown = outside.projects.at(0).migrations.at(0).upgrade.file->display_path();
  EXPECT_EQ(shown.front(), '/');
  EXPECT_EQ(shown.find('\\'), std::string::npos);
}

TEST(Loader, NamedFilesLoadTheirProjectAndAreTheOnlyOnesReported) {
  TempDir dir;
  write_repository(dir);
  LoadResult result = load_projects(request_for(
      {(dir.path() / "services/shop/db/migrations/2_orders.up.sql").string(),
       (dir.path() / "services/shop/db/migrations/1_users.down.sql").string(),
       (dir.path() / "inventory/deploy/items.sql").string()},
      dir.path()));
  EXPECT_EQ(project_keys(result, dir.path()), (std::vector<std::string>{"golang-migrate:services/shop/db/migrations", "sqitch:inventory"}));
  const Project* golang = project_with_layout(result, "golang-migrate");
  EXPECT_EQ(ids(*golang), (std::vector<std::string>{"1", "2"}));  // the whole history, for context
  EXPECT_EQ(golang->only_files, (std::vector<std::string>{"services/shop/db/migrations/1_users.down.sql", "services/shop/db/migrations/2_orders.up.sql"}));
  EXPECT_EQ(project_with_layout(result, "sqitch")->only_files, (std::vector<std::string>{"inventory/deploy/items.sql"}));
}

TEST(Loader, ADirectoryAndAFileInItGiveOneWholeProject) {
  TempDir dir;
  write_repository(dir);
  std::string project_dir = (dir.path() / "services/shop/db/migrations").string();
  LoadResult result = load_projects(request_for({project_dir + "/2_orders.up.sql", project_dir}, dir.path()));
  ASSERT_EQ(result.projects.size(), 1u);
  EXPECT_TRUE(result.projects[0].only_files.empty());
}

TEST(Loader, ALooseFileIsASingleFileProject) {
  TempDir dir;
  dir.write("scratch/adhoc.sql", "UPDATE t SET a = 1;\n");
  dir.write("scratch/other.sql", "DELETE FROM t;\n");
  LoadResult result = load_projects(request_for({(dir.path() / "scratch/adhoc.sql").string()}, dir.path()));
  ASSERT_EQ(result.projects.size(), 1u);
  EXPECT_EQ(result.projects[0].layout, "plain");
  EXPECT_EQ(ids(result.projects[0]), (std::vector<std::string>{"adhoc"}));
  EXPECT_EQ(result.projects[0].migrations[0].upgrade.file->display_path(), "scratch/adhoc.sql");
}

TEST(Loader, AFileInAFlywayDirectoryBelongsToThatProject) {
  TempDir dir;
  dir.write("misc/V7__one_off.sql", "CREATE INDEX CONCURRENTLY a ON t (c);\n");
  dir.write("misc/V6__before.sql", "CREATE TABLE t (c int);\n");
  LoadResult result = load_projects(request_for({(dir.path() / "misc/V7__one_off.sql").string()}, dir.path()));
  ASSERT_EQ(result.projects.size(), 1u);
  EXPECT_EQ(result.projects[0].layout, "flyway");
  EXPECT_EQ(ids(result.projects[0]), (std::vector<std::string>{"V6", "V7"}));
  EXPECT_EQ(result.projects[0].only_files, (std::vector<std::string>{"misc/V7__one_off.sql"}));
}

// alembic.ini at the repository root makes the root an Alembic tree (versions/ may have subfolders), but
// Alembic reads no .sql files: SQL migrations below it are their own projects, not silently dropped.
TEST(Loader, SqlBelowAnAlembicRootIsStillLinted) {
  TempDir dir;
  dir.write("alembic.ini", "[alembic]\nscript_location = alembic\n");
  dir.write("alembic/env.py", "from alembic import context\n");
  dir.write("alembic/versions/a1_orders.py",
            "revision = \"a1\"\ndown_revision = None\n\n\ndef upgrade():\n    pass\n\n\ndef downgrade():\n    pass\n");
  dir.write("db/migrations/0001_users.sql", "CREATE TABLE users (id int, name text);\n");
  dir.write("db/migrations/0002_users_name.sql", "CREATE INDEX users_name_idx ON users (name);\n");
  dir.write("sql/1_x.up.sql", "CREATE TABLE x (id int);\n");

  LoadResult whole = load_projects(request_for({dir.path().string()}, dir.path()));
  EXPECT_EQ(project_keys(whole, dir.path()),
            (std::vector<std::string>{"alembic:.", "golang-migrate:sql", "plain:db/migrations"}));

  // A named SQL file (pre-commit passes the staged files) is linted, not claimed by the Alembic root.
  LoadResult named = load_projects(request_for({(dir.path() / "db/migrations/0002_users_name.sql").string()}, dir.path()));
  ASSERT_EQ(named.projects.size(), 1u);
  EXPECT_EQ(named.projects[0].layout, "plain");
  ASSERT_EQ(named.projects[0].migrations.size(), 1u);
  EXPECT_EQ(named.projects[0].migrations[0].upgrade.file->display_path(), "db/migrations/0002_users_name.sql");
}

TEST(Loader, StandardInputUsesTheGivenFilename) {
  TempDir dir;
  std::istringstream input("ALTER TABLE t ADD a int;\nALTER TABLE t ADD b int;\n");
  std::streambuf* saved = std::cin.rdbuf(input.rdbuf());
  LoadRequest request = request_for({"-"}, dir.path());
  request.stdin_filename = "db/migrations/3_add_columns.up.sql";
  LoadResult result = load_projects(request);
  std::cin.rdbuf(saved);
  ASSERT_EQ(result.projects.size(), 1u);
  const Project& project = result.projects[0];
  EXPECT_EQ(project.layout, "golang-migrate");
  ASSERT_EQ(project.migrations.size(), 1u);
  EXPECT_EQ(project.migrations[0].id, "3");
  EXPECT_EQ(project.migrations[0].upgrade.file->display_path(), "db/migrations/3_add_columns.up.sql");
  EXPECT_EQ(transactions(project.migrations[0].upgrade), (std::vector<TransactionSource>{TransactionSource::ImplicitMultiStatement, TransactionSource::ImplicitMultiStatement}));
  // No directory to look for the down file in: no judgement.
  EXPECT_EQ(project.migrations[0].downgrade_state, DowngradeState::NotApplicable);
}

TEST(Loader, StandardInputWithoutAFilenameIsPlainSql) {
  std::istringstream input("-- migrate:up\nCREATE TABLE a (id int);\n-- migrate:down\nDROP TABLE a;\n");
  std::streambuf* saved = std::cin.rdbuf(input.rdbuf());
  LoadResult result = load_projects(request_for({"-", "-"}, std::filesystem::temp_directory_path()));
  std::cin.rdbuf(saved);
  ASSERT_EQ(result.projects.size(), 1u);
  EXPECT_EQ(result.projects[0].layout, "dbmate");  // detected from the content
  EXPECT_EQ(result.projects[0].migrations.at(0).upgrade.file->display_path(), "<stdin>");
  EXPECT_EQ(result.usage_errors, (std::vector<std::string>{"standard input ('-') can be given only once"}));
}

TEST(Loader, GlobsExpandAndAGlobMatchingNothingIsAUsageError) {
  TempDir dir;
  write_repository(dir);
  LoadResult result = load_projects(request_for(
      {(dir.path() / "scripts/*.sql").string(), (dir.path() / "nothing/*.sql").string(), (dir.path() / "missing.sql").string()},
      dir.path()));
  ASSERT_EQ(result.usage_errors.size(), 2u);
  EXPECT_NE(result.usage_errors[0].find("nothing/*.sql: the pattern matches no file or directory"), std::string::npos);
  EXPECT_NE(result.usage_errors[1].find("missing.sql: no such file or directory"), std::string::npos);
  // Two loose files of one directory: that directory's plain project, reporting only them.
  ASSERT_EQ(result.projects.size(), 1u);
  EXPECT_EQ(result.projects[0].layout, "plain");
  EXPECT_EQ(ids(result.projects[0]), (std::vector<std::string>{"cleanup", "fix_data"}));
  EXPECT_EQ(result.projects[0].only_files, (std::vector<std::string>{"scripts/cleanup.sql", "scripts/fix_data.sql"}));
}

TEST(Loader, GlobOfDirectories) {
  TempDir dir;
  write_repository(dir);
  LoadResult result = load_projects(request_for({(dir.path() / "b*").string()}, dir.path()));
  EXPECT_EQ(project_keys(result, dir.path()), (std::vector<std::string>{"flyway:billing/sql"}));
}

TEST(Loader, ExcludesApplyToDirectoriesAndFiles) {
  TempDir dir;
  write_repository(dir);
  LoadRequest request = request_for({dir.path().string()}, dir.path());
  request.options.exclude = {"inventory", "scripts/fix_*.sql", "archive"};
  LoadResult result = load_projects(request);
  EXPECT_EQ(project_keys(result, dir.path()), (std::vector<std::string>{"flyway:billing/sql", "golang-migrate:services/shop/db/migrations", "plain:scripts"}));
  EXPECT_EQ(ids(*project_with_layout(result, "plain")), (std::vector<std::string>{"cleanup"}));
  EXPECT_EQ(ids(*project_with_layout(result, "flyway")), (std::vector<std::string>{"V1"}));
}

TEST(Loader, ForcedLayout) {
  TempDir dir;
  dir.write("migrations/001_init.sql", "CREATE TABLE a (id int);\n");
  LoadRequest request = request_for({(dir.path() / "migrations").string()}, dir.path());
  request.layout = "golang-migrate";
  LoadResult result = load_projects(request);
  ASSERT_EQ(result.projects.size(), 2u);  // golang-migrate finds nothing; the .sql file is still linted
  EXPECT_EQ(result.projects[0].layout, "golang-migrate");
  EXPECT_TRUE(result.projects[0].migrations.empty());
  EXPECT_EQ(result.projects[1].layout, "plain");
  request.layout = "liquibase";
  result = load_projects(request);
  ASSERT_EQ(result.usage_errors.size(), 1u);
  EXPECT_NE(result.usage_errors[0].find("unknown layout 'liquibase'"), std::string::npos);
}

TEST(Loader, FilesBesideALayoutThatItDoesNotUseAreStillLinted) {
  LoadResult result = load_projects(request_for({fixture("golang-migrate/shop").string()}, fixture("golang-migrate/shop")));
  EXPECT_EQ(project_keys(result, fixture("golang-migrate/shop")), (std::vector<std::string>{"golang-migrate:.", "plain:."}));
  EXPECT_EQ(ids(*project_with_layout(result, "plain")), (std::vector<std::string>{"seed"}));
}

TEST(Loader, FixtureTreeOfEveryLayout) {
  std::filesystem::path root = std::filesystem::path(MIGSAFE_TEST_DATA) / "layouts";
  LoadResult result = load_projects(request_for({root.string()}, root));
  EXPECT_EQ(project_keys(result, root), (std::vector<std::string>{"dbmate:dbmate/blog", "dbmate:dbmate/broken", "flyway:flyway/billing", "flyway:flyway/duplicates",
                          "flyway:flyway/undo", "golang-migrate:golang-migrate/shop", "plain:golang-migrate/shop",
                          "plain:plain/analytics", "sqitch:sqitch/broken", "sqitch:sqitch/inventory"}));
}

}  // namespace
}  // namespace migsafe::testing

namespace migsafe::testing {
namespace {

TEST(Examples, EachExampleIsDetectedAsItsLayout) {
  std::filesystem::path root = std::filesystem::path(MIGSAFE_SOURCE_DIR) / "examples";
  LoadRequest request;
  request.paths = {root.string()};
  request.options.display_root = MIGSAFE_SOURCE_DIR;
  LoadResult result = load_projects(request);
  EXPECT_EQ(project_keys(result, root),
            (std::vector<std::string>{"alembic:alembic-mysql-crm", "alembic:alembic-postgres-shop",
                                      "dbmate:dbmate-blog/db/migrations", "flyway:flyway-billing/sql",
                                      "golang-migrate:golang-migrate-shop", "golang-migrate:sqlite-notes",
                                      "golang-migrate:sqlite-notes-broken-downgrade",
                                      "plain:plain-sql-analytics/migrations", "sqitch:sqitch-inventory"}));
  for (const Project& project : result.projects) {
    // The Alembic examples have their own tests (tests/unit/alembic): data migrations there legitimately
    // produce no SQL statements.
    if (project.layout == "alembic") continue;
    EXPECT_TRUE(project.problems.empty()) << problems_text(project);
    EXPECT_GE(project.migrations.size(), 4u) << project.root;
    EXPECT_LE(project.migrations.size(), 8u) << project.root;
    for (const Migration& m : project.migrations) {
      std::vector<const Script*> scripts{&m.upgrade};
      // Empty downgrades are deliberate in two examples (missing-downgrade findings).
      if (m.downgrade && m.downgrade_state != DowngradeState::Empty) scripts.push_back(&*m.downgrade);
      for (const Script* script : scripts) {
        EXPECT_FALSE(script->statements.empty()) << script->file->display_path();
        for (const Statement& statement : script->statements) {
          EXPECT_FALSE(statement.error) << script->file->display_path() << ": " << statement.error->message;
        }
      }
    }
  }
}

}  // namespace
}  // namespace migsafe::testing
