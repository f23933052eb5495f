// SQLite engine: one database file per create_database() in a private temporary directory, driven in
// process through the SQLite C library. Snapshots come from sqlite_schema and the table/index pragmas.
#include <sqlite3.h>

#include <atomic>
#include <cstring>
#include <random>

#include "harness/abandoned_dirs.h"
#include "harness/database.h"
#include "harness/process.h"
#include "linter/util/text.h"

namespace migsafe::harness {
namespace {

bool is_space_or_comment_start(const char* p, const char* end) {
  return p < end && (std::isspace(static_cast<unsigned char>(*p)) || (*p == '-' && p + 1 < end && p[1] == '-') ||
                     (*p == '/' && p + 1 < end && p[1] == '*'));
}

// Skips whitespace and comments (what sqlite3_prepare's tail starts with).
const char* skip_space_and_comments(const char* p, const char* end) {
  while (is_space_or_comment_start(p, end)) {
    if (*p == '-') {
      while (p < end && *p != '\n') ++p;
    } else if (*p == '/') {
      p += 2;
      while (p + 1 < end && !(p[0] == '*' && p[1] == '/')) ++p;
      p = p + 2 <= end ? p + 2 : end;
    } else {
      ++p;
    }
  }
  return p;
}

std::string text_column(sqlite3_stmt* statement, int column) {
  const unsigned char* text = sqlite3_column_text(statement, column);
  return text == nullptr ? std::string() : reinterpret_cast<const char*>(text);
}

class SqliteDatabase final : public Database {
 public:
  explicit SqliteDatabase(std::filesystem::path file) : file_(std::move(file)) {
    if (sqlite3_open_v2(file_.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
      std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      throw EnvironmentError("cannot create SQLite database " + file_.string() + ": " + message);
    }
    sqlite3_busy_timeout(db_, 5000);
    // A throw-away file: no fsync per commit (the Alembic driver does the same for its connections).
    sqlite3_exec(db_, "PRAGMA synchronous = OFF", nullptr, nullptr, nullptr);
    sqlite3_progress_handler(db_, 1000, &SqliteDatabase::progress, this);
  }
  ~SqliteDatabase() override {
    sqlite3_close_v2(db_);
    std::error_code ignored;
    for (const char* suffix : {"", "-journal", "-wal", "-shm"}) {
      std::filesystem::remove(file_.string() + suffix, ignored);
    }
  }

  std::optional<StepFailure> run_script(const Script& script, const Deadline& deadline) override {
    if (!script.file) return std::nullopt;
    deadline_ = &deadline;
    struct Reset {
      SqliteDatabase* self;
      ~Reset() { self->deadline_ = nullptr; }
    } reset{this};
    const std::string& text = script.file->text();
    const char* base = text.data();
    const char* p = base + std::min(script.region.begin, text.size());
    const char* end = base + std::min(script.region.end, text.size());
    bool transaction = script.runner != RunnerTransaction::None;
    if (transaction) exec_or_throw("BEGIN");
    while (true) {
      throw_if_interrupted();
      p = skip_space_and_comments(p, end);
      if (p >= end) break;
      sqlite3_stmt* statement = nullptr;
      const char* tail = nullptr;
      int rc = sqlite3_prepare_v2(db_, p, static_cast<int>(end - p), &statement, &tail);
      ByteRange range{static_cast<std::size_t>(p - base), static_cast<std::size_t>((tail ? tail : end) - base)};
      if (rc == SQLITE_OK && statement != nullptr) {
        while ((rc = sqlite3_step(statement)) == SQLITE_ROW) {
        }
        if (rc == SQLITE_DONE) rc = SQLITE_OK;
      }
      std::string message = rc == SQLITE_OK ? "" : sqlite3_errmsg(db_);
      sqlite3_finalize(statement);
      if (rc != SQLITE_OK) {
        throw_if_interrupted();
        bool timed_out = rc == SQLITE_INTERRUPT && deadline.expired();
        if (!sqlite3_get_autocommit(db_)) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
        if (timed_out) message = "the step did not finish within --step-timeout";
        // Trim the statement's trailing semicolon/whitespace for the reported range.
        while (range.end > range.begin && (std::isspace(static_cast<unsigned char>(base[range.end - 1])))) --range.end;
        return StepFailure{message, range, timed_out};
      }
      if (tail == nullptr || tail <= p) break;
      p = tail;
    }
    if (transaction && !sqlite3_get_autocommit(db_)) {
      if (auto error = execute("COMMIT")) return StepFailure{*error, std::nullopt, false};
    }
    return std::nullopt;
  }

  std::optional<std::string> execute(const std::string& sql) override {
    char* error = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
      std::string message = error ? error : sqlite3_errmsg(db_);
      sqlite3_free(error);
      return message;
    }
    return std::nullopt;
  }

  std::vector<Row> query(const std::string& sql) override {
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &statement, nullptr) != SQLITE_OK) {
      std::string message = sqlite3_errmsg(db_);
      sqlite3_finalize(statement);
      throw EnvironmentError("SQLite query failed: " + message + ": " + sql);
    }
    std::vector<Row> rows;
    int rc;
    while ((rc = sqlite3_step(statement)) == SQLITE_ROW) {
      Row row;
      for (int i = 0; i < sqlite3_column_count(statement); ++i) {
        if (sqlite3_column_type(statement, i) == SQLITE_NULL) {
          row.emplace_back(std::nullopt);
        } else {
          row.emplace_back(text_column(statement, i));
        }
      }
      rows.push_back(std::move(row));
    }
    std::string message = rc == SQLITE_DONE ? "" : sqlite3_errmsg(db_);
    sqlite3_finalize(statement);
    if (rc != SQLITE_DONE) throw EnvironmentError("SQLite query failed: " + message + ": " + sql);
    return rows;
  }

  Schema snapshot() override;

  // Copies this database into `target` with SQLite's online backup API.
  bool copy_to(SqliteDatabase& target) {
    sqlite3_backup* backup = sqlite3_backup_init(target.db_, "main", db_, "main");
    if (backup == nullptr) return false;
    int rc = sqlite3_backup_step(backup, -1);
    sqlite3_backup_finish(backup);
    return rc == SQLITE_DONE;
  }

  std::string sqlalchemy_url() const override { return "sqlite:///" + file_.string(); }
  std::string display_name() const override { return file_.filename().string(); }

 private:
  static int progress(void* self_pointer) {
    auto* self = static_cast<SqliteDatabase*>(self_pointer);
    if (pending_signal() != 0) return 1;
    return self->deadline_ != nullptr && self->deadline_->expired() ? 1 : 0;
  }
  void exec_or_throw(const char* sql) {
    if (auto error = execute(sql)) throw EnvironmentError(std::string("SQLite ") + sql + " failed: " + *error);
  }

  std::filesystem::path file_;
  sqlite3* db_ = nullptr;
  const Deadline* deadline_ = nullptr;
};

// Table-level CHECK and column CHECK clauses are only in the CREATE TABLE text: find `CHECK (...)`
// (with an optional preceding `CONSTRAINT name`) outside quotes.
std::vector<std::pair<std::string, std::string>> extract_checks(const std::string& sql) {
  std::vector<std::pair<std::string, std::string>> checks;
  std::string lower = ascii_lowered(sql);
  std::string last_constraint_name;
  std::size_t i = 0;
  auto word_at = [&](std::size_t at, const char* word) {
    std::size_t n = std::strlen(word);
    if (lower.compare(at, n, word) != 0) return false;
    bool left = at == 0 || !(std::isalnum(static_cast<unsigned char>(lower[at - 1])) || lower[at - 1] == '_');
    bool right = at + n >= lower.size() || !(std::isalnum(static_cast<unsigned char>(lower[at + n])) || lower[at + n] == '_');
    return left && right;
  };
  while (i < sql.size()) {
    char c = sql[i];
    if (c == '\'' || c == '"' || c == '`' || c == '[') {
      char close = c == '[' ? ']' : c;
      std::size_t j = i + 1;
      while (j < sql.size() && sql[j] != close) ++j;
      i = j + 1;
      continue;
    }
    if (word_at(i, "constraint")) {
      std::size_t j = i + 10;
      while (j < sql.size() && std::isspace(static_cast<unsigned char>(sql[j]))) ++j;
      std::size_t start = j;
      if (j < sql.size() && (sql[j] == '"' || sql[j] == '`' || sql[j] == '[')) {
        char close = sql[j] == '[' ? ']' : sql[j];
        ++j;
        while (j < sql.size() && sql[j] != close) ++j;
        last_constraint_name = sql.substr(start + 1, j - start - 1);
        ++j;
      } else {
        while (j < sql.size() && (std::isalnum(static_cast<unsigned char>(sql[j])) || sql[j] == '_')) ++j;
        last_constraint_name = sql.substr(start, j - start);
      }
      i = j;
      continue;
    }
    if (word_at(i, "check")) {
      std::size_t j = i + 5;
      while (j < sql.size() && std::isspace(static_cast<unsigned char>(sql[j]))) ++j;
      if (j < sql.size() && sql[j] == '(') {
        int depth = 0;
        std::size_t start = j;
        for (; j < sql.size(); ++j) {
          if (sql[j] == '\'') {
            ++j;
            while (j < sql.size() && sql[j] != '\'') ++j;
            continue;
          }
          if (sql[j] == '(') ++depth;
          if (sql[j] == ')' && --depth == 0) break;
        }
        checks.emplace_back(last_constraint_name, normalize_sql(sql.substr(start, j - start + 1)));
        last_constraint_name.clear();
        i = j + 1;
        continue;
      }
    }
    if (c == ',') last_constraint_name.clear();
    ++i;
  }
  return checks;
}

Schema SqliteDatabase::snapshot() {
  Schema schema;
  auto objects = query(
      "SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' "
      "ORDER BY CASE type WHEN 'table' THEN 0 ELSE 1 END, type, name");
  auto quote = [this](const std::string& name) { return quote_literal(name); };
  for (const auto& row : objects) {
    std::string type = row[0].value_or("");
    std::string name = row[1].value_or("");
    std::string table = row[2].value_or("");
    std::string sql = row[3].value_or("");
    if (type == "table") {
      if (name == "alembic_version" || name == "schema_migrations" || name == "flyway_schema_history" ||
          name == "goose_db_version") {
        continue;
      }
      std::string lower_sql = normalize_sql(sql);
      SchemaObject table_object{"table", name, "", {}};
      if (lower_sql.find("without rowid") != std::string::npos) table_object.properties["without rowid"] = "yes";
      if (lower_sql.find(" strict") != std::string::npos && lower_sql.rfind(")strict") != std::string::npos) {
        table_object.properties["strict"] = "yes";
      }
      schema.add(std::move(table_object));
      std::vector<std::string> primary_key;
      for (const auto& column : query("SELECT name, type, \"notnull\", dflt_value, pk, hidden FROM pragma_table_xinfo(" +
                                      quote(name) + ") ORDER BY cid")) {
        std::string column_name = column[0].value_or("");
        std::string column_type = normalize_sql(column[1].value_or(""));
        SchemaObject object{"column", name + "." + column_name, column_type.empty() ? "no type" : column_type, {}};
        object.properties["table"] = name;
        object.properties["type"] = column_type;
        object.properties["nullable"] = column[2].value_or("0") == "0" ? "yes" : "no";
        if (column[3]) object.properties["default"] = normalize_sql(*column[3]);
        std::string hidden = column[5].value_or("0");
        if (hidden == "2") object.properties["generated"] = "virtual";
        if (hidden == "3") object.properties["generated"] = "stored";
        if (column[4].value_or("0") != "0") primary_key.resize(std::max<std::size_t>(primary_key.size(), std::stoul(*column[4])));
        if (column[4].value_or("0") != "0") primary_key[std::stoul(*column[4]) - 1] = column_name;
        schema.add(std::move(object));
      }
      if (!primary_key.empty()) {
        std::string columns;
        for (const auto& c : primary_key) columns += (columns.empty() ? "" : ", ") + c;
        SchemaObject pk{"primary key", name, columns, {{"table", name}, {"columns", columns}}};
        if (lower_sql.find("autoincrement") != std::string::npos) pk.properties["autoincrement"] = "yes";
        schema.add(std::move(pk));
      }
      // Foreign keys have no names in the pragma: identify them by columns and target; group rows by id.
      std::map<std::string, std::vector<Row>> foreign_keys;
      for (auto& fk : query("SELECT id, seq, \"table\", \"from\", \"to\", on_update, on_delete, match "
                            "FROM pragma_foreign_key_list(" + quote(name) + ") ORDER BY id, seq")) {
        foreign_keys[fk[0].value_or("0")].push_back(std::move(fk));
      }
      for (const auto& [id, rows] : foreign_keys) {
        std::string from, to;
        for (const auto& r : rows) {
          from += (from.empty() ? "" : ", ") + r[3].value_or("");
          to += (to.empty() ? "" : ", ") + r[4].value_or("");
        }
        std::string target = rows.front()[2].value_or("") + "(" + to + ")";
        std::string definition = "(" + from + ") references " + target;
        SchemaObject object{"foreign key", name + " " + definition, "", {{"table", name}, {"columns", from}, {"references", target}}};
        object.properties["on update"] = rows.front()[5].value_or("");
        object.properties["on delete"] = rows.front()[6].value_or("");
        schema.add(std::move(object));
      }
      for (const auto& [constraint_name, expression] : extract_checks(sql)) {
        std::string label = constraint_name.empty() ? name + " " + expression : name + "." + constraint_name;
        schema.add({"check constraint", label, expression, {{"table", name}, {"expression", expression}}});
      }
      for (const auto& index : query("SELECT name, \"unique\", origin, partial FROM pragma_index_list(" + quote(name) + ")")) {
        std::string index_name = index[0].value_or("");
        std::string origin = index[2].value_or("c");
        std::string columns;
        for (const auto& key : query("SELECT name, \"desc\", coll, cid FROM pragma_index_xinfo(" + quote(index_name) +
                                     ") WHERE key = 1 ORDER BY seqno")) {
          std::string column = key[3].value_or("") == "-2" ? "<expression>" : key[0].value_or("");
          if (key[1].value_or("0") == "1") column += " desc";
          if (key[2] && *key[2] != "BINARY") column += " collate " + *key[2];
          columns += (columns.empty() ? "" : ", ") + column;
        }
        if (origin == "pk") continue;  // the primary key object covers it
        SchemaObject object{"index", origin == "u" ? name + " unique(" + columns + ")" : index_name, "", {}};
        object.properties["table"] = name;
        object.properties["columns"] = columns;
        object.properties["unique"] = index[1].value_or("0") == "1" ? "yes" : "no";
        if (origin == "u") object.kind = "unique constraint";
        object.summary = (object.properties["unique"] == "yes" && origin != "u" ? "unique " : "") + ("(" + columns + ")");
        schema.add(std::move(object));
      }
    } else if (type == "index") {
      if (sql.empty()) continue;  // automatic indexes were handled with their table
      // Expressions and partial predicates are only in the statement text.
      std::string normalized = normalize_sql(sql);
      SchemaObject object = schema.find("index", name) ? *schema.find("index", name) : SchemaObject{"index", name, "", {}};
      object.properties["table"] = table;
      auto where = normalized.find(" where ");
      if (where != std::string::npos) object.properties["predicate"] = normalized.substr(where + 7);
      if (object.properties["columns"].find("<expression>") != std::string::npos) {
        auto open = normalized.find('(');
        auto close = where == std::string::npos ? normalized.rfind(')') : normalized.rfind(')', where);
        if (open != std::string::npos && close != std::string::npos && close > open) {
          object.properties["columns"] = normalized.substr(open + 1, close - open - 1);
        }
      }
      object.summary = (object.properties["unique"] == "yes" ? "unique " : "") + ("(" + object.properties["columns"] + ")") +
                       (where != std::string::npos ? " where " + object.properties["predicate"] : "");
      schema.add(std::move(object));
    } else if (type == "view" || type == "trigger") {
      std::string normalized = normalize_sql(sql);
      SchemaObject object{type, name, "", {{"definition", normalized}}};
      if (type == "trigger") object.properties["table"] = table;
      schema.add(std::move(object));
    }
  }
  return schema;
}

class SqliteEngine final : public Engine {
 public:
  explicit SqliteEngine(const EngineOptions& options) : dir_(create_owned_temp_dir("migsafe-sqlite-")) {}
  std::string name() const override { return "sqlite"; }
  std::string describe() const override {
    return std::string("SQLite ") + sqlite3_libversion() + ", database files in " + dir_.path().string();
  }
  std::unique_ptr<Database> create_database() override {
    auto file = dir_.path() / ("db-" + std::to_string(++counter_) + ".sqlite");
    return std::make_unique<SqliteDatabase>(file);
  }
  std::unique_ptr<Database> copy_database(Database& source) override {
    auto* database = dynamic_cast<SqliteDatabase*>(&source);
    if (database == nullptr) return nullptr;
    auto file = dir_.path() / ("db-" + std::to_string(++counter_) + ".sqlite");
    auto copy = std::make_unique<SqliteDatabase>(file);
    if (!database->copy_to(*copy)) return nullptr;
    return copy;
  }

 private:
  TempDir dir_;
  int counter_ = 0;
};

}  // namespace

std::string Database::quote_identifier(const std::string& name) const {
  std::string quoted = "\"";
  for (char c : name) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

std::optional<StepFailure> Database::run_script_traced(const Script&, const Deadline&, ScriptObservation&) {
  throw EnvironmentError("--trace needs PostgreSQL (--engine postgresql or --database-url)");
}

std::string Database::quote_literal(const std::string& value) const {
  std::string quoted = "'";
  for (char c : value) {
    if (c == '\'') quoted += '\'';
    quoted += c;
  }
  return quoted + "'";
}

std::unique_ptr<Engine> make_sqlite_engine(const EngineOptions& options) {
  return std::make_unique<SqliteEngine>(options);
}

}  // namespace migsafe::harness
