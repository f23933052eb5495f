#!/usr/bin/env bash
# Runs the linter benchmarks and prints the numbers quoted in README.md.
# usage: bench/run.sh [BUILD_DIR]    (the build must exist: scripts/setup.sh)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$(realpath "${1:-$root/build}")"
python="$(command -v /usr/bin/python3 || command -v python3)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cmake --build "$build" --target lint_bench -j"$(nproc)" >/dev/null
"$python" "$root/bench/generate_corpus.py" "$work/corpus" --files 2000 --statements 50000 >/dev/null
echo "== corpus: 2000 files, 50000 statements ($(du -sh "$work/corpus" | cut -f1))"

echo "== single-threaded: parsing alone vs full lint (best of 3)"
"$build/bench/lint_bench" "$work/corpus" 3

if command -v valgrind >/dev/null 2>&1; then
  echo "== the same in instructions (callgrind; repeatable where wall time on a shared machine is not)"
  for phase in parse raw lint; do
    case "$phase" in parse) function=parse_only ;; raw) function=raw_parse_only ;; lint) function=full_lint ;; esac
    valgrind --tool=callgrind --toggle-collect="*${function}*" --callgrind-out-file="$work/$phase.callgrind" \
      "$build/bench/lint_bench" "$work/corpus" 1 "$phase" >/dev/null 2>&1
    awk '/^summary:/ {print $2}' "$work/$phase.callgrind" > "$work/$phase.count"
  done
  awk -v parse="$(cat "$work/parse.count")" -v raw="$(cat "$work/raw.count")" -v lint="$(cat "$work/lint.count")" 'BEGIN {
    printf "parse only (pg_query_parse): %.0f M instructions; raw parse: %.0f M; full lint: %.0f M\n",
           parse / 1e6, raw / 1e6, lint / 1e6
    printf "ratio full lint / parse only: %.2fx (target <= 1.5x); full lint / raw parse: %.2fx\n",
           lint / parse, lint / raw }'
fi

echo "== whole binary, all cores (--jobs $(nproc)) and one core: wall time and peak memory"
for jobs in "$(nproc)" 1; do
  /usr/bin/time -f "jobs=$jobs: %e s wall, peak RSS %M KB" \
    "$build/migsafe" lint --jobs "$jobs" --layout plain --format json:/dev/null "$work/corpus" || true
done

echo "== one-statement file: median of 21 runs of the whole binary, and its instruction count"
# Run from the file's own project directory, as a pre-commit hook or an editor does: a file outside the
# working directory makes the loader search every directory above it up to / for the project it belongs to.
mkdir -p "$work/one"
printf 'CREATE INDEX ix_users_email ON users (email);\n' > "$work/one/0001_index.sql"
cd "$work/one"
for _ in $(seq 21); do
  start=$(date +%s%N)
  "$build/migsafe" lint --format json:/dev/null 0001_index.sql >/dev/null 2>&1 || true
  echo $(( ($(date +%s%N) - start) / 1000 ))
done | sort -n | awk '{a[NR]=$1} END {printf "median %.2f ms\n", a[int((NR+1)/2)]/1000}'
if command -v valgrind >/dev/null 2>&1; then
  valgrind --tool=callgrind --callgrind-out-file="$work/one.callgrind" \
    "$build/migsafe" lint --jobs 1 --format json:/dev/null 0001_index.sql >/dev/null 2>&1 || true
  awk '/^summary:/ {printf "instructions: %.1f million (repeatable under load; wall time is not)\n", $2/1e6}' "$work/one.callgrind"
fi

echo "== Alembic: reading a generated 1000-revision history (graph with 20 merges, every file), median of 5"
"$python" "$root/bench/generate_alembic_history.py" "$work/alembic" --revisions 1000 >/dev/null
for _ in 1 2 3 4 5; do
  start=$(date +%s%N)
  "$build/migsafe" lint --jobs 1 --format json:/dev/null "$work/alembic" >/dev/null 2>&1 || true
  echo $(( ($(date +%s%N) - start) / 1000000 ))
done | sort -n | awk '{a[NR]=$1} END {printf "median %d ms\n", a[3]}'

echo
echo "== harness: private PostgreSQL cluster start/stop, and the stairway over a generated 100-revision Alembic project"
cmake --build "$build" --target harness_bench -j"$(nproc)" >/dev/null
"$python" "$root/bench/generate_alembic_project.py" "$work/stairway" --revisions 100 >/dev/null
# The harness's Alembic driver needs a python3 that can import alembic (Debian's, not a pyenv one).
MIGSAFE_PYTHON="$python" "$build/bench/harness_bench" "$work/stairway" 5
echo "== the same stairway through the whole binary (migsafe roundtrip), wall time"
for engine in sqlite postgresql; do
  /usr/bin/time -f "$engine: %e s wall, peak RSS %M KB" \
    "$build/migsafe" roundtrip --engine "$engine" --no-progress --format json -o /dev/null "$work/stairway" 2>&1 \
    | grep -v '^migsafe roundtrip:' || true
done
