// CREATE INDEX and REINDEX.
#include "linter/sql/pg_translate.h"

namespace migsafe::pg {

namespace {

// The index's element list `( ... )` after `ON [ONLY] table [USING method]`, and whether USING was written.
struct IndexLayout {
  std::size_t open = 0;    // the `(` of the element list
  std::size_t close = 0;   // one past its `)`
  bool method_written = false;
};

std::optional<IndexLayout> index_layout(const StatementContext& context, const IndexStmt& stmt) {
  if (stmt.relation == nullptr) return std::nullopt;
  std::optional<std::size_t> name = context.token_at_location(stmt.relation->location);
  if (!name) return std::nullopt;
  std::span<const Token> tokens = context.tokens();
  std::size_t after_name = context.skip_name(*name);
  IndexLayout layout;
  layout.open = context.find_open_paren(after_name, tokens.size());
  if (layout.open >= tokens.size()) return std::nullopt;
  layout.method_written = context.find_keyword(after_name, layout.open, "using") < layout.open;
  layout.close = context.after_matching(layout.open);
  return layout;
}

// An element's expression as written: `(lower(email))` -> `lower(email)`, `lower(email) text_pattern_ops`
// -> `lower(email)`.
std::string element_expression(const StatementContext& context, std::size_t first, std::size_t last) {
  std::span<const Token> tokens = context.tokens();
  if (first >= last) return {};
  if (tokens[first].is('(')) {
    std::size_t after = context.after_matching(first);
    return context.span_text(first + 1, std::min(after, last) - 1);
  }
  std::size_t open = context.find_open_paren(first, last);
  if (open < last) return context.span_text(first, std::min(context.after_matching(open), last));
  return context.span_text(first, last);
}

}  // namespace

void translate_create_index(const StatementContext& context, const IndexStmt& stmt, Operations& out) {
  IndexSpec index;
  index.name = text(stmt.idxname);
  index.table = name_from_range_var(stmt.relation);
  index.unique = stmt.unique;
  index.concurrently = stmt.concurrent;
  index.if_not_exists = stmt.if_not_exists;
  std::optional<IndexLayout> layout = index_layout(context, stmt);
  // The grammar fills in "btree" when no USING was written; empty means "the default" in the model.
  std::string_view method = text(stmt.accessMethod);
  if (layout ? layout->method_written : method != "btree") index.method = method;

  NodeRange parameters = nodes(stmt.indexParams);
  std::size_t parameter_count = parameters.size();
  // Element texts, needed only for expression elements (plain columns have their name in the tree):
  // split the element list at its top-level commas.
  bool any_expression = false;
  for (const Node* parameter : parameters) {
    const IndexElem* element = as<IndexElem>(parameter);
    if (element != nullptr && text(element->name).empty()) any_expression = true;
  }
  std::vector<std::pair<std::size_t, std::size_t>> elements;
  if (layout && any_expression) {
    std::size_t i = layout->open + 1;
    std::size_t end = layout->close - 1;
    while (i < end) {
      std::size_t item = std::min(context.item_end(i), end);
      elements.emplace_back(i, item);
      i = item + 1;
    }
  }
  index.columns.reserve(parameter_count);
  std::size_t i = 0;
  for (const Node* parameter : parameters) {
    std::size_t index_of_element = i++;
    const IndexElem* element = as<IndexElem>(parameter);
    if (element == nullptr) continue;
    if (std::string_view column = text(element->name); !column.empty()) {
      index.columns.emplace_back(column);
    } else if (elements.size() == parameter_count) {
      index.columns.push_back(
          element_expression(context, elements[index_of_element].first, elements[index_of_element].second));
    } else {
      index.columns.emplace_back("<expression>");
    }
  }
  if (stmt.whereClause != nullptr && layout) {
    std::span<const Token> tokens = context.tokens();
    std::size_t where = context.find_keyword(layout->close, tokens.size(), "where");
    if (where < tokens.size()) index.where = context.span_text(where + 1, tokens.size());
  }
  emit(out, CreateIndex{std::move(index)}, context.statement());
}

void translate_reindex(const StatementContext& context, const ReindexStmt& stmt, Operations& out) {
  Reindex reindex;
  switch (stmt.kind) {
    case REINDEX_OBJECT_INDEX:
      reindex.target = ReindexTarget::Index;
      break;
    case REINDEX_OBJECT_TABLE:
      reindex.target = ReindexTarget::Table;
      break;
    case REINDEX_OBJECT_SCHEMA:
      reindex.target = ReindexTarget::Schema;
      break;
    case REINDEX_OBJECT_DATABASE:
      reindex.target = ReindexTarget::Database;
      break;
    default:
      reindex.target = ReindexTarget::System;
  }
  if (stmt.relation != nullptr) {
    reindex.name = name_from_range_var(stmt.relation);
  } else {
    reindex.name.name = text(stmt.name);
  }
  reindex.concurrently = option_enabled(stmt.params, "concurrently");
  emit(out, std::move(reindex), context.statement());
}

}  // namespace migsafe::pg
