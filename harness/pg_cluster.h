// A private, throw-away PostgreSQL cluster: initdb into a temporary directory, a postmaster that listens
// only on a Unix socket inside that directory, fast shutdown and removal of everything at the end.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "harness/process.h"

namespace migsafe::harness {

struct PgServerBinaries {
  std::filesystem::path bindir;  // contains initdb and postgres
  std::string how_found;         // "--pg-bin", "pg_config --bindir", "/usr/lib/postgresql/15/bin", "PATH"
};

// Finds initdb + postgres: `explicit_bindir` (--pg-bin) when given (and then only there), else
// `pg_config --bindir`, the highest /usr/lib/postgresql/<version>/bin, PATH. nullopt when none has both.
std::optional<PgServerBinaries> find_pg_server_binaries(const std::optional<std::string>& explicit_bindir);

struct PgClusterOptions {
  std::optional<std::string> pg_bin;
  std::filesystem::path temp_parent;  // empty = $TMPDIR or /tmp
  double start_timeout_seconds = 60;
  double stop_timeout_seconds = 10;
  std::function<void(const std::string&)> note;  // progress/explanations (stderr)
};

class PgCluster {
 public:
  // initdb + start + wait until it accepts connections. Throws EnvironmentError with the server's log
  // tail when any of it fails; everything created so far is removed again.
  static std::unique_ptr<PgCluster> start(const PgClusterOptions& options);
  // start() in two halves, so that the caller can do other work (start the Alembic driver) while initdb
  // runs: begin() finds the binaries, creates the directory and spawns initdb; finish() waits for it,
  // starts the server and waits until it accepts connections. Same errors and cleanup as start().
  static std::unique_ptr<PgCluster> begin(const PgClusterOptions& options);
  void finish();
  bool finished() const { return !initdb_; }
  ~PgCluster();  // stop() and remove the directory
  PgCluster(const PgCluster&) = delete;
  PgCluster& operator=(const PgCluster&) = delete;

  // libpq connection string for a database of this cluster.
  std::string conninfo(const std::string& database) const;
  const std::filesystem::path& socket_dir() const { return dir_.path(); }
  const std::filesystem::path& directory() const { return dir_.path(); }
  pid_t server_pid() const { return server_.pid(); }
  const PgServerBinaries& binaries() const { return binaries_; }
  std::string superuser() const { return "postgres"; }
  int port() const { return 5432; }
  std::optional<RunAs> run_as() const { return run_as_; }
  // SIGINT (fast shutdown), then SIGQUIT, then SIGKILL of the process group, each after a deadline.
  void stop();

 private:
  PgCluster(TempDir dir, PgServerBinaries binaries, std::optional<RunAs> run_as, double stop_timeout);
  TempDir dir_;
  PgServerBinaries binaries_;
  std::optional<RunAs> run_as_;
  double stop_timeout_seconds_;
  ChildProcess server_;
  // Between begin() and finish(): the running initdb (killed by its destructor if we give up).
  std::optional<ChildProcess> initdb_;
  Deadline start_deadline_;
  double start_timeout_seconds_ = 60;
};

// Quotes a libpq connection-string value.
std::string conninfo_quote(const std::string& value);

}  // namespace migsafe::harness
