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
};

MIGSAFE_REGISTER_LAYOUT(AlembicLayout);

}  // namespace
}  // namespace migsafe
