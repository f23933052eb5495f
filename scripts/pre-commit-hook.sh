#!/usr/bin/env bash
# The entry of migsafe's pre-commit hooks (.pre-commit-hooks.yaml): runs `migsafe ARGS... FILES...`
# with the file names pre-commit passes, using $MIGSAFE_BINARY or the `migsafe` on PATH. pre-commit
# does not install migsafe (a C++ binary); when it is missing, say how to get it and fail.
set -uo pipefail

binary="${MIGSAFE_BINARY:-}"
if [[ -n "$binary" ]]; then
  if [[ ! -x "$binary" || -d "$binary" ]]; then
    echo "migsafe pre-commit hook: MIGSAFE_BINARY=$binary is not an executable file." >&2
    exit 3
  fi
elif command -v migsafe >/dev/null 2>&1; then
  binary=migsafe
else
  cat >&2 <<'HINT'
migsafe pre-commit hook: the migsafe binary is not installed (not on PATH, MIGSAFE_BINARY not set).
pre-commit cannot install it (it is a C++ program). Build it once from source on Debian 12+ or
Ubuntu 24.04+ (scripts/setup.sh installs the packages it needs with apt):

    git clone https://github.com/migsafe/migsafe && cd migsafe
    scripts/setup.sh --binary-only
    sudo install build/migsafe /usr/local/bin/    # or: export MIGSAFE_BINARY="$PWD/build/migsafe"

Then commit again. To commit without the check once: SKIP=migsafe,migsafe-alembic git commit ...
HINT
  exit 3
fi

exec "$binary" "$@"
