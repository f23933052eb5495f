// Which table an operation touches and the PostgreSQL lock it takes there (engines.md, section 1.2).
// Shared by the lock rules, the state tracker and the harness's trace comparison.
#pragma once

#include <optional>

#include "linter/model/dialect.h"
#include "linter/model/operation.h"

namespace migsafe {

// The main table an operation locks (for CREATE INDEX the indexed table), if any.
std::optional<QualifiedName> target_table(const Operation& op);
// The lock mode taken on target_table() on PostgreSQL.
LockMode postgres_table_lock(const Operation& op);
// Blocks reads (ACCESS EXCLUSIVE) or writes (SHARE and stronger) of the table.
bool blocks_writes(LockMode mode);
bool blocks_reads(LockMode mode);
// MySQL/MariaDB: the operation is DDL on its target table and needs the exclusive metadata lock at
// its start and end (every ALTER, CREATE/DROP INDEX, DROP/RENAME/TRUNCATE TABLE, OPTIMIZE).
bool mysql_takes_exclusive_metadata_lock(const Operation& op);
// True when the operation scans, rewrites or changes data (it extends a held lock's outage).
bool does_heavy_work(const Operation& op);

}  // namespace migsafe
