// A libpq connection whose every query can be abandoned: by a recorded signal (Ctrl-C/SIGTERM) or by the
// step deadline, through PQcancel, so that no wait in the harness is unbounded.
#pragma once

#include <libpq-fe.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "harness/database.h"

namespace migsafe::harness {

struct PgError {
  std::string message;
  std::optional<std::size_t> position;  // 1-based character position in the query string
  bool timed_out = false;
  std::string sqlstate;  // "25001" (active_sql_transaction), ... ; empty when not from the server
};

class PgConnection {
 public:
  // `conninfo` is a URL or key=value string; `database` (when not empty) replaces its dbname.
  PgConnection(const std::string& conninfo, const std::string& database, const std::string& display);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // Sends `sql` (one or several statements) and waits for all results; the first error wins. Cleanup
  // paths (DROP DATABASE in a destructor) pass interruptible = false: a recorded signal must not abort them.
  std::optional<PgError> run(const std::string& sql, const Deadline& deadline, bool interruptible = true);
  // Harness queries: any error is an EnvironmentError.
  std::vector<Row> query(const std::string& sql);
  // Several harness queries in one round trip (one simple-query message; they run in one implicit
  // transaction, so they see one snapshot). Any error is an EnvironmentError.
  std::vector<std::vector<Row>> query_batch(const std::vector<std::string>& statements);
  // query_batch for queries this connection runs again and again (schema snapshots): each is prepared
  // once per connection (PREPARE in the same message as its first run) and then run with EXECUTE, so the
  // server plans it once instead of at every call (planning was most of a snapshot's server time). A
  // prepared statement without parameters always uses its one plan; results are those of the query.
  // A script run on this connection may DEALLOCATE them: a failed batch is retried once with new names.
  std::vector<std::vector<Row>> query_batch_prepared(const std::vector<std::string>& statements);
  void execute_or_throw(const std::string& sql);
  int server_version() const { return PQserverVersion(conn_); }
  PGconn* raw() const { return conn_; }
  // Notices (DEBUG1 messages in --trace) collected since the last call.
  std::vector<std::string> take_notices();

 private:
  static void on_notice(void* self, const PGresult* result);
  PGconn* conn_ = nullptr;
  std::vector<std::string> notices_;
  std::map<std::string, std::string> prepared_;  // query text -> prepared statement name
  int prepared_generation_ = 0;                   // new names after a failure (see query_batch_prepared)
};

}  // namespace migsafe::harness
