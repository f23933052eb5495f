#!/usr/bin/env bash
# Runs the README's CI snippets (the fenced blocks after `<!-- tested-by: tests/scripts/readme_snippets.sh -->`):
#   - the GitHub workflow: its migsafe step's inputs through the action's scripts, in a simulated GitHub
#     environment, on a pull request;
#   - the GitLab job: its `script:` lines in a simulated GitLab environment, with and without a merge
#     request; gl-code-quality-report.json must be valid Code Quality JSON;
#   - the pre-deploy commands on an example project, for exit codes 0 and 1.
# (The pre-commit configuration is run by pre_commit_hook.sh.)
#   $1 = migsafe binary, $2 = source directory.
set -u
MIGSAFE="$1"
SOURCE_DIR="$(realpath "$2")"
source "$(dirname "${BASH_SOURCE[0]}")/lib/cli_common.bash"
source "$(dirname "${BASH_SOURCE[0]}")/lib/github_env.bash"
python=/usr/bin/python3
"$python" -c 'import yaml' 2>/dev/null || { echo "PyYAML is missing for /usr/bin/python3 (python3-yaml)" >&2; exit 1; }

# The snippets, in README order: snippet-1.yaml (GitHub), snippet-2.yaml (GitLab), snippet-3.sh (pre-deploy).
"$python" - "$SOURCE_DIR/README.md" "$WORK" <<'PY' || { echo "FAIL: cannot extract the README snippets" >&2; exit 1; }
import re, sys
readme = open(sys.argv[1]).read()
blocks = re.findall(r"<!-- tested-by: tests/scripts/readme_snippets.sh -->\s*```(\w+)\n(.*?)```", readme, re.S)
if len(blocks) != 3:
    sys.exit(f"expected 3 snippets tested by readme_snippets.sh, found {len(blocks)}")
for index, (language, text) in enumerate(blocks, 1):
    open(f"{sys.argv[2]}/snippet-{index}.{language}", "w").write(text)
PY
mkdir -p "$WORK/bin"
ln -s "$MIGSAFE" "$WORK/bin/migsafe"

# --- 1. The GitHub workflow.
"$python" - "$WORK/snippet-1.yaml" "$SOURCE_DIR/action.yml" >"$WORK/github-inputs" <<'PY' || failures=$((failures + 1))
import sys, yaml
workflow = yaml.safe_load(open(sys.argv[1]))
inputs = yaml.safe_load(open(sys.argv[2]))["inputs"]
(job,) = workflow["jobs"].values()
steps = job["steps"]
assert steps[0]["uses"].startswith("actions/checkout@") and steps[0]["with"]["fetch-depth"] == 0, "checkout first, full history"
step = next(s for s in steps if s.get("uses", "").startswith("migsafe/migsafe@"))
assert workflow["permissions"]["security-events"] == "write", "upload-sarif needs security-events: write"
for key, value in step["with"].items():
    assert key in inputs, f"the action has no input {key}"
    value = str(value).lower() if isinstance(value, bool) else str(value)
    print("INPUT_" + key.upper().replace("-", "_") + "=" + value)
PY
mapfile -t inputs <"$WORK/github-inputs"
repo="$WORK/repo"
make_repository "$repo" || exit 1
pull_request_event "$WORK/pr.json" "acme/shop"
github_env "$repo" pull_request "$WORK/pr.json"
run_action "${inputs[@]}"
expect_output findings 2 "README GitHub workflow (changed-only)"
expect_output exit-code 1 "README GitHub workflow"
expect_output upload-sarif true "README GitHub workflow"
expect_contains "$WORK/gh/stdout" "::error file=db/migrations/000003_email.up.sql" "README GitHub workflow annotations"

# --- 2. The GitLab job: its script lines, as GitLab's runner runs them (bash, from the project dir).
"$python" - "$WORK/snippet-2.yaml" >"$WORK/gitlab-script.sh" <<'PY' || failures=$((failures + 1))
import sys, yaml
(job,) = yaml.safe_load(open(sys.argv[1])).values()
assert job["artifacts"]["reports"]["codequality"] == "gl-code-quality-report.json"
assert job["artifacts"]["when"] == "always"
assert str(job["variables"]["GIT_DEPTH"]) == "0"
print("set -eo pipefail")
print("\n".join(job["script"]))
PY
# validate_code_quality FILE: GitLab's Code Quality format (docs/output-formats.md#gitlab).
validate_code_quality() {
  "$python" - "$1" <<'PY'
import json, sys
issues = json.load(open(sys.argv[1]))
assert isinstance(issues, list) and issues, "a non-empty JSON array"
fingerprints = set()
for issue in issues:
    for key in ("description", "check_name", "fingerprint", "severity"):
        assert isinstance(issue.get(key), str) and issue[key], f"{key} missing or empty in {issue}"
    assert issue["severity"] in ("info", "minor", "major", "critical", "blocker"), issue["severity"]
    assert issue["fingerprint"] not in fingerprints, "duplicate fingerprint " + issue["fingerprint"]
    fingerprints.add(issue["fingerprint"])
    location = issue["location"]
    assert isinstance(location["path"], str) and location["path"] and not location["path"].startswith("/")
    assert location["lines"]["begin"] >= 1
print(len(issues))
PY
}
gitlab_env=(CI=true GITLAB_CI=true CI_PROJECT_DIR="$repo" CI_COMMIT_SHA="$HEAD_SHA" PATH="$WORK/bin:$PATH")
# A branch pipeline: every migration.
(cd "$repo" && env "${gitlab_env[@]}" bash "$WORK/gitlab-script.sh" >"$WORK/gitlab.out" 2>&1)
status=$?
check test "$status" = 1  # findings fail the job, the report is still an artifact (when: always)
expect_contains "$WORK/gitlab.out" "error[blocking-index-build]" "GitLab job log (text report)"
count="$(validate_code_quality "$repo/gl-code-quality-report.json")" || failures=$((failures + 1))
check test "$count" = 3
rm -f "$repo/gl-code-quality-report.json"
# A merge-request pipeline: only the migrations the merge request changes.
(cd "$repo" && env "${gitlab_env[@]}" CI_MERGE_REQUEST_IID=7 CI_MERGE_REQUEST_DIFF_BASE_SHA="$BASE_SHA" \
   bash "$WORK/gitlab-script.sh" >"$WORK/gitlab.out" 2>&1)
check test $? = 1
count="$(validate_code_quality "$repo/gl-code-quality-report.json")" || failures=$((failures + 1))
check test "$count" = 2
expect_not_contains "$repo/gl-code-quality-report.json" "000002_index" "merge-request Code Quality report"

# --- 3. Pre-deploy: a clean project deploys (exit 0), a broken downgrade stops the deploy (exit 1).
if ! compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null && ! command -v initdb >/dev/null; then
  echo "note: no PostgreSQL server binaries; the pre-deploy snippet is not run" >&2
  finish
fi
deploy="$WORK/deploy"
mkdir -p "$deploy/db/migrations"
cd "$deploy/db/migrations" || exit 1
printf 'CREATE TABLE notes (id bigint PRIMARY KEY, body text NOT NULL);\n' >000001_notes.up.sql
printf 'DROP TABLE notes;\n' >000001_notes.down.sql
printf "SET lock_timeout = '5s';\nALTER TABLE notes ADD COLUMN pinned boolean;\n" >000002_pinned.up.sql
printf "SET lock_timeout = '5s';\nALTER TABLE notes DROP COLUMN pinned;\n" >000002_pinned.down.sql
cd "$WORK" || exit 1
(cd "$deploy" && PATH="$WORK/bin:$PATH" bash -e "$WORK/snippet-3.sh" >"$WORK/deploy.out" 2>&1)
status=$?
[[ $status == 0 ]] || { echo "FAIL: pre-deploy snippet on a clean project exited $status" >&2; cat "$WORK/deploy.out" "$deploy/predeploy.md" >&2; failures=$((failures + 1)); }
expect_contains "$WORK/deploy.out" "safe to deploy" "pre-deploy on a clean project"
expect_contains "$deploy/predeploy.md" "migsafe check" "pre-deploy report"
check test -s "$deploy/predeploy.xml"
# A downgrade that does not undo its upgrade: the round trip finds it, the deploy stops.
printf "SET lock_timeout = '5s';\nSELECT 1;\n" >"$deploy/db/migrations/000002_pinned.down.sql"
(cd "$deploy" && PATH="$WORK/bin:$PATH" bash -e "$WORK/snippet-3.sh" >"$WORK/deploy.out" 2>&1)
status=$?
[[ $status == 1 ]] || { echo "FAIL: pre-deploy snippet on a broken downgrade exited $status, expected 1" >&2; cat "$WORK/deploy.out" >&2; failures=$((failures + 1)); }
expect_contains "$WORK/deploy.out" "see predeploy.md" "pre-deploy on a broken downgrade"
expect_contains "$deploy/predeploy.md" "roundtrip-" "pre-deploy report of a broken downgrade"
# A usage error (no such project) is exit 2.
rm -rf "$deploy/db"
(cd "$deploy" && PATH="$WORK/bin:$PATH" bash -e "$WORK/snippet-3.sh" >"$WORK/deploy.out" 2>&1)
check test $? = 2

finish
