// PostgreSQL engine: a private cluster (PgCluster) or a server given by --database-url. Every database
// the harness creates is named migsafe_rt_<random>, is the only database it reads or writes, and is
// dropped again when it is no longer needed.
#include <pg_query.h>

#include <chrono>
#include <cstdio>
#include <random>

#include "harness/database.h"
#include "harness/pg_cluster.h"
#include "harness/pg_connection.h"
#include "harness/pg_snapshot.h"
#include "harness/trace.h"
#include "harness/url.h"

namespace migsafe::harness {
namespace {

std::string random_database_name() {
  static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::random_device device;
  std::mt19937_64 generator(device());
  std::uniform_int_distribution<int> pick(0, sizeof alphabet - 2);
  std::string name = "migsafe_rt_";
  for (int i = 0; i < 12; ++i) name += alphabet[pick(generator)];
  return name;
}

std::string percent_encode(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      char buffer[4];
      std::snprintf(buffer, sizeof buffer, "%%%02X", c);
      out += buffer;
    }
  }
  return out;
}

// Byte offset of a 1-based character position (PostgreSQL counts characters, the text is UTF-8).
std::size_t byte_offset_of_character(const std::string& text, std::size_t position) {
  std::size_t characters = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      if (++characters == position) return i;
    }
  }
  return text.size();
}

bool starts_with_comment_or_space(const std::string& text, std::size_t i, std::size_t end) {
  return i < end && (std::isspace(static_cast<unsigned char>(text[i])) ||
                     (text[i] == '-' && i + 1 < end && text[i + 1] == '-') ||
                     (text[i] == '/' && i + 1 < end && text[i + 1] == '*'));
}

ByteRange trim_statement(const std::string& text, ByteRange range) {
  std::size_t i = range.begin;
  while (starts_with_comment_or_space(text, i, range.end)) {
    if (text[i] == '-') {
      while (i < range.end && text[i] != '\n') ++i;
    } else if (text[i] == '/') {
      i += 2;
      while (i + 1 < range.end && !(text[i] == '*' && text[i + 1] == '/')) ++i;
      i = std::min(i + 2, range.end);
    } else {
      ++i;
    }
  }
  std::size_t end = range.end;
  while (end > i && (std::isspace(static_cast<unsigned char>(text[end - 1])) || text[end - 1] == ';')) --end;
  return {i, end};
}

// BEGIN/COMMIT/ROLLBACK/SAVEPOINT...: statements the trace must not wrap in a transaction of its own.
bool is_transaction_control(const std::string& sql) {
  std::string word;
  for (char c : sql) {
    if (std::isalpha(static_cast<unsigned char>(c))) {
      word += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    } else if (!word.empty()) {
      break;
    }
  }
  return word == "BEGIN" || word == "START" || word == "COMMIT" || word == "END" || word == "ROLLBACK" ||
         word == "ABORT" || word == "SAVEPOINT" || word == "RELEASE" || word == "PREPARE";
}

// The connection parameters of the user's URL, for building a SQLAlchemy URL for the Alembic driver.
std::string sqlalchemy_url_for(const std::string& conninfo, const std::string& database) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), &error);
  if (options == nullptr) {
    std::string message = error ? error : "invalid connection string";
    PQfreemem(error);
    throw UsageError("--database-url: " + message);
  }
  std::string user, password, host, port;
  std::vector<std::pair<std::string, std::string>> query;
  for (PQconninfoOption* option = options; option->keyword != nullptr; ++option) {
    if (option->val == nullptr || *option->val == '\0') continue;
    std::string keyword = option->keyword;
    std::string value = option->val;
    if (keyword == "user") user = value;
    else if (keyword == "password") password = value;
    else if (keyword == "host") host = value;
    else if (keyword == "port") port = value;
    else if (keyword == "dbname" || keyword == "application_name" || keyword == "fallback_application_name") continue;
    else query.emplace_back(keyword, value);
  }
  PQconninfoFree(options);
  std::string url = "postgresql+psycopg2://";
  if (!user.empty()) {
    url += percent_encode(user);
    if (!password.empty()) url += ":" + percent_encode(password);
    url += "@";
  }
  bool socket = host.empty() || host.front() == '/';
  if (!socket) url += host.find(':') != std::string::npos ? "[" + host + "]" : host;
  if (!socket && !port.empty()) url += ":" + port;
  url += "/" + percent_encode(database);
  if (socket && !host.empty()) query.emplace_back("host", host);
  if (socket && !port.empty()) query.emplace_back("port", port);
  char separator = '?';
  for (const auto& [key, value] : query) {
    url += separator + percent_encode(key) + "=" + percent_encode(value);
    separator = '&';
  }
  return url;
}

class PostgresDatabase final : public Database {
 public:
  PostgresDatabase(const std::string& admin_conninfo, std::string name, std::string display,
                   std::optional<double> step_timeout, std::function<void(const std::string&)> drop)
      : admin_conninfo_(admin_conninfo), name_(std::move(name)), display_(std::move(display)),
        step_timeout_(step_timeout), drop_(std::move(drop)) {
    connect();
  }

  // Closes our session (CREATE DATABASE ... TEMPLATE needs a database nobody is connected to).
  void disconnect() { connection_.reset(); }
  void connect() {
    if (connection_) return;
    connection_ = std::make_unique<PgConnection>(admin_conninfo_, name_, display_ + "/" + name_);
    if (step_timeout_) {
      connection_->execute_or_throw("SET statement_timeout = " +
                                    std::to_string(static_cast<long long>(*step_timeout_ * 1000)));
    }
    connection_->execute_or_throw("SET client_min_messages = warning");
  }

  std::optional<StepFailure> run_script(const Script& script, const Deadline& deadline) override {
    if (!script.file) return std::nullopt;
    const std::string& text = script.file->text();
    auto spans = split_statements_postgres(script);
    if (spans.empty()) return std::nullopt;
    auto failure_at = [&](const PgError& error, std::optional<ByteRange> range) {
      return StepFailure{error.message, range, error.timed_out};
    };
    if (script.runner == RunnerTransaction::ImplicitIfMultiStatement && spans.size() > 1) {
      // golang-migrate sends the whole file as one query string: one implicit transaction.
      ByteRange whole{spans.front().range.begin, spans.back().range.end};
      std::string sql = text.substr(whole.begin, whole.end - whole.begin);
      auto error = connection_->run(sql, deadline);
      if (!error) return std::nullopt;
      std::optional<ByteRange> statement;
      if (error->position) {
        std::size_t offset = whole.begin + byte_offset_of_character(sql, *error->position);
        for (const auto& span : spans) {
          if (offset >= span.range.begin && offset <= span.range.end) statement = span.range;
        }
      }
      return failure_at(*error, statement);
    }
    bool transaction = script.runner == RunnerTransaction::PerScript;
    if (transaction) {
      if (auto error = connection_->run("BEGIN", deadline)) return failure_at(*error, std::nullopt);
    }
    for (const auto& span : spans) {
      std::string sql = text.substr(span.range.begin, span.range.end - span.range.begin);
      if (auto error = connection_->run(sql, deadline)) {
        if (PQtransactionStatus(connection_->raw()) != PQTRANS_IDLE) connection_->run("ROLLBACK", Deadline::after_seconds(30), false);
        return failure_at(*error, span.range);
      }
    }
    if (transaction && PQtransactionStatus(connection_->raw()) != PQTRANS_IDLE) {
      if (auto error = connection_->run("COMMIT", deadline)) return failure_at(*error, std::nullopt);
    }
    return std::nullopt;
  }

  std::optional<StepFailure> run_script_traced(const Script& script, const Deadline& deadline,
                                               ScriptObservation& observation) override;

  Schema snapshot() override { return snapshot_postgres(*connection_); }

  std::optional<std::string> execute(const std::string& sql) override {
    if (auto error = connection_->run(sql, Deadline())) return error->message;
    return std::nullopt;
  }
  std::vector<Row> query(const std::string& sql) override { return connection_->query(sql); }

  std::string sqlalchemy_url() const override { return sqlalchemy_url_for(admin_conninfo_, name_); }
  std::string display_name() const override { return name_; }
  PgConnection& connection() { return *connection_; }

 private:
  std::string admin_conninfo_;
  std::string name_;
  std::string display_;
  std::optional<double> step_timeout_;
  // Declared before the connection so that it is destroyed after it: the database is dropped once our
  // session is closed.
  struct Dropper {
    std::function<void(const std::string&)> drop;
    std::string name;
    ~Dropper() {
      if (drop) drop(name);
    }
  };
  std::function<void(const std::string&)> drop_;
  Dropper dropper_{drop_, name_};
  std::unique_ptr<PgConnection> connection_;
};

std::optional<StepFailure> PostgresDatabase::run_script_traced(const Script& script, const Deadline& deadline,
                                                               ScriptObservation& observation) {
  if (!script.file) return std::nullopt;
  PgConnection& connection = *connection_;
  const std::string& text = script.file->text();
  auto spans = split_statements_postgres(script);
  const auto started = std::chrono::steady_clock::now();
  auto now = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(); };
  auto in_transaction = [&] { return PQtransactionStatus(connection.raw()) == PQTRANS_INTRANS; };
  observation.baseline = parse_relation_rows(connection.query(kTraceRelationsQuery));
  if (spans.empty()) return std::nullopt;
  // DEBUG1 brings the server's `rewriting table` / `verifying table` messages (engines.md).
  connection.execute_or_throw("SET client_min_messages = debug1");
  struct RestoreMessages {
    PgConnection& connection;
    ~RestoreMessages() {
      if (PQtransactionStatus(connection.raw()) == PQTRANS_INERROR) {
        connection.run("ROLLBACK", Deadline::after_seconds(30), false);
      }
      connection.run("SET client_min_messages = warning", Deadline::after_seconds(30), false);
      connection.take_notices();
    }
  } restore{connection};
  connection.take_notices();
  auto failure_at = [&](const PgError& error, std::optional<ByteRange> range) {
    if (PQtransactionStatus(connection.raw()) != PQTRANS_IDLE) connection.run("ROLLBACK", Deadline::after_seconds(30), false);
    return StepFailure{error.message, range, error.timed_out};
  };
  // The runner's transaction. golang-migrate's multi-statement query string is one implicit transaction:
  // traced as an explicit one, which behaves the same (a statement that refuses transaction blocks fails
  // in both).
  bool script_transaction = script.runner == RunnerTransaction::PerScript ||
                            (script.runner == RunnerTransaction::ImplicitIfMultiStatement && spans.size() > 1);
  if (script_transaction) {
    if (auto error = connection.run("BEGIN", deadline)) return failure_at(*error, std::nullopt);
  }
  for (const auto& span : spans) {
    std::string sql = text.substr(span.range.begin, span.range.end - span.range.begin);
    StatementObservation statement;
    statement.range = span.range;
    statement.sql = sql;
    // Outside the runner's transaction a statement is its own transaction; an explicit BEGIN around it is
    // the same thing and keeps its locks readable until our COMMIT. Statements that refuse transaction
    // blocks (CREATE INDEX CONCURRENTLY, VACUUM, ...) run bare: their locks are gone before we can look.
    bool wrapped = !in_transaction() && !is_transaction_control(sql);
    if (wrapped) {
      if (auto error = connection.run("BEGIN", deadline)) return failure_at(*error, std::nullopt);
    }
    bool open_before = in_transaction();
    statement.started = now();
    auto error = connection.run(sql, deadline);
    if (error && wrapped && error->sqlstate == "25001") {
      connection.run("ROLLBACK", Deadline::after_seconds(30), false);
      wrapped = false;
      connection.take_notices();
      statement.started = now();
      error = connection.run(sql, deadline);
      statement.untraced_reason = "it cannot run inside a transaction block, so its locks were released before they "
                                  "could be read";
    }
    statement.finished = now();
    if (error) return failure_at(*error, span.range);
    statement.notices = connection.take_notices();
    statement.in_transaction = in_transaction();
    if (statement.in_transaction) {
      for (const auto& row : connection.query(kTraceLocksQuery)) {
        if (row.size() == 2 && row[0] && row[1]) statement.locks.emplace(std::stoul(*row[0]), *row[1]);
      }
    } else if (statement.untraced_reason.empty() && !is_transaction_control(sql)) {
      statement.untraced_reason = "it ran outside a transaction";
    }
    statement.relations = parse_relation_rows(connection.query(kTraceRelationsQuery));
    connection.take_notices();
    bool was_open = open_before || statement.in_transaction;
    observation.statements.push_back(std::move(statement));
    if (wrapped) {
      if (auto commit_error = connection.run("COMMIT", deadline)) return failure_at(*commit_error, span.range);
    }
    if (was_open && !in_transaction()) observation.transaction_ends.push_back(now());
  }
  if (in_transaction()) {
    if (auto error = connection.run("COMMIT", deadline)) return failure_at(*error, std::nullopt);
    observation.transaction_ends.push_back(now());
  }
  return std::nullopt;
}

class PostgresEngine final : public Engine {
 public:
  // A private cluster is only begun here (initdb runs in the background); the first use of the engine
  // waits for it, so that the Alembic driver starts while initdb works (docs/harness.md, "Speed").
  explicit PostgresEngine(const EngineOptions& options)
      : step_timeout_(options.step_timeout_seconds), note_(options.note) {
    if (options.database_url) {
      admin_conninfo_ = *options.database_url;
      display_ = mask_connection_string(*options.database_url);
      description_ = "PostgreSQL server " + display_;
      ensure_started();
    } else {
      PgClusterOptions cluster_options;
      cluster_options.pg_bin = options.pg_bin;
      cluster_options.note = options.note;
      cluster_ = PgCluster::begin(cluster_options);
      admin_conninfo_ = cluster_->conninfo("postgres");
      display_ = "private cluster";
      description_ = "private PostgreSQL cluster in " + cluster_->directory().string() + " (server binaries from " +
                     cluster_->binaries().how_found + ")";
    }
  }
  ~PostgresEngine() override {
    admin_.reset();
    cluster_.reset();  // also kills an initdb that is still running
  }

  std::string name() const override { return "postgresql"; }
  std::string describe() const override { return description_; }
  int server_version() const override {
    ensure_started();
    return admin_->server_version();
  }

  std::unique_ptr<Database> create_database() override {
    throw_if_interrupted();
    ensure_started();
    std::string name = random_database_name();
    admin_->execute_or_throw("CREATE DATABASE " + name + " TEMPLATE template0");
    return open_created(name);
  }

  // CREATE DATABASE ... TEMPLATE <source>: the server copies the files. The source must have no other
  // session, so ours is closed for the copy, and so are the Alembic driver's kept connections (released
  // through set_connection_releaser). A project whose env.py keeps its own pooled connections open makes
  // the copy fail ("being accessed by other users"): then nullptr, and the caller replays migrations.
  std::unique_ptr<Database> copy_database(Database& source) override {
    auto* database = dynamic_cast<PostgresDatabase*>(&source);
    if (database == nullptr) return nullptr;
    throw_if_interrupted();
    ensure_started();
    std::string name = random_database_name();
    // PostgreSQL 15's default strategy (WAL_LOG) measured a little faster here than FILE_COPY, which
    // forces a checkpoint of everything the stairway dirtied (docs/harness.md, "Speed").
    std::string sql = "CREATE DATABASE " + name + " TEMPLATE " + database->display_name();
    release_client_connections();
    database->disconnect();
    auto error = admin_->run(sql, Deadline::after_seconds(120));
    database->connect();
    if (error) {
      if (error->message.find("already exists") == std::string::npos) drop_database(name);
      return nullptr;
    }
    return open_created(name);
  }

 private:
  void ensure_started() const {
    if (admin_) return;
    auto started = std::chrono::steady_clock::now();
    if (cluster_) cluster_->finish();
    admin_ = std::make_unique<PgConnection>(admin_conninfo_, "", display_);
    int version = admin_->server_version();
    std::string version_text = std::to_string(version / 10000) + "." + std::to_string(version % 10000);
    description_ += ", server version " + version_text;
    if (cluster_ && note_) {
      char waited[32];
      std::snprintf(waited, sizeof waited, "%.2f s",
                    std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
      note_("private PostgreSQL cluster ready, server version " + version_text + " (waited " + waited +
            " for initdb and start)");
    }
  }

  std::unique_ptr<Database> open_created(const std::string& name) {
    auto drop = [this](const std::string& database) { drop_database(database); };
    try {
      return std::make_unique<PostgresDatabase>(admin_conninfo_, name, display_, step_timeout_, drop);
    } catch (...) {
      drop_database(name);
      throw;
    }
  }

  void drop_database(const std::string& name) {
    if (!admin_) return;
    release_client_connections();
    // Alembic's connections are closed by the driver (above); FORCE (13+) also ends any straggler.
    std::string sql = "DROP DATABASE IF EXISTS " + name;
    if (admin_->server_version() >= 130000) {
      sql += " WITH (FORCE)";
    } else {
      admin_->run("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name + "'",
                  Deadline::after_seconds(30), false);
    }
    admin_->run(sql, Deadline::after_seconds(30), false);
  }

  std::optional<double> step_timeout_;
  std::function<void(const std::string&)> note_;
  // Started lazily (ensure_started, also from const accessors).
  mutable std::unique_ptr<PgCluster> cluster_;
  std::string admin_conninfo_;
  std::string display_;
  mutable std::string description_;
  mutable std::unique_ptr<PgConnection> admin_;
};

}  // namespace

std::vector<StatementSpan> split_statements_postgres(const Script& script) {
  std::vector<StatementSpan> spans;
  const std::string& text = script.file->text();
  ByteRange region{std::min(script.region.begin, text.size()), std::min(script.region.end, text.size())};
  if (!script.statements.empty()) {
    for (const auto& statement : script.statements) {
      ByteRange range = trim_statement(text, statement.range);
      if (!range.empty()) spans.push_back({range});
    }
    return spans;
  }
  std::string sql = text.substr(region.begin, region.end - region.begin);
  PgQuerySplitResult result = pg_query_split_with_scanner(sql.c_str());
  if (result.error != nullptr) {
    ByteRange range = trim_statement(text, region);
    if (!range.empty()) spans.push_back({range});
  } else {
    for (int i = 0; i < result.n_stmts; ++i) {
      ByteRange range{region.begin + static_cast<std::size_t>(result.stmts[i]->stmt_location),
                      region.begin + static_cast<std::size_t>(result.stmts[i]->stmt_location + result.stmts[i]->stmt_len)};
      range = trim_statement(text, range);
      if (!range.empty()) spans.push_back({range});
    }
  }
  pg_query_free_split_result(result);
  return spans;
}

std::unique_ptr<Engine> make_postgres_engine(const EngineOptions& options) {
  return std::make_unique<PostgresEngine>(options);
}

}  // namespace migsafe::harness
