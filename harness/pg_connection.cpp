#include "harness/pg_connection.h"

#include <poll.h>

namespace migsafe::harness {
namespace {

std::string error_text(const PGresult* result) {
  const char* primary = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
  std::string text = primary ? primary : PQresultErrorMessage(result);
  while (!text.empty() && text.back() == '\n') text.pop_back();
  if (const char* detail = PQresultErrorField(result, PG_DIAG_MESSAGE_DETAIL)) text += " (" + std::string(detail) + ")";
  return text;
}

}  // namespace

PgConnection::PgConnection(const std::string& conninfo, const std::string& database, const std::string& display) {
  std::vector<const char*> keywords{"dbname"};
  std::vector<const char*> values{conninfo.c_str()};
  if (!database.empty()) {
    keywords.push_back("dbname");
    values.push_back(database.c_str());
  }
  keywords.push_back("application_name");
  values.push_back("migsafe-roundtrip");
  keywords.push_back(nullptr);
  values.push_back(nullptr);
  conn_ = PQconnectdbParams(keywords.data(), values.data(), 1);
  if (conn_ == nullptr || PQstatus(conn_) != CONNECTION_OK) {
    std::string message = conn_ ? PQerrorMessage(conn_) : "out of memory";
    while (!message.empty() && message.back() == '\n') message.pop_back();
    PQfinish(conn_);
    conn_ = nullptr;
    throw EnvironmentError("cannot connect to " + display + ": " + message);
  }
  PQsetNoticeReceiver(conn_, &PgConnection::on_notice, this);
}

PgConnection::~PgConnection() { PQfinish(conn_); }

void PgConnection::on_notice(void* self, const PGresult* result) {
  auto* connection = static_cast<PgConnection*>(self);
  if (connection->notices_.size() < 10000) connection->notices_.push_back(error_text(result));
}

std::vector<std::string> PgConnection::take_notices() { return std::exchange(notices_, {}); }

std::optional<PgError> PgConnection::run(const std::string& sql, const Deadline& deadline, bool interruptible) {
  if (!PQsendQuery(conn_, sql.c_str())) return PgError{PQerrorMessage(conn_), std::nullopt, false, {}};
  std::optional<PgError> first_error;
  bool cancelled = false;
  bool timed_out = false;
  Deadline give_up;  // after a cancel the server must answer within this
  while (true) {
    bool signalled = interruptible && pending_signal() != 0;
    if (!cancelled && (signalled || deadline.expired())) {
      timed_out = !signalled;
      if (PGcancel* cancel = PQgetCancel(conn_)) {
        char buffer[256];
        PQcancel(cancel, buffer, sizeof buffer);
        PQfreeCancel(cancel);
      }
      cancelled = true;
      give_up = Deadline::after_seconds(10);
    }
    if (cancelled && give_up.expired()) {
      if (!interruptible) return PgError{"the PostgreSQL server did not answer a query cancel within 10 s", std::nullopt, true, {}};
      throw EnvironmentError("the PostgreSQL server did not answer a query cancel within 10 s");
    }
    if (!PQconsumeInput(conn_)) {
      std::string message = PQerrorMessage(conn_);
      if (!interruptible) return PgError{"lost the connection to PostgreSQL: " + message, std::nullopt, false, {}};
      throw EnvironmentError("lost the connection to PostgreSQL: " + message);
    }
    if (PQisBusy(conn_)) {
      pollfd descriptor{PQsocket(conn_), POLLIN, 0};
      poll(&descriptor, 1, deadline.wait_ms(50) == 0 && !cancelled ? 0 : 50);
      continue;
    }
    PGresult* result = PQgetResult(conn_);
    if (result == nullptr) break;
    if (PQresultStatus(result) == PGRES_FATAL_ERROR && !first_error) {
      PgError error{error_text(result), std::nullopt, false, {}};
      if (const char* sqlstate = PQresultErrorField(result, PG_DIAG_SQLSTATE)) error.sqlstate = sqlstate;
      if (const char* position = PQresultErrorField(result, PG_DIAG_STATEMENT_POSITION)) {
        error.position = std::stoul(position);
      }
      first_error = error;
    }
    if (PQresultStatus(result) == PGRES_COPY_IN) PQputCopyEnd(conn_, "COPY FROM STDIN is not supported by the harness");
    PQclear(result);
  }
  if (cancelled) {
    if (interruptible) throw_if_interrupted();
    if (timed_out) {
      return PgError{"the step did not finish within --step-timeout (cancelled)", std::nullopt, true, {}};
    }
  }
  if (first_error && first_error->message.find("statement timeout") != std::string::npos) first_error->timed_out = true;
  return first_error;
}

namespace {

std::vector<Row> rows_of(const PGresult* result) {
  std::vector<Row> rows;
  rows.reserve(PQntuples(result));
  for (int r = 0; r < PQntuples(result); ++r) {
    Row row;
    row.reserve(PQnfields(result));
    for (int c = 0; c < PQnfields(result); ++c) {
      if (PQgetisnull(result, r, c)) {
        row.emplace_back(std::nullopt);
      } else {
        row.emplace_back(std::string(PQgetvalue(result, r, c), PQgetlength(result, r, c)));
      }
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace

std::vector<Row> PgConnection::query(const std::string& sql) {
  PGresult* result = PQexec(conn_, sql.c_str());
  if (PQresultStatus(result) != PGRES_TUPLES_OK && PQresultStatus(result) != PGRES_COMMAND_OK) {
    std::string message = error_text(result);
    PQclear(result);
    throw EnvironmentError("PostgreSQL query failed: " + message);
  }
  std::vector<Row> rows = rows_of(result);
  PQclear(result);
  return rows;
}

std::vector<std::vector<Row>> PgConnection::query_batch(const std::vector<std::string>& statements) {
  std::string sql;
  for (const auto& statement : statements) sql += statement + ";\n";
  if (!PQsendQuery(conn_, sql.c_str())) throw EnvironmentError(std::string("PostgreSQL query failed: ") + PQerrorMessage(conn_));
  std::vector<std::vector<Row>> results;
  std::string error;
  while (PGresult* result = PQgetResult(conn_)) {
    ExecStatusType status = PQresultStatus(result);
    if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK) {
      results.push_back(rows_of(result));
    } else if (error.empty()) {
      error = error_text(result);
    }
    PQclear(result);
  }
  if (!error.empty()) throw EnvironmentError("PostgreSQL query failed: " + error);
  if (results.size() != statements.size()) throw EnvironmentError("PostgreSQL returned an unexpected number of results");
  return results;
}

std::vector<std::vector<Row>> PgConnection::query_batch_prepared(const std::vector<std::string>& statements) {
  for (int attempt = 0;; ++attempt) {
    std::vector<std::string> batch;
    std::vector<std::string> executes;
    for (const auto& statement : statements) {
      auto found = prepared_.find(statement);
      if (found == prepared_.end()) {
        std::string name = "migsafe_g" + std::to_string(prepared_generation_) + "_q" + std::to_string(prepared_.size() + 1);
        batch.push_back("PREPARE " + name + " AS " + statement);
        found = prepared_.emplace(statement, name).first;
      }
      executes.push_back("EXECUTE " + found->second);
    }
    std::size_t setup = batch.size();
    batch.insert(batch.end(), executes.begin(), executes.end());
    try {
      auto results = query_batch(batch);
      results.erase(results.begin(), results.begin() + static_cast<std::ptrdiff_t>(setup));
      return results;
    } catch (const EnvironmentError&) {
      // A migration script on this connection ran DEALLOCATE or DISCARD ALL, or the batch failed before
      // its PREPAREs took effect: prepare again under names that cannot collide with what is left.
      prepared_.clear();
      ++prepared_generation_;
      if (attempt > 0) throw;
    }
  }
}

void PgConnection::execute_or_throw(const std::string& sql) { query(sql); }

}  // namespace migsafe::harness
