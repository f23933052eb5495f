// Apply order of an Alembic history: every revision after its down_revision(s) and depends_on targets,
// so that the schema tracked by the engine sees a table created in an earlier revision as existing.
// The graph's health (heads, unknown parents, cycles, duplicates) is judged by the graph rules; this
// only orders, and tolerates every defect.
#pragma once

#include <vector>

#include "linter/model/migration.h"

namespace migsafe::alembic {

// Topological order (Kahn). Among revisions that are ready at the same time the one whose upgrade file
// path sorts first goes first, so the order never depends on directory listing order. References to
// unknown revisions are ignored; revisions on a cycle come last, in path order.
// `depends_on` entries may name a revision, a branch label, or `label@head`.
void order_revisions(std::vector<Migration>& migrations);

}  // namespace migsafe::alembic
