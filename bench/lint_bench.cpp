// Linter throughput on a generated corpus (bench/generate_corpus.py), in one process and one run:
//   1. libpg_query parsing alone: pg_query_parse (the tree rendered as JSON, not decoded) over exactly
//      the texts the linter hands to libpg_query. The linter parses a file's statements in chunks of up
//      to 64 KB of SQL (postgres_front_end.cpp), so a corpus file below 64 KB is one parser call on the
//      whole file, as here; the bench counts the files above that size, for which the linter makes
//      several calls instead of one (the same bytes, cut at statement boundaries);
//   2. the parser alone without the JSON rendering: pg_query_raw_parse, the call underneath
//      pg_query_parse, which is what the linter calls (it reads the parser's own tree);
//   3. the full single-threaded lint: load (read, split, parse, map to operations), rules, json reporter.
// Prints statements per second for each and the ratios of the full lint to both (target: <= 1.5x of
// parsing alone, pg_query_parse).
//
// usage: lint_bench CORPUS_DIR [repetitions] [parse|raw|lint]
//   A phase name runs only that phase, once per repetition, and prints nothing: bench/run.sh counts
//   its instructions with callgrind (--toggle-collect on parse_only / full_lint), which unlike wall time
//   is repeatable on a busy machine.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
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
#include "linter/sql/pg_tree.h"

namespace {

using Clock = std::chrono::steady_clock;

constexpr std::size_t kLinterChunkBytes = std::size_t{64} << 10;

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

// libpg_query alone: the parse tree as a JSON string, not decoded. Returns the JSON bytes produced.
std::size_t parse_only(const std::vector<std::string>& texts) {
  std::size_t json_bytes = 0;
  for (const std::string& text : texts) {
    PgQueryParseResult result = pg_query_parse(text.c_str());
    if (result.parse_tree != nullptr) json_bytes += std::strlen(result.parse_tree);
    pg_query_free_parse_result(result);
  }
  return json_bytes;
}

// The parser without the JSON rendering: pg_query_raw_parse in its own memory context, as the linter
// calls it. Returns the number of statements.
std::size_t raw_parse_only(const std::vector<std::string>& texts) {
  std::size_t statements = 0;
  for (const std::string& text : texts) {
    MemoryContext context = pg_query_enter_memory_context();
    PgQueryInternalParsetreeAndError result = pg_query_raw_parse(text.c_str());
    statements += migsafe::pg::nodes(result.tree).size();
    if (result.error != nullptr) pg_query_free_error(result.error);
    std::free(result.stderr_buffer);
    pg_query_exit_memory_context(context);
  }
  return statements;
}

// A stream buffer that counts what is written to it and keeps none of it.
class DiscardingBuffer : public std::streambuf {
 public:
  std::size_t bytes() const { return bytes_; }

 protected:
  std::streamsize xsputn(const char*, std::streamsize count) override {
    bytes_ += static_cast<std::size_t>(count);
    return count;
  }
  int_type overflow(int_type c) override {
    if (!traits_type::eq_int_type(c, traits_type::eof())) ++bytes_;
    return traits_type::not_eof(c);
  }

 private:
  std::size_t bytes_ = 0;
};

std::size_t full_lint(const std::filesystem::path& dir, std::size_t& findings, std::size_t& report_bytes) {
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
    if (all.empty()) {
      all = std::move(found);
    } else {
      all.insert(all.end(), std::make_move_iterator(found.begin()), std::make_move_iterator(found.end()));
    }
  }
  migsafe::ReportContext context;
  context.tool_version = MIGSAFE_VERSION;
  for (const auto& rule : migsafe::RuleRegistry::instance().rules()) {
    if (engine.enabled(*rule)) context.rules.push_back(&rule->info());
  }
  // The report is streamed to a sink that counts and discards the bytes, as `--format json:/dev/null`
  // does: collecting 14 MB in a growing string would measure the string's reallocations instead.
  DiscardingBuffer discarded;
  std::ostream sink(&discarded);
  migsafe::make_reporter("json")->write(all, context, sink);
  report_bytes = discarded.bytes();
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
  std::string phase = argc > 3 ? argv[3] : "";
  if (!phase.empty() && phase != "parse" && phase != "raw" && phase != "lint") {
    std::fprintf(stderr, "lint_bench: unknown phase '%s' (expected parse, raw or lint)\n", phase.c_str());
    return 2;
  }
  std::vector<std::string> texts = read_corpus(dir);
  if (texts.empty()) {
    std::fprintf(stderr, "lint_bench: no .sql files in %s\n", dir.c_str());
    return 2;
  }
  std::size_t sql_bytes = 0, large_files = 0;
  for (const std::string& text : texts) {
    sql_bytes += text.size();
    if (text.size() > kLinterChunkBytes) ++large_files;
  }

  double best_parse = 1e30, best_raw = 1e30, best_lint = 1e30;
  std::size_t json_bytes = 0, parsed = 0, linted = 0, findings = 0, report_bytes = 0;
  if (!phase.empty()) {
    for (int i = 0; i < repetitions; ++i) {
      if (phase == "parse") json_bytes += parse_only(texts);
      if (phase == "raw") parsed += raw_parse_only(texts);
      if (phase == "lint") linted += full_lint(dir, findings, report_bytes);
    }
    return json_bytes + parsed + linted > 0 ? 0 : 1;
  }
  for (int i = 0; i < repetitions; ++i) {
    auto start = Clock::now();
    json_bytes = parse_only(texts);
    best_parse = std::min(best_parse, seconds_since(start));
    start = Clock::now();
    parsed = raw_parse_only(texts);
    best_raw = std::min(best_raw, seconds_since(start));
    start = Clock::now();
    linted = full_lint(dir, findings, report_bytes);
    best_lint = std::min(best_lint, seconds_since(start));
  }
  struct rusage usage {};
  getrusage(RUSAGE_SELF, &usage);
  std::printf("files: %zu, %.1f MB of SQL; libpg_query JSON output: %.1f MB\n", texts.size(), sql_bytes / 1e6,
              json_bytes / 1e6);
  std::printf("one parser call per file, as the linter does for files under 64 KB (%zu larger files: the linter "
              "parses those in several 64 KB calls)\n",
              large_files);
  std::printf("parse only (pg_query_parse):         %zu statements in %.3f s = %.0f statements/s\n", parsed,
              best_parse, parsed / best_parse);
  std::printf("parser without JSON (raw parse):     %zu statements in %.3f s = %.0f statements/s\n", parsed,
              best_raw, parsed / best_raw);
  std::printf("full lint:                           %zu statements in %.3f s = %.0f statements/s (%zu findings, "
              "json reporter: %.1f MB)\n",
              linted, best_lint, linted / best_lint, findings, report_bytes / 1e6);
  std::printf("ratio full lint / parse only: %.2fx (target <= 1.5x)\n", best_lint / best_parse);
  std::printf("ratio full lint / raw parse:  %.2fx\n", best_lint / best_raw);
  std::printf("peak RSS of this process: %.1f MB\n", usage.ru_maxrss / 1024.0);
  return 0;
}
