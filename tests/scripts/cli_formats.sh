#!/usr/bin/env bash
# Reports: --format FMT[:FILE] writes files, several formats in one run, standard input, named files of
# a larger project (pre-commit), --exclude, --quiet, --color, and output that does not depend on --jobs.
set -u
MIGSAFE="$1"
source "$(dirname "${BASH_SOURCE[0]}")/lib/cli_common.bash"
cd "$WORK"

mkdir -p db/migrations other/migrations empty
printf 'CREATE TABLE users (id bigint PRIMARY KEY);\n' >db/migrations/0001_create_users.sql
printf 'ALTER TABLE users ADD COLUMN nickname text NOT NULL;\n' >db/migrations/0002_add_nickname.sql
printf 'ALTER TABLE users ADD COLUMN city text NOT NULL;\n' >db/migrations/0003_add_city.sql
printf 'ALTER TABLE orders ADD COLUMN total int NOT NULL;\n' >other/migrations/0001_total.sql
only=(--select adding-not-null-column)

# Several reports in one run; files land in directories created on demand.
expect_exit 1 lint "${only[@]}" --format sarif:reports/out.sarif --format json:reports/out.json --format text db
for file in reports/out.sarif reports/out.json; do
  [[ -s "$file" ]] || { echo "FAIL: $file not written" >&2; failures=$((failures + 1)); }
done
expect_contains reports/out.sarif '"2.1.0"' "SARIF report"
expect_contains reports/out.sarif '"adding-not-null-column"' "SARIF report"
expect_contains reports/out.json "db/migrations/0002_add_nickname.sql" "JSON report"
expect_contains out "db/migrations/0003_add_city.sql" "text report on stdout"
/usr/bin/python3 -m json.tool reports/out.json >/dev/null || { echo "FAIL: JSON report does not parse" >&2; failures=$((failures + 1)); }
/usr/bin/python3 -m json.tool reports/out.sarif >/dev/null || { echo "FAIL: SARIF report does not parse" >&2; failures=$((failures + 1)); }

# Only files: nothing on stdout.
expect_exit 1 lint "${only[@]}" --format gcc:reports/out.txt db
[[ ! -s "$WORK/out" ]] || { echo "FAIL: stdout not empty with only file reports" >&2; failures=$((failures + 1)); }
expect_contains reports/out.txt "db/migrations/0002_add_nickname.sql:1:" "gcc report"

# Standard input with a display name.
"$MIGSAFE" lint "${only[@]}" --format gcc --stdin-filename db/new/0009_x.sql - <db/migrations/0002_add_nickname.sql >"$WORK/out" 2>"$WORK/err"
code=$?
[[ $code == 1 ]] || { echo "FAIL: stdin lint exited $code" >&2; cat "$WORK/err" >&2; failures=$((failures + 1)); }
expect_contains "$WORK/out" "db/new/0009_x.sql:1:" "stdin report"

# Named files of a larger project (pre-commit): only their findings are reported.
expect_exit 1 lint "${only[@]}" --format gcc db/migrations/0003_add_city.sql
expect_contains out "0003_add_city.sql" "named-file report"
expect_not_contains out "0002_add_nickname.sql" "named-file report"

# --exclude drops matching files.
expect_exit 1 lint "${only[@]}" --format gcc --exclude '0002_*' db
expect_not_contains out "0002_add_nickname.sql" "excluded report"
expect_exit 0 lint "${only[@]}" --exclude '000[23]_*' db

# Deterministic output whatever the parallelism.
expect_exit 1 lint "${only[@]}" --format json --jobs 1 db other && cp out jobs1.json
expect_exit 1 lint "${only[@]}" --format json --jobs 4 db other && cp out jobs4.json
cmp -s jobs1.json jobs4.json || { echo "FAIL: --jobs 1 and --jobs 4 reports differ" >&2; failures=$((failures + 1)); }

# --quiet drops the notes on standard error.
expect_exit 0 lint empty
expect_contains err "no migrations found" "note for an empty directory"
expect_exit 0 lint --quiet empty
[[ ! -s "$WORK/err" ]] || { echo "FAIL: --quiet still printed notes" >&2; failures=$((failures + 1)); }

# Colours: never when not a terminal (auto) or with NO_COLOR, always when asked.
esc=$'\033['
expect_exit 1 lint "${only[@]}" --color always db
expect_contains out "$esc" "--color always output"
NO_COLOR=1 "$MIGSAFE" lint "${only[@]}" db >"$WORK/out" 2>&1
expect_not_contains out "$esc" "NO_COLOR output"
expect_exit 1 lint "${only[@]}" --color never db
expect_not_contains out "$esc" "--color never output"

# auto on a terminal (script(1) provides one): colours, unless NO_COLOR is set.
if command -v script >/dev/null 2>&1; then
  script -qec "'$MIGSAFE' lint ${only[*]} db" /dev/null >tty.txt 2>&1
  expect_contains tty.txt "$esc" "--color auto on a terminal"
  NO_COLOR=1 script -qec "'$MIGSAFE' lint ${only[*]} db" /dev/null >tty-no-color.txt 2>&1
  expect_not_contains tty-no-color.txt "$esc" "--color auto on a terminal with NO_COLOR"
fi

# SARIF automation category.
expect_exit 1 lint "${only[@]}" --format sarif:reports/cat.sarif --category migsafe/postgres db
expect_contains reports/cat.sarif 'migsafe/postgres' "SARIF category"

finish
