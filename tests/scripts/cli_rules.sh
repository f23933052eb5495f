#!/usr/bin/env bash
# `migsafe rules` and `migsafe explain`: every rule is listed and explained; unknown ids exit 2 with the
# closest valid id; --help of every command shows the defaults; --version works.
set -u
MIGSAFE="$1"
source "$(dirname "${BASH_SOURCE[0]}")/lib/cli_common.bash"

expect_exit 0 --version
expect_contains "$WORK/out" "migsafe " "--version"

expect_exit 0 rules --format json
ids=$(/usr/bin/python3 -c 'import json, sys; print("\n".join(r["id"] for r in json.load(sys.stdin)))' <"$WORK/out")
[[ -n "$ids" ]] || { echo "FAIL: no rules listed" >&2; failures=$((failures + 1)); }
expect_exit 0 rules
cp "$WORK/out" "$WORK/table"
for id in $ids; do
  expect_contains "$WORK/table" "$id" "rules table"
  if expect_exit 0 explain "$id"; then
    expect_contains "$WORK/out" "Severity:" "explain $id"
    expect_contains "$WORK/out" "What it does" "explain $id"
  fi
done

expect_exit 2 explain adding-not-nul-column
expect_contains "$WORK/err" "did you mean 'adding-not-null-column'?" "unknown rule message"
expect_exit 2 explain
expect_exit 2 rules --format yaml

for command in lint rules explain; do
  expect_exit 0 "$command" --help
done
expect_exit 0 lint --help
for text in "--fail-on" "error" "--color" "auto" "--jobs" "all cores" "--format" "text" "--layout"; do
  expect_contains "$WORK/out" "$text" "lint --help"
done

finish
