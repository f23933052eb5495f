// The `alembic` layout: alembic.ini / pyproject.toml [tool.alembic] projects, env.py + versions/,
// a folder of revision files, or a single revision file. The work is in linter/alembic/.
#include "linter/alembic/alembic_project.h"
#include "linter/layouts/layout.h"

namespace migsafe {
namespace {

class AlembicLayout final : public Layout {
 public:
  std::string_view name() const override { return "alembic"; }
  int detect(const std::filesystem::path& dir) const override { return alembic::detect_alembic(dir); }
  Project load(const std::filesystem::path& dir, const LayoutOptions& options) const override {
    return alembic::load_alembic(dir, options);
  }
  // versions/ (and, with recursive_version_locations, its subfolders) belong to the project.
  LayoutScope scope() const override { return LayoutScope::Tree; }
  bool reads_sql_files() const override { return false; }
  int detect_file(std::string_view filename, std::string_view text) const override {
    return alembic::detect_alembic_file(filename, text);
  }
  Project load_file(const SourceFilePtr& file, const LayoutOptions& options) const override {
    return alembic::load_alembic_file(file, options);
  }
};

MIGSAFE_REGISTER_LAYOUT(AlembicLayout);

}  // namespace
}  // namespace migsafe
