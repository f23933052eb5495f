// Helpers for the layout tests: fixture paths, temporary directories, and short queries on projects.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "linter/layouts/layout.h"
#include "linter/layouts/loader.h"

namespace migsafe::testing {

inline std::filesystem::path fixture(const std::string& relative) {
  return std::filesystem::path(MIGSAFE_TEST_DATA) / "layouts" / relative;
}

inline LayoutOptions options_for(const std::filesystem::path& display_root) {
  LayoutOptions options;
  options.display_root = display_root;
  return options;
}

// Loads `dir` with the named layout, display paths relative to `dir`.
inline Project load_with(const std::string& layout, const std::filesystem::path& dir, LayoutOptions options = {}) {
  if (options.display_root.empty()) options.display_root = dir;
  const Layout* found = LayoutRegistry::instance().find(layout);
  EXPECT_NE(found, nullptr) << layout;
  return found ? found->load(dir, options) : Project{};
}

inline std::vector<std::string> ids(const Project& project) {
  std::vector<std::string> result;
  for (const Migration& migration : project.migrations) result.push_back(migration.id);
  return result;
}

inline const Migration* migration(const Project& project, const std::string& id) {
  for (const Migration& m : project.migrations) {
    if (m.id == id) return &m;
  }
  return nullptr;
}

inline std::vector<TransactionSource> transactions(const Script& script) {
  std::vector<TransactionSource> result;
  for (const Statement& statement : script.statements) result.push_back(statement.transaction);
  return result;
}

// The problems whose message contains `text` (and whose rule is `rule`, when given).
inline int count_problems(const Project& project, const std::string& text, const std::string& rule = "") {
  int count = 0;
  for (const FileProblem& problem : project.problems) {
    if (problem.message.find(text) != std::string::npos && (rule.empty() || problem.rule_id == rule)) ++count;
  }
  return count;
}

inline std::string problems_text(const Project& project) {
  std::string text;
  for (const FileProblem& problem : project.problems) text += problem.rule_id + ": " + problem.path + ": " + problem.message + "\n";
  return text;
}

// A scratch directory removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "migsafe-layouts-XXXXXX").string();
    path_ = mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ec;
    // Restore permissions changed by a test so that removal succeeds.
    for (auto it = std::filesystem::recursive_directory_iterator(path_, std::filesystem::directory_options::skip_permission_denied, ec);
         it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
      if (ec) break;
      std::filesystem::permissions(it->path(), std::filesystem::perms::owner_all, std::filesystem::perm_options::add, ec);
    }
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path write(const std::string& relative, const std::string& bytes) const {
    std::filesystem::path file = path_ / relative;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << bytes;
    return file;
  }

 private:
  std::filesystem::path path_;
};

// Every project of a load result, keyed "layout:root-relative-to-base".
inline std::vector<std::string> project_keys(const LoadResult& result, const std::filesystem::path& base) {
  std::vector<std::string> keys;
  for (const Project& project : result.projects) {
    std::string root = std::filesystem::path(project.root).lexically_normal().lexically_relative(base.lexically_normal()).generic_string();
    keys.push_back(project.layout + ":" + root);
  }
  std::sort(keys.begin(), keys.end());
  return keys;
}

}  // namespace migsafe::testing
