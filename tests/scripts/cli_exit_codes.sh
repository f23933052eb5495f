#!/usr/bin/env bash
# `migsafe lint` exit codes: 0 nothing at or above --fail-on, 1 findings at or above it, 2 usage or
# configuration errors, 3 environment errors (a report that cannot be written). Never a crash.
set -u
MIGSAFE="$1"
source "$(dirname "${BASH_SOURCE[0]}")/lib/cli_common.bash"
cd "$WORK"

mkdir -p clean unsafe broken
printf 'CREATE TABLE users (id bigint PRIMARY KEY, email text);\n' >clean/0001_create_users.sql
printf 'ALTER TABLE users ADD COLUMN nickname text NOT NULL;\n' >unsafe/0002_add_nickname.sql
printf 'ALTER TABLE users ADD COLUMN;\n' >broken/0003_broken.sql
only=(--select adding-not-null-column)

expect_exit 0 lint clean
expect_exit 1 lint unsafe
expect_contains out "adding-not-null-column" "text report"
expect_exit 1 lint "${only[@]}" unsafe
expect_exit 0 lint "${only[@]}" --fail-on never unsafe
expect_exit 1 lint "${only[@]}" --fail-on warning unsafe
expect_exit 1 lint "${only[@]}" --fail-on note unsafe

# A finding below the threshold does not fail: demote the rule to a warning in the configuration.
printf '[severity]\nadding-not-null-column = "warning"\n' >warn.toml
expect_exit 0 lint "${only[@]}" --config warn.toml unsafe
expect_exit 1 lint "${only[@]}" --config warn.toml --fail-on warning unsafe

# A statement that does not parse is a syntax-error finding, not an abort.
expect_exit 1 lint broken
expect_contains out "syntax-error" "syntax error report"

# Usage and configuration errors.
expect_exit 2 lint does-not-exist
expect_contains err "does-not-exist" "missing path message"
expect_exit 2 lint --bogus-option clean
expect_exit 2 lint --fail-on sometimes clean
expect_exit 2 lint --format xml clean
expect_exit 2 lint --layout flyaway clean
expect_contains err "did you mean 'flyway'?" "layout message"
expect_exit 2 lint --select no-such-rule clean
expect_exit 2 lint --jobs=-2 clean
expect_exit 2 lint --config missing.toml clean
printf 'dialect = "postgresql"\nfial-on = "never"\n' >bad.toml
expect_exit 2 lint --config bad.toml clean
expect_contains err "bad.toml:2:1: unknown configuration key 'fial-on'; did you mean 'fail-on'?" "config message"
expect_exit 2
expect_exit 2 unknown-command

# Environment errors: the report file cannot be written (its directory is a regular file).
touch not-a-dir
expect_exit 3 lint --format json:not-a-dir/report.json clean
expect_contains err "cannot write json report" "write failure message"

finish
