// The revision graph of a project (Alembic revisions; versioned SQL layouts that record parents), built
// from Migration::id/parents/branch_labels/depends_on, and where in a revision file to point at its parts.
// Shared by the multiple-heads and broken-revision-graph rules.
#pragma once

#include <cstddef>
#include <utility>
#include <string>
#include <string_view>
#include <vector>

#include "linter/model/project.h"

namespace migsafe {

class RevisionGraph {
 public:
  explicit RevisionGraph(const std::vector<Migration>& migrations);

  // True when the migrations form a graph at all (some migration names parents, or the layout is
  // Alembic); versioned layouts without parents are a plain sequence with no heads to count.
  bool is_graph() const { return is_graph_; }
  // Index of the first migration with this id, or npos.
  std::size_t find(const std::string& id) const;
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);
  // Migrations (readable, with an id, first of duplicates) that no migration names as a parent, in
  // project order.
  std::vector<std::size_t> heads() const;
  // Branch labels of a migration and of all its ancestors (labels apply to a branch from where they are set).
  std::vector<std::string> effective_labels(std::size_t index) const;
  // True when `reference` (a depends_on entry) names a known revision: an id, a unique id prefix, a branch
  // label, or `label@head` / `id@head`.
  bool resolves(const std::string& reference) const;
  // Every cycle through parent links, each as migration indexes in parent order starting at its first
  // member in project order; each cycle once.
  std::vector<std::vector<std::size_t>> cycles() const;

 private:
  const std::vector<Migration>& migrations_;
  // (id, index) sorted by id, the first of duplicate ids first: one allocation for the whole project,
  // where a std::map allocated a node and a key copy per migration. The ids are views into migrations_.
  std::vector<std::pair<std::string_view, std::size_t>> by_id_;
  bool is_graph_ = false;
};

// The range of the first line of `file` that assigns `key` (`down_revision = ...`, `revision: str = ...`)
// and contains `value` when given; the first line of the file when there is none (SQL layouts).
ByteRange locate_assignment(const SourceFile& file, std::string_view key, std::string_view value = {});

}  // namespace migsafe
