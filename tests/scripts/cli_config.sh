#!/usr/bin/env bash
# Configuration through the binary: discovery by walking up, pyproject.toml with and without
# [tool.migsafe], --config, command-line precedence, and errors naming file, line and closest key.
set -u
MIGSAFE="$1"
source "$(dirname "${BASH_SOURCE[0]}")/lib/cli_common.bash"
cd "$WORK"

mkdir -p repo/service/migrations
printf 'ALTER TABLE users ADD COLUMN nickname text NOT NULL;\n' >repo/service/migrations/0002_add_nickname.sql
only=(--select adding-not-null-column)

# No configuration: the finding fails the run.
expect_exit 1 lint "${only[@]}" repo/service/migrations

# migsafe.toml two levels up is found.
printf 'fail-on = "never"\n' >repo/migsafe.toml
expect_exit 0 lint "${only[@]}" repo/service/migrations
# The command line wins over the file.
expect_exit 1 lint "${only[@]}" --fail-on error repo/service/migrations

# The nearest file wins: a pyproject.toml with [tool.migsafe] in service/.
printf '[project]\nname = "service"\n\n[tool.migsafe]\nfail-on = "error"\n' >repo/service/pyproject.toml
expect_exit 1 lint "${only[@]}" repo/service/migrations
# ... but a pyproject.toml without the table is skipped.
printf '[project]\nname = "service"\n\n[tool.ruff]\nline-length = 100\n' >repo/service/pyproject.toml
expect_exit 0 lint "${only[@]}" repo/service/migrations

# Discovery starts from a named file too.
expect_exit 0 lint "${only[@]}" repo/service/migrations/0002_add_nickname.sql

# --config names the file; discovery is skipped.
printf 'ignore = ["adding-not-null-column"]\n' >other.toml
expect_exit 0 lint --config other.toml repo/service/migrations
printf '[tool.migsafe]\nextend-select = ["adding-not-null-column"]\n' >pyproject-config.toml
expect_exit 2 lint --config pyproject-config.toml repo/service/migrations  # a table is not a key here
expect_contains err "unknown configuration key 'tool'" "--config of a non-pyproject file"

# Errors name the file, the line and the closest valid name.
printf 'fail-on = "never"\n\n[severity]\nadding-not-null-colum = "note"\n' >repo/migsafe.toml
expect_exit 2 lint repo/service/migrations
expect_contains err "repo/migsafe.toml:4:1: unknown rule 'adding-not-null-colum' in 'severity'; did you mean 'adding-not-null-column'?" "severity error"
printf 'selct = ["locks"]\n' >repo/migsafe.toml
expect_exit 2 lint repo/service/migrations
expect_contains err "repo/migsafe.toml:1:1: unknown configuration key 'selct'; did you mean 'select'?" "key error"
printf 'select = ["lock"]\n' >repo/migsafe.toml
expect_exit 2 lint repo/service/migrations
expect_contains err "repo/migsafe.toml:1:11: unknown rule or category 'lock' in 'select'; did you mean 'locks'?" "select error"
printf 'dialect = [\n' >repo/migsafe.toml
expect_exit 2 lint repo/service/migrations
expect_contains err "repo/migsafe.toml:" "TOML syntax error"

# Config excludes are relative to the config file.
printf 'exclude = ["service/migrations/0002_*"]\n' >repo/migsafe.toml
expect_exit 0 lint "${only[@]}" repo/service/migrations

# One run over several projects: each uses the configuration nearest to its own root.
mkdir -p mono/billing/migrations mono/search/migrations
printf 'ALTER TABLE invoices ADD COLUMN status text NOT NULL;\n' >mono/billing/migrations/0001_status.sql
printf 'ALTER TABLE documents ADD COLUMN lang text NOT NULL;\n' >mono/search/migrations/0001_lang.sql
printf 'ignore = ["adding-not-null-column"]\n' >mono/billing/migsafe.toml
expect_exit 1 lint "${only[@]}" --format gcc mono
expect_contains out "mono/search/migrations/0001_lang.sql:1:23:" "the project without a file of its own is linted"
expect_not_contains out "mono/billing" "the project with its own file uses it"
# The command line still applies over each project's file ...
expect_exit 1 lint --select adding-not-null-column --format gcc --fail-on note mono
expect_not_contains out "mono/billing" "--select does not undo a project's ignore"
# ... and --config replaces every project's file.
printf 'fail-on = "error"\n' >all.toml
expect_exit 1 lint "${only[@]}" --config all.toml --format gcc mono
expect_contains out "mono/billing/migrations/0001_status.sql:1:22:" "--config applies to every project"
# A broken project configuration is a configuration error naming it, even when another one was found first.
printf 'selct = ["locks"]\n' >mono/search/migsafe.toml
expect_exit 2 lint mono
expect_contains err "mono/search/migsafe.toml:1:1: unknown configuration key 'selct'" "nested configuration error"

finish
