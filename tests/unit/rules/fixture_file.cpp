#include "tests/unit/rules/fixture_file.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <sstream>
#include <tuple>

#include "linter/model/source.h"
#include "linter/util/text.h"

namespace migsafe::testing {

namespace fs = std::filesystem;

namespace {

std::vector<std::string> split(std::string_view text, char separator) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(separator, start);
    if (end == std::string_view::npos) end = text.size();
    parts.push_back(trimmed(text.substr(start, end - start)));
    start = end + 1;
  }
  return parts;
}

std::vector<std::string> split_whitespace(std::string_view text) {
  std::istringstream stream{std::string(text)};
  std::vector<std::string> words;
  for (std::string word; stream >> word;) words.push_back(word);
  return words;
}

std::optional<int> parse_positive(const std::string& text) {
  if (text.empty() || text.size() > 6) return std::nullopt;
  for (char c : text) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
  }
  int value = std::stoi(text);
  return value > 0 ? std::optional<int>(value) : std::nullopt;
}

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && text.compare(0, prefix.size(), prefix) == 0;
}

constexpr std::string_view kHeaderPrefix = "-- migsafe-test:";
constexpr std::string_view kExpectMarker = "-- expect:";

void parse_header_option(FixtureFile& fixture, int line, const std::string& word) {
  auto where = [&] { return fixture.display_path + ":" + std::to_string(line) + ": "; };
  std::size_t equals = word.find('=');
  if (equals == std::string::npos) {
    fixture.errors.push_back(where() + "header option `" + word + "` is not key=value");
    return;
  }
  std::string key = word.substr(0, equals);
  std::string value = word.substr(equals + 1);
  if (key == "dialect") {
    if (auto dialect = parse_dialect(value)) {
      fixture.options.dialect = *dialect;
    } else {
      fixture.errors.push_back(where() + "unknown dialect `" + value + "`");
    }
  } else if (key == "target-version") {
    if (auto version = Version::parse(value)) {
      fixture.options.target_version = *version;
    } else {
      fixture.errors.push_back(where() + "target-version `" + value + "` is not a version");
    }
  } else if (key == "transaction") {
    if (value == "none") {
      fixture.options.transaction = RunnerTransaction::None;
    } else if (value == "per-script") {
      fixture.options.transaction = RunnerTransaction::PerScript;
    } else if (value == "implicit") {
      fixture.options.transaction = RunnerTransaction::ImplicitIfMultiStatement;
    } else {
      fixture.errors.push_back(where() + "transaction must be none, per-script or implicit, not `" + value + "`");
    }
  } else if (key == "lock-timeout-set-by-runner") {
    if (value == "true" || value == "false") {
      fixture.options.lock_timeout_set_by_runner = value == "true";
    } else {
      fixture.errors.push_back(where() + "lock-timeout-set-by-runner must be true or false");
    }
  } else {
    fixture.errors.push_back(where() + "unknown header option `" + key +
                             "` (dialect, target-version, transaction, lock-timeout-set-by-runner)");
  }
}

void parse_expectations(FixtureFile& fixture, int line, std::string_view list) {
  auto where = [&] { return fixture.display_path + ":" + std::to_string(line) + ": "; };
  for (const std::string& item : split(list, ',')) {
    if (item.empty()) {
      fixture.errors.push_back(where() + "empty rule id in `-- expect:`");
      continue;
    }
    ExpectedFinding expected;
    expected.line = line;
    std::size_t at = item.find('@');
    expected.rule_id = trimmed(item.substr(0, at));
    if (at != std::string::npos) {
      expected.column = parse_positive(trimmed(item.substr(at + 1)));
      if (!expected.column) {
        fixture.errors.push_back(where() + "column in `" + item + "` is not a positive number");
        continue;
      }
    }
    bool valid_id = !expected.rule_id.empty() &&
                    std::all_of(expected.rule_id.begin(), expected.rule_id.end(), [](char c) {
                      return std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) ||
                             c == '-';
                    });
    if (!valid_id) {
      fixture.errors.push_back(where() + "`" + item + "` is not a rule id");
      continue;
    }
    fixture.expected.push_back(std::move(expected));
  }
}

}  // namespace

std::vector<fs::path> list_fixture_files(const fs::path& rules_root) {
  std::vector<fs::path> files;
  std::error_code error;
  if (!fs::is_directory(rules_root, error)) return files;
  for (const fs::directory_entry& rule_dir : fs::directory_iterator(rules_root)) {
    if (!rule_dir.is_directory()) continue;
    for (const fs::directory_entry& entry : fs::directory_iterator(rule_dir.path())) {
      // Sub-directories are multi-file fixtures (layouts) run by their own test.
      if (entry.is_regular_file() && entry.path().extension() == ".sql") files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string fixture_test_name(const fs::path& path) {
  std::string name = path.parent_path().filename().string() + "__" + path.stem().string();
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

FixtureFile load_fixture(const fs::path& path) {
  FixtureFile fixture;
  fixture.path = path;
  fixture.rule_id = path.parent_path().filename().string();
  fixture.display_path = "tests/fixtures/rules/" + fixture.rule_id + "/" + path.filename().string();
  std::ifstream stream(path, std::ios::binary);
  if (!stream) {
    fixture.errors.push_back(fixture.display_path + ": cannot be read");
    return fixture;
  }
  std::ostringstream buffer;
  buffer << stream.rdbuf();
  fixture.text = buffer.str();

  // Lines are counted the way SourceFile counts them, so expectations and findings agree.
  SourceFile source(path.string(), fixture.display_path, fixture.text);
  bool in_header = true;
  for (int line = 1; line <= static_cast<int>(source.line_count()); ++line) {
    std::string text(source.line_text(line));
    std::string trimmed = migsafe::trimmed(text);
    if (starts_with(trimmed, kHeaderPrefix)) {
      if (!in_header) {
        fixture.errors.push_back(fixture.display_path + ":" + std::to_string(line) +
                                 ": `-- migsafe-test:` lines belong at the top of the file, before any SQL");
        continue;
      }
      for (const std::string& word : split_whitespace(trimmed.substr(kHeaderPrefix.size()))) {
        parse_header_option(fixture, line, word);
      }
      continue;
    }
    if (!trimmed.empty() && !starts_with(trimmed, "--")) in_header = false;
    std::size_t marker = text.rfind(kExpectMarker);
    if (marker != std::string::npos) {
      parse_expectations(fixture, line, std::string_view(text).substr(marker + kExpectMarker.size()));
    }
  }
  return fixture;
}

std::string compare_findings(const FixtureFile& fixture, const std::vector<Finding>& actual) {
  std::vector<ExpectedFinding> missing;
  std::vector<bool> matched(actual.size(), false);
  // Pinned columns first, so that an unpinned expectation cannot take the finding a pinned one needs.
  std::vector<const ExpectedFinding*> order;
  for (const ExpectedFinding& expected : fixture.expected) order.push_back(&expected);
  std::stable_partition(order.begin(), order.end(), [](const ExpectedFinding* e) { return e->column.has_value(); });
  for (const ExpectedFinding* expected : order) {
    bool found = false;
    for (std::size_t i = 0; i < actual.size() && !found; ++i) {
      if (matched[i] || actual[i].start.line != expected->line || actual[i].rule_id != expected->rule_id) continue;
      if (expected->column && actual[i].start.column != *expected->column) continue;
      matched[i] = true;
      found = true;
    }
    if (!found) missing.push_back(*expected);
  }
  std::sort(missing.begin(), missing.end(), [](const ExpectedFinding& a, const ExpectedFinding& b) {
    return std::tie(a.line, a.rule_id) < std::tie(b.line, b.rule_id);
  });

  SourceFile source(fixture.path.string(), fixture.display_path, fixture.text);
  std::ostringstream diff;
  for (const ExpectedFinding& expected : missing) {
    diff << fixture.display_path << ":" << expected.line << ": expected " << expected.rule_id;
    if (expected.column) diff << " at column " << *expected.column;
    diff << ", not reported\n    | " << source.line_text(expected.line) << "\n";
  }
  for (std::size_t i = 0; i < actual.size(); ++i) {
    if (matched[i]) continue;
    const Finding& finding = actual[i];
    diff << fixture.display_path << ":" << finding.start.line << ":" << finding.start.column << ": unexpected "
         << finding.rule_id << " (" << to_string(finding.severity) << ")\n    | "
         << source.line_text(finding.start.line) << "\n    message: " << finding.message
         << "\n    help: " << finding.help << "\n";
  }
  // Show what was reported at all, which makes a moved line number obvious.
  if (!diff.str().empty()) {
    diff << "all findings reported:\n";
    for (const Finding& finding : actual) {
      diff << "  " << finding.start.line << ":" << finding.start.column << " " << finding.rule_id << ": "
           << finding.message << "\n";
    }
    if (actual.empty()) diff << "  (none)\n";
  }
  return diff.str();
}

}  // namespace migsafe::testing
