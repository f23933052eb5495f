// identifier-too-long: a name an operation creates is longer than the engine allows (PostgreSQL: 63
// bytes, silently truncated; MySQL/MariaDB: 64 characters, rejected).
#include <cctype>
#include <cstddef>
#include <string_view>
#include <string>
#include <vector>

#include "linter/engine/rule.h"
#include "linter/util/text.h"

namespace migsafe {
namespace {

constexpr RuleInfo kInfo{
    .id = "identifier-too-long",
    .default_severity = Severity::Error,
    .category = RuleCategory::Compatibility,
    .engines = kPostgres | kMySQL,
    .summary = "An identifier longer than the engine's limit is silently truncated (PostgreSQL) or rejected (MySQL).",
    .what_it_does =
        "Checks every name an operation creates (tables, columns, indexes, constraints, enum types, sequences, "
        "views, functions, triggers, and the new name of a rename) against the engine's limit: 63 bytes on "
        "PostgreSQL (NAMEDATALEN - 1), 64 characters on MySQL and MariaDB.",
    .why =
        "PostgreSQL truncates a longer name to 63 bytes with only a NOTICE, so the object exists under a "
        "different name than the one in the migration and the code: later statements and ORM metadata that use "
        "the full name fail with `does not exist`, autogenerate sees a spurious difference, and two long names "
        "sharing their first 63 bytes collide (`already exists`). MySQL rejects the statement with "
        "`Identifier name ... is too long`, failing the deploy.",
    .safe_alternative =
        "Choose a shorter name (abbreviate, drop redundant prefixes). For SQLAlchemy, set a naming convention "
        "that stays under the limit, e.g. `\"ix\": \"ix_%(table_name)s_%(column_0_N_name)s\"` with short table "
        "names, or name long constraints explicitly.",
    .bad_example =
        "CREATE INDEX ix_customer_subscription_billing_events_processed_at_and_customer_id ON "
        "customer_subscription_billing_events (processed_at, customer_id);",
    .good_example =
        "CREATE INDEX ix_sub_billing_events_processed_customer ON customer_subscription_billing_events "
        "(processed_at, customer_id);",
    .lock = "",
    .versions = "PostgreSQL: 63 bytes unless compiled with a larger NAMEDATALEN. MySQL/MariaDB: 64 characters.",
    .references = "PostgreSQL docs 4.1.1 (identifiers); MySQL docs 11.2.1 (identifier length limits)",
};

// Points into the operation (kind names are literals): built for every CREATE/ADD/RENAME, and nearly
// all names are short enough to need nothing else.
struct CreatedName {
  std::string_view kind;    // "table", "column", "index", ...
  const std::string* name;  // never null
  ByteRange range;          // the column or constraint clause when known; empty = the operation
};

std::size_t code_points(const std::string& text) {
  std::size_t count = 0;
  for (unsigned char c : text) {
    if ((c & 0xC0) != 0x80) ++count;
  }
  return count;
}

// Calls `visit` with every name the operation creates, in the order they appear. A callback rather than
// a vector of the names: this runs for every CREATE/ADD/RENAME operation, and the vector's allocations
// cost more than the length checks.
template <class Visit>
void for_each_created_name(const Operation& op, Visit&& visit) {
  auto add = [&](std::string_view kind, const std::string& name, ByteRange range = {}) {
    if (!name.empty()) visit(CreatedName{kind, &name, range});
  };
  auto add_constraints = [&](const std::vector<ConstraintSpec>& constraints) {
    for (const ConstraintSpec& constraint : constraints) add("constraint", constraint.name, constraint.range);
  };
  auto add_column = [&](const ColumnSpec& column) {
    add("column", column.name, column.range);
    add_constraints(column.constraints);
  };
  if (const auto* create = op.as<CreateTable>()) {
    add("table", create->table.name);
    for (const ColumnSpec& column : create->columns) add_column(column);
    add_constraints(create->constraints);
  } else if (const auto* column = op.as<AddColumn>()) {
    add_column(column->column);
  } else if (const auto* rename = op.as<RenameTable>()) {
    add("table", rename->new_name);
  } else if (const auto* rename_column = op.as<RenameColumn>()) {
    add("column", rename_column->new_name);
  } else if (const auto* constraint = op.as<AddConstraint>()) {
    add("constraint", constraint->constraint.name);
  } else if (const auto* index = op.as<CreateIndex>()) {
    add("index", index->index.name);
  } else if (const auto* rename_index = op.as<RenameIndex>()) {
    add("index", rename_index->new_name);
  } else if (const auto* type = op.as<CreateEnumType>()) {
    add("type", type->type.name);
  } else if (const auto* sequence = op.as<CreateSequence>()) {
    add("sequence", sequence->sequence.name);
  } else if (const auto* object = op.as<CreateObject>()) {
    add(to_string(object->kind), object->name.name);
  }
}

// What PostgreSQL keeps of a long name: the first 63 bytes, cut back to a whole UTF-8 character.
std::string truncated(const std::string& name) {
  if (name.size() <= 63) return name;
  std::size_t length = 63;
  while (length > 0 && (static_cast<unsigned char>(name[length]) & 0xC0) == 0x80) --length;
  return name.substr(0, length);
}

// Identifiers longer than 63 bytes written in SQL text, as PostgreSQL folds them (unquoted ones
// lower-cased). PostgreSQL's own parser (and so the SQL front end) hands over names already truncated,
// so the full name written by the user is recovered from the statement text.
std::vector<std::string> long_identifiers_in(std::string_view text) {
  std::vector<std::string> result;
  auto ident_start = [](unsigned char c) { return std::isalpha(c) || c == '_' || c >= 0x80; };
  auto ident_char = [](unsigned char c) { return std::isalnum(c) || c == '_' || c == '$' || c >= 0x80; };
  std::size_t i = 0;
  while (i < text.size()) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '-' && i + 1 < text.size() && text[i + 1] == '-') {
      while (i < text.size() && text[i] != '\n') ++i;
    } else if (c == '/' && i + 1 < text.size() && text[i + 1] == '*') {
      std::size_t end = text.find("*/", i + 2);
      i = end == std::string_view::npos ? text.size() : end + 2;
    } else if (c == '\'') {
      for (++i; i < text.size(); ++i) {
        if (text[i] == '\'' && i + 1 < text.size() && text[i + 1] == '\'') { ++i; continue; }
        if (text[i] == '\'') { ++i; break; }
      }
    } else if (c == '$' && i + 1 < text.size() && (text[i + 1] == '$' || ident_start(static_cast<unsigned char>(text[i + 1])))) {
      std::size_t tag_end = text.find('$', i + 1);
      if (tag_end == std::string_view::npos) break;
      std::string_view tag = text.substr(i, tag_end - i + 1);
      std::size_t close = text.find(tag, tag_end + 1);
      i = close == std::string_view::npos ? text.size() : close + tag.size();
    } else if (c == '"') {
      std::string name;
      for (++i; i < text.size(); ++i) {
        if (text[i] == '"' && i + 1 < text.size() && text[i + 1] == '"') { name += '"'; ++i; continue; }
        if (text[i] == '"') { ++i; break; }
        name += text[i];
      }
      if (name.size() > 63) result.push_back(name);
    } else if (ident_start(c)) {
      std::size_t begin = i;
      while (i < text.size() && ident_char(static_cast<unsigned char>(text[i]))) ++i;
      if (i - begin > 63) {
        result.push_back(ascii_lowered(text.substr(begin, i - begin)));
      }
    } else {
      ++i;
    }
  }
  return result;
}

class IdentifierTooLong final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  OperationKinds inspected_operations() const override {
    return operation_kinds<CreateTable, AddColumn, RenameTable, RenameColumn, AddConstraint, CreateIndex, RenameIndex,
                           CreateEnumType, CreateSequence, CreateObject>();
  }

  void check_operation(const OperationContext& context) const override {
    for_each_created_name(context.op, [&](const CreatedName& created) { check_name(context, created); });
  }

 private:
  static void check_name(const OperationContext& context, const CreatedName& created) {
    const std::string& name = *created.name;
    if (context.is_postgres()) {
      if (name.size() < 60) return;
      const std::string kind(created.kind);
      std::string full = name;
      if (full.size() <= 63) {
        // Possibly already truncated by the parser: look for the name as written.
        for (const std::string& written : long_identifiers_in(context.statement_text())) {
          if (truncated(written) == full) full = written;
        }
        if (full.size() <= 63) return;
      }
      report(context, created,
          "PostgreSQL silently truncates the " + kind + " name `" + full + "` (" +
              std::to_string(full.size()) + " bytes) to 63 bytes, so the " + kind +
              " is created as `" + truncated(full) +
              "` and later statements or ORM metadata using the full name fail with `does not exist`.",
          "Rename the " + kind + " to at most 63 bytes (e.g. abbreviate `" + full +
              "`), and use the same short name in the model and in later migrations.");
    } else if (context.is_mysql()) {
      std::size_t length = code_points(name);
      if (length <= 64) return;
      const std::string kind(created.kind);
      report(context, created, "MySQL rejects this statement (`Identifier name '" + name +
                         "' is too long`) because the " + kind + " name has " + std::to_string(length) +
                         " characters, more than the 64 allowed, so the deploy fails.",
                     "Rename the " + kind + " to at most 64 characters (e.g. abbreviate `" + name +
                         "`), and use the same short name in the model and in later migrations.");
    }
  }

  static void report(const OperationContext& context, const CreatedName& created, std::string message,
                     std::string help) {
    if (created.range.empty()) {
      context.report(std::move(message), std::move(help));
      return;
    }
    context.report_at(context.script.file, created.range, std::move(message), std::move(help), context.migration.id,
                      std::string(context.statement_text()));
  }
};

MIGSAFE_REGISTER_RULE(IdentifierTooLong);

}  // namespace
}  // namespace migsafe
