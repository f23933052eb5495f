#!/usr/bin/env bash
# The GitHub Action's build steps: scripts/action/cache-key.sh (the actions/cache key of the build) and
# scripts/action/install.sh reusing a restored build without compiling or installing anything.
#   $1 = migsafe binary, $2 = source directory.
set -u
MIGSAFE="$1"
SOURCE_DIR="$(realpath "$2")"
source "$(dirname "${BASH_SOURCE[0]}")/lib/cli_common.bash"

# output FILE NAME: a value written in GITHUB_OUTPUT format.
output() { grep "^$2=" "$1" | tail -n 1 | cut -d= -f2-; }

# --- cache-key.sh: stable, keyed on the sources, the runner image and the checkout path.
copy="$WORK/action"
mkdir -p "$copy/scripts"
cp -r "$SOURCE_DIR/CMakeLists.txt" "$SOURCE_DIR/linter" "$SOURCE_DIR/rules" "$SOURCE_DIR/harness" "$copy/"
cp -r "$SOURCE_DIR/scripts/setup.sh" "$SOURCE_DIR/scripts/action" "$copy/scripts/"
key_of() { # DIR [VAR=VALUE...]: the key cache-key.sh computes
  local dir="$1"
  shift
  : >"$WORK/key.out"
  env GITHUB_OUTPUT="$WORK/key.out" RUNNER_OS=Linux RUNNER_ARCH=X64 ImageOS=ubuntu24 "$@" bash "$dir/scripts/action/cache-key.sh"
  output "$WORK/key.out" key
}
first="$(key_of "$copy")"
second="$(key_of "$copy")"
prefix="$(output "$WORK/key.out" restore-prefix)"
[[ -n "$first" && "$first" == "$second" ]] || { echo "FAIL: the cache key is not stable: '$first' vs '$second'" >&2; failures=$((failures + 1)); }
[[ "$first" == "$prefix"* && "$prefix" == migsafe-build-v1-Linux-X64-ubuntu24-* ]] ||
  { echo "FAIL: key $first does not start with its restore prefix $prefix" >&2; failures=$((failures + 1)); }
[[ "$(output "$WORK/key.out" build-dir)" == "$copy/build-action" ]] || { echo "FAIL: build-dir output" >&2; failures=$((failures + 1)); }
[[ "$(output "$WORK/key.out" ccache-dir)" == "$copy/.ccache-action" ]] || { echo "FAIL: ccache-dir output" >&2; failures=$((failures + 1)); }
# Another runner image: another key.
[[ "$(key_of "$copy" ImageOS=ubuntu22)" != "$first" ]] || { echo "FAIL: the key ignores the runner image" >&2; failures=$((failures + 1)); }
# A changed source file: another key with the same prefix; a file outside the build's inputs: same key.
echo "// changed" >>"$copy/rules/adding_not_null_column.cpp"
changed="$(key_of "$copy")"
[[ "$changed" != "$first" && "$changed" == "$prefix"* ]] || { echo "FAIL: a source change does not change the key" >&2; failures=$((failures + 1)); }
echo "notes" >"$copy/NOTES.md"
[[ "$(key_of "$copy")" == "$changed" ]] || { echo "FAIL: a file the build does not read changed the key" >&2; failures=$((failures + 1)); }

# --- install.sh: a restored build made from the same sources is used as it is.
build="$WORK/restored-build"
mkdir -p "$build"
ln -s "$(realpath "$MIGSAFE")" "$build/migsafe"
echo "$first" >"$build/.migsafe-source-key"
: >"$WORK/install.out"
: >"$WORK/path"
if command -v jq >/dev/null && dpkg-query -W -f='${Status}' jq 2>/dev/null | grep -q "install ok installed"; then
  env GITHUB_OUTPUT="$WORK/install.out" GITHUB_PATH="$WORK/path" MIGSAFE_CACHE_KEY="$first" MIGSAFE_BUILD_DIR="$build" \
    INPUT_ROUNDTRIP=false bash "$SOURCE_DIR/scripts/action/install.sh" >"$WORK/install.log" 2>&1
  status=$?
  [[ $status == 0 ]] || { echo "FAIL: install.sh with a restored build exited $status" >&2; cat "$WORK/install.log" >&2; failures=$((failures + 1)); }
  expect_contains "$WORK/install.log" "migsafe: using the cached build" "install.sh log"
  expect_not_contains "$WORK/install.log" "Building migsafe" "install.sh log"
  [[ "$(output "$WORK/install.out" binary)" == "$build/migsafe" ]] || { echo "FAIL: install.sh binary output" >&2; failures=$((failures + 1)); }
  [[ "$(cat "$WORK/path")" == "$build" ]] || { echo "FAIL: install.sh did not add the build to GITHUB_PATH" >&2; failures=$((failures + 1)); }
else
  echo "note: jq is not a Debian package here; install.sh's reuse path is not run" >&2
fi
# Input errors.
INPUT_ROUNDTRIP=maybe bash "$SOURCE_DIR/scripts/action/install.sh" >"$WORK/install.log" 2>&1
[[ $? == 2 ]] || { echo "FAIL: install.sh accepted roundtrip: maybe" >&2; failures=$((failures + 1)); }
expect_contains "$WORK/install.log" "input roundtrip must be true or false" "install.sh input error"
bash "$SOURCE_DIR/scripts/setup.sh" --no-such-option >"$WORK/setup.log" 2>&1
[[ $? == 2 ]] || { echo "FAIL: setup.sh accepted an unknown option" >&2; failures=$((failures + 1)); }
expect_contains "$WORK/setup.log" "unknown option '--no-such-option'" "setup.sh usage error"

finish
