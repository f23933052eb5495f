#include "linter/sql/pg_translate.h"

#include <cctype>

namespace migsafe::pg {

std::string statement_keywords(const StatementContext& context) {
  // "CREATE POLICY", "GRANT", "COMMENT ON", "ALTER MATERIALIZED VIEW": the leading words, upper-cased,
  // stopping at the first name-like token.
  const std::vector<Token>& tokens = context.tokens();
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
  switch (node->node_case) {
    case PG_QUERY__NODE__NODE_CREATE_STMT:
      translate_create_table(context, node->create_stmt, out);
      break;
    case PG_QUERY__NODE__NODE_CREATE_TABLE_AS_STMT:
      translate_create_table_as(context, node->create_table_as_stmt, out);
      break;
    case PG_QUERY__NODE__NODE_ALTER_TABLE_STMT:
      translate_alter_table(context, node->alter_table_stmt, out);
      break;
    case PG_QUERY__NODE__NODE_INDEX_STMT:
      translate_create_index(context, node->index_stmt, out);
      break;
    case PG_QUERY__NODE__NODE_REINDEX_STMT:
      translate_reindex(context, node->reindex_stmt, out);
      break;
    case PG_QUERY__NODE__NODE_DROP_STMT:
      translate_drop(context, node->drop_stmt, out);
      break;
    case PG_QUERY__NODE__NODE_RENAME_STMT:
      translate_rename(context, node->rename_stmt, out);
      break;
    default:
      if (!translate_object_definition(context, node, out)) translate_session_or_data(context, node, out);
      break;
  }
  // Every statement yields at least one operation, so transaction tracking and downgrade checks see it.
  if (out.size() == before) emit(out, OtherStatement{statement_keywords(context)}, context.statement());
}

}  // namespace migsafe::pg
