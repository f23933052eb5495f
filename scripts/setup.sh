#!/usr/bin/env bash
# Installs what migsafe needs from Debian/Ubuntu packages (only the missing ones) and builds it into
# build/. Used by both quick-start commands and by CI. Safe to run again: it only does what is missing.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${MIGSAFE_BUILD_DIR:-$root/build}"

packages=(
  cmake g++ make pkg-config git ccache
  libpg-query-dev libsimdjson-dev nlohmann-json3-dev libcli11-dev libtomlplusplus-dev
  libsqlite3-dev libpq-dev libgtest-dev libgmock-dev libbenchmark-dev
  postgresql python3 python3-alembic python3-sqlalchemy python3-psycopg2
  nodejs npm
)

missing=()
for package in "${packages[@]}"; do
  status="$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)"
  [[ "$status" == "install ok installed" ]] || missing+=("$package")
done
# Node.js may come from elsewhere than Debian (it does on GitHub runners): then npm is there already.
if command -v npm >/dev/null 2>&1; then
  filtered=()
  for package in "${missing[@]}"; do [[ "$package" == nodejs || "$package" == npm ]] || filtered+=("$package"); done
  missing=("${filtered[@]+"${filtered[@]}"}")
fi

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  sudo_cmd=()
  if [[ "$(id -u)" != 0 ]]; then
    command -v sudo >/dev/null 2>&1 || { echo "setup: need root or sudo to install: ${missing[*]}" >&2; exit 3; }
    sudo_cmd=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

cmake -S "$root" -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build_dir" -j"$(nproc)"
