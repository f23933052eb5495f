// Cleanup guarantees: Ctrl-C and SIGTERM in the middle of a run, a server that does not start, an
// unusable temporary directory. The run happens in a forked child (the command as the CLI runs it) so
// that the test can signal it and then look for leftovers.
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "harness/abandoned_dirs.h"
#include "harness/pg_cluster.h"
#include "harness/process.h"
#include "harness/url.h"
#include "harness_test_support.h"

namespace migsafe::harness::testing {
namespace {

namespace fs = std::filesystem;

bool have_server() { return find_pg_server_binaries(std::nullopt).has_value(); }

// A world-traversable private TMPDIR (the server may run as the postgres user).
struct ScopedTmpdir {
  ScopedTmpdir() : dir("migsafe-test-", "/tmp") {
    chmod(dir.path().c_str(), 0755);
    const char* old = std::getenv("TMPDIR");
    if (old) previous = old;
    setenv("TMPDIR", dir.path().c_str(), 1);
  }
  ~ScopedTmpdir() {
    if (previous) setenv("TMPDIR", previous->c_str(), 1);
    else unsetenv("TMPDIR");
  }
  bool empty() const { return fs::is_empty(dir.path()); }
  TempDir dir;
  std::optional<std::string> previous;
};

std::optional<pid_t> find_postmaster(const fs::path& tmpdir) {
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(tmpdir, error)) {
    std::ifstream pidfile(entry.path() / "data" / "postmaster.pid");
    pid_t pid = 0;
    if (pidfile >> pid && pid > 0) return pid;
  }
  return std::nullopt;
}

bool process_alive(pid_t pid) {
  if (kill(pid, 0) != 0) return false;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), {});
  auto close = text.rfind(')');
  return close != std::string::npos && close + 2 < text.size() && text[close + 2] != 'Z';
}

// Runs the command on `project` in a forked child and returns once its server has been up for a while
// (inside the hanging migration by then).
void start_hanging_run(const std::string& project, bool trace, const ScopedTmpdir& tmpdir, pid_t& child,
                       pid_t& postmaster_pid) {
  child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    RoundtripCommandOptions options;
    options.project = fixture(project).string();
    options.trace = trace;
    options.engine = "postgresql";
    options.engine_given = true;
    options.progress = false;
    std::ostringstream out, err;
    int code = run_roundtrip_command(options, out, err);
    _exit(code);
  }
  std::optional<pid_t> postmaster;
  auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!postmaster && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    postmaster = find_postmaster(tmpdir.dir.path());
  }
  if (!postmaster) kill(child, SIGKILL);
  ASSERT_TRUE(postmaster) << "the server never started";
  postmaster_pid = *postmaster;
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // inside the hanging migration by now
}

void expect_gone_soon(pid_t postmaster) {
  for (int i = 0; i < 100 && process_alive(postmaster); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_FALSE(process_alive(postmaster)) << "the server outlived the run";
}

void signal_mid_run(int signal_number, const std::string& project = "hang-pg", bool trace = false) {
  if (!have_server()) GTEST_SKIP() << "no PostgreSQL server binaries on this machine";
  ScopedTmpdir tmpdir;
  pid_t child = -1;
  pid_t postmaster = -1;
  ASSERT_NO_FATAL_FAILURE(start_hanging_run(project, trace, tmpdir, child, postmaster));
  ASSERT_EQ(kill(child, signal_number), 0);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 128 + signal_number);
  expect_gone_soon(postmaster);
  EXPECT_TRUE(tmpdir.empty()) << "the temporary directory was left behind";
}

TEST(Faults, CtrlCMidRunLeavesNoProcessAndNoDirectory) { signal_mid_run(SIGINT); }

TEST(Faults, SigtermMidRunLeavesNoProcessAndNoDirectory) { signal_mid_run(SIGTERM); }

// --trace runs the statements inside its own transaction and keeps DEBUG1 on: cleanup must not care.
TEST(Faults, SigtermMidTracedRunLeavesNoProcessAndNoDirectory) { signal_mid_run(SIGTERM, "hang-pg", true); }

TEST(Faults, CtrlCMidTracedAlembicRunLeavesNoProcessAndNoDirectory) {
  signal_mid_run(SIGINT, "alembic-hang", true);
}

// SIGKILL runs no cleanup at all: the parent-death signal stops the server, and the directory stays
// until the next run that makes a cluster in the same place (its owner marker names a gone process).
TEST(Faults, SigkillMidRunLeavesADirectoryTheNextRunRemoves) {
  if (!have_server()) GTEST_SKIP() << "no PostgreSQL server binaries on this machine";
  ScopedTmpdir tmpdir;
  pid_t child = -1;
  pid_t postmaster = -1;
  ASSERT_NO_FATAL_FAILURE(start_hanging_run("hang-pg", false, tmpdir, child, postmaster));
  ASSERT_EQ(kill(child, SIGKILL), 0);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status));
  expect_gone_soon(postmaster);
  std::vector<fs::path> left(fs::directory_iterator(tmpdir.dir.path()), fs::directory_iterator());
  ASSERT_EQ(left.size(), 1u);
  EXPECT_TRUE(fs::exists(left[0] / kOwnerMarkerName)) << left[0];

  RoundtripCommandOptions options;
  options.project = fixture("clean").string();
  options.engine = "postgresql";
  options.engine_given = true;
  options.progress = false;
  std::ostringstream out, err;
  EXPECT_EQ(run_roundtrip_command(options, out, err), 0) << err.str();
  EXPECT_FALSE(fs::exists(left[0])) << "the next run did not remove " << left[0];
  EXPECT_TRUE(tmpdir.empty());
}

TEST(Faults, BadPgBinIsAnEnvironmentError) {
  RoundtripCommandOptions options;
  options.project = fixture("clean").string();
  options.engine = "postgresql";
  options.engine_given = true;
  options.pg_bin = "/nonexistent/bin";
  std::ostringstream out, err;
  EXPECT_EQ(run_roundtrip_command(options, out, err), 3);
  EXPECT_NE(err.str().find("--pg-bin /nonexistent/bin"), std::string::npos) << err.str();
}

TEST(Faults, ServerThatFailsToStartIsReportedWithItsLog) {
  auto binaries = find_pg_server_binaries(std::nullopt);
  if (!binaries) GTEST_SKIP() << "no PostgreSQL server binaries on this machine";
  ScopedTmpdir tmpdir;
  TempDir fake("migsafe-fake-bin-", "/tmp");
  chmod(fake.path().c_str(), 0755);
  fs::create_symlink(binaries->bindir / "initdb", fake.path() / "initdb");
  {
    std::ofstream script(fake.path() / "postgres");
    script << "#!/bin/sh\necho 'FATAL:  simulated startup failure' >&2\nexit 1\n";
  }
  chmod((fake.path() / "postgres").c_str(), 0755);
  RoundtripCommandOptions options;
  options.project = fixture("clean").string();
  options.engine = "postgresql";
  options.engine_given = true;
  options.pg_bin = fake.path().string();
  std::ostringstream out, err;
  EXPECT_EQ(run_roundtrip_command(options, out, err), 3);
  EXPECT_NE(err.str().find("simulated startup failure"), std::string::npos) << err.str();
  EXPECT_TRUE(tmpdir.empty());
}

TEST(Faults, MissingTemporaryDirectoryIsAnEnvironmentError) {
  const char* old = std::getenv("TMPDIR");
  std::optional<std::string> previous = old ? std::optional<std::string>(old) : std::nullopt;
  setenv("TMPDIR", "/nonexistent/migsafe-tmp", 1);
  RoundtripCommandOptions options;
  options.project = fixture("clean").string();
  options.engine = "postgresql";
  options.engine_given = true;
  std::ostringstream out, err;
  int code = run_roundtrip_command(options, out, err);
  if (previous) setenv("TMPDIR", previous->c_str(), 1);
  else unsetenv("TMPDIR");
  if (!have_server()) GTEST_SKIP() << "no PostgreSQL server binaries on this machine";
  EXPECT_EQ(code, 3);
  EXPECT_NE(err.str().find("cannot create a temporary directory in /nonexistent/migsafe-tmp"), std::string::npos)
      << err.str();
}

TEST(Faults, SocketDirectoryPathTooLongIsAnEnvironmentError) {
  if (!have_server()) GTEST_SKIP() << "no PostgreSQL server binaries on this machine";
  TempDir base("migsafe-long-", "/tmp");
  fs::path deep = base.path() / std::string(100, 'd');
  fs::create_directories(deep);
  const char* old = std::getenv("TMPDIR");
  std::optional<std::string> previous = old ? std::optional<std::string>(old) : std::nullopt;
  setenv("TMPDIR", deep.c_str(), 1);
  RoundtripCommandOptions options;
  options.project = fixture("clean").string();
  options.engine = "postgresql";
  options.engine_given = true;
  std::ostringstream out, err;
  int code = run_roundtrip_command(options, out, err);
  if (previous) setenv("TMPDIR", previous->c_str(), 1);
  else unsetenv("TMPDIR");
  EXPECT_EQ(code, 3);
  EXPECT_NE(err.str().find("too long for a Unix socket"), std::string::npos) << err.str();
  EXPECT_TRUE(fs::is_empty(deep)) << "the temporary directory was left behind";
}

TEST(Faults, UnknownEngineIsAUsageError) {
  RoundtripCommandOptions options;
  options.project = fixture("clean").string();
  options.engine = "oracle";
  options.engine_given = true;
  std::ostringstream out, err;
  EXPECT_EQ(run_roundtrip_command(options, out, err), 2);
}

TEST(Faults, PasswordsAreMaskedInConnectionStrings) {
  EXPECT_EQ(mask_connection_string("postgresql://app:s3cret@db.example.com:5432/prod"),
            "postgresql://app:***@db.example.com:5432/prod");
  EXPECT_EQ(mask_connection_string("host=db user=app password='se cret' dbname=prod"),
            "host=db user=app password=*** dbname=prod");
  EXPECT_EQ(mask_connection_string("postgresql://db/prod?user=app&password=s3cret"),
            "postgresql://db/prod?user=app&password=***");
}

}  // namespace
}  // namespace migsafe::harness::testing
