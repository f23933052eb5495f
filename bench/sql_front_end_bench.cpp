// PostgreSQL front end on one large file: time and memory of parse_postgres_script (parse, map to
// operations, suppressions) for growing sizes, to show it is linear, plus the recovery paths (one bad
// statement in the middle: every statement parsed on its own; an unterminated string near the end).
//
// usage: sql_front_end_bench CORPUS_DIR [megabytes=50]
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "linter/sql/postgres_front_end.h"

namespace {

std::string read_corpus(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> paths;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".sql") paths.push_back(entry.path());
  }
  std::sort(paths.begin(), paths.end());
  std::string all;
  for (const auto& path : paths) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    all += buffer.str();
    all += "\n";
  }
  return all;
}

// Cuts at a statement boundary (the last ";\n" before `size`) so the text stays valid SQL.
std::string prefix(const std::string& text, std::size_t size) {
  std::size_t cut = text.rfind(";\n", std::min(size, text.size()));
  return text.substr(0, cut == std::string::npos ? text.size() : cut + 2);
}

double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

// Wall time depends on what else runs on the machine; CPU time (user + system) is what scales with input.
void measure(const char* label, std::string text) {
  auto file = std::make_shared<migsafe::SourceFile>("bench.sql", "bench.sql", std::move(text));
  double cpu_start = cpu_seconds();
  auto start = std::chrono::steady_clock::now();
  migsafe::SqlScriptResult result = migsafe::parse_postgres_script(file, {0, file->text().size()});
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  double cpu = cpu_seconds() - cpu_start;
  std::size_t errors = 0;
  std::size_t operations = 0;
  for (const migsafe::Statement& statement : result.statements) {
    errors += statement.error ? 1 : 0;
    operations += statement.operations.size();
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  double megabytes = static_cast<double>(file->text().size()) / (1024.0 * 1024.0);
  std::printf("%-32s %5.1f MB %7zu statements %7zu operations %4zu errors  wall %6.2f s  cpu %6.2f s  "
              "%5.1f MB/cpu-s  peak RSS %ld MB\n",
              label, megabytes, result.statements.size(), operations, errors, seconds, cpu, megabytes / cpu,
              usage.ru_maxrss / 1024);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s CORPUS_DIR [megabytes]\n", argv[0]);
    return 2;
  }
  std::size_t target = (argc > 2 ? std::stoul(argv[2]) : 50) * 1024 * 1024;
  std::string corpus = read_corpus(argv[1]);
  if (corpus.empty()) {
    std::fprintf(stderr, "no .sql files in %s\n", argv[1]);
    return 2;
  }
  std::string big;
  while (big.size() < target) big += corpus;
  big = prefix(big, target);

  measure("valid, 1/4 size", prefix(big, target / 4));
  measure("valid, 1/2 size", prefix(big, target / 2));
  measure("valid, full size", big);

  std::string bad = big;
  bad.insert(prefix(bad, bad.size() / 2).size(), "SELEC 1;\n");
  measure("one bad statement in the middle", bad);

  // A dollar quote whose tag appears nowhere else: it swallows the last quarter of the file.
  std::string unterminated = big;
  unterminated.insert(prefix(unterminated, unterminated.size() * 3 / 4).size(), "SELECT $never$ closed;\n");
  measure("unterminated quote at 3/4", unterminated);
  return 0;
}
