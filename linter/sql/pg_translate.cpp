#include "linter/sql/pg_translate.h"

#include <cctype>

namespace migsafe::pg {

std::string statement_keywords(const StatementContext& context) {
  // "CREATE POLICY", "GRANT", "COMMENT ON", "ALTER MATERIALIZED VIEW": the leading words, upper-cased,
  // stopping at the first name-like token.
  std::span<const Token> tokens = context.tokens();
  std::string words;
  static constexpr std::string_view kLeading[] = {"create", "alter", "drop", "comment", "refresh", "or",
                                                  "replace", "materialized", "unique", "default", "event",
                                                  "foreign", "text", "access", "security", "set", "reset"};
  for (std::size_t i = 0; i < tokens.size() && i < 4; ++i) {
    if (tokens[i].kind != TokenKind::Word) break;
    if (!words.empty()) words += ' ';
    for (char c : tokens[i].text) words += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    bool continues = false;
    for (std::string_view leading : kLeading) continues = continues || tokens[i].is_keyword(leading);
    if (!continues) break;
  }
  return words.empty() ? "statement" : words;
}

void translate_statement(const StatementContext& context, const Node& node, Operations& out) {
  if (!node) return;
  std::size_t before = out.size();
  std::string_view type = node.type();
  if (type == "CreateStmt") {
    translate_create_table(context, node, out);
  } else if (type == "CreateTableAsStmt") {
    translate_create_table_as(context, node, out);
  } else if (type == "AlterTableStmt") {
    translate_alter_table(context, node, out);
  } else if (type == "IndexStmt") {
    translate_create_index(context, node, out);
  } else if (type == "ReindexStmt") {
    translate_reindex(context, node, out);
  } else if (type == "DropStmt") {
    translate_drop(context, node, out);
  } else if (type == "RenameStmt") {
    translate_rename(context, node, out);
  } else if (!translate_object_definition(context, node, out)) {
    translate_session_or_data(context, node, out);
  }
  // Every statement yields at least one operation, so transaction tracking and downgrade checks see it.
  if (out.size() == before) emit(out, OtherStatement{statement_keywords(context)}, context.statement());
}

}  // namespace migsafe::pg
