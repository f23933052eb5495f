#!/usr/bin/env bash
# GitHub Action, last step: fails the step with migsafe's exit code, after the SARIF upload.
# (Plain log lines, not ::error commands: an annotation here would count against GitHub's 10 error
# annotations per step that the findings themselves need.)
# Environment: MIGSAFE_EXIT_CODE, MIGSAFE_FINDINGS, MIGSAFE_ERRORS, INPUT_FAIL_ON (from action.yml).
set -uo pipefail
code="${MIGSAFE_EXIT_CODE:-}"
case "$code" in
  0)
    echo "migsafe: ${MIGSAFE_FINDINGS:-0} finding(s), none at or above fail-on (${INPUT_FAIL_ON:-error})."
    exit 0
    ;;
  1)
    echo "migsafe: ${MIGSAFE_FINDINGS:-?} finding(s), ${MIGSAFE_ERRORS:-?} error(s); at least one is at or above fail-on (${INPUT_FAIL_ON:-error}): failing the step. The job summary lists them all."
    exit 1
    ;;
  '' | *[!0-9]*)
    echo "migsafe: no exit code was recorded (the run step did not finish)." >&2
    exit 3
    ;;
  *)
    echo "migsafe: exit code $code (2: usage or configuration error, 3: internal or environment error); see the messages above." >&2
    exit "$code"
    ;;
esac
