# Shared helpers for tests/scripts/cli_*.sh: run the migsafe binary and check exit codes and output.
# Usage: source this file after setting MIGSAFE; call `finish` at the end.

failures=0
MIGSAFE="$(realpath "$MIGSAFE")"  # the tests cd into their work directory
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# expect_exit CODE ARGS...: runs migsafe ARGS, keeps stdout/stderr in $WORK/out and $WORK/err.
expect_exit() {
  local expected="$1"
  shift
  "$MIGSAFE" "$@" >"$WORK/out" 2>"$WORK/err"
  local actual=$?
  if [[ "$actual" != "$expected" ]]; then
    echo "FAIL: migsafe $* exited $actual, expected $expected" >&2
    sed 's/^/  stdout: /' "$WORK/out" | head -20 >&2
    sed 's/^/  stderr: /' "$WORK/err" | head -20 >&2
    failures=$((failures + 1))
    return 1
  fi
  return 0
}

# expect_contains FILE TEXT [WHAT]: FILE contains TEXT (fixed string).
expect_contains() {
  if ! grep -qF -- "$2" "$1"; then
    echo "FAIL: ${3:-$1} does not contain: $2" >&2
    sed 's/^/  | /' "$1" | head -20 >&2
    failures=$((failures + 1))
  fi
}

expect_not_contains() {
  if grep -qF -- "$2" "$1"; then
    echo "FAIL: ${3:-$1} contains: $2" >&2
    sed 's/^/  | /' "$1" | head -20 >&2
    failures=$((failures + 1))
  fi
}

finish() {
  if ((failures > 0)); then
    echo "$failures check(s) failed" >&2
    exit 1
  fi
  echo "all checks passed"
  exit 0
}
