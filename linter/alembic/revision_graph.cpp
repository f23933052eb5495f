#include "linter/alembic/revision_graph.h"

#include <algorithm>
#include <map>
#include <queue>
#include <set>

namespace migsafe::alembic {

namespace {

std::string sort_key(const Migration& migration) {
  return migration.upgrade.file ? migration.upgrade.file->display_path() : migration.id;
}

}  // namespace

void order_revisions(std::vector<Migration>& migrations) {
  const std::size_t count = migrations.size();
  // The first revision with an id wins references (duplicates are a graph-rule finding).
  std::map<std::string, std::size_t> by_id;
  std::map<std::string, std::vector<std::size_t>> by_label;
  for (std::size_t i = 0; i < count; ++i) {
    if (!migrations[i].id.empty()) by_id.emplace(migrations[i].id, i);
    for (const std::string& label : migrations[i].branch_labels) by_label[label].push_back(i);
  }
  auto resolve = [&](const std::string& reference, bool allow_labels) {
    std::vector<std::size_t> targets;
    if (auto it = by_id.find(reference); it != by_id.end()) {
      targets.push_back(it->second);
    } else if (allow_labels) {
      std::string label = reference.substr(0, reference.find('@'));
      if (auto found = by_label.find(label); found != by_label.end()) targets = found->second;
    }
    return targets;
  };

  std::vector<std::set<std::size_t>> prerequisites(count);
  std::vector<std::vector<std::size_t>> dependents(count);
  for (std::size_t i = 0; i < count; ++i) {
    for (const std::string& parent : migrations[i].parents) {
      for (std::size_t target : resolve(parent, false)) {
        if (target != i) prerequisites[i].insert(target);
      }
    }
    for (const std::string& dependency : migrations[i].depends_on) {
      for (std::size_t target : resolve(dependency, true)) {
        if (target != i) prerequisites[i].insert(target);
      }
    }
    for (std::size_t target : prerequisites[i]) dependents[target].push_back(i);
  }

  auto later = [&](std::size_t a, std::size_t b) {
    return std::make_pair(sort_key(migrations[a]), a) > std::make_pair(sort_key(migrations[b]), b);
  };
  std::priority_queue<std::size_t, std::vector<std::size_t>, decltype(later)> ready(later);
  std::vector<std::size_t> waiting(count);
  for (std::size_t i = 0; i < count; ++i) {
    waiting[i] = prerequisites[i].size();
    if (waiting[i] == 0) ready.push(i);
  }
  std::vector<std::size_t> order;
  std::vector<bool> placed(count, false);
  while (!ready.empty()) {
    std::size_t next = ready.top();
    ready.pop();
    order.push_back(next);
    placed[next] = true;
    for (std::size_t dependent : dependents[next]) {
      if (--waiting[dependent] == 0) ready.push(dependent);
    }
  }
  std::vector<std::size_t> rest;
  for (std::size_t i = 0; i < count; ++i) {
    if (!placed[i]) rest.push_back(i);
  }
  std::sort(rest.begin(), rest.end(), [&](std::size_t a, std::size_t b) { return later(b, a); });
  order.insert(order.end(), rest.begin(), rest.end());

  std::vector<Migration> sorted;
  sorted.reserve(count);
  for (std::size_t index : order) sorted.push_back(std::move(migrations[index]));
  migrations = std::move(sorted);
}

}  // namespace migsafe::alembic
