// Round-trip harness speed, through the harness's own API (what `migsafe roundtrip` and `check` run):
//   1. a private PostgreSQL cluster from nothing to accepting connections (initdb + start + ready),
//      median of N start/stop cycles, and the stop + removal time (target: ready in under 2 s);
//   2. the full stairway (upgrade, snapshot, downgrade, snapshot, upgrade, snapshot per revision, then
//      the chain) over an Alembic project from bench/generate_alembic_project.py, on SQLite and on
//      PostgreSQL, engine start and cleanup included (target: under 15 s on 2 cores).
//
// usage: harness_bench ALEMBIC_PROJECT_DIR [cycles] [--pg-bin DIR]
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "harness/errors.h"
#include "harness/pg_cluster.h"
#include "harness/roundtrip_command.h"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// CPU seconds (user + system) of this process and of its waited-for children (the Python driver, the
// postmaster and, through it, its backends). On a shared machine wall time depends on the load; this
// does not.
double cpu_seconds() {
  double total = 0;
  for (int who : {RUSAGE_SELF, RUSAGE_CHILDREN}) {
    rusage usage{};
    getrusage(who, &usage);
    total += usage.ru_utime.tv_sec + usage.ru_stime.tv_sec + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
  }
  return total;
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

void bench_cluster(int cycles, const std::optional<std::string>& pg_bin) {
  std::vector<double> ready, stopped, cpu;
  for (int i = 0; i < cycles; ++i) {
    migsafe::harness::PgClusterOptions options;
    options.pg_bin = pg_bin;
    auto start = Clock::now();
    double cpu_start = cpu_seconds();
    auto cluster = migsafe::harness::PgCluster::start(options);
    ready.push_back(seconds_since(start));
    cpu.push_back(cpu_seconds() - cpu_start);  // initdb (waited for); the postmaster counts after stop
    start = Clock::now();
    cluster.reset();  // stop + remove the directory
    stopped.push_back(seconds_since(start));
  }
  std::printf("postgresql cluster: ready in %.3f s (median of %d; min %.3f, max %.3f; initdb CPU %.3f s), "
              "stop+remove %.3f s\n",
              median(ready), cycles, *std::min_element(ready.begin(), ready.end()),
              *std::max_element(ready.begin(), ready.end()), median(cpu), median(stopped));
}

void bench_stairway(const std::string& project, const std::string& engine, const std::optional<std::string>& pg_bin,
                    migsafe::harness::CheckpointPolicy checkpoints = migsafe::harness::CheckpointPolicy::AfterFirstFailure) {
  migsafe::harness::RoundtripCommandOptions options;
  options.project = project;
  options.engine = engine;
  options.engine_given = true;
  options.pg_bin = pg_bin;
  options.progress = false;
  options.checkpoints = checkpoints;
  auto start = Clock::now();
  double cpu_start = cpu_seconds();
  auto run = migsafe::harness::execute_roundtrip(options, [](const std::string&) {}, std::cerr);
  double elapsed = seconds_since(start);
  double cpu = cpu_seconds() - cpu_start;
  std::size_t steps = 0, copies = 0;
  double upgrade_seconds = 0, copy_seconds = 0;
  std::size_t upgrades = 0;
  for (const auto& report : run.reports) {
    steps += report.steps.size();
    copies += report.checkpoints;
    copy_seconds += report.checkpoint_seconds;
    for (const auto& step : report.steps) {
      if (step.step == "upgrade") {
        upgrade_seconds += step.seconds;
        ++upgrades;
      }
    }
  }
  std::printf("stairway on %-10s: %.2f s wall, %.2f s CPU (all processes) for %zu migrations, %zu steps "
              "(each with a snapshot), %zu finding(s)%s\n",
              engine.c_str(), elapsed, cpu, run.migrations, steps, run.findings.size(),
              checkpoints == migsafe::harness::CheckpointPolicy::Always ? ", a checkpoint copy after every step" : "");
  if (checkpoints == migsafe::harness::CheckpointPolicy::Always) {
    std::printf("  %zu copies, %.1f ms each on average; an upgrade step (what a replay repeats) %.1f ms on average\n",
                copies, copies ? copy_seconds / copies * 1000 : 0.0, upgrades ? upgrade_seconds / upgrades * 1000 : 0.0);
  }
  for (const auto& finding : run.findings) std::printf("  unexpected finding: %s\n", finding.message.c_str());
}

}  // namespace

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // each number as soon as it is measured, also into a pipe
  std::vector<std::string> args(argv + 1, argv + argc);
  std::optional<std::string> pg_bin;
  std::vector<std::string> positional;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--pg-bin" && i + 1 < args.size()) {
      pg_bin = args[++i];
    } else {
      positional.push_back(args[i]);
    }
  }
  if (positional.empty()) {
    std::cerr << "usage: harness_bench ALEMBIC_PROJECT_DIR [cycles] [--pg-bin DIR]\n";
    return 2;
  }
  int cycles = positional.size() > 1 ? std::max(1, std::stoi(positional[1])) : 5;
  migsafe::harness::InterruptGuard interrupts;  // Ctrl-C still removes the clusters
  try {
    bench_cluster(cycles, pg_bin);
    bench_stairway(positional[0], "sqlite", pg_bin);
    bench_stairway(positional[0], "postgresql", pg_bin);
    // Checkpoint copies after every good step (the alternative to replaying after a failure): the extra
    // time over the runs above divided by the copies is what one copy costs (docs/harness.md).
    bench_stairway(positional[0], "sqlite", pg_bin, migsafe::harness::CheckpointPolicy::Always);
    bench_stairway(positional[0], "postgresql", pg_bin, migsafe::harness::CheckpointPolicy::Always);
  } catch (const std::exception& error) {
    std::cerr << "harness_bench: " << error.what() << "\n";
    return 3;
  }
  return 0;
}
