#!/usr/bin/env bash
# `migsafe check PROJECT`: lint + round trip in one run, one report per --format with the findings of
# both, the exit codes of lint.
set -u
MIGSAFE="$1"
SOURCE_DIR="$(realpath "$2")"
source "$(dirname "${BASH_SOURCE[0]}")/lib/cli_common.bash"
cd "$WORK"
cp -r "$SOURCE_DIR/examples/sqlite-notes" notes
cp -r "$SOURCE_DIR/examples/sqlite-notes-broken-downgrade" broken
python="$(command -v /usr/bin/python3 || command -v python3)"

# json_rule_ids FILE: the rule ids of a JSON report, sorted and unique, one per line.
json_rule_ids() {
  "$python" - "$1" <<'PY'
import json, sys
def walk(node):
    if isinstance(node, dict):
        if isinstance(node.get("rule_id"), str):
            yield node["rule_id"]
        elif isinstance(node.get("rule"), str):
            yield node["rule"]
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)
with open(sys.argv[1]) as f:
    report = json.load(f)  # fails the test when the report is not JSON
print("\n".join(sorted(set(walk(report)))))
PY
}

# A healthy project: nothing to report, exit 0, both reports written.
expect_exit 0 check --format json:clean/report.json --format markdown:clean/report.md notes
json_rule_ids clean/report.json >clean/ids || { echo "FAIL: clean JSON report does not parse" >&2; failures=$((failures + 1)); }
expect_not_contains clean/ids "roundtrip-" "rule ids of the clean JSON report"
expect_contains clean/report.md "migsafe check" "clean markdown report title"
expect_contains err "roundtrip: 4 migration(s) on sqlite, 0 finding(s)" "notes of the clean run"

# A downgrade that SQLite refuses: the round-trip finding is in the same reports as the lint findings.
expect_exit 1 check --format json:broken/report.json --format markdown:broken/report.md broken
json_rule_ids broken/report.json >broken/ids || { echo "FAIL: broken JSON report does not parse" >&2; failures=$((failures + 1)); }
expect_contains broken/ids "roundtrip-downgrade-failed" "rule ids of the JSON report"
expect_contains broken/report.json "000004_add_pinned.down.sql" "JSON report: the failing downgrade file"
expect_contains broken/report.md "roundtrip-downgrade-failed" "markdown report"
expect_contains broken/report.md "000004_add_pinned.down.sql" "markdown report: the failing downgrade file"
expect_contains broken/report.md "migsafe check" "markdown report title"
# --fail-on never: the same findings, exit 0; a text report on stdout by default.
expect_exit 0 check --fail-on never broken
expect_contains out "roundtrip-downgrade-failed" "text report on stdout"

# Usage errors: exit 2, nothing started.
expect_exit 2 check
expect_exit 2 check does-not-exist
expect_contains err "does-not-exist" "missing project message"
expect_exit 2 check --engine oracle notes
expect_contains err "--engine" "engine message"
expect_exit 2 check --format xml notes
expect_exit 2 check --fail-on sometimes notes

finish
