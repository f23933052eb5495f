// dbmate: one file per migration, `<version>_<name>.sql`, holding a `-- migrate:up` section and usually a
// `-- migrate:down` section. Each section runs in its own transaction unless its marker line carries
// `transaction:false`.
#include <fstream>
#include <map>
#include <optional>
#include <cctype>

#include "linter/layouts/layout_support.h"

namespace migsafe {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kName = "dbmate";

// `<digits>_<name>.sql`: version and name.
std::optional<std::pair<std::string, std::string>> parse_name(const std::string& file) {
  std::string_view text = file;
  std::size_t digits = leading_digits(text);
  if (digits == 0 || digits >= text.size() || text[digits] != '_' || !ends_with(text, ".sql")) return std::nullopt;
  if (text.size() < digits + 1 + 4) return std::nullopt;
  return std::pair{std::string(text.substr(0, digits)), std::string(text.substr(digits + 1, text.size() - digits - 5))};
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v' || c == '\n'; }
bool is_word(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }

// Whether the options after `migrate:up` contain the word `transaction:false`.
bool disables_transaction(std::string_view options) {
  constexpr std::string_view kOption = "transaction:false";
  for (std::size_t at = options.find(kOption); at != std::string_view::npos; at = options.find(kOption, at + 1)) {
    bool starts_word = at == 0 || is_space(options[at - 1]);
    std::size_t end = at + kOption.size();
    if (starts_word && (end == options.size() || is_space(options[end]))) return true;
  }
  return false;
}

struct Marker {
  bool up = true;
  TextLine line;
  bool transaction = true;
};

// Marker lines as dbmate reads them: `--` at the start of a line, optional spaces, `migrate:up|down`,
// then options such as `transaction:false`.
std::vector<Marker> find_markers(std::string_view text) {
  std::vector<Marker> markers;
  for (const TextLine& line : split_lines(text, 0, text.size())) {
    std::string_view content = line.text;
    if (content.rfind("--", 0) != 0) continue;
    content.remove_prefix(2);
    while (!content.empty() && is_space(content.front())) content.remove_prefix(1);
    if (content.rfind("migrate:", 0) != 0) continue;
    content.remove_prefix(8);
    bool up = content.rfind("up", 0) == 0;
    if (!up && content.rfind("down", 0) != 0) continue;
    content.remove_prefix(up ? 2 : 4);
    if (!content.empty() && is_word(content.front())) continue;  // `migrate:upgrade` is not a marker
    markers.push_back(Marker{up, line, !disables_transaction(content)});
  }
  return markers;
}

bool has_up_marker(std::string_view text) {
  for (const Marker& marker : find_markers(text)) {
    if (marker.up) return true;
  }
  return false;
}

std::string read_head(const fs::path& path) {
  std::ifstream stream(path, std::ios::binary);
  std::string head(8192, '\0');
  stream.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(stream.gcount()));
  return head;
}

Migration load_migration(const SourceFilePtr& file, bool readable, std::string version, std::string name,
                         const LayoutOptions& options, Project& project) {
  RunnerTransaction runner = runner_for_layout(kName, RunnerTransaction::PerScript, options);
  const std::string& text = file->text();
  std::vector<Marker> markers = find_markers(text);
  const Marker* up = nullptr;
  const Marker* down = nullptr;
  for (const Marker& marker : markers) {
    const Marker*& slot = marker.up ? up : down;
    if (slot) {
      project.problems.push_back(file_problem(
          file, file->display_path(), ByteRange{marker.line.begin, marker.line.end},
          file->display_path() + " has a second `-- migrate:" + (marker.up ? "up" : "down") +
              "` line; dbmate splits the file at the first one, so this section is read as part of the previous one.",
          "Keep one `-- migrate:up` and one `-- migrate:down` section per migration file."));
      continue;
    }
    slot = &marker;
  }
  // A section runs from the end of its marker line to the next marker of the other kind (or the end).
  auto section = [&](const Marker& marker) {
    std::size_t end = text.size();
    for (const Marker& other : markers) {
      if (other.line.begin > marker.line.begin && other.up != marker.up) end = std::min(end, other.line.begin);
    }
    return ByteRange{marker.line.next, std::max(end, marker.line.next)};
  };
  auto section_runner = [&](const Marker& marker) { return marker.transaction ? runner : RunnerTransaction::None; };
  // A file-wide `-- migsafe:transaction` comment stands before the first marker line.
  ByteRange file_head{0, markers.empty() ? text.size() : markers.front().line.begin};

  Migration migration;
  migration.id = std::move(version);
  migration.name = std::move(name);
  migration.layout = std::string(kName);
  migration.downgrade_anchor_file = file;
  migration.downgrade_anchor = first_line(file);
  if (!up) {
    if (readable) {
      project.problems.push_back(file_problem(
          file, file->display_path(), first_line(file),
          file->display_path() + " has no `-- migrate:up` line; dbmate refuses to apply it (\"dbmate requires each "
                                 "migration to define an up block\").",
          "Start the migration with a `-- migrate:up` line, and put the rollback after `-- migrate:down`."));
    }
    migration.upgrade = build_script(file, ByteRange{0, 0}, runner, project);
    return migration;
  }
  migration.upgrade = build_script(file, section(*up), section_runner(*up), project, file_head);
  if (!down) {
    migration.downgrade_state = DowngradeState::Missing;
    return migration;
  }
  if (down->line.begin < up->line.begin) {
    project.problems.push_back(file_problem(
        file, file->display_path(), ByteRange{down->line.begin, down->line.end},
        file->display_path() + " has its `-- migrate:down` section before `-- migrate:up`; dbmate requires the up "
                               "section first.",
        "Move the `-- migrate:down` section after the `-- migrate:up` section."));
  }
  migration.downgrade = build_script(file, section(*down), section_runner(*down), project, file_head);
  if (script_is_empty(*migration.downgrade)) {
    migration.downgrade_state = DowngradeState::Empty;
    migration.downgrade_anchor = ByteRange{down->line.begin, down->line.end};
  } else {
    migration.downgrade_state = DowngradeState::Present;
  }
  return migration;
}

class DbmateLayout final : public Layout {
 public:
  std::string_view name() const override { return kName; }

  int detect(const fs::path& dir) const override {
    return score_sql_files(dir, 25, [&dir](const std::string& file) {
      return parse_name(file) && has_up_marker(read_head(dir / file));
    });
  }

  int detect_file(std::string_view, std::string_view text) const override { return has_up_marker(text) ? 70 : 0; }

  Project load(const fs::path& dir, const LayoutOptions& options) const override {
    Project project;
    project.root = dir.string();
    project.layout = std::string(kName);
    project.dialect = options.dialect;
    struct Entry {
      fs::path path;
      std::string version, name;
    };
    struct DecimalLess {
      bool operator()(const std::string& a, const std::string& b) const { return compare_decimal(a, b) < 0; }
    };
    std::map<std::string, Entry, DecimalLess> versions;
    for (const fs::path& path : project_files(dir, LayoutScope::Directory, options, project)) {
      auto parsed = parse_name(file_name(path));
      if (!parsed) continue;
      auto [it, inserted] = versions.emplace(parsed->first, Entry{path, parsed->first, parsed->second});
      if (!inserted) {
        std::string display = display_path(path, options.display_root);
        project.problems.push_back(file_problem(
            nullptr, display, {},
            display + " has the same version as " + display_path(it->second.path, options.display_root) +
                "; dbmate applies only one migration per version.",
            "Give one of the migrations a new, higher version (dbmate uses a timestamp).", "broken-revision-graph"));
      }
    }
    for (auto& [key, entry] : versions) {
      ReadSource source = read_for_project(entry.path, options, project);
      project.migrations.push_back(load_migration(source.file, source.readable, entry.version, entry.name, options, project));
    }
    chain_parents(project.migrations);
    return project;
  }

  Project load_file(const SourceFilePtr& file, const LayoutOptions& options) const override {
    Project project;
    fs::path path(file->path());
    project.root = path.parent_path().string();
    project.layout = std::string(kName);
    project.dialect = options.dialect;
    auto parsed = parse_name(file_name(path));
    project.migrations.push_back(load_migration(file, true, parsed ? parsed->first : "",
                                                parsed ? parsed->second : path.stem().string(), options, project));
    return project;
  }
};

MIGSAFE_REGISTER_LAYOUT(DbmateLayout);

}  // namespace
}  // namespace migsafe
