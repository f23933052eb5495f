#include "harness/pg_cluster.h"

#include <libpq-fe.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <regex>
#include <thread>

#include "harness/abandoned_dirs.h"

namespace migsafe::harness {
namespace {

bool has_server_binaries(const std::filesystem::path& dir) {
  return access((dir / "initdb").c_str(), X_OK) == 0 && access((dir / "postgres").c_str(), X_OK) == 0;
}

std::string read_command_output(const std::string& command) {
  std::string output;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return output;
  char buffer[512];
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) output += buffer;
  pclose(pipe);
  while (!output.empty() && (output.back() == '\n' || output.back() == '\r')) output.pop_back();
  return output;
}

// "/usr/lib/postgresql/<version>/bin" with the highest numeric version.
std::optional<std::filesystem::path> highest_debian_bindir() {
  std::error_code error;
  std::optional<std::pair<double, std::filesystem::path>> best;
  for (const auto& entry : std::filesystem::directory_iterator("/usr/lib/postgresql", error)) {
    std::string name = entry.path().filename().string();
    char* end = nullptr;
    double version = std::strtod(name.c_str(), &end);
    if (end == name.c_str()) continue;
    auto bindir = entry.path() / "bin";
    if (!has_server_binaries(bindir)) continue;
    if (!best || version > best->first) best = std::make_pair(version, bindir);
  }
  if (best) return best->second;
  return std::nullopt;
}

}  // namespace

std::string conninfo_quote(const std::string& value) {
  std::string quoted = "'";
  for (char c : value) {
    if (c == '\'' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted + "'";
}

std::optional<PgServerBinaries> find_pg_server_binaries(const std::optional<std::string>& explicit_bindir) {
  if (explicit_bindir) {
    if (has_server_binaries(*explicit_bindir)) return PgServerBinaries{*explicit_bindir, "--pg-bin"};
    return std::nullopt;
  }
  if (!find_on_path("pg_config").empty()) {
    std::string bindir = read_command_output("pg_config --bindir 2>/dev/null");
    if (!bindir.empty() && has_server_binaries(bindir)) return PgServerBinaries{bindir, "pg_config --bindir"};
  }
  if (auto debian = highest_debian_bindir()) return PgServerBinaries{*debian, debian->string()};
  auto initdb = find_on_path("initdb");
  if (!initdb.empty() && has_server_binaries(initdb.parent_path())) {
    return PgServerBinaries{initdb.parent_path(), "PATH"};
  }
  return std::nullopt;
}

PgCluster::PgCluster(TempDir dir, PgServerBinaries binaries, std::optional<RunAs> run_as, double stop_timeout)
    : dir_(std::move(dir)), binaries_(std::move(binaries)), run_as_(std::move(run_as)),
      stop_timeout_seconds_(stop_timeout) {}

std::unique_ptr<PgCluster> PgCluster::start(const PgClusterOptions& options) {
  auto cluster = begin(options);
  cluster->finish();
  return cluster;
}

std::unique_ptr<PgCluster> PgCluster::begin(const PgClusterOptions& options) {
  auto binaries = find_pg_server_binaries(options.pg_bin);
  if (!binaries) {
    if (options.pg_bin) {
      throw EnvironmentError("--pg-bin " + *options.pg_bin +
                             ": no executable initdb and postgres in that directory");
    }
    throw EnvironmentError(
        "no PostgreSQL server binaries found (looked at `pg_config --bindir`, /usr/lib/postgresql/*/bin and "
        "PATH); install the postgresql server package, pass --pg-bin DIR, or use --database-url");
  }
  auto run_as = unprivileged_account_for_server();
  TempDir dir = create_owned_temp_dir("migsafe-pg-", options.temp_parent);
  // The socket path must fit in sockaddr_un.sun_path (107 bytes on Linux).
  std::string socket_path = (dir.path() / ".s.PGSQL.5432").string();
  if (socket_path.size() >= sizeof(sockaddr_un{}.sun_path)) {
    throw EnvironmentError("the temporary directory path " + dir.path().string() +
                           " is too long for a Unix socket (" + std::to_string(socket_path.size()) +
                           " bytes); set TMPDIR to a shorter directory");
  }
  if (run_as) {
    dir.chown_to(*run_as);
    if (options.note) {
      options.note("running as root: the throw-away PostgreSQL server runs as system user '" + run_as->user + "'");
    }
  }
  std::unique_ptr<PgCluster> cluster(
      new PgCluster(std::move(dir), *binaries, run_as, options.stop_timeout_seconds));
  auto data = cluster->dir_.path() / "data";
  cluster->start_timeout_seconds_ = options.start_timeout_seconds;
  cluster->start_deadline_ = Deadline::after_seconds(options.start_timeout_seconds);

  SpawnOptions initdb;
  initdb.argv = {(binaries->bindir / "initdb").string(), "-D", data.string(), "-A", "trust", "--no-sync",
                 "-E", "UTF8", "--locale=C", "-U", "postgres"};
  initdb.output_file = cluster->dir_.path() / "initdb.log";
  initdb.run_as = run_as;
  initdb.cwd = cluster->dir_.path();
  cluster->initdb_ = ChildProcess::spawn(initdb);
  return cluster;
}

void PgCluster::finish() {
  if (!initdb_) return;
  const PgServerBinaries* binaries = &binaries_;
  const auto& run_as = run_as_;
  PgCluster* cluster = this;
  auto data = dir_.path() / "data";
  auto log = dir_.path() / "server.log";
  Deadline deadline = start_deadline_;
  if (!initdb_->wait_until(deadline, true)) {
    initdb_->kill_and_reap();
    initdb_.reset();
    throw EnvironmentError("initdb did not finish in time");
  }
  int status = *initdb_->status();
  initdb_.reset();
  if (!exited_successfully(status)) {
    throw EnvironmentError("initdb (" + binaries->bindir.string() + ") " + describe_exit(status) + ":\n" +
                           tail_of_file(dir_.path() / "initdb.log"));
  }

  SpawnOptions server;
  server.argv = {(binaries->bindir / "postgres").string(),
                 "-D", data.string(),
                 "-c", "listen_addresses=",
                 "-k", cluster->dir_.path().string(),
                 "-p", "5432",
                 "-c", "fsync=off",
                 "-c", "full_page_writes=off",
                 "-c", "synchronous_commit=off",
                 // A throw-away cluster: no WAL beyond crash recovery, no autovacuum or checkpoints during
                 // the run, and a small buffer pool that starts fast (docs/harness.md, "Speed").
                 "-c", "wal_level=minimal",
                 "-c", "max_wal_senders=0",
                 "-c", "autovacuum=off",
                 "-c", "checkpoint_timeout=1h",
                 "-c", "max_wal_size=4GB",
                 "-c", "shared_buffers=32MB",
                 "-c", "jit=off",
                 "-c", "unix_socket_permissions=0700",
                 "-c", "max_connections=20",
                 "-c", "logging_collector=off"};
  server.output_file = log;
  server.run_as = run_as;
  server.cwd = cluster->dir_.path();
  // If we are killed outright, SIGQUIT makes the postmaster stop its backends and exit immediately.
  server.death_signal = SIGQUIT;
  cluster->server_ = ChildProcess::spawn(server);

  std::string conninfo = cluster->conninfo("postgres");
  while (true) {
    throw_if_interrupted();
    if (!cluster->server_.running()) {
      throw EnvironmentError("the PostgreSQL server (" + binaries->bindir.string() + "/postgres) " +
                             describe_exit(*cluster->server_.status()) + " during startup:\n" + tail_of_file(log));
    }
    if (PQping(conninfo.c_str()) == PQPING_OK) break;
    if (deadline.expired()) {
      throw EnvironmentError("the PostgreSQL server did not accept connections within " +
                             std::to_string(static_cast<int>(start_timeout_seconds_)) + " s:\n" +
                             tail_of_file(log));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

std::string PgCluster::conninfo(const std::string& database) const {
  return "host=" + conninfo_quote(dir_.path().string()) + " port=5432 user=postgres dbname=" +
         conninfo_quote(database) + " connect_timeout=10 application_name=migsafe";
}

void PgCluster::stop() {
  if (server_.pid() <= 0 || !server_.running()) return;
  // Never interruptible: this is the cleanup that a second Ctrl-C must not skip.
  server_.signal(SIGINT);
  if (server_.wait_until(Deadline::after_seconds(stop_timeout_seconds_), false)) return;
  server_.signal(SIGQUIT);
  if (server_.wait_until(Deadline::after_seconds(5), false)) return;
  server_.kill_and_reap();
}

PgCluster::~PgCluster() {
  stop();
  // Backends are children of the postmaster; after it exits they are gone. The group kill catches
  // anything left (e.g. a postmaster killed by SIGKILL leaves its backends).
  server_.kill_and_reap();
}

}  // namespace migsafe::harness
