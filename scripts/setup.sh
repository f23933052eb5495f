#!/usr/bin/env bash
# Installs what migsafe needs from Debian/Ubuntu packages (only the missing ones) and builds it into
# build/ (or $MIGSAFE_BUILD_DIR). Used by both quick-start commands, by CI and by the GitHub Action.
# Safe to run again: it only does what is missing.
#
#   scripts/setup.sh                  everything to build and test: every target, the test suite's tools
#   scripts/setup.sh --binary-only    only what the `migsafe` binary needs; builds only that target
#                                     (no GoogleTest, benchmark, Node, PostgreSQL server or Alembic)
#     --with-alembic                  with --binary-only: also Debian's Alembic, SQLAlchemy and psycopg2
#                                     (round trips and --render-sql on Alembic projects)
#     --with-postgresql               with --binary-only: also the PostgreSQL server binaries, unless
#                                     some are installed already (round trips with --engine postgresql)
#     --with-libpq                    with --binary-only: also libpq (loaded at run time by round trips on
#                                     PostgreSQL; a build from source has it through libpq-dev)
#   --packages-only                   install the packages, do not build; with --binary-only only jq and
#                                     the --with-* extras (for a build restored from a cache, which runs)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${MIGSAFE_BUILD_DIR:-$root/build}"

binary_only=false
with_alembic=false
with_postgresql=false
with_libpq=false
packages_only=false
for argument in "$@"; do
  case "$argument" in
    --binary-only) binary_only=true ;;
    --with-alembic) with_alembic=true ;;
    --with-postgresql) with_postgresql=true ;;
    --with-libpq) with_libpq=true ;;
    --packages-only) packages_only=true ;;
    *) echo "setup: unknown option '$argument' (expected --binary-only, --with-alembic, --with-postgresql," \
            "--with-libpq, --packages-only)" >&2; exit 2 ;;
  esac
done

# What compiling and running the binary needs (jq: the GitHub Action's scripts read JSON with it).
binary_packages=(
  cmake g++ make pkg-config git ccache jq
  libpg-query-dev nlohmann-json3-dev libcli11-dev libtomlplusplus-dev
  libsqlite3-dev libpq-dev
)
alembic_packages=(python3 python3-alembic python3-sqlalchemy python3-psycopg2)

if $binary_only; then
  packages=("${binary_packages[@]}")
  # A build restored from a cache runs, so the libraries it links are there: only jq and the extras.
  $packages_only && packages=(jq)
  $with_alembic && packages+=("${alembic_packages[@]}")
  $with_libpq && packages+=(libpq5)
  if $with_postgresql && ! compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; then
    packages+=(postgresql)
  fi
else
  # The test suite also needs: GoogleTest, Google Benchmark, PostgreSQL, Alembic, Node.js/npm (the SARIF
  # validator), pre-commit (the hook test runs it) and PyYAML (the action.yml and workflow checks).
  packages=(
    "${binary_packages[@]}" "${alembic_packages[@]}"
    libgtest-dev libgmock-dev libbenchmark-dev postgresql nodejs npm pre-commit python3-yaml
  )
fi

# Installs those of the given packages that are missing (with sudo when not root).
install_missing() {
  local missing=() package status
  for package in "$@"; do
    status="$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)"
    [[ "$status" == "install ok installed" ]] || missing+=("$package")
  done
  # Node.js may come from elsewhere than Debian (it does on GitHub runners): then npm is there already.
  if command -v npm >/dev/null 2>&1; then
    local filtered=()
    for package in "${missing[@]+"${missing[@]}"}"; do [[ "$package" == nodejs || "$package" == npm ]] || filtered+=("$package"); done
    missing=("${filtered[@]+"${filtered[@]}"}")
  fi
  ((${#missing[@]})) || return 0
  echo "setup: installing ${missing[*]}" >&2
  local sudo_cmd=()
  if [[ "$(id -u)" != 0 ]]; then
    command -v sudo >/dev/null 2>&1 || { echo "setup: need root or sudo to install: ${missing[*]}" >&2; exit 3; }
    sudo_cmd=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

install_missing "${packages[@]}"

# Building also needs PostgreSQL's server headers (the parse-tree structs the SQL front end reads) of
# the major version libpg_query's grammar comes from, which only the installed libpg-query-dev tells.
if ! ($binary_only && $packages_only); then
  pg_query_version="$(sed -n 's/^#define PG_VERSION_NUM \([0-9]*\).*/\1/p' /usr/include/pg_query.h)"
  [[ -n "$pg_query_version" ]] || { echo "setup: /usr/include/pg_query.h has no PG_VERSION_NUM" >&2; exit 3; }
  pg_major=$((pg_query_version / 10000))
  if [[ ! -f "/usr/include/postgresql/$pg_major/server/nodes/parsenodes.h" ]]; then
    install_missing "postgresql-server-dev-$pg_major"
  fi
fi

$packages_only && exit 0
if $binary_only; then
  cmake -S "$root" -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMIGSAFE_BUILD_TESTS=OFF >/dev/null
  cmake --build "$build_dir" -j"$(nproc)" --target migsafe
else
  cmake -S "$root" -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMIGSAFE_BUILD_TESTS=ON >/dev/null
  cmake --build "$build_dir" -j"$(nproc)"
fi
