#include "linter/util/atomic_file.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace migsafe {
namespace {

namespace fs = std::filesystem;

class AtomicFile : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "migsafe-atomic-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string read(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }
  std::size_t entries() { return static_cast<std::size_t>(std::distance(fs::directory_iterator(dir_), {})); }

  fs::path dir_;
};

TEST_F(AtomicFile, WritesTheFileAndItsDirectories) {
  fs::path target = dir_ / "reports" / "out.json";
  EXPECT_TRUE(write_file_atomically(target, [](std::ostream& out) { out << "{}\n"; }));
  EXPECT_EQ(read(target), "{}\n");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_ / "reports"), {}), 1);  // no temporary file left
}

TEST_F(AtomicFile, AFailingWriterLeavesThePreviousFileAndNoTemporaryFile) {
  fs::path target = dir_ / "out.json";
  ASSERT_TRUE(write_file_atomically(target, [](std::ostream& out) { out << "old"; }));
  EXPECT_THROW(write_file_atomically(target,
                                     [](std::ostream& out) {
                                       out << "half";
                                       throw std::runtime_error("reporter failed");
                                     }),
               std::runtime_error);
  EXPECT_EQ(read(target), "old");
  EXPECT_EQ(entries(), 1u);
}

TEST_F(AtomicFile, AnUnwritableDirectoryIsAFailureNotAnException) {
  std::ofstream(dir_ / "not-a-dir") << "x";
  EXPECT_FALSE(write_file_atomically(dir_ / "not-a-dir" / "out.json", [](std::ostream& out) { out << "{}"; }));
}

TEST_F(AtomicFile, SpecialFilesAreWrittenInPlace) {
  EXPECT_TRUE(write_file_atomically("/dev/null", [](std::ostream& out) { out << "discarded"; }));
  EXPECT_TRUE(fs::is_character_file("/dev/null"));
}

}  // namespace
}  // namespace migsafe
