// Loading an Alembic project: configuration (alembic.ini / pyproject.toml / env.py), the revision files
// of every version location, the dialect and runner transaction mode, and the apply order.
#pragma once

#include <filesystem>

#include "linter/layouts/layout.h"

namespace migsafe::alembic {

// How confidently `path` is an Alembic project (0 = not at all): a folder with alembic.ini (100) or
// pyproject.toml [tool.alembic] (95), env.py next to versions/ (90), a folder of revision files (70),
// a single revision file (60).
int detect_alembic(const std::filesystem::path& path);

// Reads a project folder (any of the shapes above) or a single revision file.
Project load_alembic(const std::filesystem::path& path, const LayoutOptions& options);

}  // namespace migsafe::alembic
