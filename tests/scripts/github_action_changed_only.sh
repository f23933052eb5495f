#!/usr/bin/env bash
# The GitHub Action on pull requests: changed-only (default on pull_request events) lints only the
# migrations the pull request adds or changes, against the PR's base commit from GITHUB_EVENT_PATH,
# also from a shallow checkout (actions/checkout's default fetch-depth: 1), through
# `migsafe lint --changed-since`.
#   $1 = migsafe binary, $2 = source directory.
set -u
MIGSAFE="$1"
SOURCE_DIR="$(realpath "$2")"
source "$(dirname "${BASH_SOURCE[0]}")/lib/cli_common.bash"
source "$(dirname "${BASH_SOURCE[0]}")/lib/github_env.bash"

origin="$WORK/origin"
make_repository "$origin" || { echo "FAIL: cannot create the test repository" >&2; exit 1; }
pull_request_event "$WORK/pr.json" "acme/shop"
push_event "$WORK/push.json" "$BASE_SHA"

# A full clone, as actions/checkout with fetch-depth: 0 makes it.
git_quiet clone -q "file://$origin" "$WORK/full"

# --- 1. pull_request, changed-only auto: only 000003 (added by the PR) is reported, not 000002's
# blocking index build that is already on main; the summary says what was linted.
github_env "$WORK/full" pull_request "$WORK/pr.json"
run_action INPUT_UPLOAD_SARIF=true
expect_output exit-code 1 "pull request"
expect_output findings 2 "pull request"
expect_output errors 1 "pull request"
expect_output upload-sarif true "pull request"
expect_count "$WORK/gh/stdout" '^::(error|warning|notice) file=db/migrations/000003_email.up.sql' 2 "pull request annotations"
expect_not_contains "$WORK/gh/stdout" "000002_index" "pull request annotations"
expect_not_contains "$WORK/gh/summary.md" "000002_index" "pull request job summary"
expect_contains "$WORK/gh/summary.md" "since \`${BASE_SHA:0:12}\` (the base of pull request #42) were linted" "pull request job summary"
expect_contains "$WORK/gh/stderr" "--changed-since $BASE_SHA" "migsafe command line"
check "$jq_bin" -e '[.runs[0].results[].locations[0].physicalLocation.artifactLocation.uri] | unique == ["db/migrations/000003_email.up.sql"]' "$(output sarif-file)"
expect_not_contains "$WORK/gh/stdout" "fetching the history" "full clone: nothing to fetch"

# changed-only: false on the same pull request reports the whole history.
run_action INPUT_CHANGED_ONLY=false
expect_output findings 3 "pull request, changed-only false"

# --- 2. A shallow checkout (fetch-depth: 1): the action fetches what the merge base needs.
git_quiet clone -q --depth 1 "file://$origin" "$WORK/shallow"
check test "$(git -C "$WORK/shallow" rev-parse --is-shallow-repository)" = true
github_env "$WORK/shallow" pull_request "$WORK/pr.json"
run_action
expect_contains "$WORK/gh/stdout" "::notice title=migsafe::changed-only: the checkout is shallow" "shallow checkout notice"
expect_output exit-code 1 "shallow checkout"
expect_output findings 2 "shallow checkout"
check test "$(git -C "$WORK/shallow" rev-parse --is-shallow-repository)" = false

# --- 3. A push with changed-only: true compares with the commit before the push.
github_env "$WORK/full" push "$WORK/push.json"
run_action INPUT_CHANGED_ONLY=true
expect_output findings 2 "push, changed-only true"

# --- 4. A base commit that cannot be found (a force-pushed base, no remote): the fetch fails, then
# migsafe's own error names the commit (exit code 2); the step records it and finish.sh fails with it.
"$jq_bin" '.pull_request.base.sha = "1111111111111111111111111111111111111111"' "$WORK/pr.json" >"$WORK/pr-lost.json"
git_quiet -C "$WORK/full" remote remove origin
github_env "$WORK/full" pull_request "$WORK/pr-lost.json"
run_action
expect_output exit-code 2 "unknown base commit"
expect_contains "$WORK/gh/stderr" "git fetch of 1111111111111111111111111111111111111111 failed" "unknown base commit"
expect_contains "$WORK/gh/stderr" "migsafe lint: error: --changed-since: '1111111111111111111111111111111111111111'" "unknown base commit"
expect_contains "$WORK/gh/stdout" "::error title=migsafe::migsafe stopped on a usage or configuration error" "unknown base commit"

finish
