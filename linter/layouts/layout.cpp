#include "linter/layouts/layout.h"

#include <algorithm>

namespace migsafe {

Project Layout::load_file(const SourceFilePtr& file, const LayoutOptions& options) const {
  Project project;
  project.layout = std::string(name());
  project.dialect = options.dialect;
  FileProblem problem;
  problem.file = file;
  problem.path = file ? file->display_path() : std::string();
  problem.message = "The " + std::string(name()) + " layout spans several files, so " + problem.path +
                    " cannot be checked on its own.";
  problem.help = "Lint the project's directory instead of a single file.";
  project.problems.push_back(std::move(problem));
  return project;
}

LayoutRegistry& LayoutRegistry::instance() {
  static LayoutRegistry registry;
  return registry;
}

void LayoutRegistry::add(std::unique_ptr<Layout> layout) {
  // Kept sorted by name: static registration order differs between builds, and detection ties must not.
  auto position = std::lower_bound(layouts_.begin(), layouts_.end(), layout->name(),
                                   [](const std::unique_ptr<Layout>& l, std::string_view n) { return l->name() < n; });
  layouts_.insert(position, std::move(layout));
}

const Layout* LayoutRegistry::find(std::string_view name) const {
  for (const auto& layout : layouts_) {
    if (layout->name() == name) return layout.get();
  }
  return nullptr;
}

const Layout* LayoutRegistry::detect(const std::filesystem::path& dir, int* score) const {
  const Layout* best = nullptr;
  int best_score = 0;
  for (const auto& layout : layouts_) {
    int s = layout->detect(dir);
    if (s > best_score) {
      best = layout.get();
      best_score = s;
    }
  }
  if (score) *score = best_score;
  return best;
}

const Layout* LayoutRegistry::detect_file(std::string_view filename, std::string_view text) const {
  const Layout* best = nullptr;
  int best_score = 0;
  for (const auto& layout : layouts_) {
    int s = layout->detect_file(filename, text);
    if (s > best_score) {
      best = layout.get();
      best_score = s;
    }
  }
  return best;
}

}  // namespace migsafe
