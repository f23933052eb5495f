#!/usr/bin/env bash
# Validates migsafe's SARIF with Microsoft's SARIF multitool under the SARIF and GitHub ingestion rule
# sets (shared/tools/validate-sarif): zero errors and zero warnings are required.
#   $1 = migsafe binary, $2 = source directory.
# Checked: the SARIF written by migsafe_sarif_sample (fixed findings, every registered rule), with and
# without a project file; and, when the CLI supports `lint --format sarif:FILE`, the CLI's own output
# for the rule fixtures. Exit 77 (skipped) only when npm is missing and the validator is not cached.
set -uo pipefail
migsafe="$1"
source_dir="$2"
build_dir="$(dirname "$migsafe")"

validator=""
for candidate in "${MIGSAFE_SHARED_DIR:-}/tools/validate-sarif" "$source_dir/../shared/tools/validate-sarif" \
                 "$source_dir/../../shared/tools/validate-sarif"; do
  if [ -x "$candidate" ]; then validator="$candidate"; break; fi
done
if [ -z "$validator" ]; then
  echo "validate_sarif: shared/tools/validate-sarif not found beside $source_dir" >&2
  exit 1
fi
cache="${MIGSAFE_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/migsafe-tools}"
if [ ! -x "$cache/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool" ] && ! command -v npm >/dev/null; then
  echo "validate_sarif: npm is not installed and the SARIF multitool is not cached; skipping" >&2
  exit 77
fi

sample="$build_dir/migsafe_sarif_sample"
if [ ! -x "$sample" ]; then
  echo "validate_sarif: $sample is missing (build the migsafe_sarif_sample target)" >&2
  exit 1
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

"$sample" "$work/sample.sarif" || { echo "validate_sarif: migsafe_sarif_sample failed" >&2; exit 1; }
"$sample" "$work/sample-no-project-file.sarif" --no-project-file || exit 1
files=("$work/sample.sarif" "$work/sample-no-project-file.sarif")

# The CLI's own SARIF, once the CLI offers it (exit 1 only means findings were reported).
if [ -d "$source_dir/tests/fixtures/rules" ]; then
  "$migsafe" lint --format "sarif:$work/cli.sarif" "$source_dir/tests/fixtures/rules" >/dev/null 2>&1
  status=$?
  if [ -s "$work/cli.sarif" ] && { [ $status -eq 0 ] || [ $status -eq 1 ]; }; then
    files+=("$work/cli.sarif")
  fi
fi

"$validator" "${files[@]}"
status=$?
if [ $status -eq 2 ]; then
  echo "validate_sarif: the validator could not be installed" >&2
  exit 1
fi
[ $status -eq 0 ] && echo "validate_sarif: ${#files[@]} SARIF file(s) valid (0 errors, 0 warnings)"
exit $status
