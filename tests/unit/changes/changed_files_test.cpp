// --changed-since: parsing git's -z output, and the changed set of a real repository (committed, staged,
// unstaged, untracked; not ignored or deleted files), with the error cases.
#include <gtest/gtest.h>

#include <stdlib.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "harness/process.h"
#include "linter/changes/changed_files.h"
#include "linter/config/config.h"

namespace migsafe {
namespace {

namespace fs = std::filesystem;

TEST(SplitNulRecords, SplitsAndToleratesMissingTerminator) {
  EXPECT_EQ(split_nul_records(std::string("a b.sql\0d\xc3\xa9.sql\0", 16)),
            (std::vector<std::string>{"a b.sql", "d\xc3\xa9.sql"}));
  EXPECT_EQ(split_nul_records(std::string("x\0y", 3)), (std::vector<std::string>{"x", "y"}));
  EXPECT_TRUE(split_nul_records("").empty());
  // A name with a newline is one record (that is why -z).
  EXPECT_EQ(split_nul_records(std::string("a\nb\0", 4)), (std::vector<std::string>{"a\nb"}));
}

TEST(ChangedPaths, CombinesDiffAndUntrackedUnderTheRoot) {
  std::set<fs::path> files = changed_paths("/nonexistent/repo", std::string("db/0002 add.sql\0", 16),
                                           std::string("db/new.sql\0", 11));
  EXPECT_EQ(files, (std::set<fs::path>{"/nonexistent/repo/db/0002 add.sql", "/nonexistent/repo/db/new.sql"}));
  ChangedFiles changed;
  changed.files = files;
  // From a subdirectory, display paths are relative to it.
  EXPECT_TRUE(is_changed(changed, "0002 add.sql", "/nonexistent/repo/db"));
  EXPECT_TRUE(is_changed(changed, "db/./new.sql", "/nonexistent/repo"));
  EXPECT_TRUE(is_changed(changed, "/nonexistent/repo/db/new.sql", "/elsewhere"));
  EXPECT_FALSE(is_changed(changed, "db/0001.sql", "/nonexistent/repo"));
  EXPECT_FALSE(is_changed(changed, "", "/nonexistent/repo"));
}

// A scratch git repository that does not depend on the machine's git configuration.
class GitRepository : public ::testing::Test {
 protected:
  void SetUp() override {
    if (harness::find_on_path("git").empty()) GTEST_SKIP() << "git is not installed";
    setenv("GIT_CONFIG_GLOBAL", "/dev/null", 1);
    setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
    char pattern[] = "/tmp/migsafe_changed_XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    temp_ = fs::canonical(pattern);
    root_ = temp_ / "repo";
    fs::create_directories(root_);
    git("init -q -b main");
  }
  void TearDown() override {
    if (!temp_.empty()) fs::remove_all(temp_);
  }

  void git(const std::string& arguments, const fs::path& where = {}) {
    std::string command = "cd '" + (where.empty() ? root_ : where).string() +
                          "' && git -c user.name=migsafe -c user.email=migsafe@example.com -c commit.gpgsign=false " +
                          arguments + " >/dev/null 2>&1";
    ASSERT_EQ(std::system(command.c_str()), 0) << command;
  }
  void write(const std::string& relative, const std::string& text) {
    fs::path path = root_ / relative;
    fs::create_directories(path.parent_path());
    std::ofstream(path) << text;
  }
  std::string config_error(const std::string& ref, const fs::path& where) {
    try {
      changed_since(ref, where);
    } catch (const ConfigError& error) {
      return error.what();
    }
    return "no error";
  }

  fs::path temp_;
  fs::path root_;
};

TEST_F(GitRepository, ChangedSinceTheMergeBase) {
  write("db/0001_create.sql", "CREATE TABLE users (id int);\n");
  write("db/old name.sql", "SELECT 1;\n");
  write("db/deleted.sql", "SELECT 2;\n");
  write(".gitignore", "ignored.sql\n");
  git("add -A");
  git("commit -q -m base");
  git("checkout -q -b feature");
  write("db/0002 add \xc3\xa9mail.sql", "ALTER TABLE users ADD COLUMN email text NOT NULL;\n");
  git("add -A");
  git("commit -q -m head");
  git("mv 'db/old name.sql' 'db/new name.sql'");   // staged rename
  write("db/staged.sql", "SELECT 3;\n");
  git("add db/staged.sql");                          // staged, new
  write("db/0001_create.sql", "CREATE TABLE users (id bigint);\n");  // unstaged modification
  write("db/untracked.sql", "SELECT 4;\n");          // untracked
  write("db/ignored.sql", "SELECT 5;\n");            // ignored
  fs::remove(root_ / "db/deleted.sql");              // deleted

  // Asked from a subdirectory: paths still come out under the repository root.
  ChangedFiles changed = changed_since("main", root_ / "db");
  EXPECT_EQ(changed.repository_root, root_);
  EXPECT_EQ(changed.merge_base.size(), 40u);
  EXPECT_EQ(changed.files, (std::set<fs::path>{root_ / "db/0001_create.sql", root_ / "db/0002 add \xc3\xa9mail.sql",
                                               root_ / "db/new name.sql", root_ / "db/staged.sql",
                                               root_ / "db/untracked.sql"}));
}

TEST_F(GitRepository, MergeBaseIgnoresLaterCommitsOnTheReference) {
  write("a.sql", "SELECT 1;\n");
  git("add -A");
  git("commit -q -m base");
  git("checkout -q -b feature");
  write("b.sql", "SELECT 2;\n");
  git("add -A");
  git("commit -q -m feature");
  git("checkout -q main");
  write("c.sql", "SELECT 3;\n");
  git("add -A");
  git("commit -q -m 'main moves on'");
  git("checkout -q feature");
  ChangedFiles changed = changed_since("main", root_);
  EXPECT_EQ(changed.files, (std::set<fs::path>{root_ / "b.sql"}));  // not c.sql (absent here)
}

TEST_F(GitRepository, ErrorsAreUsageErrors) {
  write("a.sql", "SELECT 1;\n");
  std::string no_commit = config_error("main", root_);
  EXPECT_NE(no_commit.find("no commit"), std::string::npos) << no_commit;
  git("add -A");
  git("commit -q -m base");

  std::string unknown = config_error("no-such-branch", root_);
  EXPECT_NE(unknown.find("'no-such-branch' is not a known branch, tag or commit"), std::string::npos) << unknown;
  EXPECT_NE(config_error("--output=x", root_).find("not a branch"), std::string::npos);

  fs::path outside = temp_ / "outside";
  fs::create_directories(outside);
  std::string not_repo = config_error("main", outside);
  EXPECT_NE(not_repo.find("is not inside a git work tree"), std::string::npos) << not_repo;

  // An unrelated history: no merge base, with the shallow-clone hint.
  git("checkout -q --orphan lonely");
  git("commit -q -m lonely");
  std::string unrelated = config_error("main", root_);
  EXPECT_NE(unrelated.find("no common ancestor"), std::string::npos) << unrelated;
  EXPECT_NE(unrelated.find("fetch-depth: 0"), std::string::npos) << unrelated;
  EXPECT_NE(unrelated.find("GIT_DEPTH: 0"), std::string::npos) << unrelated;
}

}  // namespace
}  // namespace migsafe
