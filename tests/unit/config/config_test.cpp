#include "linter/config/config.h"

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "temp_dir.h"

namespace migsafe {
namespace {

using testing::TempDir;

Config parse(const std::string& text) { return parse_config(text, "migsafe.toml", false); }

// The message of the ConfigError `text` raises ("" when it parses).
std::string error_of(const std::string& text, bool pyproject = false) {
  try {
    parse_config(text, pyproject ? "pyproject.toml" : "migsafe.toml", pyproject);
  } catch (const ConfigError& error) {
    return error.what();
  }
  return "";
}

TEST(ConfigParse, EmptyFileSetsNothing) {
  Config config = parse("");
  EXPECT_FALSE(config.dialect);
  EXPECT_FALSE(config.target_version);
  EXPECT_FALSE(config.select);
  EXPECT_TRUE(config.ignore.empty());
  EXPECT_FALSE(config.fail_on);
}

TEST(ConfigParse, EveryKey) {
  Config config = parse(R"(
dialect = "mysql"
target-version = "8.0.29"
layout = "flyway"
select = ["locks", "adding-not-null-column"]
extend-select = ["style"]
ignore = ["unused-ignore"]
exclude = ["legacy/**", "*.bak"]
lock-timeout-set-by-runner = true
fail-on = "warning"
require-downgrades = true
allow-labelled-heads = true
docs-base-url = "https://example.com/rules"

[severity]
adding-not-null-column = "warning"
unused-ignore = "error"

[transaction]
flyway = "none"
golang-migrate = "per-script"
dbmate = "implicit"
)");
  EXPECT_EQ(config.dialect, Dialect::MySQL);
  ASSERT_TRUE(config.target_version);
  EXPECT_EQ(config.target_version->str(), "8.0.29");
  EXPECT_EQ(config.layout, "flyway");
  ASSERT_TRUE(config.select);
  EXPECT_EQ(*config.select, (std::vector<std::string>{"locks", "adding-not-null-column"}));
  EXPECT_EQ(config.extend_select, std::vector<std::string>{"style"});
  EXPECT_EQ(config.ignore, std::vector<std::string>{"unused-ignore"});
  EXPECT_EQ(config.exclude, (std::vector<std::string>{"legacy/**", "*.bak"}));
  EXPECT_EQ(config.lock_timeout_set_by_runner, true);
  EXPECT_EQ(config.fail_on, FailOn::Warning);
  EXPECT_EQ(config.require_downgrades, true);
  EXPECT_EQ(config.allow_labelled_heads, true);
  EXPECT_EQ(config.docs_base_url, "https://example.com/rules");
  EXPECT_EQ(config.severity.at("adding-not-null-column"), Severity::Warning);
  EXPECT_EQ(config.severity.at("unused-ignore"), Severity::Error);
  EXPECT_EQ(config.transaction.at("flyway"), RunnerTransaction::None);
  EXPECT_EQ(config.transaction.at("golang-migrate"), RunnerTransaction::PerScript);
  EXPECT_EQ(config.transaction.at("dbmate"), RunnerTransaction::ImplicitIfMultiStatement);
}

TEST(ConfigParse, InlineTablesAndIntegerVersion) {
  Config config = parse("target-version = 12\nseverity = { adding-not-null-column = \"note\" }\n");
  EXPECT_EQ(config.target_version->major, 12);
  EXPECT_EQ(config.severity.at("adding-not-null-column"), Severity::Note);
}

TEST(ConfigParse, EveryDocumentedKeyIsAccepted) {
  // config_keys() is what docs/configuration.md documents; none of them may be rejected as unknown.
  for (const std::string& key : config_keys()) {
    EXPECT_EQ(error_of(key + " = 1").find("unknown configuration key"), std::string::npos) << key;
  }
}

TEST(ConfigErrors, UnknownKeyNamesFileLineAndClosestKey) {
  EXPECT_EQ(error_of("dialect = \"postgresql\"\n\nselcet = [\"locks\"]\n"),
            "migsafe.toml:3:1: unknown configuration key 'selcet'; did you mean 'select'?");
  EXPECT_EQ(error_of("target_version = \"14\"\n"),
            "migsafe.toml:1:1: unknown configuration key 'target_version'; did you mean 'target-version'?");
  EXPECT_EQ(error_of("colour = true\n"), "migsafe.toml:1:1: unknown configuration key 'colour'");
}

TEST(ConfigErrors, UnknownRuleInSelectIgnoreAndSeverity) {
  EXPECT_EQ(error_of("select = [\"locks\", \"adding-not-nul-column\"]\n"),
            "migsafe.toml:1:20: unknown rule or category 'adding-not-nul-column' in 'select'; did you mean "
            "'adding-not-null-column'?");
  EXPECT_EQ(error_of("\nignore = [\"lock\"]\n"),
            "migsafe.toml:2:11: unknown rule or category 'lock' in 'ignore'; did you mean 'locks'?");
  EXPECT_EQ(error_of("extend-select = [\"unused-ignores\"]\n"),
            "migsafe.toml:1:18: unknown rule or category 'unused-ignores' in 'extend-select'; did you mean "
            "'unused-ignore'?");
  EXPECT_EQ(error_of("[severity]\nadding-not-null = \"warning\"\n"),
            "migsafe.toml:2:1: unknown rule 'adding-not-null' in 'severity'; did you mean 'adding-not-null-column'?");
}

TEST(ConfigErrors, BadTypesAndValues) {
  EXPECT_EQ(error_of("dialect = 5\n"), "migsafe.toml:1:11: 'dialect' must be a string, not an integer");
  EXPECT_EQ(error_of("dialect = \"postgre\"\n"),
            "migsafe.toml:1:11: unknown dialect 'postgre'; did you mean 'postgresql'? (expected postgresql, mysql, "
            "mariadb or sqlite)");
  EXPECT_EQ(error_of("target-version = \"fourteen\"\n"),
            "migsafe.toml:1:18: invalid target-version 'fourteen' (expected a version such as \"14\" or \"8.0.29\")");
  EXPECT_EQ(error_of("target-version = 10.11\n"),
            "migsafe.toml:1:18: write 'target-version' as a string, e.g. target-version = \"10.11\"");
  EXPECT_EQ(error_of("select = \"locks\"\n"),
            "migsafe.toml:1:10: 'select' must be an array of strings (select = [\"...\"]), not a string");
  EXPECT_EQ(error_of("ignore = [1]\n"), "migsafe.toml:1:11: 'ignore' must contain only strings, found an integer");
  EXPECT_EQ(error_of("fail-on = \"warn\"\n"),
            "migsafe.toml:1:11: invalid fail-on 'warn' (expected error, warning, note or never); did you mean "
            "'warning'?");
  EXPECT_EQ(error_of("require-downgrades = \"yes\"\n"),
            "migsafe.toml:1:22: 'require-downgrades' must be true or false, not a string");
  EXPECT_EQ(error_of("[severity]\nadding-not-null-column = \"fatal\"\n"),
            "migsafe.toml:2:26: invalid severity 'fatal' for 'adding-not-null-column' (expected error, warning or "
            "note)");
  EXPECT_EQ(error_of("severity = \"error\"\n"),
            "migsafe.toml:1:12: 'severity' must be a table ([severity]), not a string");
  EXPECT_EQ(error_of("[transaction]\nflyway = \"always\"\n"),
            "migsafe.toml:2:10: invalid transaction mode 'always' for 'flyway' (expected none, per-script or "
            "implicit)");
  EXPECT_EQ(error_of("[transaction]\nflway = \"none\"\n"),
            "migsafe.toml:2:1: unknown layout 'flway' in 'transaction'; did you mean 'flyway'?");
  EXPECT_EQ(error_of("layout = \"flywya\"\n"), "migsafe.toml:1:10: unknown layout 'flywya'; did you mean 'flyway'?");
  EXPECT_EQ(error_of("exclude = [\"\"]\n"), "migsafe.toml:1:12: 'exclude' patterns must not be empty");
}

TEST(ConfigErrors, TomlSyntaxErrorHasPosition) {
  std::string message = error_of("select = [\"locks\"\n");
  EXPECT_EQ(message.rfind("migsafe.toml:", 0), 0u) << message;
  EXPECT_NE(message.find("invalid TOML"), std::string::npos) << message;
}

TEST(ConfigPyproject, ReadsToolMigsafeTable) {
  Config config = parse_config(
      "[project]\nname = \"app\"\n\n[tool.migsafe]\ndialect = \"sqlite\"\n\n[tool.migsafe.severity]\n"
      "adding-not-null-column = \"warning\"\n\n[tool.ruff]\nline-length = 100\n",
      "pyproject.toml", true);
  EXPECT_EQ(config.dialect, Dialect::SQLite);
  EXPECT_EQ(config.severity.at("adding-not-null-column"), Severity::Warning);
}

TEST(ConfigPyproject, ErrorsPointIntoThePyproject) {
  EXPECT_EQ(error_of("[project]\nname = \"x\"\n[tool.migsafe]\ndialects = \"mysql\"\n", true),
            "pyproject.toml:4:1: unknown configuration key 'dialects'; did you mean 'dialect'?");
  EXPECT_EQ(error_of("[tool.black]\nline-length = 1\n", true), "pyproject.toml: no [tool.migsafe] table in this pyproject.toml");
}

TEST(ConfigDiscovery, NearestFileWinsWalkingUp) {
  TempDir dir;
  dir.write("migsafe.toml", "dialect = \"mysql\"\n");
  dir.write("service/.migsafe.toml", "dialect = \"sqlite\"\n");
  dir.write("service/db/migrations/0001_init.sql", "SELECT 1;\n");
  dir.write("other/migrations/0001_init.sql", "SELECT 1;\n");
  EXPECT_EQ(find_config(dir.path() / "service/db/migrations"), dir.path() / "service/.migsafe.toml");
  EXPECT_EQ(find_config(dir.path() / "service/db/migrations/0001_init.sql"), dir.path() / "service/.migsafe.toml");
  EXPECT_EQ(find_config(dir.path() / "other/migrations"), dir.path() / "migsafe.toml");
}

TEST(ConfigDiscovery, MigsafeTomlBeforeHiddenFileBeforePyproject) {
  TempDir dir;
  dir.write("pyproject.toml", "[tool.migsafe]\ndialect = \"mysql\"\n");
  EXPECT_EQ(find_config(dir.path()), dir.path() / "pyproject.toml");
  dir.write(".migsafe.toml", "");
  EXPECT_EQ(find_config(dir.path()), dir.path() / ".migsafe.toml");
  dir.write("migsafe.toml", "");
  EXPECT_EQ(find_config(dir.path()), dir.path() / "migsafe.toml");
}

TEST(ConfigDiscovery, PyprojectWithoutSectionIsSkipped) {
  TempDir dir;
  dir.write("pyproject.toml", "[tool.migsafe]\ndialect = \"mysql\"\n");
  dir.write("app/pyproject.toml", "[project]\nname = \"app\"\n[tool.ruff]\nline-length = 100\n");
  dir.write("app/alembic/versions/abc_init.py", "revision = 'abc'\n");
  EXPECT_EQ(find_config(dir.path() / "app/alembic/versions"), dir.path() / "pyproject.toml");
  Config config = load_config(*find_config(dir.path() / "app"));
  EXPECT_EQ(config.dialect, Dialect::MySQL);
}

TEST(ConfigDiscovery, UnrelatedBrokenPyprojectIsSkippedButOursIsAnError) {
  TempDir dir;
  dir.write("pyproject.toml", "[project\nname = \n");
  dir.write("app/migrations/0001.sql", "SELECT 1;\n");
  std::optional<std::filesystem::path> found;
  EXPECT_NO_THROW(found = find_config(dir.path() / "app/migrations"));
  EXPECT_NE(found, dir.path() / "pyproject.toml");
  dir.write("pyproject.toml", "[tool.migsafe]\ndialect = \n");
  EXPECT_THROW(find_config(dir.path() / "app/migrations"), ConfigError);
}

TEST(ConfigLoad, MissingFileAndDirectoryAreErrors) {
  TempDir dir;
  try {
    load_config(dir.path() / "nope.toml");
    FAIL() << "no error";
  } catch (const ConfigError& error) {
    EXPECT_NE(std::string(error.what()).find("configuration file not found"), std::string::npos);
  }
  EXPECT_THROW(load_config(dir.path()), ConfigError);
}

TEST(ConfigLoad, ErrorsNameTheFileAsGiven) {
  TempDir dir;
  std::filesystem::path file = dir.write("conf/custom.toml", "\n\nfail-on = \"sometimes\"\n");
  try {
    load_config(file);
    FAIL() << "no error";
  } catch (const ConfigError& error) {
    EXPECT_EQ(std::string(error.what()).rfind(file.string() + ":3:11: invalid fail-on 'sometimes'", 0), 0u)
        << error.what();
    EXPECT_EQ(error.line(), 3);
  }
}

}  // namespace
}  // namespace migsafe

namespace migsafe {
namespace {

TEST(ConfigDocs, EveryKeyIsDocumented) {
  std::ifstream file(std::string(MIGSAFE_SOURCE_DIR) + "/docs/configuration.md");
  ASSERT_TRUE(file) << "docs/configuration.md missing";
  std::stringstream text;
  text << file.rdbuf();
  for (const std::string& key : config_keys()) {
    EXPECT_NE(text.str().find("`" + key + "`"), std::string::npos) << key << " is not in docs/configuration.md";
  }
}

}  // namespace
}  // namespace migsafe
