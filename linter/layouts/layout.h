// Migration layouts (golang-migrate, Flyway, dbmate, sqitch, plain folder, Alembic): each detects its
// directory shape and reads a directory into a Project (ordered migrations with upgrade/downgrade
// scripts and the runner's transaction mode). New layouts register themselves with MIGSAFE_REGISTER_LAYOUT.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "linter/model/migration.h"
#include "linter/model/project.h"

namespace migsafe {

struct LayoutOptions {
  Dialect dialect = Dialect::PostgreSQL;
  bool dialect_from_user = false;  // --dialect/config given: a layout must not override it
  // Per-layout runner transaction overrides from config ("flyway" -> None ...).
  std::map<std::string, RunnerTransaction> transaction_overrides;
  // Paths (or globs) excluded by config, relative to the project root.
  std::vector<std::string> exclude;
  // Display paths are made relative to this directory (the repository root / working directory).
  std::filesystem::path display_root;
};

// What a project of a layout owns once it is detected in a directory.
enum class LayoutScope {
  Directory,  // only the files directly in the directory (golang-migrate, dbmate, plain)
  Tree,       // the whole subtree (sqitch deploy/revert/verify, Flyway subfolders, Alembic versions/)
};

class Layout {
 public:
  virtual ~Layout() = default;
  virtual std::string_view name() const = 0;
  // How confidently `dir` is a project of this layout: 0 = not at all; the highest score wins.
  virtual int detect(const std::filesystem::path& dir) const = 0;
  // Reads the project rooted at `dir`. Problems (unreadable files, duplicate versions) go into
  // project.problems as findings; never throw for bad input.
  virtual Project load(const std::filesystem::path& dir, const LayoutOptions& options) const = 0;
  virtual LayoutScope scope() const { return LayoutScope::Directory; }
  // Whether the layout's migrations are .sql files. A Tree layout whose migrations are not (Alembic, whose
  // alembic.ini often sits at the repository root) does not take the .sql files of the directories below
  // it: they stay loose and are linted as plain projects, instead of silently not at all.
  virtual bool reads_sql_files() const { return true; }
  // How confidently one file (named `filename`, holding `text`) is a migration of this layout when it is
  // linted on its own (standard input, a file outside any detected project). 0 = not at all.
  virtual int detect_file(std::string_view filename, std::string_view text) const { return 0; }
  // Reads a single file as a one-migration project. The default reports that the layout needs its
  // directory: layouts whose migrations span several files (sqitch, Alembic) cannot judge one alone.
  virtual Project load_file(const SourceFilePtr& file, const LayoutOptions& options) const;
};

class LayoutRegistry {
 public:
  static LayoutRegistry& instance();
  void add(std::unique_ptr<Layout> layout);
  const std::vector<std::unique_ptr<Layout>>& layouts() const { return layouts_; }
  const Layout* find(std::string_view name) const;
  // The layout that scores highest for `dir` (ties: the first registered), or null when none claims it.
  const Layout* detect(const std::filesystem::path& dir, int* score = nullptr) const;
  const Layout* detect_file(std::string_view filename, std::string_view text) const;

 private:
  std::vector<std::unique_ptr<Layout>> layouts_;
};

template <class T>
struct LayoutRegistrar {
  LayoutRegistrar() { LayoutRegistry::instance().add(std::make_unique<T>()); }
};

#define MIGSAFE_REGISTER_LAYOUT(Class) \
  static const ::migsafe::LayoutRegistrar<Class> MIGSAFE_LAYOUT_CONCAT(migsafe_layout_registrar_, __LINE__)
#define MIGSAFE_LAYOUT_CONCAT_INNER(a, b) a##b
#define MIGSAFE_LAYOUT_CONCAT(a, b) MIGSAFE_LAYOUT_CONCAT_INNER(a, b)

}  // namespace migsafe
