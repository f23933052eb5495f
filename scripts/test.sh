#!/usr/bin/env bash
# Quick-start command 2: installs what is missing, builds, and runs the whole test suite with ctest.
# Tests that need PostgreSQL start their own throw-away cluster through the harness.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/setup.sh"
cd "${MIGSAFE_BUILD_DIR:-$root/build}"
ctest --output-on-failure -j"$(nproc)" "$@"
