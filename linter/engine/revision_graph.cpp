#include "linter/engine/revision_graph.h"

#include <algorithm>
#include <cctype>
#include <functional>
#include <set>

namespace migsafe {

RevisionGraph::RevisionGraph(const std::vector<Migration>& migrations) : migrations_(migrations) {
  by_id_.reserve(migrations.size());
  for (std::size_t i = 0; i < migrations.size(); ++i) {
    const Migration& migration = migrations[i];
    if (!migration.id.empty()) by_id_.emplace_back(migration.id, i);
    if (migration.layout == "alembic" || !migration.parents.empty()) is_graph_ = true;
  }
  // Ties keep project order, so find() answers the first of duplicate ids.
  std::stable_sort(by_id_.begin(), by_id_.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
}

std::size_t RevisionGraph::find(const std::string& id) const {
  auto it = std::lower_bound(by_id_.begin(), by_id_.end(), std::string_view(id),
                             [](const auto& entry, std::string_view wanted) { return entry.first < wanted; });
  return it == by_id_.end() || it->first != id ? npos : it->second;
}

std::vector<std::size_t> RevisionGraph::heads() const {
  std::set<std::string> parents;
  for (const Migration& migration : migrations_) parents.insert(migration.parents.begin(), migration.parents.end());
  std::vector<std::size_t> result;
  for (std::size_t i = 0; i < migrations_.size(); ++i) {
    const Migration& migration = migrations_[i];
    if (!migration.revision_readable || migration.id.empty() || find(migration.id) != i) continue;
    if (!parents.count(migration.id)) result.push_back(i);
  }
  return result;
}

std::vector<std::string> RevisionGraph::effective_labels(std::size_t index) const {
  std::set<std::string> labels;
  std::set<std::size_t> seen;
  std::vector<std::size_t> pending{index};
  while (!pending.empty()) {
    std::size_t current = pending.back();
    pending.pop_back();
    if (!seen.insert(current).second) continue;
    const Migration& migration = migrations_[current];
    labels.insert(migration.branch_labels.begin(), migration.branch_labels.end());
    for (const std::string& parent : migration.parents) {
      std::size_t next = find(parent);
      if (next != npos) pending.push_back(next);
    }
  }
  return {labels.begin(), labels.end()};
}

bool RevisionGraph::resolves(const std::string& reference) const {
  std::string name = reference;
  if (std::size_t at = name.find('@'); at != std::string::npos) name = name.substr(0, at);
  if (name.empty()) return false;
  if (find(name) != npos) return true;
  std::size_t prefix_matches = 0;
  for (const Migration& migration : migrations_) {
    if (std::find(migration.branch_labels.begin(), migration.branch_labels.end(), name) != migration.branch_labels.end()) {
      return true;
    }
    if (migration.id.size() > name.size() && migration.id.compare(0, name.size(), name) == 0) ++prefix_matches;
  }
  return prefix_matches == 1;
}

std::vector<std::vector<std::size_t>> RevisionGraph::cycles() const {
  enum class Mark { New, Active, Done };
  std::vector<Mark> marks(migrations_.size(), Mark::New);
  std::vector<std::size_t> path;
  std::set<std::vector<std::size_t>> seen;  // cycles by sorted members
  std::vector<std::vector<std::size_t>> result;

  std::function<void(std::size_t)> visit = [&](std::size_t index) {
    marks[index] = Mark::Active;
    path.push_back(index);
    for (const std::string& parent : migrations_[index].parents) {
      std::size_t next = find(parent);
      if (next == npos) continue;
      if (marks[next] == Mark::Active) {
        auto start = std::find(path.begin(), path.end(), next);
        std::vector<std::size_t> cycle(start, path.end());
        // Start at the member that comes first in project order, so the report does not depend on the walk.
        std::rotate(cycle.begin(), std::min_element(cycle.begin(), cycle.end()), cycle.end());
        std::vector<std::size_t> key = cycle;
        std::sort(key.begin(), key.end());
        if (seen.insert(key).second) result.push_back(std::move(cycle));
      } else if (marks[next] == Mark::New) {
        visit(next);
      }
    }
    path.pop_back();
    marks[index] = Mark::Done;
  };
  for (std::size_t i = 0; i < migrations_.size(); ++i) {
    if (marks[i] == Mark::New && find(migrations_[i].id) == i) visit(i);
  }
  return result;
}

ByteRange locate_assignment(const SourceFile& file, std::string_view key, std::string_view value) {
  for (int line = 1; line <= static_cast<int>(file.line_count()); ++line) {
    std::string_view text = file.line_text(line);
    std::size_t indent = 0;
    while (indent < text.size() && std::isspace(static_cast<unsigned char>(text[indent]))) ++indent;
    std::string_view rest = text.substr(indent);
    if (rest.substr(0, key.size()) != key) continue;
    // The key must end there: `revision` must not match `revision_id` or `down_revision`.
    std::string_view after = rest.substr(key.size());
    if (!after.empty() && (std::isalnum(static_cast<unsigned char>(after.front())) || after.front() == '_')) continue;
    if (after.find('=') == std::string_view::npos && after.find(':') == std::string_view::npos) continue;
    if (!value.empty() && after.find(value) == std::string_view::npos) continue;
    std::size_t begin = file.line_start(line) + indent;
    return ByteRange{begin, file.line_start(line) + text.size()};
  }
  // The value may sit on a continuation line (`down_revision = (\n    'a',\n    'b')`): the key's line will do.
  if (!value.empty()) return locate_assignment(file, key);
  return ByteRange{0, file.line_count() > 0 ? file.line_text(1).size() : 0};
}

}  // namespace migsafe
