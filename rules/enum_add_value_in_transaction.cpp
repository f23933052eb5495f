// enum-add-value-in-transaction: ALTER TYPE ... ADD VALUE inside a transaction block on PostgreSQL < 12,
// or on any version when the new value is used before the transaction commits.
#include "linter/engine/rule.h"
#include "rules/rule_support.h"

namespace migsafe {
namespace {

constexpr RuleInfo kInfo{
    .id = "enum-add-value-in-transaction",
    .default_severity = Severity::Error,
    .category = RuleCategory::Locks,
    .engines = kPostgres,
    .summary = "ALTER TYPE ... ADD VALUE fails inside a transaction before PostgreSQL 12, and its value cannot be used before COMMIT.",
    .what_it_does =
        "Flags `ALTER TYPE ... ADD VALUE` that runs inside a transaction block (explicit BEGIN, the runner's "
        "transaction, or an implicit multi-statement transaction) when the target is PostgreSQL < 12, and on "
        "any version when a later statement of the same transaction uses the new value as a string literal. "
        "Enum types created earlier in the same migration are exempt.",
    .why =
        "Before PostgreSQL 12, ADD VALUE cannot run inside a transaction block at all: the migration fails with "
        "`ALTER TYPE ... ADD cannot run inside a transaction block`. From 12 on it may run in a transaction, "
        "but the new value cannot be used until the transaction commits: the statement that uses it fails with "
        "`unsafe use of new value`, and the whole migration rolls back.",
    .safe_alternative =
        "Add the value in its own migration that runs outside a transaction (Alembic: inside "
        "`with op.get_context().autocommit_block():`), and use it in a later migration.",
    .bad_example =
        "BEGIN;\n"
        "ALTER TYPE order_status ADD VALUE 'refunded';\n"
        "UPDATE orders SET status = 'refunded' WHERE refunded_at IS NOT NULL;\n"
        "COMMIT;",
    .good_example =
        "-- migration 1 (no transaction)\n"
        "ALTER TYPE order_status ADD VALUE IF NOT EXISTS 'refunded';\n"
        "-- migration 2\n"
        "UPDATE orders SET status = 'refunded' WHERE refunded_at IS NOT NULL;",
    .lock = "No table lock (ACCESS EXCLUSIVE on the type's catalog entry only).",
    .versions = "PostgreSQL < 12: not allowed in a transaction block. PostgreSQL 12+: allowed, value unusable until COMMIT.",
    .references = "engines.md 1.2 #54, 1.3 and section 5 #5",
};

bool ends_transaction(const Statement& statement) {
  for (const Operation& op : statement.operations) {
    if (const auto* control = op.as<TransactionControl>()) {
      if (control->kind == TransactionControlKind::Commit || control->kind == TransactionControlKind::Rollback) {
        return true;
      }
    }
  }
  return false;
}

bool adds_enum_value(const Statement& statement) {
  for (const Operation& op : statement.operations) {
    if (op.is<AddEnumValue>()) return true;
  }
  return false;
}

class EnumAddValueInTransaction final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  OperationKinds inspected_operations() const override { return operation_kinds<AddEnumValue>(); }

  void check_operation(const OperationContext& context) const override {
    const auto* add = context.op.as<AddEnumValue>();
    if (!add || !context.is_postgres() || !context.in_transaction()) return;
    // A type created in the same transaction may be extended and used freely (no index can hold its values).
    if (context.state.is_new_type(add->type)) return;
    std::string type = add->type.display();
    std::string_view where = rules::transaction_description(context.statement.transaction);
    std::string_view advice = context.migration.layout == "alembic"
                             ? "Run it inside `with op.get_context().autocommit_block():`"
                             : rules::leave_transaction_advice(context.statement.transaction);

    if (context.target_version().major < 12) {
      context.report_statement(
          "`ALTER TYPE " + type + " ADD VALUE '" + add->value + "'` fails with `ERROR: ALTER TYPE ... ADD cannot run "
              "inside a transaction block` on " + rules::postgres_version_text(context.target_version()) +
              " because it runs " + std::string(where) + ", so the deploy stops here.",
          rules::concat({advice, " Use the new value only in a later migration."}));
      return;
    }
    std::optional<int> use_line = first_use_in_transaction(context, add->value);
    if (!use_line) return;
    context.report_statement(
        "The new value '" + add->value + "' of enum `" + type + "` is used at line " + std::to_string(*use_line) +
            " before the transaction commits, so that statement fails with `ERROR: unsafe use of new value \"" +
            add->value + "\" of enum type " + add->type.name + "` and the whole migration rolls back.",
        "Commit between adding the value and using it: add the value in its own migration (outside a "
        "transaction, or committed before the next one) and move the statements that use '" + add->value +
            "' to a later migration.");
  }

 private:
  // The line of the first later statement in the same transaction block that has the value as a string literal.
  static std::optional<int> first_use_in_transaction(const OperationContext& context, const std::string& value) {
    const std::vector<Statement>& statements = context.script.statements;
    std::size_t index = 0;
    while (index < statements.size() && &statements[index] != &context.statement) ++index;
    const SourceFile& file = *context.script.file;
    bool python = file.path().size() > 3 && file.path().compare(file.path().size() - 3, 3, ".py") == 0;
    for (std::size_t i = index + 1; i < statements.size(); ++i) {
      const Statement& statement = statements[i];
      if (statement.transaction == TransactionSource::None || ends_transaction(statement)) break;
      if (adds_enum_value(statement)) continue;  // ADD VALUE ... AFTER 'new' is not a use of the value
      std::string_view text = file.slice(statement.range);
      std::vector<rules::StringLiteral> literals =
          python ? rules::python_string_literals(text) : rules::sql_string_literals(text);
      for (const rules::StringLiteral& literal : literals) {
        if (literal.value == value) return file.position_of(statement.range.begin + literal.offset).line;
      }
    }
    return std::nullopt;
  }
};

MIGSAFE_REGISTER_RULE(EnumAddValueInTransaction);

}  // namespace
}  // namespace migsafe
