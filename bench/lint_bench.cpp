// Linter throughput on a generated corpus (bench/generate_corpus.py), in one process and one run:
//   1. libpg_query parsing alone (pg_query_parse_protobuf + unpack, the floor for any front end);
//   2. the full single-threaded lint: load (read, parse, map to operations), rules, json reporter.
// Prints statements per second for both and their ratio (target: full lint within 1.5x of parsing).
//
// usage: lint_bench CORPUS_DIR [repetitions]
#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "linter/engine/engine.h"
#include "linter/engine/rule.h"
#include "linter/layouts/loader.h"
#include "linter/report/reporter.h"

namespace {

using Clock = std::chrono::steady_clock;

std::vector<std::string> read_corpus(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> paths;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".sql") paths.push_back(entry.path());
  }
  std::sort(paths.begin(), paths.end());
  std::vector<std::string> texts;
  for (const auto& path : paths) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    texts.push_back(buffer.str());
  }
  return texts;
}

// Returns the number of statements parsed.
std::size_t parse_only(const std::vector<std::string>& texts) {
  std::size_t statements = 0;
  for (const std::string& text : texts) {
    PgQueryProtobufParseResult result = pg_query_parse_protobuf(text.c_str());
    if (!result.error) {
      PgQuery__ParseResult* tree = pg_query__parse_result__unpack(
          nullptr, result.parse_tree.len, reinterpret_cast<const uint8_t*>(result.parse_tree.data));
      if (tree) {
        statements += tree->n_stmts;
        pg_query__parse_result__free_unpacked(tree, nullptr);
      }
    }
    pg_query_free_protobuf_parse_result(result);
  }
  return statements;
}

// The same, through libpg_query's JSON output (the parse tree as a JSON string, not decoded).
void parse_only_json(const std::vector<std::string>& texts) {
  for (const std::string& text : texts) {
    PgQueryParseResult result = pg_query_parse(text.c_str());
    pg_query_free_parse_result(result);
  }
}

std::size_t full_lint(const std::filesystem::path& dir, std::size_t& findings) {
  migsafe::LoadRequest request;
  request.paths = {dir.string()};
  request.layout = "plain";
  request.options.display_root = dir;
  migsafe::LoadResult loaded = migsafe::load_projects(request);
  std::size_t statements = 0;
  migsafe::LintSettings settings;
  migsafe::Engine engine(settings);
  std::vector<migsafe::Finding> all;
  for (const migsafe::Project& project : loaded.projects) {
    for (const auto& migration : project.migrations) statements += migration.upgrade.statements.size();
    std::vector<migsafe::Finding> found = engine.run(project);
    all.insert(all.end(), std::make_move_iterator(found.begin()), std::make_move_iterator(found.end()));
  }
  migsafe::ReportContext context;
  context.tool_version = MIGSAFE_VERSION;
  for (const auto& rule : migsafe::RuleRegistry::instance().rules()) {
    if (engine.enabled(*rule)) context.rules.push_back(&rule->info());
  }
  std::ostringstream sink;
  migsafe::make_reporter("json")->write(all, context, sink);
  findings = all.size();
  return statements;
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: lint_bench CORPUS_DIR [repetitions]\n");
    return 2;
  }
  std::filesystem::path dir = argv[1];
  int repetitions = argc > 2 ? std::max(1, std::atoi(argv[2])) : 3;
  std::vector<std::string> texts = read_corpus(dir);
  if (texts.empty()) {
    std::fprintf(stderr, "lint_bench: no .sql files in %s\n", dir.c_str());
    return 2;
  }

  double best_parse = 1e30, best_lint = 1e30, best_json = 1e30;
  std::size_t parsed = 0, linted = 0, findings = 0;
  for (int i = 0; i < repetitions; ++i) {
    auto start = Clock::now();
    parsed = parse_only(texts);
    best_parse = std::min(best_parse, seconds_since(start));
    start = Clock::now();
    parse_only_json(texts);
    best_json = std::min(best_json, seconds_since(start));
    start = Clock::now();
    linted = full_lint(dir, findings);
    best_lint = std::min(best_lint, seconds_since(start));
  }
  struct rusage usage {};
  getrusage(RUSAGE_SELF, &usage);
  std::printf("files: %zu\n", texts.size());
  std::printf("parse only:  %zu statements in %.3f s = %.0f statements/s\n", parsed, best_parse, parsed / best_parse);
  std::printf("parse only (JSON output, undecoded): %.3f s = %.0f statements/s\n", best_json, parsed / best_json);
  std::printf("full lint:   %zu statements in %.3f s = %.0f statements/s (%zu findings, json reporter)\n", linted,
              best_lint, linted / best_lint, findings);
  std::printf("ratio full lint / parse only: %.2fx protobuf, %.2fx JSON (target <= 1.5x)\n", best_lint / best_parse,
              best_lint / best_json);
  std::printf("peak RSS of this process: %.1f MB\n", usage.ru_maxrss / 1024.0);
  return 0;
}
