#!/usr/bin/env bash
# The GitHub Action's scripts (scripts/action/*.sh) run as the runner runs them, in a simulated GitHub
# environment (lib/github_env.bash): annotations, job summary, step outputs, SARIF, the SARIF-upload
# decision on fork pull requests, the caps, input errors, the round trip, and the final exit code.
# changed-only on pull requests is tested in github_action_changed_only.sh.
#   $1 = migsafe binary, $2 = source directory.
set -u
MIGSAFE="$1"
SOURCE_DIR="$(realpath "$2")"
source "$(dirname "${BASH_SOURCE[0]}")/lib/cli_common.bash"
source "$(dirname "${BASH_SOURCE[0]}")/lib/github_env.bash"

repo="$WORK/repo"
make_repository "$repo" || { echo "FAIL: cannot create the test repository" >&2; exit 1; }
push_event "$WORK/push.json" "$BASE_SHA"
pull_request_event "$WORK/pr-fork.json" "mallory/shop"
pull_request_event "$WORK/pr-same.json" "acme/shop"

# --- 1. A push (changed-only auto = false): every migration linted, every report produced.
github_env "$repo" push "$WORK/push.json"
run_action INPUT_UPLOAD_SARIF=true INPUT_CHANGED_ONLY=auto
check test "$RUN_STATUS" = 0  # findings never fail this step: finish.sh does, after the upload
expect_output exit-code 1 "push"
expect_output findings 3 "push"
expect_output errors 2 "push"
expect_output upload-sarif true "push"
expect_output category migsafe/lint "push (default category migsafe/<job>)"
sarif="$(output sarif-file)"
check test -s "$sarif"
case "$sarif" in "$WORK/gh/temp/"*.sarif) ;; *) echo "FAIL: default SARIF path $sarif is not in RUNNER_TEMP" >&2; failures=$((failures + 1)) ;; esac
stdout="$WORK/gh/stdout"
expect_contains "$stdout" "::error file=db/migrations/000002_index.up.sql,line=1,endLine=1,col=1,endColumn=44,title=migsafe (blocking-index-build)::Building index" "annotations"
expect_contains "$stdout" "::error file=db/migrations/000003_email.up.sql,line=1,endLine=1,col=19,endColumn=49,title=migsafe (adding-not-null-column)::" "annotations"
expect_contains "$stdout" "::warning file=db/migrations/000003_email.up.sql,line=1" "annotations"
expect_count "$stdout" '^::(error|warning|notice) file=' 3 "annotations"
# The text report is in a collapsed group of the log, after the annotations.
expect_contains "$stdout" "::group::migsafe report" "log"
expect_contains "$stdout" "2 errors, 1 warning in 2 files" "log"
summary="$WORK/gh/summary.md"
expect_contains "$summary" "2 errors, 1 warning in 2 files" "job summary"
expect_contains "$summary" "| error |" "job summary table"
# Rule links point into the action's own docs/rules/ at the ref the workflow uses (_actions/OWNER/REPO/REF).
expect_contains "$summary" "https://github.com/migsafe/migsafe/blob/v1/docs/rules/adding-not-null-column.md" "job summary rule links"
expect_contains "$summary" "https://github.com/migsafe/migsafe/blob/v1/docs/rules/blocking-index-build.md" "job summary rule links"
expect_not_contains "$summary" "were linted; the whole history" "job summary of a full run"
# SARIF: one run, the category, every result, rule help links.
check "$jq_bin" -e '.version == "2.1.0" and (.runs | length) == 1' "$sarif"
check "$jq_bin" -e '.runs[0].automationDetails.id == "migsafe/lint/"' "$sarif"
check "$jq_bin" -e '[.runs[0].results[].ruleId] | sort == ["adding-not-null-column", "blocking-index-build", "missing-lock-timeout"]' "$sarif"
check "$jq_bin" -e '.runs[0].results[] | select(.ruleId == "blocking-index-build") | .locations[0].physicalLocation.artifactLocation.uri == "db/migrations/000002_index.up.sql"' "$sarif"
check "$jq_bin" -e '[.runs[0].tool.driver.rules[] | select(.id == "blocking-index-build") | .helpUri][0] == "https://github.com/migsafe/migsafe/blob/v1/docs/rules/blocking-index-build.md"' "$sarif"
cp "$sarif" "$WORK/push.sarif"

# The last step fails with migsafe's exit code, after the upload.
MIGSAFE_EXIT_CODE=1 MIGSAFE_FINDINGS=3 MIGSAFE_ERRORS=2 bash "$ACTION_SCRIPTS/finish.sh" >"$WORK/finish.out" 2>&1
check test $? = 1
expect_contains "$WORK/finish.out" "3 finding(s), 2 error(s)" "finish.sh message"
MIGSAFE_EXIT_CODE=0 MIGSAFE_FINDINGS=0 bash "$ACTION_SCRIPTS/finish.sh" >/dev/null 2>&1
check test $? = 0
MIGSAFE_EXIT_CODE=3 bash "$ACTION_SCRIPTS/finish.sh" >/dev/null 2>&1
check test $? = 3
MIGSAFE_EXIT_CODE= bash "$ACTION_SCRIPTS/finish.sh" >/dev/null 2>&1
check test $? = 3

# --- 2. fail-on never, explicit sarif-file and category, GITHUB_ACTION_REPOSITORY/REF for the links.
github_env "$repo" push "$WORK/push.json"
run_action INPUT_FAIL_ON=never INPUT_SARIF_FILE=reports/migsafe.sarif INPUT_CATEGORY=migsafe/pg16 \
  GITHUB_ACTION_REPOSITORY=acme/migsafe-fork GITHUB_ACTION_REF=v2.1.0
expect_output exit-code 0 "fail-on never"
expect_output findings 3 "fail-on never"
expect_output sarif-file reports/migsafe.sarif "explicit sarif-file"
expect_output upload-sarif false "upload-sarif not asked"
check test -s "$repo/reports/migsafe.sarif"
check "$jq_bin" -e '.runs[0].automationDetails.id == "migsafe/pg16/"' "$repo/reports/migsafe.sarif"
expect_contains "$WORK/gh/summary.md" "https://github.com/acme/migsafe-fork/blob/v2.1.0/docs/rules/" "job summary links"
rm -rf "$repo/reports"

# --- 3. A pull request from a fork: its token cannot upload SARIF, so the upload is skipped, with a
# notice and a note in the summary; annotations and summary still report everything.
github_env "$repo" pull_request "$WORK/pr-fork.json"
run_action INPUT_UPLOAD_SARIF=true INPUT_CHANGED_ONLY=false
expect_output upload-sarif false "fork pull request"
expect_output exit-code 1 "fork pull request"
check test -s "$(output sarif-file)"
expect_contains "$WORK/gh/stdout" "::notice title=migsafe::SARIF upload skipped: this pull request comes from the fork mallory/shop" "fork notice"
expect_contains "$WORK/gh/stdout" "security-events: write" "fork notice"
expect_contains "$WORK/gh/summary.md" "SARIF upload skipped" "fork note in the job summary"
expect_count "$WORK/gh/stdout" '^::error file=' 2 "fork pull request annotations"
# The same pull request from the repository itself uploads.
github_env "$repo" pull_request "$WORK/pr-same.json"
run_action INPUT_UPLOAD_SARIF=true INPUT_CHANGED_ONLY=false
expect_output upload-sarif true "same-repository pull request"
expect_not_contains "$WORK/gh/stdout" "SARIF upload skipped" "same-repository pull request"
# Dependabot's pull requests get a read-only token too.
run_action INPUT_UPLOAD_SARIF=true INPUT_CHANGED_ONLY=false GITHUB_ACTOR='dependabot[bot]'
expect_output upload-sarif false "Dependabot pull request"
expect_contains "$WORK/gh/stdout" "opened by Dependabot" "Dependabot notice"

# --- 4. annotations: false and summary: false leave the log and the summary alone.
github_env "$repo" push "$WORK/push.json"
run_action INPUT_ANNOTATIONS=false INPUT_SUMMARY=false
expect_count "$WORK/gh/stdout" '^::(error|warning|notice) ' 0 "annotations: false"
check test ! -s "$WORK/gh/summary.md"
expect_output findings 3 "annotations and summary off"

# --- 5. paths: several, one per line; a directory without migrations; a missing path (exit code 2).
github_env "$repo" push "$WORK/push.json"
run_action INPUT_PATHS=$'db/migrations/000002_index.up.sql\n  db/migrations/000001_users.up.sql  \n'
expect_output findings 1 "two named files"
expect_count "$WORK/gh/stdout" '^::error file=db/migrations/000002_index.up.sql' 1 "two named files"
mkdir -p "$repo/docs"
run_action INPUT_PATHS="docs"
expect_output findings 0 "a directory without migrations"
expect_output exit-code 0 "a directory without migrations"
rmdir "$repo/docs"
run_action INPUT_PATHS="db/missing"
check test "$RUN_STATUS" = 0
expect_output exit-code 2 "missing path"
expect_contains "$WORK/gh/stdout" "::error title=migsafe::migsafe stopped on a usage or configuration error (exit code 2)" "missing path"
expect_contains "$WORK/gh/stderr" "db/missing" "missing path message"

# --- 6. Input errors stop before migsafe runs, naming the input.
github_env "$repo" push "$WORK/push.json"
run_action INPUT_ANNOTATIONS=yes
check test "$RUN_STATUS" = 2
expect_output exit-code 2 "bad boolean"
expect_contains "$WORK/gh/stdout" "::error title=migsafe::input annotations must be true or false, not 'yes'" "bad boolean"
# A push that created the branch has no earlier commit: changed-only lints everything, with a notice.
push_event "$WORK/push-new-branch.json" 0000000000000000000000000000000000000000
github_env "$repo" push "$WORK/push-new-branch.json"
run_action INPUT_CHANGED_ONLY=true
expect_output findings 3 "changed-only on a new branch"
expect_contains "$WORK/gh/stdout" "this push created the branch" "changed-only on a new branch"
github_env "$repo" workflow_dispatch "$WORK/push.json"
run_action INPUT_CHANGED_ONLY=true
check test "$RUN_STATUS" = 2
expect_contains "$WORK/gh/stdout" "this is 'workflow_dispatch'" "changed-only on workflow_dispatch"
run_action INPUT_ROUNDTRIP=true INPUT_PATHS="db a"
check test "$RUN_STATUS" = 2
expect_contains "$WORK/gh/stdout" "roundtrip: true takes one path" "roundtrip with two paths"
run_action INPUT_FAIL_ON=sometimes
expect_output exit-code 2 "bad fail-on (migsafe's own check)"

# --- 7. The annotation cap: 25 blocking index builds give 10 error annotations and one notice saying
# how many more there are; the job summary lists all 25.
many="$WORK/many"
mkdir -p "$many/sql"
for i in $(seq -w 1 25); do
  printf 'CREATE TABLE t%s (id int, v int);\n' "$i" >"$many/sql/0${i}_create.sql"
done
git -C "$many" init -q 2>/dev/null
for i in $(seq -w 1 25); do
  printf 'CREATE INDEX t%s_v ON t%s (v);\n' "$i" "$i" >"$many/sql/1${i}_index.sql"
done
github_env "$many" push "$WORK/push.json"
run_action INPUT_SUMMARY=true
expect_count "$WORK/gh/stdout" '^::error file=' 10 "capped error annotations"
expect_contains "$WORK/gh/stdout" "more findings not annotated" "cap notice"
expect_count "$WORK/gh/summary.md" '^\| error \| .*blocking-index-build.*\| `sql/1[0-9]+_index.sql' 25 "summary table of the capped run"

# --- 8. The job summary stays under GitHub's 1 MiB limit on a large finding list (measured here:
# size and time are printed).
large="$WORK/large"
mkdir -p "$large/sql"
{
  for i in $(seq 1 3000); do printf 'CREATE TABLE big%d (id int, payload text);\n' "$i"; done
} >"$large/sql/001_tables.sql"
{
  for i in $(seq 1 3000); do printf 'CREATE INDEX big%d_payload ON big%d (payload);\n' "$i" "$i"; done
} >"$large/sql/002_indexes.sql"
github_env "$large" push "$WORK/push.json"
started=$(date +%s%N)
run_action INPUT_FAIL_ON=never
elapsed_ms=$(( ($(date +%s%N) - started) / 1000000 ))
summary_bytes=$(wc -c <"$WORK/gh/summary.md")
echo "large run: $(output findings) findings, job summary $summary_bytes bytes, $elapsed_ms ms"
check test "$summary_bytes" -lt 1048576
check test "$summary_bytes" -gt 500000
expect_contains "$WORK/gh/summary.md" "1 MiB step-summary limit" "size note"
expect_count "$WORK/gh/stdout" '^::error file=' 10 "capped error annotations on the large run"

# --- 9. Round trip (migsafe check) on SQLite: a downgrade that fails is an annotated finding.
rt="$WORK/rt"
mkdir -p "$rt"
cp -r "$SOURCE_DIR/examples/sqlite-notes-broken-downgrade" "$rt/db"
github_env "$rt" push "$WORK/push.json"
run_action INPUT_ROUNDTRIP=true INPUT_ENGINE=sqlite INPUT_PATHS=db INPUT_SARIF_FILE=check.sarif INPUT_CATEGORY=migsafe/roundtrip
expect_output exit-code 1 "round trip"
expect_contains "$WORK/gh/stdout" "title=migsafe (roundtrip-downgrade-failed)::" "round-trip annotation"
expect_contains "$WORK/gh/summary.md" "migsafe check" "round-trip summary title"
expect_contains "$WORK/gh/summary.md" "roundtrip-downgrade-failed" "round-trip summary"
check "$jq_bin" -e '.runs[0].automationDetails.id == "migsafe/roundtrip/"' "$rt/check.sarif"

# --- 10. The SARIF the action uploads passes Microsoft's validator with GitHub's ingestion rules.
validator=""
for candidate in "${MIGSAFE_SHARED_DIR:-}/tools/validate-sarif" "$SOURCE_DIR/../shared/tools/validate-sarif" \
                 "$SOURCE_DIR/../../shared/tools/validate-sarif"; do
  if [[ -x "$candidate" ]]; then validator="$candidate"; break; fi
done
cache="${MIGSAFE_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/migsafe-tools}"
if [[ -n "$validator" ]] && { [[ -x "$cache/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool" ]] || command -v npm >/dev/null; }; then
  "$validator" "$WORK/push.sarif" "$rt/check.sarif" >"$WORK/validator.out" 2>&1
  status=$?
  if [[ $status -eq 0 ]]; then
    echo "the action's SARIF validates (0 errors, 0 warnings)"
  else
    echo "FAIL: the action's SARIF does not validate (exit $status)" >&2
    sed 's/^/  | /' "$WORK/validator.out" >&2
    failures=$((failures + 1))
  fi
else
  echo "note: SARIF validator unavailable (no shared/tools/validate-sarif or npm); validity checked by validate_sarif.sh where it is" >&2
fi

finish
