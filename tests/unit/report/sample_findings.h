// A fixed set of findings for the reporter tests and the SARIF sample writer: several files, a tab and
// wide characters before a span, a multi-line statement, two identical statements in one file, a path
// with a space and a comma, a message full of characters every format must escape, a project-level
// finding without a file, and a rule id that no RuleInfo describes.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "linter/engine/rule.h"
#include "linter/model/finding.h"
#include "linter/model/source.h"
#include "linter/report/reporter.h"

namespace migsafe::testing {

// Finding on the `occurrence`-th (0-based) appearance of `needle` in the file, positions computed by
// SourceFile::position_of like the engine does.
inline Finding finding_at(const SourceFilePtr& file, std::string rule, Severity severity, std::string_view needle,
                          std::string message, std::string help, int occurrence = 0) {
  std::size_t begin = file->text().find(needle);
  for (int i = 0; i < occurrence && begin != std::string::npos; ++i) begin = file->text().find(needle, begin + 1);
  if (begin == std::string::npos) begin = 0;
  Finding finding;
  finding.rule_id = std::move(rule);
  finding.severity = severity;
  finding.file = file;
  finding.path = file->display_path();
  finding.range = ByteRange{begin, begin + needle.size()};
  finding.start = file->position_of(finding.range.begin);
  finding.end = file->position_of(finding.range.end);
  finding.message = std::move(message);
  finding.help = std::move(help);
  finding.fingerprint_text = std::string(file->slice(finding.range));
  return finding;
}

inline SourceFilePtr sample_file(std::string path, std::string text) {
  return std::make_shared<const SourceFile>(path, path, std::move(text));
}

inline std::vector<Finding> sample_findings() {
  auto add_email = sample_file("migrations/0002_add_email.sql",
                               "-- Add the email column and its index.\n"
                               "ALTER TABLE users ADD COLUMN email text NOT NULL;\n"
                               "CREATE INDEX users_email ON users (email);\n");
  auto unicode = sample_file("migrations/0003_unicode.sql",
                             "UPDATE \"用户\"\tSET name = 'é';\n"
                             "\tALTER TABLE \"用户\" ALTER COLUMN \"名前\" TYPE bigint;\n");
  auto multiline = sample_file("migrations/0004_multiline.sql",
                               "ALTER TABLE orders\n"
                               "    ADD CONSTRAINT orders_customer_fk\n"
                               "    FOREIGN KEY (customer_id)\n"
                               "    REFERENCES customers (id)\n"
                               "    ON DELETE CASCADE;\n"
                               "DROP INDEX idx_orders_state;\n"
                               "DROP INDEX idx_orders_state;\n");
  auto odd = sample_file("migrations/odd name, v2.sql", "ALTER TABLE t RENAME COLUMN a TO b;\r\n");

  std::vector<Finding> findings;
  findings.push_back(finding_at(
      add_email, "adding-not-null-column", Severity::Error, "ALTER TABLE users ADD COLUMN email text NOT NULL;",
      "Adding NOT NULL column `email` to existing table `users` without a default fails as soon as the table has "
      "rows (existing rows have no value for it).",
      "Give the column a constant default: `ALTER TABLE users ADD COLUMN email text NOT NULL DEFAULT <value>;`, or "
      "add it nullable, backfill in batches, then enforce NOT NULL with `CHECK (email IS NOT NULL) NOT VALID` + "
      "`VALIDATE CONSTRAINT` + `SET NOT NULL`."));
  findings.push_back(finding_at(add_email, "blocking-index-build", Severity::Error,
                                "CREATE INDEX users_email ON users (email);",
                                "Building index `users_email` without CONCURRENTLY blocks all writes to `users` until "
                                "the build finishes.",
                                "Use `CREATE INDEX CONCURRENTLY users_email ON users (email);` outside a transaction."));
  findings.push_back(finding_at(unicode, "unbatched-data-change", Severity::Warning, "UPDATE \"用户\"\tSET name = 'é';",
                                "Updating every row of `用户` in one statement locks them all until commit.",
                                "Update in batches by primary key range, committing between batches."));
  findings.push_back(finding_at(unicode, "changing-column-type", Severity::Error, "TYPE bigint",
                                "Changing the type of `名前` to bigint rewrites `用户` under an ACCESS EXCLUSIVE lock.",
                                "Add a new bigint column, backfill it in batches, and switch over in a later release."));
  findings.push_back(finding_at(
      multiline, "adding-foreign-key-constraint", Severity::Error,
      "ALTER TABLE orders\n    ADD CONSTRAINT orders_customer_fk\n    FOREIGN KEY (customer_id)\n"
      "    REFERENCES customers (id)\n    ON DELETE CASCADE;",
      "Adding foreign key `orders_customer_fk` validates every row of `orders` while blocking writes to `orders` "
      "and `customers`.",
      "1. Add the constraint with `NOT VALID`.\n2. Run `ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_fk;` "
      "in a separate migration."));
  for (int occurrence = 0; occurrence < 2; ++occurrence) {
    findings.push_back(finding_at(multiline, "blocking-index-drop", Severity::Warning, "DROP INDEX idx_orders_state;",
                                  "Dropping index `idx_orders_state` without CONCURRENTLY takes an ACCESS EXCLUSIVE lock "
                                  "on its table.",
                                  "Use `DROP INDEX CONCURRENTLY idx_orders_state;` outside a transaction.", occurrence));
  }
  findings.push_back(finding_at(odd, "renaming-column", Severity::Note, "RENAME COLUMN a TO b",
                                "Renaming 100% of `a|b`: <script>&\"quotes\" 'single', *stars* _under_ [x](y) #1\n"
                                "second line \x1b[31mred\x1b[0m, done.",
                                "Expand and contract: add `b`, write both, backfill, switch reads, drop `a`."));
  Finding heads;
  heads.rule_id = "multiple-heads";
  heads.severity = Severity::Error;
  heads.message = "The revision history has two heads (`a1b2`, `c3d4`), so `alembic upgrade head` fails.";
  heads.help = "Merge them with `alembic merge -m \"merge heads\" a1b2 c3d4`.";
  heads.fingerprint_text = "a1b2 c3d4";
  findings.push_back(heads);
  Finding drift;
  drift.rule_id = "roundtrip-unknown-check";
  drift.severity = Severity::Warning;
  drift.file = add_email;
  drift.path = add_email->display_path();
  drift.range = ByteRange{0, 0};
  drift.message = "";  // reporters must fall back to a non-empty message
  drift.migration_id = "0002";
  findings.push_back(drift);
  return findings;
}

// A rule with only a summary (most fields empty, as for minimal metadata).
constexpr RuleInfo brief_rule(std::string_view id, Severity severity, RuleCategory category, unsigned engines,
                              std::string_view summary) {
  RuleInfo info{};
  info.id = id;
  info.default_severity = severity;
  info.category = category;
  info.engines = engines;
  info.summary = summary;
  return info;
}

inline constexpr RuleInfo kSampleRules[] = {
    {.id = "adding-foreign-key-constraint",
     .default_severity = Severity::Error,
     .category = RuleCategory::Locks,
     .engines = kPostgres | kMySQL,
     .summary = "Adding a foreign key validates every row while blocking writes on both tables.",
     .what_it_does = "Flags `ADD FOREIGN KEY` without `NOT VALID` on an existing table.",
     .why = "Validation scans the table under SHARE ROW EXCLUSIVE locks on both tables.",
     .safe_alternative = "1. Add the constraint `NOT VALID`.\n2. `VALIDATE CONSTRAINT` in a separate transaction.",
     .bad_example = "ALTER TABLE orders ADD FOREIGN KEY (customer_id) REFERENCES customers (id);",
     .good_example = "ALTER TABLE orders ADD FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;\n"
                     "ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_id_fkey;",
     .lock = "SHARE ROW EXCLUSIVE on both tables.",
     .versions = "All versions.",
     .references = "engines.md"},
    {.id = "adding-not-null-column",
     .default_severity = Severity::Error,
     .category = RuleCategory::Locks,
     .engines = kAllEngines,
     .summary = "Adding a NOT NULL column without a default fails on any table that already has rows.",
     .what_it_does = "Flags `ADD COLUMN ... NOT NULL` with no non-null `DEFAULT` on an existing table.",
     .why = "Existing rows have no value for the new column.",
     .safe_alternative = "Add the column with a constant default, or nullable and backfilled.",
     .bad_example = "ALTER TABLE users ADD COLUMN email text NOT NULL;",
     .good_example = "ALTER TABLE users ADD COLUMN email text NOT NULL DEFAULT '';",
     .lock = "",
     .versions = "",
     .references = ""},
    {.id = "blocking-index-build",
     .default_severity = Severity::Error,
     .category = RuleCategory::Locks,
     .engines = kPostgres | kMySQL,
     .summary = "Building an index without CONCURRENTLY blocks writes until it finishes.",
     .what_it_does = "Flags `CREATE INDEX` without `CONCURRENTLY` on an existing table.",
     .why = "The build holds a SHARE lock on the table.",
     .safe_alternative = "Use `CREATE INDEX CONCURRENTLY` outside a transaction.",
     .bad_example = "op.create_index('ix', 'users', ['email'])",
     .good_example = "with op.get_context().autocommit_block():\n"
                     "    op.create_index('ix', 'users', ['email'], postgresql_concurrently=True)",
     .lock = "",
     .versions = "",
     .references = ""},
    brief_rule("blocking-index-drop", Severity::Warning, RuleCategory::Locks, kPostgres,
               "Dropping an index without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on its table."),
    brief_rule("changing-column-type", Severity::Error, RuleCategory::Locks, kAllEngines,
               "Changing a column's type usually rewrites the table under an exclusive lock."),
    brief_rule("multiple-heads", Severity::Error, RuleCategory::History, kAllEngines,
               "The revision graph has more than one head."),
    brief_rule("renaming-column", Severity::Warning, RuleCategory::Compatibility, kAllEngines,
               "Renaming a column breaks running code that still uses the old name."),
    brief_rule("style-only-rule", Severity::Note, RuleCategory::Style, kSQLite,
               ""),  // a rule with no text at all must still produce a valid descriptor
    brief_rule("unbatched-data-change", Severity::Warning, RuleCategory::Compatibility, kAllEngines,
               "Updating or deleting every row in one statement locks them all until commit."),
};

inline ReportContext sample_context() {
  ReportContext context;
  context.tool_version = "1.2.3";
  for (const RuleInfo& info : kSampleRules) context.rules.push_back(&info);
  context.category = "migsafe/pg16";
  context.docs_base_url = "https://migsafe.example/rules/";
  context.files_checked = 5;
  context.checked_paths = {"migrations/0001_init.sql", "migrations/0002_add_email.sql", "migrations/0003_unicode.sql",
                           "migrations/0004_multiline.sql", "migrations/odd name, v2.sql"};
  context.project_file = "alembic.ini";
  context.title = "migsafe report";
  return context;
}

}  // namespace migsafe::testing
