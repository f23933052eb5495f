// Does a downgrade undo its upgrade? Compares the typed operations of the two scripts (from SQL or from
// Alembic `op.*` calls alike) and lists every upgrade operation whose effect the downgrade leaves in place:
// objects created but not dropped, objects dropped or renamed but not restored, columns altered but not
// altered back. Used by the incomplete-downgrade rule and by the Alembic front end's tests.
//
// Matching is deliberately tolerant, because a false "your downgrade is incomplete" on a correct downgrade
// teaches users to ignore the rule:
//  - names compare case-insensitively, and an unqualified name matches the same name in any schema
//    (`users` == `public.users`, but `audit.users` != `billing.users`);
//  - a table renamed in either script is the same table under both names (likewise columns and indexes);
//  - dropping a table also drops its columns, indexes, constraints and triggers; dropping a column also
//    drops the indexes and constraints on it; `DROP SCHEMA ... CASCADE` drops everything in the schema;
//  - unnamed indexes and constraints (the database picks the name) are matched loosely: a drop on the same
//    table whose name is the generated name or mentions every column of it.
// Effects cancelled within the upgrade itself (a work table created and dropped, a column added then
// dropped) need no undoing. Operations that cannot be undone in principle (data changes, enum values on
// PostgreSQL, which cannot be dropped) are not reported.
#pragma once

#include <string>
#include <vector>

#include "linter/model/migration.h"

namespace migsafe {

struct ReversalGap {
  const Statement* statement = nullptr;  // the upgrade statement ...
  const Operation* operation = nullptr;  // ... and operation whose effect stays after the downgrade
  // What a rollback leaves behind in production, e.g. "Rolling back this migration leaves index
  // `ix_orders_created_at` in place, so upgrading again fails with `already exists`".
  std::string consequence;
  // What the downgrade lacks, e.g. "the downgrade does not drop index `ix_orders_created_at` created here".
  std::string missing;
  // A statement that would undo the operation, to add to the downgrade: SQL and Alembic forms.
  std::string undo_sql;
  std::string undo_alembic;
};

// Every upgrade operation the downgrade does not undo, in upgrade order. Statements that failed to parse
// are ignored on both sides.
std::vector<ReversalGap> find_reversal_gaps(const Script& upgrade, const Script& downgrade);

// True when the script has statements whose effect migsafe cannot know (syntax errors, SQL built at run
// time): a missing undo step could be hiding in them, so callers should not claim the downgrade incomplete.
bool has_opaque_statements(const Script& script);

}  // namespace migsafe
