// A throw-away database the harness migrates, and the engines that create them. Implementations:
// SQLite (a file per database in a private temp directory) and PostgreSQL (a private cluster or a
// server given by --database-url, a randomly named database per run).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "harness/errors.h"
#include "harness/schema.h"
#include "linter/model/migration.h"

namespace migsafe::harness {

// Why a step failed, and where in the script when the engine says so.
struct StepFailure {
  std::string message;
  std::optional<ByteRange> statement;  // into the script's SourceFile
  bool timed_out = false;
};

using Row = std::vector<std::optional<std::string>>;

struct ScriptObservation;  // harness/trace.h

class Database {
 public:
  virtual ~Database() = default;
  // Runs a migration script the way its layout's runner would (Script::runner). Failures are results,
  // not exceptions; Interrupted propagates.
  virtual std::optional<StepFailure> run_script(const Script& script, const Deadline& deadline) = 0;
  // --trace: runs the script as run_script does and records, after every statement, the locks held,
  // the relfilenodes and the server's notices. Engines that cannot trace throw EnvironmentError.
  virtual std::optional<StepFailure> run_script_traced(const Script& script, const Deadline& deadline,
                                                       ScriptObservation& observation);
  virtual Schema snapshot() = 0;
  // One harness-generated SQL statement (data generation); returns the error text on failure.
  virtual std::optional<std::string> execute(const std::string& sql) = 0;
  virtual std::vector<Row> query(const std::string& sql) = 0;
  // A SQLAlchemy URL for the Alembic driver (contains credentials: never print it; use display_name()).
  virtual std::string sqlalchemy_url() const = 0;
  virtual std::string display_name() const = 0;
  // Quotes an identifier for this engine.
  virtual std::string quote_identifier(const std::string& name) const;
  virtual std::string quote_literal(const std::string& value) const;
};

class Engine {
 public:
  virtual ~Engine() = default;
  virtual std::string name() const = 0;  // "sqlite", "postgresql"
  // Where the databases live, for the output ("private cluster in /tmp/migsafe-pg-x (PostgreSQL 15)").
  virtual std::string describe() const = 0;
  // A new, empty database (the previous one of this engine may still exist).
  virtual std::unique_ptr<Database> create_database() = 0;
  // A new database with the same content as `source` (PostgreSQL: CREATE DATABASE ... TEMPLATE; SQLite:
  // the backup API), or nullptr when the copy cannot be made (then the caller replays migrations).
  // `source` stays usable.
  virtual std::unique_ptr<Database> copy_database(Database& source) { return nullptr; }
  // PostgreSQL's server_version_num (150018); 0 for other engines.
  virtual int server_version() const { return 0; }

  // Clients that keep connections to the engine's databases between steps (the Alembic driver) register
  // how to close them; the engine calls it before an operation that needs a database nobody is
  // connected to (PostgreSQL: CREATE DATABASE ... TEMPLATE, DROP DATABASE). Must not throw.
  void set_connection_releaser(std::function<void()> release) { release_connections_ = std::move(release); }

 protected:
  void release_client_connections() {
    if (release_connections_) release_connections_();
  }

 private:
  std::function<void()> release_connections_;
};

struct EngineOptions {
  std::string engine = "sqlite";             // "sqlite" | "postgresql"
  std::optional<std::string> database_url;   // use this server instead of a private cluster
  std::optional<std::string> pg_bin;
  std::optional<double> step_timeout_seconds;
  std::function<void(const std::string&)> note;
};

std::unique_ptr<Engine> make_sqlite_engine(const EngineOptions& options);
std::unique_ptr<Engine> make_postgres_engine(const EngineOptions& options);

// The statements of a script's region: the front end's when it parsed them, else split here.
struct StatementSpan {
  ByteRange range;  // into the script's file text
};
std::vector<StatementSpan> split_statements_postgres(const Script& script);

}  // namespace migsafe::harness
