#!/usr/bin/env bash
# The committed docs/rules/ must be exactly what `migsafe rules --output-dir` generates, so the rule
# documentation never goes stale. Regenerate with: migsafe rules --output-dir docs/rules
set -u
MIGSAFE="$1"
SOURCE_DIR="$2"
generated="$(mktemp -d)"
trap 'rm -rf "$generated"' EXIT
"$MIGSAFE" rules --output-dir "$generated" >/dev/null 2>&1 || { echo "FAIL: migsafe rules --output-dir failed" >&2; exit 1; }
if ! diff -ru "$SOURCE_DIR/docs/rules" "$generated"; then
  echo "FAIL: docs/rules/ is stale; run: migsafe rules --output-dir docs/rules" >&2
  exit 1
fi
echo "docs/rules/ is up to date"
