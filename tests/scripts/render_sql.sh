#!/usr/bin/env bash
# `migsafe lint --render-sql`: Alembic revisions rendered in offline mode and the SQL linted. SQL built at
# run time (a loop over table names) is checked; a revision that needs a live connection is an
# unchecked-code note; clean revisions gain no findings; no python with alembic is exit 3.
set -u
MIGSAFE="$1"
SOURCE_DIR="$(realpath "$2")"
source "$(dirname "${BASH_SOURCE[0]}")/lib/cli_common.bash"
cd "$WORK"

if ! /usr/bin/python3 -c 'import alembic, sqlalchemy' 2>/dev/null; then
  echo "skipped: /usr/bin/python3 cannot import alembic" >&2
  exit 77
fi

cp -r "$SOURCE_DIR/tests/fixtures/alembic-render" project
versions=project/migrations/versions

# The static read sees only an op.execute() with SQL built at run time.
expect_exit 0 lint --select blocking-index-build project
expect_not_contains out "blocking-index-build" "static read"

# Rendered: both CREATE INDEX statements of the loop are found, at the revision file, quoted.
expect_exit 1 lint --render-sql project
expect_contains out "blocking-index-build" "rendered report"
expect_contains out "$versions/b2_dynamic_indexes.py:18:9: error[blocking-index-build]" "finding at the op.execute() step"
expect_contains out "CREATE INDEX ix_orders_customer_id ON orders (customer_id)" "quoted statement"
expect_contains out "CREATE INDEX ix_invoices_customer_id ON invoices (customer_id)" "second loop iteration"
# env.py raises when run: the helper never runs it, so nothing about it appears.
expect_not_contains err "env.py must not be executed" "stderr"
# The revision that fetches rows cannot render: an unchecked-code note at the failing line, not a crash.
expect_contains out "$versions/c3_backfill_from_rows.py:13:" "note at the fetchall line"
expect_contains out "could not be rendered to SQL" "render failure note"

# JSON output keeps the mapping (path, rule) for tools.
expect_exit 1 lint --render-sql --format json project
expect_contains out "b2_dynamic_indexes.py" "json report"

# Clean: a revision with literal operations only gives the same report with and without --render-sql.
mkdir -p clean/migrations/versions
cp project/alembic.ini clean/
cp project/migrations/env.py clean/migrations/
cp "$versions/a1_create_audit_log.py" clean/migrations/versions/
"$MIGSAFE" lint --fail-on never clean >static.txt 2>&1
expect_exit 0 lint --fail-on never --render-sql clean
if ! diff -u static.txt out >&2; then
  echo "FAIL: --render-sql changed the report of a clean revision" >&2
  failures=$((failures + 1))
fi

# Environment problems are exit 3 with a clear message; --python without --render-sql is a usage error.
expect_exit 3 lint --render-sql --python /bin/false project
expect_contains err "cannot import alembic" "python error"
expect_exit 2 lint --python /usr/bin/python3 project

finish
