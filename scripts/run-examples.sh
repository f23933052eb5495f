#!/usr/bin/env bash
# Quick-start command 1: installs what is missing, builds, and runs the main job on examples/:
# lint every example project, then an SQLite round trip of each (no server needed).
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/setup.sh" || exit $?
migsafe="${MIGSAFE_BUILD_DIR:-$root/build}/migsafe"
cd "$root"
"$migsafe" lint examples/
status=$?
if "$migsafe" roundtrip --help >/dev/null 2>&1; then
  for project in examples/*/; do
    [[ -f "$project/.roundtrip-skip" ]] && continue
    "$migsafe" roundtrip --engine sqlite "$project"
    rc=$?
    (( rc > status )) && status=$rc
  done
fi
exit $status
