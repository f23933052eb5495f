// The sweep of temporary directories left by killed runs: it removes only what it can prove a gone
// migsafe process made, and never fails the run. Each test sweeps a private parent directory, never /tmp.
#include "harness/abandoned_dirs.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>

#include "harness/process.h"

namespace migsafe::harness::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kPrefix = "migsafe-pg-";

// A process that existed and is gone: a child that exits at once, reaped, so its pid names nothing
// (until the kernel reuses it, which a test run does not wait for).
ProcessIdentity dead_process() {
  auto self = identity_of_this_process();
  EXPECT_TRUE(self.has_value());
  pid_t child = fork();
  if (child == 0) _exit(0);
  EXPECT_GT(child, 0);
  int status = 0;
  waitpid(child, &status, 0);
  return ProcessIdentity{child, self->start_ticks, self->pid_namespace};
}

class AbandonedDirsTest : public ::testing::Test {
 protected:
  fs::path parent() const { return parent_.path(); }

  fs::path make_dir(const std::string& suffix) {
    auto dir = parent() / (kPrefix + suffix);
    fs::create_directory(dir);
    std::ofstream(dir / "server.log") << "something the run wrote\n";
    fs::create_directory(dir / "data");
    std::ofstream(dir / "data" / "PG_VERSION") << "15\n";
    return dir;
  }
  fs::path make_dir_owned_by(const std::string& suffix, const ProcessIdentity& owner) {
    auto dir = make_dir(suffix);
    std::ofstream(dir / kOwnerMarkerName) << format_owner_marker(owner);
    return dir;
  }
  std::size_t sweep() {
    return sweep_abandoned_dirs(parent(), kPrefix, [this](const std::string& text) { warnings_.push_back(text); });
  }

  TempDir parent_{"migsafe-sweep-test-"};
  std::vector<std::string> warnings_;
};

TEST_F(AbandonedDirsTest, RemovesDirectoryWhoseOwnerExited) {
  auto dir = make_dir_owned_by("stale", dead_process());
  EXPECT_EQ(sweep(), 1u);
  EXPECT_FALSE(fs::exists(dir));
  EXPECT_TRUE(warnings_.empty());
}

TEST_F(AbandonedDirsTest, RemovesDirectoryWhosePidWasReusedByAnotherProcess) {
  auto owner = identity_of_this_process().value();
  owner.start_ticks += 1;  // our pid, but not us: the owner died and the pid went to someone else
  auto dir = make_dir_owned_by("reused", owner);
  EXPECT_EQ(sweep(), 1u);
  EXPECT_FALSE(fs::exists(dir));
}

// Killed and never reaped (an init that does not wait for orphans): finished all the same, although its
// pid and start time are still those of the marker.
TEST_F(AbandonedDirsTest, RemovesDirectoryWhoseOwnerIsAZombie) {
  int go[2];
  ASSERT_EQ(pipe(go), 0);
  pid_t child = fork();
  if (child == 0) {
    close(go[1]);
    char byte;
    (void)!read(go[0], &byte, 1);  // returns when the parent closes its end
    _exit(0);
  }
  ASSERT_GT(child, 0);
  close(go[0]);
  auto owner = identity_of_process(child);
  close(go[1]);
  siginfo_t info{};
  ASSERT_EQ(waitid(P_PID, static_cast<id_t>(child), &info, WEXITED | WNOWAIT), 0);  // exited, not reaped
  ASSERT_TRUE(owner.has_value());
  auto dir = make_dir_owned_by("zombie", *owner);
  EXPECT_EQ(sweep(), 1u);
  EXPECT_FALSE(fs::exists(dir));
  int status = 0;
  waitpid(child, &status, 0);
}

TEST_F(AbandonedDirsTest, KeepsDirectoryOfALiveOwner) {
  auto dir = make_dir_owned_by("live", identity_of_this_process().value());
  EXPECT_EQ(sweep(), 0u);
  EXPECT_TRUE(fs::exists(dir / kOwnerMarkerName));
  EXPECT_TRUE(fs::exists(dir / "data" / "PG_VERSION"));
}

TEST_F(AbandonedDirsTest, KeepsDirectoryWithoutMarker) {
  auto dir = make_dir("unmarked");
  EXPECT_EQ(sweep(), 0u);
  EXPECT_TRUE(fs::exists(dir / "server.log"));
}

TEST_F(AbandonedDirsTest, KeepsDirectoryWithGarbledMarker) {
  auto dead = dead_process();
  for (const std::string& garbled :
       {std::string("pid ") + std::to_string(dead.pid) + "\n", std::string("not a marker at all"),
        format_owner_marker(dead) + "extra line\n", format_owner_marker(dead).substr(0, 40), std::string()}) {
    auto dir = make_dir("garbled");
    std::ofstream(dir / kOwnerMarkerName) << garbled;
    EXPECT_EQ(sweep(), 0u) << garbled;
    EXPECT_TRUE(fs::exists(dir / "server.log")) << garbled;
    fs::remove_all(dir);
  }
}

TEST_F(AbandonedDirsTest, KeepsDirectoryWhoseMarkerComesFromAnotherPidNamespace) {
  auto owner = dead_process();
  owner.pid_namespace = "pid:[1]";  // a /tmp shared with a container: that pid means nothing here
  auto dir = make_dir_owned_by("elsewhere", owner);
  EXPECT_EQ(sweep(), 0u);
  EXPECT_TRUE(fs::exists(dir));
}

TEST_F(AbandonedDirsTest, KeepsDirectoryWhoseMarkerIsASymlink) {
  auto target = parent() / "elsewhere-marker";
  std::ofstream(target) << format_owner_marker(dead_process());
  auto dir = make_dir("linked");
  fs::create_symlink(target, dir / kOwnerMarkerName);
  EXPECT_EQ(sweep(), 0u);
  EXPECT_TRUE(fs::exists(dir / "server.log"));
}

TEST_F(AbandonedDirsTest, IgnoresOtherPrefixesAndSymlinkedDirectories) {
  auto owner = dead_process();
  auto other = parent() / "migsafe-sqlite-abc";
  fs::create_directory(other);
  std::ofstream(other / kOwnerMarkerName) << format_owner_marker(owner);
  auto real = make_dir_owned_by("real", owner);
  auto target = parent() / "not-ours";
  fs::rename(real, target);
  fs::create_directory_symlink(target, parent() / (std::string(kPrefix) + "link"));
  EXPECT_EQ(sweep(), 0u);
  EXPECT_TRUE(fs::exists(other / kOwnerMarkerName));
  EXPECT_TRUE(fs::exists(target / kOwnerMarkerName));
}

TEST_F(AbandonedDirsTest, RemovesSymlinksInsideWithoutFollowingThem) {
  auto outside = parent() / "outside";
  fs::create_directory(outside);
  std::ofstream(outside / "keep.txt") << "not the harness's\n";
  auto dir = make_dir_owned_by("links", dead_process());
  fs::create_directory_symlink(outside, dir / "linked-dir");
  fs::create_symlink(outside / "keep.txt", dir / "linked-file");
  EXPECT_EQ(sweep(), 1u);
  EXPECT_FALSE(fs::exists(dir));
  EXPECT_TRUE(fs::exists(outside / "keep.txt"));
}

TEST_F(AbandonedDirsTest, KeepsDirectoryWithALiveServerAndSaysSoOnce) {
  auto dir = make_dir_owned_by("server", dead_process());
  std::ofstream(dir / "data" / "postmaster.pid") << getpid() << "\n" << dir.string() << "/data\n";
  EXPECT_EQ(sweep(), 0u);
  EXPECT_EQ(sweep(), 0u);
  EXPECT_TRUE(fs::exists(dir / "data" / "postmaster.pid"));
  ASSERT_EQ(warnings_.size(), 1u);
  EXPECT_NE(warnings_[0].find(dir.string()), std::string::npos) << warnings_[0];
}

TEST_F(AbandonedDirsTest, RemovesDirectoryWhoseServerIsGoneToo) {
  auto owner = dead_process();
  auto dir = make_dir_owned_by("server-gone", owner);
  std::ofstream(dir / "data" / "postmaster.pid") << owner.pid << "\n";
  EXPECT_EQ(sweep(), 1u);
  EXPECT_FALSE(fs::exists(dir));
}

TEST_F(AbandonedDirsTest, WarnsAndGoesOnWhenADirectoryCannotBeRemoved) {
  if (geteuid() == 0) GTEST_SKIP() << "root removes read-only directories anyway";
  auto owner = dead_process();
  auto stuck = make_dir_owned_by("stuck", owner);
  auto removable = make_dir_owned_by("removable", owner);
  chmod((stuck / "data").c_str(), 0500);
  EXPECT_EQ(sweep(), 1u);
  chmod((stuck / "data").c_str(), 0700);
  EXPECT_FALSE(fs::exists(removable));
  EXPECT_TRUE(fs::exists(stuck / kOwnerMarkerName));  // kept, so that the next run can finish the job
  ASSERT_EQ(warnings_.size(), 1u);
  EXPECT_NE(warnings_[0].find(stuck.string()), std::string::npos) << warnings_[0];
  EXPECT_NE(warnings_[0].find("Permission denied"), std::string::npos) << warnings_[0];
}

TEST_F(AbandonedDirsTest, WarnsWhenTheParentCannotBeListed) {
  auto not_a_dir = parent() / "plain-file";
  std::ofstream(not_a_dir) << "x";
  EXPECT_EQ(sweep_abandoned_dirs(not_a_dir, kPrefix, [this](const std::string& text) { warnings_.push_back(text); }),
            0u);
  ASSERT_EQ(warnings_.size(), 1u);
  EXPECT_NE(warnings_[0].find(not_a_dir.string()), std::string::npos) << warnings_[0];
}

TEST_F(AbandonedDirsTest, OwnedTempDirIsMarkedAndSweepsItsPredecessors) {
  auto stale = make_dir_owned_by("stale", dead_process());
  fs::path made;
  {
    TempDir dir = create_owned_temp_dir(kPrefix, parent());
    made = dir.path();
    EXPECT_FALSE(fs::exists(stale));
    std::ifstream marker(made / kOwnerMarkerName);
    std::string text((std::istreambuf_iterator<char>(marker)), {});
    EXPECT_EQ(parse_owner_marker(text), identity_of_this_process());
    struct stat info {};
    ASSERT_EQ(stat(made.c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0700u);
    EXPECT_EQ(sweep(), 0u);  // our own directory, we are alive
  }
  EXPECT_FALSE(fs::exists(made));
}

// The case the sweep exists for: the owner is killed outright and runs no destructor.
TEST_F(AbandonedDirsTest, RemovesDirectoryOfAKilledOwner) {
  int report[2];
  ASSERT_EQ(pipe(report), 0);
  pid_t child = fork();
  if (child == 0) {
    close(report[0]);
    TempDir dir = create_owned_temp_dir(kPrefix, parent());
    (void)!write(report[1], "x", 1);
    pause();
    _exit(0);
  }
  close(report[1]);
  char ready = 0;
  ASSERT_EQ(read(report[0], &ready, 1), 1);
  close(report[0]);
  kill(child, SIGKILL);
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_EQ(std::distance(fs::directory_iterator(parent()), fs::directory_iterator()), 1);
  EXPECT_EQ(sweep(), 1u);
  EXPECT_TRUE(fs::is_empty(parent()));
}

TEST(OwnerMarker, RoundTripsAndRejectsNearMisses) {
  ProcessIdentity owner{1234, 567890, "pid:[4026531836]"};
  auto text = format_owner_marker(owner);
  EXPECT_EQ(parse_owner_marker(text), owner);
  EXPECT_FALSE(parse_owner_marker(text.substr(0, text.size() - 1)));  // no final newline
  auto replace = [&](const std::string& from, const std::string& to) {
    auto changed = text;
    changed.replace(changed.find(from), from.size(), to);
    return changed;
  };
  EXPECT_FALSE(parse_owner_marker(replace("pid 1234", "pid -1234")));
  EXPECT_FALSE(parse_owner_marker(replace("pid 1234", "pid 0")));
  EXPECT_FALSE(parse_owner_marker(replace("pid 1234", "pid 12x4")));
  EXPECT_FALSE(parse_owner_marker(replace("start 567890", "start  567890")));
  EXPECT_FALSE(parse_owner_marker(replace("start 567890", "start 99999999999999999999999")));
  EXPECT_FALSE(parse_owner_marker(replace("pid-namespace pid:[4026531836]", "pid-namespace ")));
  EXPECT_FALSE(parse_owner_marker(replace("migsafe temporary", "someone's temporary")));
}

}  // namespace
}  // namespace migsafe::harness::testing
