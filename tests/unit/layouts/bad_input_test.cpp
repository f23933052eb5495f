// Every kind of bad input becomes a clear problem naming the file (and the line where there is one);
// nothing crashes, hangs or is skipped silently.
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "layout_test_support.h"
#include "linter/layouts/source_reader.h"

namespace migsafe::testing {
namespace {


LoadResult load_dir(const TempDir& dir, const std::string& sub = "") {
  LoadRequest request;
  request.paths = {(dir.path() / sub).string()};
  request.options.display_root = dir.path();
  return load_projects(request);
}

std::string all_problems(const LoadResult& result) {
  std::string text;
  for (const Project& project : result.projects) text += problems_text(project);
  return text;
}

int count_all(const LoadResult& result, const std::string& text) {
  int count = 0;
  for (const Project& project : result.projects) count += count_problems(project, text);
  return count;
}

TEST(BadInput, BinaryFileIsAProblemAndNotParsed) {
  TempDir dir;
  dir.write("db/1_a.up.sql", "CREATE TABLE a (id int);\n");
  dir.write("db/2_b.up.sql", std::string("SELECT 1;\n\x01\x02\0\0binary", 19));
  LoadResult result = load_dir(dir);
  ASSERT_EQ(result.projects.size(), 1u);
  const Project& project = result.projects[0];
  EXPECT_EQ(count_problems(project, "db/2_b.up.sql is a binary file (NUL byte on line 2)", "syntax-error"), 1)
      << problems_text(project);
  const Migration* binary = migration(project, "2");
  ASSERT_NE(binary, nullptr);  // still in the history, with nothing to check
  EXPECT_TRUE(binary->upgrade.statements.empty());
  EXPECT_TRUE(binary->upgrade.file->text().empty());
}

TEST(BadInput, InvalidUtf8ReportsLineAndColumnOfTheFirstBadByte) {
  TempDir dir;
  // Line 2, column 18: "-- café in Latin-1" with é as the single byte 0xE9.
  dir.write("sql/1_a.sql", "CREATE TABLE a (id int);\n-- comment: caf\xE9 in Latin-1\nCREATE TABLE b (id int);\n");
  LoadResult result = load_dir(dir);
  ASSERT_EQ(result.projects.size(), 1u);
  const Project& project = result.projects[0];
  ASSERT_EQ(project.problems.size(), 1u) << problems_text(project);
  const FileProblem& problem = project.problems[0];
  EXPECT_EQ(problem.rule_id, "syntax-error");
  EXPECT_NE(problem.message.find("sql/1_a.sql is not valid UTF-8 (first invalid byte 0xE9 at line 2, column 16)"),
            std::string::npos)
      << problem.message;
  ASSERT_TRUE(problem.file);
  EXPECT_EQ(problem.file->position_of(problem.range.begin), (Position{2, 16}));
  // The rest of the file is still checked.
  EXPECT_EQ(project.migrations.at(0).upgrade.statements.size(), 2u);
}

TEST(BadInput, Utf8Validation) {
  EXPECT_FALSE(find_invalid_utf8("plain ascii, caf\xC3\xA9, \xE2\x82\xAC, \xF0\x9F\x98\x80"));
  EXPECT_EQ(find_invalid_utf8("ab\xC0\xAF")->offset, 2u);          // overlong
  EXPECT_EQ(find_invalid_utf8("ab\xED\xA0\x80")->offset, 2u);      // surrogate
  EXPECT_EQ(find_invalid_utf8("\xF4\x90\x80\x80")->offset, 0u);    // past U+10FFFF
  EXPECT_EQ(find_invalid_utf8("abc\xE2\x82")->offset, 3u);         // truncated at the end
  EXPECT_EQ(find_invalid_utf8("\x80")->offset, 0u);                // lone continuation byte
}

TEST(BadInput, LineEndingsAndBom) {
  TempDir dir;
  dir.write("p/1_crlf.sql", "CREATE TABLE a (id int);\r\n\r\nCREATE TABLE b (id int);\r\n");
  dir.write("p/2_cr.sql", "CREATE TABLE c (id int);\r\rCREATE TABLE d (id int);\r");
  dir.write("p/3_bom.sql", "\xEF\xBB\xBF" "CREATE TABLE e (id int);\n");
  LoadResult result = load_dir(dir);
  ASSERT_EQ(result.projects.size(), 1u);
  const Project& project = result.projects[0];
  EXPECT_TRUE(project.problems.empty()) << problems_text(project);
  const Migration* crlf = migration(project, "1_crlf");
  ASSERT_EQ(crlf->upgrade.statements.size(), 2u);
  EXPECT_EQ(crlf->upgrade.file->position_of(crlf->upgrade.statements[1].range.begin).line, 3);
  const Migration* cr = migration(project, "2_cr");
  ASSERT_EQ(cr->upgrade.statements.size(), 2u);
  EXPECT_EQ(cr->upgrade.file->position_of(cr->upgrade.statements[1].range.begin).line, 3);
  const Migration* bom = migration(project, "3_bom");
  EXPECT_TRUE(bom->upgrade.file->had_bom());
  ASSERT_EQ(bom->upgrade.statements.size(), 1u);
  EXPECT_EQ(bom->upgrade.file->position_of(bom->upgrade.statements[0].range.begin), (Position{1, 1}));
}

TEST(BadInput, EmptyFileIsAMigrationWithNothingInIt) {
  TempDir dir;
  dir.write("m/1_empty.up.sql", "");
  dir.write("m/1_empty.down.sql", "");
  LoadResult result = load_dir(dir);
  ASSERT_EQ(result.projects.size(), 1u);
  EXPECT_TRUE(result.projects[0].problems.empty()) << problems_text(result.projects[0]);
  ASSERT_EQ(result.projects[0].migrations.size(), 1u);
  EXPECT_TRUE(result.projects[0].migrations[0].upgrade.statements.empty());
  EXPECT_EQ(result.projects[0].migrations[0].downgrade_state, DowngradeState::Empty);
}

TEST(BadInput, LargeFileIsReadAndLintedWhole) {
  TempDir dir;
  std::string statement = "INSERT INTO big_table (id, payload) VALUES (1, 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx');\n";
  std::string text;
  text.reserve(51 * 1024 * 1024);
  while (text.size() < 50u * 1024 * 1024) text += statement;
  text += "ALTER TABLE big_table ADD COLUMN last int;\n";
  dir.write("big/1_big.sql", text);
  LoadResult result = load_dir(dir);
  ASSERT_EQ(result.projects.size(), 1u);
  const Migration& m = result.projects[0].migrations.at(0);
  EXPECT_EQ(m.upgrade.file->text().size(), text.size());
  ASSERT_FALSE(m.upgrade.statements.empty());
  EXPECT_EQ(m.upgrade.file->slice(m.upgrade.statements.back().range).substr(0, 41), "ALTER TABLE big_table ADD COLUMN last int");
}

TEST(BadInput, DirectoryWhereAFileIsExpected) {
  TempDir dir;
  dir.write("m/1_a.up.sql", "CREATE TABLE a (id int);\n");
  std::filesystem::create_directories(dir.path() / "m/1_a.down.sql");
  dir.write("s/sqitch.plan", "%project=s\n\nfirst 2024-01-01T10:00:00Z A <a@example.com>\n");
  std::filesystem::create_directories(dir.path() / "s/deploy/first.sql");
  LoadResult result = load_dir(dir);
  EXPECT_EQ(count_all(result, "m/1_a.down.sql is a directory where a migration file was expected"), 1) << all_problems(result);
  EXPECT_EQ(count_all(result, "s/deploy/first.sql is a directory where a migration file was expected"), 1)
      << all_problems(result);
  for (const Project& project : result.projects) {
    // Unreadable downgrade: migsafe cannot judge it, so it reports the problem and not a missing downgrade.
    if (project.layout == "golang-migrate") {
      EXPECT_EQ(project.migrations.at(0).downgrade_state, DowngradeState::NotApplicable);
    }
  }
}

TEST(BadInput, BrokenSymlink) {
  TempDir dir;
  dir.write("m/1_a.sql", "CREATE TABLE a (id int);\n");
  std::filesystem::create_symlink(dir.path() / "m/nowhere.sql", dir.path() / "m/2_b.sql");
  LoadResult result = load_dir(dir);
  EXPECT_EQ(count_all(result, "m/2_b.sql is a broken symbolic link"), 1) << all_problems(result);
  // Named on the command line, the link is reported too.
  LoadRequest request;
  request.paths = {(dir.path() / "m/2_b.sql").string()};
  request.options.display_root = dir.path();
  LoadResult named = load_projects(request);
  EXPECT_TRUE(named.usage_errors.empty());
  EXPECT_EQ(count_all(named, "m/2_b.sql is a broken symbolic link"), 1) << all_problems(named);
}

TEST(BadInput, SymlinkLoopsTerminateAndAreReportedOnce) {
  TempDir dir;
  dir.write("m/sub/1_a.sql", "CREATE TABLE a (id int);\n");
  std::filesystem::create_directory_symlink(dir.path() / "m", dir.path() / "m/sub/back");   // back to an ancestor
  std::filesystem::create_symlink(dir.path() / "m/self.sql", dir.path() / "m/self.sql");    // to itself
  LoadResult result = load_dir(dir);
  EXPECT_EQ(count_all(result, "m/sub/back is a symbolic link loop"), 1) << all_problems(result);
  EXPECT_EQ(count_all(result, "m/self.sql is a symbolic link loop"), 1) << all_problems(result);
  int migrations = 0;
  for (const Project& project : result.projects) migrations += static_cast<int>(project.migrations.size());
  EXPECT_EQ(migrations, 1);
}

TEST(BadInput, SymlinkedDirectoriesAreFollowed) {
  TempDir dir;
  dir.write("real/1_a.up.sql", "CREATE TABLE a (id int);\n");
  std::filesystem::create_directories(dir.path() / "repo");
  std::filesystem::create_directory_symlink(dir.path() / "real", dir.path() / "repo/migrations");
  LoadResult result = load_dir(dir, "repo");
  ASSERT_EQ(result.projects.size(), 1u);
  EXPECT_EQ(result.projects[0].layout, "golang-migrate");
  EXPECT_EQ(result.projects[0].migrations.at(0).upgrade.file->display_path(), "repo/migrations/1_a.up.sql");
}

TEST(BadInput, FifoIsNotOpened) {
  TempDir dir;
  dir.write("m/1_a.sql", "CREATE TABLE a (id int);\n");
  ASSERT_EQ(mkfifo((dir.path() / "m/2_fifo.sql").c_str(), 0644), 0);
  LoadResult result = load_dir(dir);  // would block forever if the FIFO were opened
  EXPECT_EQ(count_all(result, "m/2_fifo.sql is not a regular file"), 1) << all_problems(result);
}

// chmod 000 does not stop root from reading. As root, the check runs in a child process that drops to
// an unprivileged user first, so the permission path is exercised for real.
struct UnreadableOutcome {
  bool ran = false;
  std::string problems;
};

UnreadableOutcome run_unreadable_case(const TempDir& dir) {
  UnreadableOutcome outcome;
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) return outcome;
  pid_t child = fork();
  if (child == 0) {
    close(pipe_fds[0]);
    if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0)) _exit(77);
    LoadResult result = load_dir(dir);
    std::string text = all_problems(result);
    ssize_t ignored = write(pipe_fds[1], text.data(), text.size());
    (void)ignored;
    _exit(0);
  }
  close(pipe_fds[1]);
  char buffer[4096];
  ssize_t got;
  while ((got = read(pipe_fds[0], buffer, sizeof buffer)) > 0) outcome.problems.append(buffer, static_cast<std::size_t>(got));
  close(pipe_fds[0]);
  int status = 0;
  waitpid(child, &status, 0);
  outcome.ran = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  return outcome;
}

TEST(BadInput, UnreadableFilesAndDirectories) {
  TempDir dir;
  dir.write("m/1_a.sql", "CREATE TABLE a (id int);\n");
  dir.write("m/2_secret.sql", "CREATE TABLE b (id int);\n");
  dir.write("m/locked/1_x.up.sql", "CREATE TABLE x (id int);\n");
  // Everyone may walk to the files; only the permission bits below stop the reader.
  std::filesystem::permissions(dir.path(), std::filesystem::perms::all);
  std::filesystem::permissions(dir.path() / "m", std::filesystem::perms::all);
  std::filesystem::permissions(dir.path() / "m/1_a.sql", std::filesystem::perms::all);
  std::filesystem::permissions(dir.path() / "m/2_secret.sql", std::filesystem::perms::none);
  std::filesystem::permissions(dir.path() / "m/locked", std::filesystem::perms::none);
  UnreadableOutcome outcome = run_unreadable_case(dir);
  if (!outcome.ran) GTEST_SKIP() << "could not drop root privileges to test permission errors";
  EXPECT_NE(outcome.problems.find("m/2_secret.sql cannot be read (Permission denied)"), std::string::npos) << outcome.problems;
  EXPECT_NE(outcome.problems.find("Directory m/locked cannot be read"), std::string::npos) << outcome.problems;
}

}  // namespace
}  // namespace migsafe::testing
