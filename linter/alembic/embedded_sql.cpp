#include "linter/alembic/embedded_sql.h"

#include <algorithm>
#include <cctype>
#include <memory>

#include "linter/sql/postgres_front_end.h"

namespace migsafe::alembic {

namespace {

class OffsetMap {
 public:
  OffsetMap(const python::Expr& literal, std::string_view py_text) : literal_(literal), py_text_(py_text) {}

  std::size_t begin(std::size_t offset) const {
    const auto& offsets = literal_.value_offsets;
    return offsets[std::min(offset, offsets.size() - 1)];
  }

  // The end of a range: just after the source of the last value byte (a whole escape sequence when the
  // byte came from one).
  std::size_t end(std::size_t offset) const {
    const auto& offsets = literal_.value_offsets;
    if (offset == 0) return begin(0);
    std::size_t last = std::min(offset - 1, offsets.size() - 1);
    std::size_t source = offsets[last];
    if (source < py_text_.size() && py_text_[source] == '\\' && last + 1 < offsets.size()) {
      return std::max(source + 1, std::min(offsets[last + 1], source + 10));
    }
    return source + 1;
  }

  ByteRange map(ByteRange range) const {
    std::size_t b = begin(range.begin);
    return ByteRange{b, std::max(b, end(range.end))};
  }

 private:
  const python::Expr& literal_;
  std::string_view py_text_;
};

bool is_word(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

}  // namespace

std::string replace_bind_parameters(std::string sql) {
  // SQLAlchemy's text() rule: `:name` not preceded by ':', a word character or '\', and not followed by
  // ':' (so `'{}'::jsonb` stays a cast). Replaced by `$1` padded to the same length (`$1` with zeros), so that every offset
  // into the SQL still maps to the same byte of the Python literal.
  for (std::size_t i = 0; i + 1 < sql.size(); ++i) {
    if (sql[i] != ':' || !is_word(sql[i + 1])) continue;
    if (i > 0 && (sql[i - 1] == ':' || sql[i - 1] == '\\' || is_word(sql[i - 1]))) continue;
    std::size_t end = i + 1;
    while (end < sql.size() && is_word(sql[end])) ++end;
    if (end < sql.size() && sql[end] == ':') {
      i = end;
      continue;
    }
    // `$1`, `$10`, ... up to nine digits (a valid parameter number), then spaces for very long names.
    std::size_t length = end - i;
    std::size_t zeros = std::min<std::size_t>(length - 2, 8);
    sql.replace(i, length, "$1" + std::string(zeros, '0') + std::string(length - 2 - zeros, ' '));
    i = end - 1;
  }
  return sql;
}

EmbeddedSql parse_embedded_sql(const SourceFilePtr& file, const python::Expr& literal, Dialect dialect,
                               bool bind_parameters) {
  EmbeddedSql result;
  // A throw-away SourceFile holding the decoded SQL; nothing keeps it after the mapping.
  auto sql_file = std::make_shared<const SourceFile>(
      file->path(), file->display_path(), bind_parameters ? replace_bind_parameters(literal.value) : literal.value);
  SqlScriptResult parsed = parse_postgres_script(sql_file, ByteRange{0, sql_file->text().size()});
  OffsetMap offsets(literal, file->text());

  for (Statement& statement : parsed.statements) {
    std::string sql_text(sql_file->slice(statement.range));
    statement.range = offsets.map(statement.range);
    for (Operation& op : statement.operations) op.range = offsets.map(op.range);
    if (statement.error) {
      statement.error->range = offsets.map(statement.error->range);
      if (dialect != Dialect::PostgreSQL) {
        // MySQL/SQLite syntax is often not PostgreSQL syntax: say it was not checked, do not call it broken.
        std::string message = statement.error->message;
        statement.error.reset();
        statement.operations.clear();
        statement.operations.push_back(Operation{
            UncheckedOperation{"SQL in op.execute() that the PostgreSQL grammar does not accept (" + message +
                                   "); it was not checked for " + to_string(dialect),
                               false},
            statement.range});
      }
    }
    result.statements.push_back(std::move(statement));
  }
  for (Suppression& suppression : parsed.suppressions) {
    // Lines in the SQL text -> lines in the .py file, through the byte offsets of those lines.
    int first = file->position_of(offsets.begin(sql_file->line_start(suppression.first_line))).line;
    int last = file->position_of(offsets.begin(sql_file->line_start(suppression.last_line))).line;
    suppression.range = offsets.map(suppression.range);
    suppression.file = file;
    suppression.first_line = first;
    // A statement that ends on a later Python line than its SQL line start still counts.
    suppression.last_line = std::max(first, last);
    result.suppressions.push_back(std::move(suppression));
  }
  return result;
}

}  // namespace migsafe::alembic
