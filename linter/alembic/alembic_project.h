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
// A folder that only holds revisions is read with the alembic.ini above it that points at it.
Project load_alembic(const std::filesystem::path& path, const LayoutOptions& options);
// One revision file on its own (standard input, a file outside a detected project); the alembic.ini or
// env.py around it, when there is one, still decides dialect and transactions.
Project load_alembic_file(const SourceFilePtr& file, const LayoutOptions& options);
// Score for one file linted on its own: a .py file that assigns `revision`.
int detect_alembic_file(std::string_view filename, std::string_view text);

}  // namespace migsafe::alembic
