# A simulated GitHub Actions environment for the action's scripts (scripts/action/*.sh): a temporary
# git repository with a base and a head commit, event payloads, and the files GitHub provides
# (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, GITHUB_EVENT_PATH...).
# Usage: set MIGSAFE and SOURCE_DIR, source cli_common.bash, then this file.

ACTION_SCRIPTS="$SOURCE_DIR/scripts/action"
jq_bin="$(command -v jq || true)"
if [[ -z "$jq_bin" ]]; then
  echo "jq is not installed (scripts/setup.sh installs it; GitHub's runners have it); skipping" >&2
  exit 77
fi

git_quiet() { git -c init.defaultBranch=main -c user.email=ci@example.com -c user.name=ci "$@" >/dev/null; }

# make_repository DIR: a repository with two commits on main.
#   base: db/migrations 000001 (CREATE TABLE users) and 000002 (CREATE INDEX without CONCURRENTLY:
#         one error, blocking-index-build);
#   head: adds 000003 (ADD COLUMN ... NOT NULL without default: adding-not-null-column, an error, and
#         missing-lock-timeout, a warning).
# Sets BASE_SHA and HEAD_SHA.
make_repository() {
  local dir="$1"
  mkdir -p "$dir/db/migrations"
  (
    cd "$dir" || exit 1
    git_quiet init
    printf 'CREATE TABLE users (id bigint PRIMARY KEY, name text);\n' >db/migrations/000001_users.up.sql
    printf 'DROP TABLE users;\n' >db/migrations/000001_users.down.sql
    printf 'CREATE INDEX users_name_idx ON users (name);\n' >db/migrations/000002_index.up.sql
    printf 'DROP INDEX users_name_idx;\n' >db/migrations/000002_index.down.sql
    git_quiet add .
    git_quiet commit -m base
    printf 'ALTER TABLE users ADD COLUMN email text NOT NULL;\n' >db/migrations/000003_email.up.sql
    printf 'ALTER TABLE users DROP COLUMN email;\n' >db/migrations/000003_email.down.sql
    git_quiet add .
    git_quiet commit -m head
  ) || return 1
  BASE_SHA="$(git -C "$dir" rev-parse HEAD~1)"
  HEAD_SHA="$(git -C "$dir" rev-parse HEAD)"
}

# pull_request_event FILE HEAD_REPOSITORY: a pull_request payload from HEAD_REPOSITORY into acme/shop.
pull_request_event() {
  "$jq_bin" -n --arg base "$BASE_SHA" --arg head "$HEAD_SHA" --arg head_repo "$2" '{
    action: "synchronize", number: 42,
    pull_request: {
      number: 42,
      base: { ref: "main", sha: $base, repo: { full_name: "acme/shop", fork: false } },
      head: { ref: "feature", sha: $head, repo: { full_name: $head_repo, fork: ($head_repo != "acme/shop") } }
    },
    repository: { full_name: "acme/shop" }
  }' >"$1"
}

# push_event FILE BEFORE
push_event() {
  "$jq_bin" -n --arg before "$2" --arg after "$HEAD_SHA" \
    '{ref: "refs/heads/main", before: $before, after: $after, repository: {full_name: "acme/shop"}}' >"$1"
}

# github_env WORKSPACE EVENT_NAME EVENT_FILE: resets the simulated runner files under $WORK/gh and
# prints nothing; run_action then runs scripts/action/run.sh in that environment.
github_env() {
  rm -rf "$WORK/gh"
  mkdir -p "$WORK/gh/temp"
  : >"$WORK/gh/output"
  : >"$WORK/gh/summary.md"
  GH_WORKSPACE="$1"
  GH_EVENT_NAME="$2"
  GH_EVENT_PATH="$3"
}

# run_action [VAR=VALUE...]: runs run.sh with the simulated environment plus the given INPUT_*
# variables; stdout in $WORK/gh/stdout, stderr in $WORK/gh/stderr, exit status in RUN_STATUS.
run_action() {
  env -i PATH="$PATH" HOME="${HOME:-/tmp}" \
    GITHUB_ACTIONS=true CI=true \
    GITHUB_EVENT_NAME="$GH_EVENT_NAME" GITHUB_EVENT_PATH="$GH_EVENT_PATH" \
    GITHUB_WORKSPACE="$GH_WORKSPACE" GITHUB_OUTPUT="$WORK/gh/output" GITHUB_STEP_SUMMARY="$WORK/gh/summary.md" \
    RUNNER_TEMP="$WORK/gh/temp" GITHUB_JOB=lint GITHUB_REPOSITORY=acme/shop GITHUB_SHA="$HEAD_SHA" \
    GITHUB_SERVER_URL=https://github.com GITHUB_ACTOR=octocat \
    GITHUB_ACTION_PATH=/home/runner/work/_actions/migsafe/migsafe/v1 \
    MIGSAFE="$MIGSAFE" "$@" \
    bash "$ACTION_SCRIPTS/run.sh" >"$WORK/gh/stdout" 2>"$WORK/gh/stderr"
  RUN_STATUS=$?
}

# output NAME: the value of a step output written to $GITHUB_OUTPUT (the last one wins, as on GitHub).
output() {
  grep "^$1=" "$WORK/gh/output" | tail -n 1 | cut -d= -f2-
}

expect_output() {
  local actual
  actual="$(output "$1")"
  if [[ "$actual" != "$2" ]]; then
    echo "FAIL: ${3:-step} output $1 is '$actual', expected '$2'" >&2
    sed 's/^/  output: /' "$WORK/gh/output" >&2
    sed 's/^/  stderr: /' "$WORK/gh/stderr" | head -20 >&2
    failures=$((failures + 1))
  fi
}

# expect_count FILE PATTERN COUNT WHAT: FILE has COUNT lines matching the extended regex PATTERN.
expect_count() {
  local actual
  actual="$(grep -cE -- "$2" "$1")"
  if [[ "$actual" != "$3" ]]; then
    echo "FAIL: $4: $actual line(s) match '$2', expected $3" >&2
    sed 's/^/  | /' "$1" | head -30 >&2
    failures=$((failures + 1))
  fi
}

check() {
  if ! "$@" >/dev/null; then
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
  fi
}
