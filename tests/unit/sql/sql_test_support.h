// Helpers for the SQL front-end tests: parse a string as a whole file and look at what came out.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "linter/sql/postgres_front_end.h"

namespace migsafe::testing {

struct ParsedSql {
  SourceFilePtr file;
  SqlScriptResult result;

  const Statement& statement(std::size_t index) const { return result.statements.at(index); }
  const Operation& operation(std::size_t statement_index, std::size_t op_index = 0) const {
    return statement(statement_index).operations.at(op_index);
  }
  template <class T>
  const T& op(std::size_t statement_index = 0, std::size_t op_index = 0) const {
    const T* data = operation(statement_index, op_index).as<T>();
    if (data == nullptr) throw std::runtime_error("operation has another type: " + describe(operation(statement_index, op_index)));
    return *data;
  }
  std::string text(ByteRange range) const { return std::string(file->slice(range)); }
  Position start(ByteRange range) const { return file->position_of(range.begin); }
  Position end(ByteRange range) const { return file->position_of(range.end); }
};

inline ParsedSql parse_sql(std::string text) {
  ParsedSql parsed;
  parsed.file = std::make_shared<SourceFile>("test.sql", "test.sql", std::move(text));
  parsed.result = parse_postgres_script(parsed.file, ByteRange{0, parsed.file->text().size()});
  return parsed;
}

}  // namespace migsafe::testing
