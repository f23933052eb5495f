#!/usr/bin/env bash
# migsafe's pre-commit hooks (.pre-commit-hooks.yaml, scripts/pre-commit-hook.sh):
#   1. the hook command run exactly as pre-commit runs it (entry + the staged file names as arguments,
#      from the repository root) on a temporary repository;
#   2. which file names the hooks' `files`/`types` select (pre-commit's own matching: Python re.search);
#   3. when pre-commit is installed (Debian's `pre-commit`, scripts/setup.sh installs it): real
#      `git commit` and `pre-commit run` runs with this repository as the hook repository (a local
#      clone at a commit; no network), using the README's .pre-commit-config.yaml.
#   $1 = migsafe binary, $2 = source directory.
set -u
MIGSAFE="$1"
SOURCE_DIR="$(realpath "$2")"
source "$(dirname "${BASH_SOURCE[0]}")/lib/cli_common.bash"
python="/usr/bin/python3"
[[ -x "$python" ]] || python="$(command -v python3)"

entry="$($python -c 'import sys, yaml; print(yaml.safe_load(open(sys.argv[1]))[0]["entry"])' "$SOURCE_DIR/.pre-commit-hooks.yaml")" || {
  echo "FAIL: cannot read the hook entry (is python3-yaml installed?)" >&2
  exit 1
}
read -r -a entry_words <<<"$entry"
hook="$SOURCE_DIR/${entry_words[0]}"
hook_args=("${entry_words[@]:1}")

# A PATH with migsafe (as an installed binary would be) and one without it.
mkdir -p "$WORK/bin" "$WORK/nobin"
ln -s "$MIGSAFE" "$WORK/bin/migsafe"
for tool in git bash env cat sed grep dirname readlink; do
  found="$(command -v "$tool")" && ln -sf "$found" "$WORK/nobin/$tool"
done

# A user repository with migrations: 0001 is safe, 0002 builds an index without CONCURRENTLY.
user="$WORK/user"
mkdir -p "$user/db/migrations" "$user/alembic/versions" "$user/queries"
cd "$user" || exit 1
git init -q
git config user.email ci@example.com
git config user.name ci
printf 'CREATE TABLE users (id bigint PRIMARY KEY, name text);\n' >db/migrations/0001_users.sql
printf 'CREATE INDEX users_name_idx ON users (name);\n' >db/migrations/0002_users_name.sql
printf 'SELECT * FROM users;\n' >queries/report.sql
cat >alembic/versions/a1_create_orders.py <<'PY'
"""create orders"""
from alembic import op
import sqlalchemy as sa

revision = "a1"
down_revision = None


def upgrade():
    op.create_table("orders", sa.Column("id", sa.BigInteger, primary_key=True), sa.Column("total", sa.Integer))


def downgrade():
    op.drop_table("orders")
PY
cat >alembic/versions/b2_orders_total_not_null.py <<'PY'
"""orders.total not null"""
from alembic import op

revision = "b2"
down_revision = "a1"


def upgrade():
    op.alter_column("orders", "total", nullable=False)


def downgrade():
    op.alter_column("orders", "total", nullable=True)
PY
printf '[alembic]\nscript_location = alembic\nsqlalchemy.url = postgresql://localhost/app\n' >alembic.ini

# --- 1. The hook command as pre-commit runs it.
run_hook() { # PATH_DIR FILES...: stdout+stderr in $WORK/hook.out, status in hook_status
  local path_dir="$1"
  shift
  PATH="$path_dir" PRE_COMMIT=1 "$hook" "${hook_args[@]}" "$@" >"$WORK/hook.out" 2>&1
  hook_status=$?
}
run_hook "$WORK/bin:$PATH" db/migrations/0001_users.sql
[[ $hook_status == 0 ]] || { echo "FAIL: hook on a safe migration exited $hook_status" >&2; cat "$WORK/hook.out" >&2; failures=$((failures + 1)); }
run_hook "$WORK/bin:$PATH" db/migrations/0001_users.sql db/migrations/0002_users_name.sql
[[ $hook_status == 1 ]] || { echo "FAIL: hook on an unsafe migration exited $hook_status, expected 1" >&2; failures=$((failures + 1)); }
expect_contains "$WORK/hook.out" "db/migrations/0002_users_name.sql:1:1: error[blocking-index-build]" "hook output"
# Only the named files are reported, but the project is read whole: 0002's table comes from 0001, so
# naming 0002 alone still knows `users` is an existing table.
run_hook "$WORK/bin:$PATH" db/migrations/0002_users_name.sql
[[ $hook_status == 1 ]] || { echo "FAIL: hook on 0002 alone exited $hook_status, expected 1" >&2; failures=$((failures + 1)); }
expect_not_contains "$WORK/hook.out" "0001_users.sql" "hook output for one file"
# Alembic revisions.
run_hook "$WORK/bin:$PATH" alembic/versions/b2_orders_total_not_null.py
[[ $hook_status == 1 ]] || { echo "FAIL: hook on the Alembic revision exited $hook_status, expected 1" >&2; cat "$WORK/hook.out" >&2; failures=$((failures + 1)); }
expect_contains "$WORK/hook.out" "alembic/versions/b2_orders_total_not_null.py:9:" "Alembic hook output"
# $MIGSAFE_BINARY instead of PATH.
MIGSAFE_BINARY="$MIGSAFE" PATH="$WORK/nobin" "$hook" "${hook_args[@]}" db/migrations/0002_users_name.sql >"$WORK/hook.out" 2>&1
[[ $? == 1 ]] || { echo "FAIL: hook with MIGSAFE_BINARY did not lint" >&2; cat "$WORK/hook.out" >&2; failures=$((failures + 1)); }
MIGSAFE_BINARY="$WORK/does-not-exist" "$hook" "${hook_args[@]}" db/migrations/0002_users_name.sql >"$WORK/hook.out" 2>&1
[[ $? == 3 ]] || { echo "FAIL: hook with a wrong MIGSAFE_BINARY did not exit 3" >&2; failures=$((failures + 1)); }
expect_contains "$WORK/hook.out" "MIGSAFE_BINARY=$WORK/does-not-exist is not an executable file" "wrong MIGSAFE_BINARY"
# No migsafe anywhere: the install hint, exit 3.
run_hook "$WORK/nobin" db/migrations/0002_users_name.sql
[[ $hook_status == 3 ]] || { echo "FAIL: hook without migsafe exited $hook_status, expected 3" >&2; failures=$((failures + 1)); }
expect_contains "$WORK/hook.out" "the migsafe binary is not installed" "install hint"
expect_contains "$WORK/hook.out" "scripts/setup.sh --binary-only" "install hint"

# --- 2. What the hooks select (pre-commit matches `files` with re.search, `types` by extension here).
"$python" - "$SOURCE_DIR/.pre-commit-hooks.yaml" >"$WORK/selection" <<'PY' || failures=$((failures + 1))
import re, sys, yaml
hooks = {hook["id"]: hook for hook in yaml.safe_load(open(sys.argv[1]))}
extension = {"sql": ".sql", "python": ".py"}
def selects(hook_id, path):
    hook = hooks[hook_id]
    if not all(path.endswith(extension[t]) for t in hook.get("types", [])):
        return False
    if not re.search(hook.get("files", ""), path):
        return False
    return not (hook.get("exclude") and re.search(hook["exclude"], path))
cases = {
    "migsafe": {
        "db/migrations/0001_users.sql": True, "migrations/V2__add_email.sql": True,
        "sql/V1__init.sql": True, "V3__orders.sql": True, "services/shop/db/20240101_init.sql": True,
        "migrate/000001_create.up.sql": True, "000002_create.down.sql": True, "inventory/deploy/items.sql": True,
        "queries/report.sql": False, "schema.sql": False, "docs/example.sql": False,
        "db/migrations/README.md": False, "migrations/env.py": False,
    },
    "migsafe-alembic": {
        "alembic/versions/a1_create_orders.py": True, "migrations/versions/3f2a_add_index.py": True,
        "alembic/versions/__init__.py": False, "alembic/env.py": False, "app/models.py": False,
        "alembic/versions/README": False, "db/migrations/0001_users.sql": False,
    },
}
wrong = [(h, p, want) for h, table in cases.items() for p, want in table.items() if selects(h, p) != want]
for hook_id, path, want in wrong:
    print(f"FAIL: hook {hook_id} {'should' if want else 'should not'} select {path}")
for hook_id, hook in hooks.items():
    for key in ("id", "name", "entry", "language"):
        if not hook.get(key):
            print(f"FAIL: hook {hook_id} has no {key}")
    if hook.get("require_serial") is not True:
        print(f"FAIL: hook {hook_id} must set require_serial: true")
    if hook.get("pass_filenames", True) is not True:
        print(f"FAIL: hook {hook_id} must pass the file names")
sys.exit(1 if wrong else 0)
PY
if grep -q FAIL "$WORK/selection"; then
  cat "$WORK/selection" >&2
  failures=$((failures + 1))
fi

# --- 3. Real pre-commit, with the README's configuration.
if ! command -v pre-commit >/dev/null 2>&1; then
  echo "note: pre-commit is not installed; the real pre-commit run is skipped (scripts/setup.sh installs it)" >&2
  finish
fi
# The hook repository: this repository's hook files, committed in a local repository (pre-commit clones
# `repo:` at `rev:`; a local path needs no network).
hooks_repo="$WORK/hooks-repo"
mkdir -p "$hooks_repo/scripts"
cp "$SOURCE_DIR/.pre-commit-hooks.yaml" "$hooks_repo/"
cp "$SOURCE_DIR/scripts/pre-commit-hook.sh" "$hooks_repo/scripts/"
git -C "$hooks_repo" init -q
git -C "$hooks_repo" add .
git -C "$hooks_repo" -c user.email=ci@example.com -c user.name=ci commit -q -m hooks
hooks_rev="$(git -C "$hooks_repo" rev-parse HEAD)"

# The README's .pre-commit-config.yaml (the block marked tested-by this script), pointed at the local
# hook repository.
"$python" - "$SOURCE_DIR/README.md" "$hooks_repo" "$hooks_rev" >"$user/.pre-commit-config.yaml" <<'PY' || { echo "FAIL: no pre-commit config block in README.md" >&2; exit 1; }
import re, sys
readme = open(sys.argv[1]).read()
match = re.search(r"<!-- tested-by: tests/scripts/pre_commit_hook.sh -->\s*```yaml\n(.*?)```", readme, re.S)
if not match:
    sys.exit(1)
config = match.group(1)
config = re.sub(r"repo: https://github.com/migsafe/migsafe", "repo: " + sys.argv[2], config)
config = re.sub(r"rev: \S+", "rev: " + sys.argv[3], config)
print(config, end="")
PY
expect_contains "$user/.pre-commit-config.yaml" "id: migsafe" "the README's pre-commit config"

export PRE_COMMIT_HOME="$WORK/pre-commit-home"
cd "$user" || exit 1
git add .pre-commit-config.yaml alembic.ini queries
git commit -q -m "pre-commit config" --no-verify
PATH="$WORK/bin:$PATH" pre-commit install >/dev/null || { echo "FAIL: pre-commit install" >&2; failures=$((failures + 1)); }

# A commit with a safe migration passes the hooks.
git add db/migrations/0001_users.sql
PATH="$WORK/bin:$PATH" git commit -q -m "users" >"$WORK/commit.out" 2>&1
[[ $? == 0 ]] || { echo "FAIL: commit of a safe migration was refused" >&2; cat "$WORK/commit.out" >&2; failures=$((failures + 1)); }
# A commit with the blocking index build is refused, with the finding.
git add db/migrations/0002_users_name.sql
PATH="$WORK/bin:$PATH" git commit -q -m "index" >"$WORK/commit.out" 2>&1
[[ $? != 0 ]] || { echo "FAIL: commit of an unsafe migration was accepted" >&2; failures=$((failures + 1)); }
expect_contains "$WORK/commit.out" "error[blocking-index-build]" "pre-commit output"
expect_contains "$WORK/commit.out" "migsafe (SQL migrations)" "pre-commit hook name"
git reset -q
# pre-commit run --files: the Alembic hook selects only the revision files.
PATH="$WORK/bin:$PATH" pre-commit run --files alembic/versions/a1_create_orders.py alembic/versions/b2_orders_total_not_null.py queries/report.sql >"$WORK/run.out" 2>&1
[[ $? == 1 ]] || { echo "FAIL: pre-commit run on the Alembic revisions did not fail" >&2; cat "$WORK/run.out" >&2; failures=$((failures + 1)); }
expect_contains "$WORK/run.out" "b2_orders_total_not_null.py" "pre-commit run on Alembic revisions"
expect_contains "$WORK/run.out" "migsafe (SQL migrations)" "pre-commit run"
# Without migsafe installed: the hook fails with the install hint.
PATH="$WORK/nobin:$(dirname "$(command -v pre-commit)")" pre-commit run --files db/migrations/0002_users_name.sql >"$WORK/run.out" 2>&1
[[ $? != 0 ]] || { echo "FAIL: pre-commit without migsafe passed" >&2; failures=$((failures + 1)); }
expect_contains "$WORK/run.out" "the migsafe binary is not installed" "pre-commit without migsafe"

finish
