#!/usr/bin/env bash
# GitHub Action, step 1: the actions/cache key of the action's own build of migsafe.
#
# The key is a hash of everything the build reads (CMakeLists.txt, linter/, rules/, harness/,
# scripts/setup.sh), computed here because the expression function hashFiles() only sees files inside
# $GITHUB_WORKSPACE and the action's checkout lives outside it (_actions/OWNER/REPO/REF). The prefix
# also names the runner image and the checkout path: a binary built on another image may miss its
# shared libraries, and CMake refuses a build directory configured for another source path.
#
# Writes to $GITHUB_OUTPUT: key, restore-prefix, build-dir, ccache-dir.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
output="${GITHUB_OUTPUT:-/dev/stdout}"

hash_stream() { sha256sum | cut -c1-16; }

source_hash="$(
  cd "$root"
  find CMakeLists.txt linter rules harness scripts/setup.sh -type f -print0 | LC_ALL=C sort -z |
    xargs -0 sha256sum | hash_stream
)"
path_hash="$(printf '%s' "$root" | hash_stream)"
# ImageOS (ubuntu24, ubuntu22) is set on GitHub-hosted runners; self-hosted runners fall back to
# /etc/os-release.
image="${ImageOS:-}"
if [[ -z "$image" && -r /etc/os-release ]]; then
  image="$(. /etc/os-release && printf '%s%s' "${ID:-unknown}" "${VERSION_ID:-}")"
fi
prefix="migsafe-build-v1-${RUNNER_OS:-$(uname -s)}-${RUNNER_ARCH:-$(uname -m)}-${image:-unknown}-${path_hash}-"

{
  echo "key=${prefix}${source_hash}"
  echo "restore-prefix=${prefix}"
  echo "build-dir=${root}/build-action"
  echo "ccache-dir=${root}/.ccache-action"
} >>"$output"
