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

void translate_statement(const StatementContext& context, const Node* node, Operations& out) {
  if (node == nullptr) return;
  std::size_t before = out.size();
  switch (nodeTag(node)) {
    case T_CreateStmt:
      translate_create_table(context, *as<CreateStmt>(node), out);
      break;
    case T_CreateTableAsStmt:
      translate_create_table_as(context, *as<CreateTableAsStmt>(node), out);
      break;
    case T_AlterTableStmt:
      translate_alter_table(context, *as<AlterTableStmt>(node), out);
      break;
    case T_IndexStmt:
      translate_create_index(context, *as<IndexStmt>(node), out);
      break;
    case T_ReindexStmt:
      translate_reindex(context, *as<ReindexStmt>(node), out);
      break;
    case T_DropStmt:
      translate_drop(context, *as<DropStmt>(node), out);
      break;
    case T_RenameStmt:
      translate_rename(context, *as<RenameStmt>(node), out);
      break;
    default:
      if (!translate_object_definition(context, node, out)) translate_session_or_data(context, node, out);
  }
  // Every statement yields at least one operation, so transaction tracking and downgrade checks see it.
  if (out.size() == before) emit(out, OtherStatement{statement_keywords(context)}, context.statement());
}

}  // namespace migsafe::pg
