#!/usr/bin/env bash
# GitHub Action, step 3: runs migsafe once and turns its reports into what GitHub shows.
#
# One `migsafe lint` (or `migsafe check` with roundtrip: true) writes every report in one run:
#   - workflow-command annotations on standard output (--format github: errors first, at most 10 per
#     level, then one notice saying how many more there are);
#   - the Markdown report appended to $GITHUB_STEP_SUMMARY (--format markdown: kept under GitHub's
#     1 MiB limit by migsafe itself), with rule links into the action's own docs/rules/;
#   - SARIF for code scanning (--format sarif), when sarif-file or upload-sarif asks for it;
#   - JSON in a temporary file, for the step outputs (findings, errors);
#   - the human text report, printed in a collapsed log group.
# The caps and size limits live in migsafe's reporters (linter/report/), not here.
#
# This step does not fail on findings: it records exit-code and the last step of the action
# (finish.sh) fails after the SARIF upload, so that the upload also happens when there are findings.
#
# Inputs come only from the environment (INPUT_*), set by action.yml's `env:`; they are never
# interpolated into shell text. GitHub's own variables: GITHUB_EVENT_NAME, GITHUB_EVENT_PATH,
# GITHUB_WORKSPACE, GITHUB_STEP_SUMMARY, GITHUB_OUTPUT, RUNNER_TEMP, GITHUB_ACTION_PATH, GITHUB_JOB...
set -uo pipefail

action_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
migsafe="${MIGSAFE:-migsafe}"
output_file="${GITHUB_OUTPUT:-/dev/null}"

set_output() { printf '%s=%s\n' "$1" "$2" >>"$output_file"; }

# Workflow commands: data escaped as @actions/toolkit does (%, CR, LF).
escape_data() {
  local text="${1//'%'/%25}"
  text="${text//$'\r'/%0D}"
  printf '%s' "${text//$'\n'/%0A}"
}
error_annotation() { echo "::error title=migsafe::$(escape_data "$1")"; }
notice_annotation() { echo "::notice title=migsafe::$(escape_data "$1")"; }

# An input error: say which input, record exit-code 2 and stop (nothing was run).
input_error() {
  error_annotation "$1"
  set_output exit-code 2
  exit 2
}

# boolean_input VARIABLE NAME VALUE DEFAULT: sets VARIABLE to true or false.
boolean_input() {
  local value="${3:-$4}"
  case "${value,,}" in
    true | false) printf -v "$1" '%s' "${value,,}" ;;
    *) input_error "input $2 must be true or false, not '$3'" ;;
  esac
}

boolean_input annotations annotations "${INPUT_ANNOTATIONS:-}" true
boolean_input summary summary "${INPUT_SUMMARY:-}" true
boolean_input upload_sarif upload-sarif "${INPUT_UPLOAD_SARIF:-}" false
boolean_input roundtrip roundtrip "${INPUT_ROUNDTRIP:-}" false

event="${GITHUB_EVENT_NAME:-}"
event_path="${GITHUB_EVENT_PATH:-}"
# event_field JQ_FILTER: a field of the event payload, empty when there is no payload or no such field.
event_field() {
  [[ -n "$event_path" && -r "$event_path" ]] || return 0
  jq -r "$1 // empty" "$event_path" 2>/dev/null || true
}

# changed-only: auto (the default) is true on pull requests.
case "${INPUT_CHANGED_ONLY:-auto}" in
  auto) [[ "$event" == pull_request || "$event" == pull_request_target ]] && changed_only=true || changed_only=false ;;
  *) boolean_input changed_only changed-only "$INPUT_CHANGED_ONLY" auto ;;
esac

if [[ -n "${GITHUB_WORKSPACE:-}" ]]; then
  cd "$GITHUB_WORKSPACE" || input_error "cannot enter GITHUB_WORKSPACE $GITHUB_WORKSPACE"
fi

# --- paths: one per line, or separated by spaces on a single line; globs are expanded by migsafe.
paths=()
if [[ "${INPUT_PATHS:-}" == *$'\n'* ]]; then
  while IFS= read -r line; do
    line="${line#"${line%%[![:space:]]*}"}"
    line="${line%"${line##*[![:space:]]}"}"
    [[ -n "$line" ]] && paths+=("$line")
  done <<<"$INPUT_PATHS"
else
  read -r -a paths <<<"${INPUT_PATHS:-}"
fi
# No paths: migsafe searches the whole workspace and detects every migration project in it (Alembic,
# golang-migrate, Flyway, dbmate, sqitch, plain SQL folders: docs/layouts.md).
if ((${#paths[@]} == 0)); then
  paths=(.)
fi
if [[ "$roundtrip" == true ]] && ((${#paths[@]} > 1)); then
  input_error "roundtrip: true takes one path, a directory (every migration project below it is round-tripped), not ${#paths[@]}: ${paths[*]}. Use one step per directory, each with its own category."
fi

# --- changed-only: the base commit, from the event.
base=""
base_what=""
if [[ "$changed_only" == true ]]; then
  case "$event" in
    pull_request | pull_request_target)
      base="$(event_field .pull_request.base.sha)"
      number="$(event_field .pull_request.number)"
      base_what="the base of pull request #${number:-?}"
      ;;
    merge_group)
      base="$(event_field .merge_group.base_sha)"
      base_what="the base of the merge group"
      ;;
    push)
      base="$(event_field .before)"
      base_what="the commit before the push"
      if [[ -z "$base" || "$base" =~ ^0+$ ]]; then
        notice_annotation "changed-only: this push created the branch, so there is no earlier commit to compare with; linting every migration."
        base=""
        changed_only=false
      fi
      ;;
    *)
      input_error "changed-only: true needs a pull_request, pull_request_target, merge_group or push event to find the base commit; this is '${event:-no event}'. Set changed-only: false to lint everything."
      ;;
  esac
  if [[ "$changed_only" == true && -z "$base" ]]; then
    input_error "changed-only: the $event event payload (GITHUB_EVENT_PATH) has no base commit."
  fi
fi

if [[ -n "$base" ]]; then
  git rev-parse --git-dir >/dev/null 2>&1 ||
    input_error "changed-only needs a git checkout of the repository in $(pwd) (actions/checkout with fetch-depth: 0)."
  # A shallow checkout (actions/checkout's default fetch-depth: 1) has neither the base commit nor the
  # history that joins it to HEAD; fetch it rather than fail. When this fetch fails too, migsafe's
  # --changed-since says so (exit 2, with the fetch-depth: 0 hint).
  if [[ "$(git rev-parse --is-shallow-repository 2>/dev/null)" == true ]] || ! git cat-file -e "${base}^{commit}" 2>/dev/null; then
    notice_annotation "changed-only: the checkout is shallow or lacks ${base:0:12} ($base_what); fetching the history needed to find the merge base. Use actions/checkout with fetch-depth: 0 to skip this."
    unshallow=()
    [[ "$(git rev-parse --is-shallow-repository 2>/dev/null)" == true ]] && unshallow=(--unshallow)
    git fetch --no-tags --quiet "${unshallow[@]+"${unshallow[@]}"}" origin "$base" ||
      echo "migsafe: git fetch of $base failed; migsafe --changed-since will report what is missing" >&2
  fi
fi

# --- rule documentation links: the docs/rules/ pages of the action's own repository at the ref the
# workflow uses (a project's own docs-base-url setting still wins, see docs/configuration.md).
if [[ -z "${MIGSAFE_DOCS_BASE_URL:-}" ]]; then
  server="${GITHUB_SERVER_URL:-https://github.com}"
  action_repository="${GITHUB_ACTION_REPOSITORY:-}"
  action_ref="${GITHUB_ACTION_REF:-}"
  action_path="${GITHUB_ACTION_PATH:-$action_root}"
  if [[ -z "$action_repository" || -z "$action_ref" ]]; then
    # Inside composite actions these two are often empty; the runner keeps remote actions in
    # _actions/OWNER/REPO/REF.
    if [[ "$action_path" =~ /_actions/([^/]+)/([^/]+)/([^/]+)/?$ ]]; then
      action_repository="${BASH_REMATCH[1]}/${BASH_REMATCH[2]}"
      action_ref="${BASH_REMATCH[3]}"
    elif [[ -n "${GITHUB_WORKSPACE:-}" && -n "${GITHUB_REPOSITORY:-}" && -n "${GITHUB_SHA:-}" &&
            "$(cd "$action_path" 2>/dev/null && pwd -P)" == "$(cd "$GITHUB_WORKSPACE" && pwd -P)" ]]; then
      # `uses: ./` in migsafe's own repository.
      action_repository="$GITHUB_REPOSITORY"
      action_ref="$GITHUB_SHA"
    fi
  fi
  if [[ -n "$action_repository" && -n "$action_ref" ]]; then
    export MIGSAFE_DOCS_BASE_URL="$server/$action_repository/blob/$action_ref/docs/rules/{id}.md"
  fi
fi

# --- SARIF: where, and under which category.
category="${INPUT_CATEGORY:-}"
[[ -z "$category" ]] && category="migsafe/${GITHUB_JOB:-lint}"
sarif_file="${INPUT_SARIF_FILE:-}"
temp_root="${RUNNER_TEMP:-${TMPDIR:-/tmp}}"
if [[ -z "$sarif_file" && "$upload_sarif" == true ]]; then
  sarif_file="$(mktemp --suffix=.sarif "$temp_root/migsafe-XXXXXX")" || input_error "cannot create a file in $temp_root"
fi

work="$(mktemp -d "$temp_root/migsafe-run.XXXXXX")" || input_error "cannot create a directory in $temp_root"
trap 'rm -rf "$work"' EXIT

# --- the command line.
if [[ "$roundtrip" == true ]]; then
  command=(check)
else
  command=(lint)
fi
arguments=(--format "json:$work/report.json" --format "text:$work/report.txt")
[[ "$annotations" == true ]] && arguments+=(--format github)
[[ "$summary" == true ]] && arguments+=(--format "markdown:$work/summary.md")
[[ -n "$sarif_file" ]] && arguments+=(--format "sarif:$sarif_file" --category "$category")
[[ -n "${INPUT_CONFIG:-}" ]] && arguments+=(--config "$INPUT_CONFIG")
[[ -n "${INPUT_DIALECT:-}" ]] && arguments+=(--dialect "$INPUT_DIALECT")
[[ -n "${INPUT_TARGET_VERSION:-}" ]] && arguments+=(--target-version "$INPUT_TARGET_VERSION")
[[ -n "${INPUT_FAIL_ON:-}" ]] && arguments+=(--fail-on "$INPUT_FAIL_ON")
[[ -n "$base" ]] && arguments+=(--changed-since "$base")
if [[ "$roundtrip" == true ]]; then
  [[ -n "${INPUT_ENGINE:-}" ]] && arguments+=(--engine "$INPUT_ENGINE")
  [[ -n "${INPUT_DATABASE_URL:-}" ]] && arguments+=(--database-url "$INPUT_DATABASE_URL")
  arguments+=(--no-progress)
fi

shown=("$migsafe" "${command[@]}" "${arguments[@]}" -- "${paths[@]}")
[[ -n "${INPUT_DATABASE_URL:-}" ]] && shown=("${shown[@]/"$INPUT_DATABASE_URL"/***}")
echo "migsafe: ${shown[*]}" >&2
"$migsafe" "${command[@]}" "${arguments[@]}" -- "${paths[@]}"
status=$?

if [[ -s "$work/report.txt" ]]; then
  echo "::group::migsafe report"
  cat "$work/report.txt"
  echo "::endgroup::"
fi

findings=""
errors=""
if [[ -s "$work/report.json" ]]; then
  findings="$(jq -r '.summary.findings' "$work/report.json")"
  errors="$(jq -r '.summary.errors' "$work/report.json")"
fi
case "$status" in
  0 | 1) ;;
  2) error_annotation "migsafe stopped on a usage or configuration error (exit code 2); its message is in the log above." ;;
  3) error_annotation "migsafe stopped on an internal or environment error (exit code 3); its message is in the log above." ;;
  *) error_annotation "migsafe ended with exit code $status." ;;
esac

# --- SARIF upload: only possible with a token that has security-events: write. Pull requests from
# forks (and Dependabot's) get a read-only token, so the upload would fail: skip it, and say so.
upload=false
if [[ "$upload_sarif" == true ]]; then
  read_only=""
  if [[ "$event" == pull_request ]]; then
    head_repository="$(event_field .pull_request.head.repo.full_name)"
    base_repository="$(event_field .pull_request.base.repo.full_name)"
    [[ -z "$base_repository" ]] && base_repository="$(event_field .repository.full_name)"
    if [[ -n "$base_repository" && "$head_repository" != "$base_repository" ]]; then
      read_only="this pull request comes from the fork ${head_repository:-(deleted repository)}"
    elif [[ -z "$base_repository" && "$(event_field .pull_request.head.repo.fork)" == true ]]; then
      read_only="this pull request comes from a fork"
    elif [[ "${GITHUB_ACTOR:-}" == "dependabot[bot]" ]]; then
      read_only="this pull request was opened by Dependabot"
    fi
  fi
  if [[ -n "$read_only" ]]; then
    message="SARIF upload skipped: $read_only, and GitHub gives such workflow runs a read-only token without the security-events: write permission that code scanning needs. The annotations and the job summary show the findings; the SARIF file is kept at $sarif_file (output sarif-file)."
    notice_annotation "$message"
    [[ "$summary" == true ]] && skip_note="> **Note:** $message"
  elif [[ -s "$sarif_file" ]]; then
    upload=true
  else
    error_annotation "SARIF upload skipped: migsafe wrote no SARIF file (exit code $status)."
  fi
fi

# --- job summary: migsafe's Markdown report (at most 1,000,000 bytes), a line saying what was linted.
if [[ "$summary" == true && -n "${GITHUB_STEP_SUMMARY:-}" && -s "$work/summary.md" ]]; then
  {
    cat "$work/summary.md"
    echo
    if [[ -n "$base" ]]; then
      echo "<sub>Only migrations added or changed since \`${base:0:12}\` ($base_what) were linted; the whole history was read for context.</sub>"
    fi
    [[ -n "${skip_note:-}" ]] && printf '\n%s\n' "$skip_note"
  } >>"$GITHUB_STEP_SUMMARY"
fi

[[ -s "$sarif_file" ]] || sarif_file=""
set_output findings "$findings"
set_output errors "$errors"
set_output sarif-file "$sarif_file"
set_output exit-code "$status"
set_output upload-sarif "$upload"
set_output category "$category"
exit 0
