// Project loading: alembic.ini / pyproject.toml / env.py, version locations, dialect from the URL,
// layout detection, and tolerance for Alembic 1.8- and 1.16-style revision files.
#include <gtest/gtest.h>

#include <fstream>
#include <random>

#include "linter/alembic/alembic_config.h"
#include "linter/alembic/alembic_project.h"
#include "linter/layouts/layout.h"

namespace migsafe::alembic {
namespace {

namespace fs = std::filesystem;

class TempProject : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device device;
    root_ = fs::temp_directory_path() / ("migsafe-alembic-" + std::to_string(device()));
    fs::create_directories(root_);
  }
  void TearDown() override {
    std::error_code error;
    fs::remove_all(root_, error);
  }
  void write(const std::string& relative, const std::string& text) {
    fs::path path = root_ / relative;
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
  }
  static std::string revision_file(const std::string& id, const std::string& parent, const std::string& body) {
    return "from alembic import op\nimport sqlalchemy as sa\nrevision = '" + id + "'\ndown_revision = " +
           (parent.empty() ? std::string("None") : "'" + parent + "'") + "\n\ndef upgrade():\n" + body +
           "\n\ndef downgrade():\n    pass\n";
  }
  LayoutOptions options() const {
    LayoutOptions result;
    result.display_root = root_;
    return result;
  }
  fs::path root_;
};

TEST_F(TempProject, AlembicIniWithHereAndUrl) {
  write("alembic.ini", "[alembic]\nscript_location = %(here)s/migrations\nsqlalchemy.url = mysql+pymysql://u@h/db\n");
  write("migrations/env.py", "context.configure(connection=c)\n");
  write("migrations/versions/b.py", revision_file("b", "a", "    op.drop_column('t', 'c')"));
  write("migrations/versions/a.py", revision_file("a", "", "    op.create_table('t', sa.Column('c', sa.Integer))"));
  write("migrations/versions/__init__.py", "");
  EXPECT_EQ(detect_alembic(root_), 100);
  Project project = load_alembic(root_, options());
  EXPECT_TRUE(project.problems.empty());
  EXPECT_EQ(project.dialect, Dialect::MySQL);
  ASSERT_EQ(project.migrations.size(), 2u);
  EXPECT_EQ(project.migrations[0].id, "a");
  EXPECT_EQ(project.migrations[1].id, "b");
  EXPECT_EQ(project.migrations[1].upgrade.runner, RunnerTransaction::None);
  EXPECT_EQ(project.migrations[0].upgrade.file->display_path(), "migrations/versions/a.py");
  EXPECT_EQ(project.migrations[0].layout, "alembic");
}

TEST_F(TempProject, UrlFromTheEnvironmentFallsBackToTheConfiguredDialect) {
  write("alembic.ini", "[alembic]\nscript_location = alembic\nsqlalchemy.url = %(DB_URL)s\n");
  write("alembic/versions/a.py", revision_file("a", "", "    pass"));
  LayoutOptions with_sqlite = options();
  with_sqlite.dialect = Dialect::SQLite;
  EXPECT_EQ(load_alembic(root_, with_sqlite).dialect, Dialect::SQLite);
  EXPECT_EQ(load_alembic(root_, options()).dialect, Dialect::PostgreSQL);
}

TEST_F(TempProject, UserDialectWinsOverTheUrl) {
  write("alembic.ini", "[alembic]\nscript_location = alembic\nsqlalchemy.url = sqlite:///app.db\n");
  write("alembic/versions/a.py", revision_file("a", "", "    pass"));
  LayoutOptions forced = options();
  forced.dialect = Dialect::PostgreSQL;
  forced.dialect_from_user = true;
  Project project = load_alembic(root_, forced);
  EXPECT_EQ(project.dialect, Dialect::PostgreSQL);
  EXPECT_EQ(project.migrations[0].upgrade.runner, RunnerTransaction::PerScript);
}

TEST_F(TempProject, VersionLocationsAndRecursion) {
  write("alembic.ini",
        "[alembic]\nscript_location = alembic\n"
        "version_locations = %(here)s/alembic/versions, %(here)s/plugins/versions\n"
        "recursive_version_locations = true\n");
  write("alembic/versions/2024/a.py", revision_file("a", "", "    pass"));
  write("plugins/versions/b.py", revision_file("b", "a", "    pass"));
  Project project = load_alembic(root_, options());
  ASSERT_EQ(project.migrations.size(), 2u);
  EXPECT_EQ(project.migrations[0].id, "a");
}

TEST_F(TempProject, VersionPathSeparator) {
  EXPECT_EQ(split_version_locations("a;b c", ";"), (std::vector<std::string>{"a", "b c"}));
  EXPECT_EQ(split_version_locations("a b,c", ""), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(split_version_locations("a:b", "os"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(split_version_locations("a\nb", "newline"), (std::vector<std::string>{"a", "b"}));
}

TEST_F(TempProject, MissingVersionLocationIsAProblem) {
  write("alembic.ini", "[alembic]\nscript_location = nowhere\n");
  Project project = load_alembic(root_, options());
  ASSERT_EQ(project.problems.size(), 1u);
  EXPECT_NE(project.problems[0].message.find("does not exist"), std::string::npos);
}

TEST_F(TempProject, PyprojectToml) {
  write("pyproject.toml",
        "[project]\nname = 'x'\n[tool.alembic]\nscript_location = \"%(here)s/db\"\n"
        "version_locations = [\"%(here)s/db/versions\"]\n");
  write("db/versions/a.py", revision_file("a", "", "    pass"));
  EXPECT_EQ(detect_alembic(root_), 95);
  EXPECT_EQ(load_alembic(root_, options()).migrations.size(), 1u);
}

TEST_F(TempProject, EnvPySettings) {
  write("env.py",
        "# lock_timeout is mentioned in a comment only\n"
        "context.configure(connection=connection, transaction_per_migration=True, transactional_ddl=False)\n");
  EnvSettings env = read_env_py(root_ / "env.py");
  EXPECT_FALSE(env.sets_lock_timeout);
  EXPECT_TRUE(env.transaction_per_migration);
  EXPECT_EQ(env.transactional_ddl, false);

  write("env2.py", "engine = create_engine(url, connect_args={'options': '-c lock_timeout=5000'})\n");
  EXPECT_TRUE(read_env_py(root_ / "env2.py").sets_lock_timeout);
  write("env3.py", "connection.execute(text(\"SET lock_timeout = '4s'\"))\n");
  EXPECT_TRUE(read_env_py(root_ / "env3.py").sets_lock_timeout);
}

TEST_F(TempProject, EnvPyLockTimeoutAndTransactionalDdlReachTheProject) {
  write("env.py", "context.configure(connection=c, transactional_ddl=False)\nconn.execute(text('SET lock_timeout TO 1000'))\n");
  write("versions/a.py", revision_file("a", "", "    op.drop_column('t', 'c')"));
  EXPECT_EQ(detect_alembic(root_), 90);
  Project project = load_alembic(root_, options());
  EXPECT_TRUE(project.runner_sets_lock_timeout);
  EXPECT_EQ(project.migrations[0].upgrade.runner, RunnerTransaction::None);
}

TEST_F(TempProject, VersionsFolderUsesTheIniAboveIt) {
  write("alembic.ini", "[alembic]\nscript_location = migrations\nsqlalchemy.url = sqlite:///x.db\n");
  write("migrations/versions/a.py", revision_file("a", "", "    pass"));
  EXPECT_EQ(detect_alembic(root_ / "migrations" / "versions"), 70);
  Project project = load_alembic(root_ / "migrations" / "versions", options());
  EXPECT_EQ(project.dialect, Dialect::SQLite);
  EXPECT_EQ(project.migrations.size(), 1u);
}

TEST_F(TempProject, SingleRevisionFile) {
  write("migrations/env.py", "x = 1\n");
  write("migrations/versions/a.py", revision_file("a", "", "    op.drop_column('t', 'c')"));
  fs::path file = root_ / "migrations" / "versions" / "a.py";
  EXPECT_EQ(detect_alembic(file), 60);
  Project project = load_alembic(file, options());
  ASSERT_EQ(project.migrations.size(), 1u);
  EXPECT_EQ(project.migrations[0].upgrade.statements.size(), 1u);
}

TEST_F(TempProject, NotAnAlembicProject) {
  write("models.py", "class User:\n    pass\n");
  EXPECT_EQ(detect_alembic(root_), 0);
  EXPECT_EQ(detect_alembic(root_ / "models.py"), 0);
}

TEST_F(TempProject, SyntaxErrorsAndNonUtf8FilesDoNotStopTheRun) {
  write("versions/a.py", revision_file("a", "", "    op.drop_column('t', 'c'"));
  write("versions/b.py", std::string("revision = 'b'\n# caf\xe9\n"));
  write("versions/c.py", revision_file("c", "a", "    op.drop_table('x')"));
  Project project = load_alembic(root_ / "versions", options());
  EXPECT_EQ(project.problems.size(), 2u);
  bool found_c = false;
  for (const Migration& migration : project.migrations) found_c |= migration.id == "c";
  EXPECT_TRUE(found_c);
}

TEST_F(TempProject, LayoutIsRegistered) {
  const Layout* layout = LayoutRegistry::instance().find("alembic");
  ASSERT_NE(layout, nullptr);
  EXPECT_EQ(layout->scope(), LayoutScope::Tree);
  EXPECT_EQ(layout->detect_file("x.py", "revision = 'a'\n"), 60);
  EXPECT_EQ(layout->detect_file("x.sql", "revision = 'a'\n"), 0);
}

TEST(DialectFromUrl, KnownAndUnknownSchemes) {
  EXPECT_EQ(dialect_from_url("postgresql+psycopg2://u:p@h/db"), Dialect::PostgreSQL);
  EXPECT_EQ(dialect_from_url("postgres://h/db"), Dialect::PostgreSQL);
  EXPECT_EQ(dialect_from_url("mysql+mysqldb://h/db"), Dialect::MySQL);
  EXPECT_EQ(dialect_from_url("mariadb+mariadbconnector://h/db"), Dialect::MariaDB);
  EXPECT_EQ(dialect_from_url("sqlite:///app.db"), Dialect::SQLite);
  EXPECT_FALSE(dialect_from_url("driver://user:pass@localhost/dbname"));
  EXPECT_FALSE(dialect_from_url("${DATABASE_URL}"));
  EXPECT_FALSE(dialect_from_url("%(DB_URL)s"));
  EXPECT_FALSE(dialect_from_url(""));
}

// Files as Alembic 1.8's and 1.16's templates generate them.
TEST_F(TempProject, TemplatesOfAlembic18And116) {
  write("versions/old.py",
        "\"\"\"add users\n\nRevision ID: 1975ea83b712\nRevises: \nCreate Date: 2011-11-08 11:40:27.089406\n\n\"\"\"\n"
        "from alembic import op\nimport sqlalchemy as sa\n\n\n"
        "# revision identifiers, used by Alembic.\nrevision = '1975ea83b712'\ndown_revision = None\n"
        "branch_labels = None\ndepends_on = None\n\n\n"
        "def upgrade() -> None:\n    op.create_table('users', sa.Column('id', sa.Integer(), nullable=False))\n\n\n"
        "def downgrade() -> None:\n    op.drop_table('users')\n");
  write("versions/new.py",
        "\"\"\"add email\r\n\r\nRevision ID: 27c6a30d7c24\r\nRevises: 1975ea83b712\r\n\"\"\"\r\n"
        "from typing import Sequence, Union\r\n\r\nfrom alembic import op\r\nimport sqlalchemy as sa\r\n\r\n\r\n"
        "# revision identifiers, used by Alembic.\r\nrevision: str = '27c6a30d7c24'\r\n"
        "down_revision: Union[str, Sequence[str], None] = '1975ea83b712'\r\n"
        "branch_labels: Union[str, Sequence[str], None] = None\r\n"
        "depends_on: Union[str, Sequence[str], None] = None\r\n\r\n\r\n"
        "def upgrade() -> None:\r\n    \"\"\"Upgrade schema.\"\"\"\r\n"
        "    # ### commands auto generated by Alembic - please adjust! ###\r\n"
        "    op.add_column('users', sa.Column('email', sa.String(), nullable=True))\r\n"
        "    # ### end Alembic commands ###\r\n\r\n\r\n"
        "def downgrade() -> None:\r\n    \"\"\"Downgrade schema.\"\"\"\r\n"
        "    op.drop_column('users', 'email')\r\n");
  Project project = load_alembic(root_ / "versions", options());
  EXPECT_TRUE(project.problems.empty());
  ASSERT_EQ(project.migrations.size(), 2u);
  EXPECT_EQ(project.migrations[0].id, "1975ea83b712");
  EXPECT_EQ(project.migrations[1].id, "27c6a30d7c24");
  EXPECT_EQ(project.migrations[1].downgrade_state, DowngradeState::Present);
  ASSERT_EQ(project.migrations[1].upgrade.statements.size(), 1u);
  const Statement& add = project.migrations[1].upgrade.statements.front();
  ASSERT_TRUE(add.operations.front().is<AddColumn>()) << describe(add.operations.front());
  EXPECT_EQ(add.operations.front().as<AddColumn>()->column.name, "email");
  EXPECT_EQ(project.migrations[1].upgrade.file->position_of(add.range.begin).line, 22);
}

}  // namespace
}  // namespace migsafe::alembic

#include "linter/engine/engine.h"

namespace migsafe::alembic {
namespace {

std::vector<std::string> rule_ids(const Project& project, const std::string& rule) {
  LintSettings settings;
  settings.dialect = project.dialect;
  settings.select = {rule};
  std::vector<std::string> ids;
  for (const Finding& finding : Engine(settings).run(project)) {
    if (finding.rule_id == rule) ids.push_back(finding.path + ":" + std::to_string(finding.start.line));
  }
  return ids;
}

// The graph rules (branch rules-compat) work from the fields this reader fills.
TEST_F(TempProject, GraphRulesSeeTheRevisionGraph) {
  write("versions/a.py", revision_file("a", "", "    op.create_table('t', sa.Column('c', sa.Integer))"));
  write("versions/b.py", revision_file("b", "a", "    op.add_column('t', sa.Column('d', sa.Integer))"));
  write("versions/c.py", revision_file("c", "a", "    op.add_column('t', sa.Column('e', sa.Integer))"));
  write("versions/d.py", revision_file("d", "missing", "    pass"));
  Project project = load_alembic(root_ / "versions", options());
  EXPECT_FALSE(rule_ids(project, "multiple-heads").empty());
  EXPECT_FALSE(rule_ids(project, "broken-revision-graph").empty());
  // Table `t` comes from revision a, so b's and c's columns are added to an existing table.
  EXPECT_TRUE(rule_ids(project, "adding-not-null-column").empty());
}

TEST_F(TempProject, TableCreatedInAnEarlierRevisionIsExisting) {
  write("versions/2.py", revision_file("r2", "r1", "    op.create_index('ix', 't', ['c'])"));
  write("versions/1.py", revision_file("r1", "", "    op.create_table('t', sa.Column('c', sa.Integer))\n"
                                                 "    op.create_index('ix0', 't', ['c'])"));
  Project project = load_alembic(root_ / "versions", options());
  EXPECT_EQ(rule_ids(project, "blocking-index-build"), std::vector<std::string>{"versions/2.py:7"});
}

}  // namespace
}  // namespace migsafe::alembic
