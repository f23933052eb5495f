// missing-downgrade and incomplete-downgrade on up/down pairs parsed by the SQL front end.
#include <gtest/gtest.h>

#include "tests/unit/history/history_support.h"

namespace migsafe::testing {
namespace {

std::vector<Finding> incomplete(const std::string& up, const std::string& down) {
  return lint(project_of({sql_migration("20240101120000", up, down)}), "incomplete-downgrade");
}

// The upgrade lines the findings start on, in order.
std::vector<int> lines(const std::vector<Finding>& findings) {
  std::vector<int> result;
  for (const Finding& finding : findings) result.push_back(finding.start.line);
  return result;
}

std::string messages(const std::vector<Finding>& findings) {
  std::string text;
  for (const Finding& finding : findings) text += finding.path + ":" + std::to_string(finding.start.line) + ": " + finding.message + "\n";
  return text;
}

// ---- created but not dropped --------------------------------------------------------------------------

TEST(IncompleteDowngrade, TableCreatedButNotDropped) {
  auto findings = incomplete("CREATE TABLE invoices (id bigint PRIMARY KEY);\nCREATE TABLE invoice_lines (id bigint);\n",
                             "DROP TABLE invoice_lines;\n");
  ASSERT_EQ(findings.size(), 1u) << messages(findings);
  EXPECT_EQ(findings[0].start.line, 1);
  EXPECT_EQ(findings[0].path, "migrations/20240101120000_change.up.sql");
  EXPECT_NE(findings[0].message.find("the downgrade does not drop table `invoices` created here"), std::string::npos)
      << findings[0].message;
  EXPECT_NE(findings[0].help.find("DROP TABLE invoices;"), std::string::npos) << findings[0].help;
  EXPECT_EQ(findings[0].severity, Severity::Error);
}

TEST(IncompleteDowngrade, ColumnAddedButNotDropped) {
  auto findings = incomplete("ALTER TABLE users ADD COLUMN bio text;\nALTER TABLE users ADD COLUMN locale text;\n",
                             "ALTER TABLE users DROP COLUMN locale;\n");
  ASSERT_EQ(lines(findings), std::vector<int>{1}) << messages(findings);
  EXPECT_NE(findings[0].message.find("column `users.bio`"), std::string::npos) << findings[0].message;
  EXPECT_NE(findings[0].help.find("ALTER TABLE users DROP COLUMN bio;"), std::string::npos);
}

TEST(IncompleteDowngrade, IndexCreatedButNotDropped) {
  auto findings = incomplete("CREATE INDEX CONCURRENTLY ix_orders_created_at ON orders (created_at);\n",
                             "SELECT 1;\n");
  ASSERT_EQ(findings.size(), 1u) << messages(findings);
  EXPECT_NE(findings[0].message.find("the downgrade does not drop index `ix_orders_created_at` created here"),
            std::string::npos)
      << findings[0].message;
}

TEST(IncompleteDowngrade, NamedAndUnnamedConstraints) {
  const std::string up =
      "ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total_cents >= 0) NOT VALID;\n"
      "ALTER TABLE orders ADD FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;\n";
  auto none = incomplete(up, "ALTER TABLE orders DROP CONSTRAINT orders_customer_id_fkey;\n"
                             "ALTER TABLE orders DROP CONSTRAINT orders_total_positive;\n");
  EXPECT_TRUE(none.empty()) << messages(none);
  auto both = incomplete(up, "SELECT 1;\n");
  EXPECT_EQ(lines(both), (std::vector<int>{1, 2})) << messages(both);
}

TEST(IncompleteDowngrade, EnumTypeLeftBehindByDropTable) {
  // The classic Alembic downgrade -> upgrade failure: dropping the table does not drop its enum type.
  auto findings = incomplete(
      "CREATE TYPE order_status AS ENUM ('new', 'paid');\n"
      "CREATE TABLE orders (id bigint PRIMARY KEY, status order_status NOT NULL);\n",
      "DROP TABLE orders;\n");
  ASSERT_EQ(lines(findings), std::vector<int>{1}) << messages(findings);
  EXPECT_NE(findings[0].message.find("type `order_status`"), std::string::npos);
  EXPECT_NE(findings[0].help.find("DROP TYPE order_status;"), std::string::npos);
}

TEST(IncompleteDowngrade, SequenceViewFunctionTriggerExtension) {
  const std::string up =
      "CREATE SEQUENCE invoice_numbers;\n"
      "CREATE VIEW paid_orders AS SELECT * FROM orders WHERE status = 'paid';\n"
      "CREATE FUNCTION touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at = now(); RETURN NEW; END $$;\n"
      "CREATE TRIGGER orders_touch BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION touch_updated_at();\n"
      "CREATE EXTENSION IF NOT EXISTS pg_trgm;\n";
  auto all = incomplete(up, "SELECT 1;\n");
  EXPECT_EQ(lines(all), (std::vector<int>{1, 2, 3, 4, 5})) << messages(all);
  auto none = incomplete(up,
                         "DROP EXTENSION IF EXISTS pg_trgm;\n"
                         "DROP TRIGGER orders_touch ON orders;\n"
                         "DROP FUNCTION touch_updated_at();\n"
                         "DROP VIEW paid_orders;\n"
                         "DROP SEQUENCE invoice_numbers;\n");
  EXPECT_TRUE(none.empty()) << messages(none);
}

// ---- dropped, renamed or altered but not restored -------------------------------------------------------

TEST(IncompleteDowngrade, DroppedTableAndColumnNotRestored) {
  auto findings = incomplete("DROP TABLE legacy_sessions;\nALTER TABLE users DROP COLUMN legacy_token;\n",
                             "SELECT 1;\n");
  ASSERT_EQ(lines(findings), (std::vector<int>{1, 2})) << messages(findings);
  EXPECT_NE(findings[0].message.find("does not recreate table `legacy_sessions` dropped here"), std::string::npos);
  EXPECT_NE(findings[1].message.find("does not re-add column `users.legacy_token` dropped here"), std::string::npos);
  auto restored = incomplete("DROP TABLE legacy_sessions;\nALTER TABLE users DROP COLUMN legacy_token;\n",
                             "ALTER TABLE users ADD COLUMN legacy_token text;\n"
                             "CREATE TABLE legacy_sessions (id bigint PRIMARY KEY, token text);\n");
  EXPECT_TRUE(restored.empty()) << messages(restored);
}

TEST(IncompleteDowngrade, DroppedIndexAndConstraintNotRestored) {
  auto findings = incomplete("DROP INDEX CONCURRENTLY ix_users_email;\nALTER TABLE users DROP CONSTRAINT users_email_key;\n",
                             "SELECT 1;\n");
  EXPECT_EQ(lines(findings), (std::vector<int>{1, 2})) << messages(findings);
  auto restored = incomplete("DROP INDEX CONCURRENTLY ix_users_email;\nALTER TABLE users DROP CONSTRAINT users_email_key;\n",
                             "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);\n"
                             "CREATE INDEX CONCURRENTLY ix_users_email ON users (email);\n");
  EXPECT_TRUE(restored.empty()) << messages(restored);
}

TEST(IncompleteDowngrade, RenamesNotReverted) {
  const std::string up =
      "ALTER TABLE customers RENAME TO clients;\n"
      "ALTER TABLE users RENAME COLUMN email TO email_address;\n"
      "ALTER INDEX ix_users_email RENAME TO ix_users_email_address;\n";
  auto findings = incomplete(up, "SELECT 1;\n");
  ASSERT_EQ(lines(findings), (std::vector<int>{1, 2, 3})) << messages(findings);
  EXPECT_NE(findings[0].help.find("ALTER TABLE clients RENAME TO customers;"), std::string::npos) << findings[0].help;
  EXPECT_NE(findings[1].help.find("ALTER TABLE users RENAME COLUMN email_address TO email;"), std::string::npos);
  // Renaming the wrong way round is not a revert.
  auto wrong = incomplete(up,
                          "ALTER INDEX ix_users_email_address RENAME TO ix_users_email;\n"
                          "ALTER TABLE users RENAME COLUMN email TO email_address;\n"
                          "ALTER TABLE clients RENAME TO customers;\n");
  EXPECT_EQ(lines(wrong), std::vector<int>{2}) << messages(wrong);
}

TEST(IncompleteDowngrade, AlteredColumnsNotAlteredBack) {
  const std::string up =
      "ALTER TABLE orders ALTER COLUMN total TYPE bigint;\n"
      "ALTER TABLE orders ALTER COLUMN status SET NOT NULL;\n"
      "ALTER TABLE orders ALTER COLUMN note DROP NOT NULL;\n"
      "ALTER TABLE orders ALTER COLUMN currency DROP DEFAULT;\n"
      "ALTER TABLE orders ALTER COLUMN created_at SET DEFAULT now();\n";
  auto findings = incomplete(up, "SELECT 1;\n");
  EXPECT_EQ(lines(findings), (std::vector<int>{1, 2, 3, 4, 5})) << messages(findings);
  auto reverted = incomplete(up,
                             "ALTER TABLE orders ALTER COLUMN created_at DROP DEFAULT;\n"
                             "ALTER TABLE orders ALTER COLUMN currency SET DEFAULT 'EUR';\n"
                             "ALTER TABLE orders ALTER COLUMN note SET NOT NULL;\n"
                             "ALTER TABLE orders ALTER COLUMN status DROP NOT NULL;\n"
                             "ALTER TABLE orders ALTER COLUMN total TYPE integer;\n");
  EXPECT_TRUE(reverted.empty()) << messages(reverted);
  // Dropping a default again is not restoring the one the upgrade removed.
  auto wrong = incomplete("ALTER TABLE orders ALTER COLUMN currency DROP DEFAULT;\n",
                          "ALTER TABLE orders ALTER COLUMN currency DROP DEFAULT;\n");
  EXPECT_EQ(wrong.size(), 1u) << messages(wrong);
}

// ---- complete downgrades --------------------------------------------------------------------------------

TEST(IncompleteDowngrade, CompleteDowngradeHasNoFinding) {
  auto findings = incomplete(
      "CREATE TYPE order_status AS ENUM ('new', 'paid');\n"
      "CREATE TABLE public.orders (\n"
      "  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,\n"
      "  customer_id bigint NOT NULL REFERENCES customers (id),\n"
      "  status order_status NOT NULL DEFAULT 'new'\n"
      ");\n"
      "CREATE INDEX ix_orders_customer_id ON orders (customer_id);\n"
      "ALTER TABLE customers ADD COLUMN orders_count bigint NOT NULL DEFAULT 0;\n"
      "CREATE INDEX CONCURRENTLY ix_customers_orders_count ON customers (orders_count);\n"
      "ALTER TABLE customers RENAME COLUMN name TO full_name;\n"
      "ALTER TABLE customers ALTER COLUMN email SET NOT NULL;\n",
      "ALTER TABLE customers ALTER COLUMN email DROP NOT NULL;\n"
      "ALTER TABLE customers RENAME COLUMN full_name TO name;\n"
      "DROP INDEX CONCURRENTLY IF EXISTS IX_CUSTOMERS_ORDERS_COUNT;\n"
      "ALTER TABLE customers DROP COLUMN orders_count;\n"
      "DROP TABLE orders;\n"
      "DROP TYPE public.order_status;\n");
  EXPECT_TRUE(findings.empty()) << messages(findings);
}

TEST(IncompleteDowngrade, TableDropCoversItsColumnsIndexesConstraintsAndTriggers) {
  auto findings = incomplete(
      "CREATE TABLE audit_events (id bigint PRIMARY KEY);\n"
      "ALTER TABLE audit_events ADD COLUMN payload jsonb;\n"
      "CREATE INDEX ix_audit_events_payload ON audit_events USING gin (payload);\n"
      "ALTER TABLE audit_events ADD CONSTRAINT audit_events_payload_object CHECK (jsonb_typeof(payload) = 'object');\n"
      "CREATE TRIGGER audit_events_touch BEFORE UPDATE ON audit_events FOR EACH ROW EXECUTE FUNCTION touch();\n"
      "ALTER TABLE users ADD COLUMN last_event_id bigint;\n"
      "CREATE INDEX ix_users_last_event_id ON users (last_event_id);\n",
      "ALTER TABLE users DROP COLUMN last_event_id;\n"
      "DROP TABLE audit_events;\n");
  EXPECT_TRUE(findings.empty()) << messages(findings);
}

TEST(IncompleteDowngrade, UnnamedIndexMatchedByGeneratedName) {
  const std::string up = "CREATE INDEX CONCURRENTLY ON orders (created_at, status);\n";
  EXPECT_TRUE(incomplete(up, "DROP INDEX CONCURRENTLY orders_created_at_status_idx;\n").empty());
  auto findings = incomplete(up, "DROP INDEX CONCURRENTLY ix_something_else;\n");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_NE(findings[0].help.find("orders_created_at_status_idx"), std::string::npos) << findings[0].help;
}

TEST(IncompleteDowngrade, WorkTablesCancelledWithinTheUpgrade) {
  auto findings = incomplete(
      "CREATE TABLE tmp_ids (id bigint);\n"
      "INSERT INTO tmp_ids SELECT id FROM users WHERE deleted_at IS NOT NULL;\n"
      "DELETE FROM sessions WHERE user_id IN (SELECT id FROM tmp_ids);\n"
      "DROP TABLE tmp_ids;\n"
      "ALTER TABLE users ADD COLUMN scratch text;\n"
      "ALTER TABLE users DROP COLUMN scratch;\n",
      "SELECT 1;\n");
  EXPECT_TRUE(findings.empty()) << messages(findings);
}

TEST(IncompleteDowngrade, TableRenamedInUpgradeIsDroppedUnderEitherName) {
  auto findings = incomplete("CREATE TABLE users_new (id bigint PRIMARY KEY);\nALTER TABLE users_new RENAME TO accounts;\n",
                             "DROP TABLE accounts;\n");
  EXPECT_TRUE(findings.empty()) << messages(findings);
}

TEST(IncompleteDowngrade, QuietWhenTheDowngradeCannotBeRead) {
  auto findings = incomplete("CREATE TABLE invoices (id bigint);\n", "DROP TABLE invoices WHERE;\n");
  EXPECT_TRUE(findings.empty()) << messages(findings);
}

TEST(IncompleteDowngrade, QuietWhenTheWholeDowngradeIsMissing) {
  Project project = project_of({sql_migration("1", "CREATE TABLE invoices (id bigint);\n", std::nullopt)});
  EXPECT_TRUE(lint(project, "incomplete-downgrade").empty());
  EXPECT_EQ(lint(project, "missing-downgrade").size(), 1u);
}

// ---- missing-downgrade ------------------------------------------------------------------------------------

TEST(MissingDowngrade, MissingDownFileIsAnErrorWithTheRecipe) {
  Project project = project_of({sql_migration(
      "20240101120000", "CREATE TABLE invoices (id bigint);\nCREATE INDEX ix_invoices_id ON invoices (id);\n"
                        "ALTER TABLE users ADD COLUMN invoice_id bigint;\n",
      std::nullopt)});
  auto findings = lint(project, "missing-downgrade");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].severity, Severity::Error);
  EXPECT_EQ(findings[0].path, "migrations/20240101120000_change.up.sql");
  EXPECT_EQ(findings[0].start.line, 1);
  // The recipe undoes the upgrade in reverse order.
  const std::string& help = findings[0].help;
  std::size_t column = help.find("ALTER TABLE users DROP COLUMN invoice_id;");
  std::size_t table = help.find("DROP TABLE invoices;");
  ASSERT_NE(column, std::string::npos) << help;
  ASSERT_NE(table, std::string::npos) << help;
  EXPECT_LT(column, table) << help;
}

TEST(MissingDowngrade, EmptyDownFileIsAnError) {
  Project project = project_of({sql_migration("2", "ALTER TABLE users ADD COLUMN bio text;\n", "-- nothing\n",
                                              DowngradeState::Empty)});
  auto findings = lint(project, "missing-downgrade");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].path, "migrations/2_change.down.sql");
  EXPECT_NE(findings[0].message.find("empty"), std::string::npos);
  EXPECT_TRUE(lint(project, "incomplete-downgrade").empty());
}

TEST(MissingDowngrade, IrreversibleMarkerIsANoteUnlessDowngradesAreRequired) {
  Project project = project_of({sql_migration("3", "DELETE FROM sessions WHERE expires_at < now();\n", std::nullopt,
                                              DowngradeState::Irreversible)});
  auto findings = lint(project, "missing-downgrade");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].severity, Severity::Note);
  LintSettings strict;
  strict.require_downgrades = true;
  auto required = lint(project, "missing-downgrade", strict);
  ASSERT_EQ(required.size(), 1u);
  EXPECT_EQ(required[0].severity, Severity::Error);
}

TEST(MissingDowngrade, LayoutsWithoutDowngradesAndEmptyUpgradesAreFine) {
  Migration plain = sql_migration("4", "ALTER TABLE users ADD COLUMN bio text;\n", std::nullopt);
  plain.downgrade_state = DowngradeState::NotApplicable;
  Migration merge = revision("c3", {"a1", "b2"});  // an Alembic merge revision: nothing to undo
  EXPECT_TRUE(lint(project_of({plain}), "missing-downgrade").empty());
  EXPECT_TRUE(lint(project_of({revision("a1", {}), revision("b2", {}), merge}, "alembic"), "missing-downgrade").empty());
}

// ---- transaction-nesting in downgrades --------------------------------------------------------------------

TEST(TransactionNesting, DowngradeScriptsAreCheckedToo) {
  Project project = project_of({sql_migration("5", "ALTER TABLE users ADD COLUMN bio text;\n",
                                              "BEGIN;\nALTER TABLE users DROP COLUMN bio;\nCOMMIT;\n")});
  auto findings = lint(project, "transaction-nesting");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].path, "migrations/5_change.down.sql");
  EXPECT_EQ(findings[0].start.line, 1);
}

}  // namespace
}  // namespace migsafe::testing
