#!/usr/bin/env bash
# GitHub Action, step 2: makes a migsafe binary available, built from the action's own checkout.
#
# A build restored by actions/cache is used as it is when it was made from the same sources (its
# .migsafe-source-key equals the cache key) and runs here: then nothing is compiled, and only the
# packages a round trip needs are installed. Otherwise scripts/setup.sh --binary-only installs the
# Debian/Ubuntu build packages (sudo on GitHub's runners) and builds the `migsafe` target; ccache
# (CCACHE_DIR, cached too) makes a rebuild after a source change cheap. A restored build is never
# rebuilt in place: the action's checkout is downloaded afresh for every job, so every source file is
# newer than every object file and make would recompile everything anyway.
#
# Environment: MIGSAFE_CACHE_KEY, MIGSAFE_BUILD_DIR (from cache-key.sh), INPUT_ROUNDTRIP, INPUT_ENGINE,
# INPUT_DATABASE_URL. Writes to $GITHUB_OUTPUT: binary; appends the build directory to $GITHUB_PATH.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build_dir="${MIGSAFE_BUILD_DIR:-$root/build-action}"
export MIGSAFE_BUILD_DIR="$build_dir"
key="${MIGSAFE_CACHE_KEY:-}"
binary="$build_dir/migsafe"
output="${GITHUB_OUTPUT:-/dev/null}"

case "${INPUT_ROUNDTRIP:-false}" in
  true | false) ;;
  *) echo "::error title=migsafe::input roundtrip must be true or false, not '${INPUT_ROUNDTRIP}'"; exit 2 ;;
esac

# Packages beyond the binary's own: a round trip may run Alembic revisions (Debian's python3-alembic),
# and a round trip on a private PostgreSQL cluster needs server binaries (GitHub's Ubuntu images have
# them; setup.sh installs `postgresql` only where none are found).
extras=()
if [[ "${INPUT_ROUNDTRIP:-false}" == true ]]; then
  extras+=(--with-alembic)
  # migsafe loads libpq only when it talks to PostgreSQL (a restored build may run without it).
  [[ "${INPUT_ENGINE:-sqlite}" == postgresql ]] && extras+=(--with-libpq)
  [[ "${INPUT_ENGINE:-sqlite}" == postgresql && -z "${INPUT_DATABASE_URL:-}" ]] && extras+=(--with-postgresql)
fi

reusable=false
if [[ -n "$key" && -x "$binary" && -r "$build_dir/.migsafe-source-key" ]] &&
   [[ "$(cat "$build_dir/.migsafe-source-key")" == "$key" ]] && "$binary" --version >/dev/null 2>&1; then
  reusable=true
fi

if $reusable; then
  echo "migsafe: using the cached build ($("$binary" --version))"
  "$root/scripts/setup.sh" --binary-only --packages-only "${extras[@]+"${extras[@]}"}"
else
  echo "::group::Building migsafe (scripts/setup.sh --binary-only ${extras[*]})"
  rm -f "$build_dir/.migsafe-source-key"
  "$root/scripts/setup.sh" --binary-only "${extras[@]+"${extras[@]}"}"
  [[ -n "$key" ]] && printf '%s\n' "$key" >"$build_dir/.migsafe-source-key"
  echo "::endgroup::"
  "$binary" --version >/dev/null || { echo "::error title=migsafe::the freshly built $binary does not run"; exit 3; }
fi

echo "binary=$binary" >>"$output"
[[ -n "${GITHUB_PATH:-}" ]] && echo "$build_dir" >>"$GITHUB_PATH"
exit 0
