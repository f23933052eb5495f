// multiple-heads: more than one head revision (unless each is a labelled branch and config allows it).
#include <algorithm>
#include <string>

#include "linter/engine/revision_graph.h"
#include "linter/engine/rule.h"

namespace migsafe {
namespace {

constexpr RuleInfo kInfo{
    .id = "multiple-heads",
    .default_severity = Severity::Error,
    .category = RuleCategory::History,
    .engines = kAllEngines,
    .summary = "More than one head revision makes `alembic upgrade head` fail.",
    .what_it_does =
        "Builds the revision graph (`revision` / `down_revision`) and flags a project with more than one head, "
        "i.e. more than one revision that no other revision names as its parent. The finding lists every head "
        "with its file and points at the last one. Heads are allowed when the configuration sets "
        "`allow-labelled-heads = true` and every head belongs to its own branch (a `branch_labels` entry on it or "
        "on one of its ancestors that no other head shares).",
    .why =
        "Two branches that each add a revision on the same parent merge cleanly in git, because they are "
        "different files, but the history now has two heads: `alembic upgrade head` fails with `Multiple head "
        "revisions are present for given argument 'head'`, so the deploy stops before running any migration.",
    .safe_alternative =
        "Merge the heads with `alembic merge -m \"merge heads\" <head1> <head2>`, which creates an empty revision "
        "with `down_revision = (head1, head2)`. Do not re-point one revision's `down_revision` at the other once "
        "either may have been deployed: a database stamped at one head would skip the other's changes.",
    .bad_example = "# versions/a1_add_email.py\nrevision = 'a1'\ndown_revision = 'f0'\n"
                   "# versions/b2_add_phone.py\nrevision = 'b2'\ndown_revision = 'f0'",
    .good_example = "# versions/c3_merge_heads.py\nrevision = 'c3'\ndown_revision = ('a1', 'b2')",
    .lock = "",
    .versions = "",
    .references = "alembic.md section 2 (How multiple heads arise); pytest-alembic test_single_head_revision",
};

class MultipleHeads final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }

  void check_project(const ProjectContext& context) const override {
    const std::vector<Migration>& migrations = context.project().migrations;
    RevisionGraph graph(migrations);
    if (!graph.is_graph()) return;
    std::vector<std::size_t> heads = graph.heads();
    if (heads.size() < 2) return;
    if (context.settings().allow_labelled_heads && each_head_on_own_branch(graph, heads)) return;

    std::vector<std::size_t> listed = heads;
    std::sort(listed.begin(), listed.end(),
              [&](std::size_t a, std::size_t b) { return migrations[a].id < migrations[b].id; });
    std::string list;
    std::string ids;
    std::vector<std::string> head_files;
    for (std::size_t index : listed) {
      const Migration& head = migrations[index];
      std::string path = head.upgrade.file ? head.upgrade.file->display_path() : std::string("?");
      if (head.upgrade.file) head_files.push_back(path);
      list += (list.empty() ? "" : ", ") + ("`" + head.id + "` (" + path + ")");
      ids += " " + head.id;
    }
    const Migration& anchor = migrations[heads.back()];
    bool alembic = anchor.layout == "alembic";
    std::string message =
        "This history has " + std::to_string(heads.size()) + " head revisions, " + list + ", so " +
        (alembic ? "`alembic upgrade head` fails with `Multiple head revisions are present` and the deploy stops "
                   "before running any migration."
                 : "the runner cannot tell which one is the latest and the deploy stops.");
    std::string help =
        alembic ? "Merge them: `alembic merge -m \"merge heads\"" + ids +
                      "` creates an empty revision whose `down_revision` is the tuple of the heads. Do not re-point "
                      "an existing revision's `down_revision` if it may already be deployed."
                : "Add a migration whose parents are all of" + ids + ", instead of re-parenting one that may be deployed.";
    if (!anchor.upgrade.file) {
      context.report_at(nullptr, {}, message, help, anchor.id, "multiple-heads" + ids, head_files);
      return;
    }
    context.report_at(anchor.upgrade.file, locate_assignment(*anchor.upgrade.file, "down_revision"), message, help,
                      anchor.id, "multiple-heads" + ids, head_files);
  }

 private:
  // Each head carries a branch label (set on it or inherited from an ancestor) that no other head shares.
  static bool each_head_on_own_branch(const RevisionGraph& graph, const std::vector<std::size_t>& heads) {
    std::vector<std::vector<std::string>> labels;
    for (std::size_t head : heads) labels.push_back(graph.effective_labels(head));
    for (std::size_t i = 0; i < heads.size(); ++i) {
      bool own = std::any_of(labels[i].begin(), labels[i].end(), [&](const std::string& label) {
        for (std::size_t j = 0; j < heads.size(); ++j) {
          if (j != i && std::find(labels[j].begin(), labels[j].end(), label) != labels[j].end()) return false;
        }
        return true;
      });
      if (!own) return false;
    }
    return true;
  }
};

MIGSAFE_REGISTER_RULE(MultipleHeads);

}  // namespace
}  // namespace migsafe
