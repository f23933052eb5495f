#!/usr/bin/env bash
# `migsafe baseline` and `--baseline FILE`: write, lint with it (nothing reported), new findings reported,
# statements moved down / reformatted stay hidden, identical statements matched by count, stale entries
# counted, errors (exit 2), other working directories, machine formats, --changed-since together, check.
set -u
MIGSAFE="$1"
SOURCE_DIR="$(realpath "$2")"
source "$(dirname "${BASH_SOURCE[0]}")/lib/cli_common.bash"
python="$(command -v /usr/bin/python3 || command -v python3)"
cd "$WORK"

mkdir -p proj/migrations && cd proj
cat >migrations/0001_create_users.sql <<'SQL'
CREATE TABLE users (id bigint PRIMARY KEY, email text, name text);
SQL
# Two identical statements (two findings with the same key) and one other.
cat >migrations/0002_indexes.sql <<'SQL'
SET lock_timeout = '5s';
CREATE INDEX ON users (email);
CREATE INDEX ON users (email);
ALTER TABLE users ADD COLUMN age integer NOT NULL;
SQL

expect_exit 1 lint --format gcc migrations
grep -c "0002_indexes.sql" "$WORK/out" >count.txt
before="$(cat count.txt)"

# Write the baseline (default file name in the current directory), exit 0 although there are findings.
expect_exit 0 baseline migrations
[[ -f migsafe-baseline.json ]] || { echo "FAIL: migsafe-baseline.json not written" >&2; failures=$((failures + 1)); }
expect_contains "$WORK/err" "recorded $before finding(s)" "baseline note"
"$python" - migsafe-baseline.json <<'PY' || { echo "FAIL: baseline file content" >&2; failures=$((failures + 1)); }
import json, sys
doc = json.load(open(sys.argv[1]))
assert doc["version"] == 1 and doc["migsafe_version"], doc
entries = doc["findings"]
assert all(set(e) <= {"rule", "file", "fingerprint", "count", "message"} for e in entries), entries
assert all(e["file"] == "migrations/0002_indexes.sql" for e in entries), entries
index = [e for e in entries if e["rule"] == "blocking-index-build"]
assert len(index) == 1 and index[0]["count"] == 2, index
keys = [(e["file"], e["rule"], e["fingerprint"]) for e in entries]
assert keys == sorted(keys), keys
PY
# Standard output, same bytes.
expect_exit 0 baseline --output - migrations
cmp -s "$WORK/out" migsafe-baseline.json || { echo "FAIL: --output - differs from the file" >&2; failures=$((failures + 1)); }

# Linting with it: nothing reported, exit 0, a note saying what was hidden.
expect_exit 0 lint --baseline migsafe-baseline.json --format gcc migrations
[[ ! -s "$WORK/out" ]] || { echo "FAIL: baselined findings reported" >&2; cat "$WORK/out" >&2; failures=$((failures + 1)); }
expect_contains "$WORK/err" "the baseline hid $before known finding(s)" "hidden count"
expect_exit 0 lint --quiet --baseline migsafe-baseline.json migrations
[[ ! -s "$WORK/err" ]] || { echo "FAIL: --quiet still prints notes" >&2; failures=$((failures + 1)); }

# Lines inserted above, a statement re-wrapped with a comment inside: still hidden.
cat >migrations/0002_indexes.sql <<'SQL'
-- Indexes for the user list.
-- (reviewed)

SET lock_timeout = '5s';
SELECT 1;
CREATE INDEX ON users (email);
CREATE   INDEX
  ON users ( email ); -- again
ALTER TABLE users
    ADD COLUMN age integer /* years */ NOT NULL;
SQL
expect_exit 0 lint --baseline migsafe-baseline.json --format gcc migrations
[[ ! -s "$WORK/out" ]] || { echo "FAIL: moved or reformatted statements reported" >&2; cat "$WORK/out" >&2; failures=$((failures + 1)); }

# A third identical statement: two are absorbed, the third is reported.
printf 'CREATE INDEX ON users (email);\n' >>migrations/0002_indexes.sql
expect_exit 1 lint --baseline migsafe-baseline.json --format gcc migrations
[[ "$(grep -c 'blocking-index-build' "$WORK/out")" == 1 ]] || { echo "FAIL: expected one index finding" >&2; cat "$WORK/out" >&2; failures=$((failures + 1)); }
expect_contains "$WORK/out" "0002_indexes.sql:11:" "the third statement"

# A new unsafe statement in a new file: only that one, in every format, several at once.
printf "SET lock_timeout = '5s';\nALTER TABLE users DROP COLUMN name;\n" >migrations/0003_drop_name.sql
expect_exit 1 lint --baseline migsafe-baseline.json --format json:r/report.json --format sarif:r/report.sarif \
  --format gcc migrations
expect_contains "$WORK/out" "0003_drop_name.sql:2:" "new finding"
expect_not_contains "$WORK/out" "age integer" "baselined finding"
"$python" - r/report.json r/report.sarif <<'PY' || { echo "FAIL: machine reports" >&2; failures=$((failures + 1)); }
import json, sys
report = json.load(open(sys.argv[1]))
rules = sorted((f["path"], f["rule"]) for f in report["findings"])
assert rules == [("migrations/0002_indexes.sql", "blocking-index-build"),
                 ("migrations/0003_drop_name.sql", "dropping-column")], rules
sarif = json.load(open(sys.argv[2]))
assert len(sarif["runs"][0]["results"]) == 2, sarif["runs"][0]["results"]
PY
# JSON on standard output stays pure JSON (the notes go to standard error).
expect_exit 1 lint --baseline migsafe-baseline.json --format json migrations
"$python" -c 'import json,sys; json.load(open(sys.argv[1]))' "$WORK/out" || { echo "FAIL: JSON on stdout" >&2; failures=$((failures + 1)); }
expect_contains "$WORK/err" "the baseline hid" "note on stderr"

# A baselined statement fixed: its entry is counted as stale.
rm migrations/0003_drop_name.sql
cat >migrations/0002_indexes.sql <<'SQL'
SET lock_timeout = '5s';
CREATE INDEX ON users (email);
CREATE INDEX ON users (email);
CREATE INDEX ON users (email);
SQL
expect_exit 1 lint --baseline migsafe-baseline.json --format gcc migrations
expect_contains "$WORK/err" "1 baseline entry matches no finding any more" "stale entry"

# From another directory, with a relative path to the baseline.
cd migrations
expect_exit 1 lint --baseline ../migsafe-baseline.json --format gcc .
[[ "$(grep -c 'blocking-index-build' "$WORK/out")" == 1 ]] || { echo "FAIL: from a subdirectory" >&2; cat "$WORK/out" >&2; failures=$((failures + 1)); }
cd ..

# Errors: exit 2 naming the file (and the line for JSON errors).
expect_exit 2 lint --baseline missing.json migrations
expect_contains "$WORK/err" "missing.json: no such file" "missing baseline"
printf '{\n  "version": 1,\n  "findings": [,]\n}\n' >broken.json
expect_exit 2 lint --baseline broken.json migrations
expect_contains "$WORK/err" "broken.json:3:" "malformed baseline: file and line"
printf '{"version": 7, "findings": []}\n' >future.json
expect_exit 2 lint --baseline future.json migrations
expect_contains "$WORK/err" "format version 7" "newer format"
expect_exit 2 baseline --baseline migsafe-baseline.json migrations
expect_exit 2 baseline --format json migrations

# --changed-since and --baseline together in a git repository: the team baselines its history, a branch
# moves an old statement down and adds a new migration; only the new one is reported.
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
if command -v git >/dev/null; then
  g() { git -c user.name=migsafe -c user.email=migsafe@example.com -c commit.gpgsign=false -c init.defaultBranch=main "$@"; }
  mkdir -p "$WORK/repo/migrations" && cd "$WORK/repo"
  g init -q
  printf 'CREATE TABLE t (id int, a text);\n' >migrations/0001.sql
  printf "SET lock_timeout = '5s';\nALTER TABLE t ADD COLUMN b int NOT NULL;\n" >migrations/0002.sql
  "$MIGSAFE" baseline --quiet migrations
  g add -A && g commit -q -m base
  g checkout -q -b feature
  printf '%s\n' "-- moved down" "" "SET lock_timeout = '5s';" "ALTER TABLE t ADD COLUMN b int NOT NULL;" >migrations/0002.sql
  printf '%s\n' "SET lock_timeout = '5s';" "ALTER TABLE t ADD COLUMN c int NOT NULL;" >migrations/0003.sql
  expect_exit 1 lint --changed-since main --baseline migsafe-baseline.json --format gcc --format json:r.json migrations
  expect_contains "$WORK/out" "migrations/0003.sql:2:" "new migration"
  expect_not_contains "$WORK/out" "0002.sql" "baselined, moved statement"
  expect_not_contains "$WORK/err" "matches no finding" "no stale entries"
  expect_not_contains r.json "0002.sql" "JSON report"
fi

# check --baseline: the lint half is baselined, the round trip still reports.
cd "$WORK"
cp -r "$SOURCE_DIR/examples/sqlite-notes-broken-downgrade" broken
"$MIGSAFE" baseline --quiet --output broken-baseline.json broken
expect_exit 1 check --baseline broken-baseline.json --format json:check.json broken
"$python" - check.json <<'PY' || { echo "FAIL: check report" >&2; failures=$((failures + 1)); }
import json, sys
rules = {f["rule"] for f in json.load(open(sys.argv[1]))["findings"]}
assert rules and all(r.startswith("roundtrip-") for r in rules), rules
PY
expect_contains "$WORK/err" "migsafe check: note: the baseline hid" "check note"

finish
