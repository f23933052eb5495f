#!/usr/bin/env bash
# `migsafe lint --changed-since REF`: only findings in files changed since the merge base (committed,
# staged, unstaged, untracked), with the whole history still read for context; the error cases and their
# exit codes; running from a subdirectory; paths with spaces and non-ASCII characters; every format.
set -u
MIGSAFE="$1"
SOURCE_DIR="$(realpath "$2")"
source "$(dirname "${BASH_SOURCE[0]}")/lib/cli_common.bash"
command -v git >/dev/null || { echo "git is not installed: skipped"; exit 77; }
python="$(command -v /usr/bin/python3 || command -v python3)"

# Test repositories must not depend on the machine's git configuration.
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
g() { git -c user.name=migsafe -c user.email=migsafe@example.com -c commit.gpgsign=false -c init.defaultBranch=main "$@"; }

cd "$WORK"
mkdir repo && cd repo
g init -q
mkdir -p db/migrations
# Base: an old migration creates the table (the old type of `name` is known only from it), an old
# migration with a finding of its own (not to be reported: unchanged).
cat >db/migrations/0001_create_users.sql <<'SQL'
CREATE TABLE users (id bigint PRIMARY KEY, name varchar(50));
SQL
cat >db/migrations/0002_add_age.sql <<'SQL'
SET lock_timeout = '5s';
ALTER TABLE users ADD COLUMN age integer NOT NULL;
SQL
g add -A && g commit -q -m base
g checkout -q -b feature
# Head commit: alters the old table. Narrowing varchar(50) to varchar(20) is a rewrite migsafe reports
# only because it knows the old type from 0001: proof that the unchanged history was read.
cat >db/migrations/0003_alter_users.sql <<'SQL'
SET lock_timeout = '5s';
ALTER TABLE users ALTER COLUMN name TYPE varchar(20);
ALTER TABLE users ADD COLUMN email text NOT NULL;
SQL
g add -A && g commit -q -m "alter users"
# main moves on after the branch point: the merge base, not main's tip, is the reference.
g checkout -q main
printf 'SELECT 1;\n' >db/migrations/0002b_main_only.sql
g add -A && g commit -q -m "main only"
g checkout -q feature
# Not committed: an untracked migration whose name has a space and a non-ASCII character.
cat >"db/migrations/0004 index é.sql" <<'SQL'
SET lock_timeout = '5s';
CREATE INDEX users_email ON users (email);
SQL

# Without --changed-since: every file's findings (0002's too).
expect_exit 1 lint --format gcc db/migrations
expect_contains "$WORK/out" "0002_add_age.sql" "whole lint"

# With it: 0003 and the untracked 0004 only; the old table's type is known.
expect_exit 1 lint --changed-since main --format gcc db/migrations
cp "$WORK/out" changed.txt
expect_contains changed.txt "db/migrations/0003_alter_users.sql:2:" "changed-column-type in 0003"
expect_contains changed.txt "[changing-column-type]" "old type known from the unchanged 0001"
expect_contains changed.txt "db/migrations/0003_alter_users.sql:3:" "not-null column in 0003"
expect_contains changed.txt "[adding-not-null-column]" "not-null column in 0003"
expect_contains changed.txt "db/migrations/0004 index é.sql:2:" "untracked file with space and unicode"
expect_contains changed.txt "[blocking-index-build]" "untracked file"
expect_not_contains changed.txt "0002_add_age.sql" "unchanged file"
expect_not_contains changed.txt "0001_create_users.sql" "unchanged file"
expect_contains "$WORK/err" "--changed-since main" "scope note"

# Staged and unstaged changes count; files only on main do not exist here.
g add "db/migrations/0004 index é.sql"
printf 'SET lock_timeout = %s;\nALTER TABLE users DROP COLUMN age;\n' "'5s'" >>db/migrations/0002_add_age.sql
expect_exit 1 lint --changed-since main --format gcc db/migrations
expect_contains "$WORK/out" "0004 index é.sql" "staged file"
expect_contains "$WORK/out" "db/migrations/0002_add_age.sql:2:" "unstaged modification: the whole file is reported"
expect_contains "$WORK/out" "[dropping-column]" "unstaged modification"
g checkout -q -- db/migrations/0002_add_age.sql

# From a subdirectory: paths relative to it, same findings.
(cd db && "$MIGSAFE" lint --changed-since main --format gcc migrations >"$WORK/out" 2>"$WORK/err")
status=$?
[[ $status == 1 ]] || { echo "FAIL: from a subdirectory: exit $status" >&2; failures=$((failures + 1)); }
expect_contains "$WORK/out" "migrations/0003_alter_users.sql:2:" "subdirectory run"
expect_contains "$WORK/out" "migrations/0004 index é.sql:2:" "subdirectory run"
expect_not_contains "$WORK/out" "0002_add_age.sql" "subdirectory run"

# Several formats in one run: every report has only the changed files' findings.
expect_exit 1 lint --changed-since main --format json:r/report.json --format sarif:r/report.sarif \
  --format junit:r/junit.xml --format text db/migrations
for report in r/report.json r/report.sarif; do
  expect_contains "$report" "0003_alter_users.sql" "$report"
  expect_not_contains "$report" "0002_add_age.sql" "$report"
done
expect_contains "$WORK/out" "0003_alter_users.sql" "text report"
expect_not_contains "$WORK/out" "0002_add_age.sql" "text report"
"$python" - r/report.json <<'PY' || { echo "FAIL: JSON report" >&2; failures=$((failures + 1)); }
import json, sys
report = json.load(open(sys.argv[1]))
files = {f["path"] for f in report["findings"]}
assert files == {"db/migrations/0003_alter_users.sql", "db/migrations/0004 index é.sql"}, files
assert report["summary"]["files_checked"] == 2, report["summary"]
PY

# Nothing changed since HEAD itself (after committing everything): exit 0, no findings.
g add -A && g commit -q -m "index"
expect_exit 0 lint --changed-since HEAD --format gcc db/migrations
[[ ! -s "$WORK/out" ]] || { echo "FAIL: findings reported with nothing changed" >&2; cat "$WORK/out" >&2; failures=$((failures + 1)); }

# Alembic: a new revision that creates a second head. The finding sits on the unchanged head's file
# (z9_second.py, the last head); it is still reported because it concerns the changed revision b2.
mkdir -p "$WORK/alembic" && cd "$WORK/alembic"
g init -q
mkdir -p migrations/versions
printf '[alembic]\nscript_location = migrations\nsqlalchemy.url = postgresql://localhost/app\n' >alembic.ini
revision() {  # revision FILE ID PARENT BODY
  printf 'from alembic import op\nimport sqlalchemy as sa\n\nrevision = "%s"\ndown_revision = %s\n\n\ndef upgrade():\n    %s\n\n\ndef downgrade():\n    pass\n' \
    "$2" "$3" "$4" >"migrations/versions/$1"
}
revision a1_create.py a1 None 'op.create_table("t", sa.Column("id", sa.Integer(), primary_key=True))'
revision z9_second.py z9 '"a1"' 'op.execute("SELECT 1")'
g add -A && g commit -q -m base
g checkout -q -b feature
revision b2_branch.py b2 '"a1"' 'op.execute("SELECT 2")'
expect_exit 1 lint --changed-since main --format gcc .
expect_contains "$WORK/out" "migrations/versions/z9_second.py:5:1: error: This history has 2 head revisions" \
  "multiple heads from a changed revision, anchored on the unchanged head"
expect_contains "$WORK/out" "[multiple-heads]" "multiple heads from a changed revision"
expect_not_contains "$WORK/out" "a1_create.py" "unchanged revision"

# Errors: exit 2 with a clear message.
mkdir -p "$WORK/not-a-repo" && cd "$WORK/not-a-repo"
printf 'SELECT 1;\n' >0001.sql
expect_exit 2 lint --changed-since main .
expect_contains "$WORK/err" "not inside a git work tree" "outside a repository"
cd "$WORK/repo"
expect_exit 2 lint --changed-since no-such-branch db/migrations
expect_contains "$WORK/err" "'no-such-branch' is not a known branch, tag or commit" "unknown ref"
expect_exit 2 check --changed-since no-such-branch db/migrations
expect_contains "$WORK/err" "no-such-branch" "check: unknown ref"
# git missing: an environment error.
PATH=/nonexistent "$MIGSAFE" lint --changed-since main db/migrations >"$WORK/out" 2>"$WORK/err"
status=$?
[[ $status == 3 ]] || { echo "FAIL: without git: exit $status, expected 3" >&2; failures=$((failures + 1)); }
expect_contains "$WORK/err" "git" "without git"

# A shallow CI clone: the branch tips without their history have no merge base.
cd "$WORK"
g clone -q --depth 1 --no-single-branch --branch feature "file://$WORK/repo" shallow 2>/dev/null
cd shallow
expect_exit 2 lint --changed-since origin/main db/migrations
expect_contains "$WORK/err" "no common ancestor" "shallow clone"
expect_contains "$WORK/err" "fetch-depth: 0" "shallow clone hint (GitHub)"
expect_contains "$WORK/err" "GIT_DEPTH: 0" "shallow clone hint (GitLab)"
# Single-branch shallow clone: the ref itself is missing, with the same hint.
cd "$WORK"
g clone -q --depth 1 --branch feature "file://$WORK/repo" single 2>/dev/null
cd single
expect_exit 2 lint --changed-since origin/main db/migrations
expect_contains "$WORK/err" "is not a known branch" "single-branch clone"
expect_contains "$WORK/err" "fetch-depth: 0" "single-branch clone hint"

finish
