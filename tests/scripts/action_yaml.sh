#!/usr/bin/env bash
# Static checks of the GitHub Action and of the example workflows:
#   - action.yml: name, description, runs.using composite, every input described with a default and
#     passed on to a step, the outputs, and no ${{ }} expression anywhere but in `env:`, `with:`, `if:`
#     and output `value:`s (never inside a `run:` body, GitHub's script-injection rule);
#   - examples/github/*.yml: complete workflows that use the action with inputs it has, permissions for
#     the SARIF upload, a full-history checkout, an Ubuntu image that has libpg-query-dev, health-checked
#     PostgreSQL service containers, one SARIF category per matrix leg;
#   - then the examples' `with:` inputs are run through the action's scripts in a simulated GitHub
#     environment (lib/github_env.bash).
#   $1 = migsafe binary, $2 = source directory.
set -u
MIGSAFE="$1"
SOURCE_DIR="$(realpath "$2")"
source "$(dirname "${BASH_SOURCE[0]}")/lib/cli_common.bash"
source "$(dirname "${BASH_SOURCE[0]}")/lib/github_env.bash"
python=/usr/bin/python3
if ! "$python" -c 'import yaml' 2>/dev/null; then
  echo "PyYAML is missing for /usr/bin/python3 (Debian's python3-yaml; scripts/setup.sh installs it)" >&2
  exit 1
fi

"$python" - "$SOURCE_DIR" >"$WORK/static.out" 2>&1 <<'PY'
import glob, os, re, sys, yaml

root = sys.argv[1]
problems = []
EXPRESSION = re.compile(r"\$\{\{(.*?)\}\}", re.S)

def problem(where, text):
    problems.append(f"{where}: {text}")

def walk(node, path):
    """Yields (path, string) for every string in the document; path is a tuple of keys and indexes."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from walk(value, path + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from walk(value, path + (index,))
    elif isinstance(node, str):
        yield path, node

def check_expressions(document, where):
    """${{ }} only in env:/with: values, if: conditions and output values; never in run: bodies."""
    for path, text in walk(document, ()):
        if "${{" not in text:
            continue
        keys = [key for key in path if isinstance(key, str)]
        allowed = (
            len(keys) >= 2 and keys[-2] in ("env", "with")
            or keys[-1] in ("if", "value", "name", "runs-on", "image")
            or (len(keys) >= 2 and keys[-2] == "matrix")
        )
        if keys[-1] == "run":
            problem(where, f"${{{{ }}}} inside a run: body at {'.'.join(map(str, path))}: pass it through env:")
        elif not allowed:
            problem(where, f"${{{{ }}}} in {'.'.join(map(str, path))}: only env:, with:, if: and output values may hold expressions")

# --- action.yml
action_file = os.path.join(root, "action.yml")
action = yaml.safe_load(open(action_file))
for key in ("name", "description"):
    if not isinstance(action.get(key), str) or not action[key].strip():
        problem("action.yml", f"{key} is missing or empty")
runs = action.get("runs", {})
if runs.get("using") != "composite":
    problem("action.yml", "runs.using must be composite")
inputs = action.get("inputs", {})
required_inputs = ["paths", "config", "dialect", "target-version", "fail-on", "changed-only", "annotations",
                   "summary", "sarif-file", "upload-sarif", "category", "roundtrip", "engine"]
for name in required_inputs:
    if name not in inputs:
        problem("action.yml", f"input {name} is missing")
for name, spec in inputs.items():
    if not isinstance(spec, dict) or not str(spec.get("description", "")).strip():
        problem("action.yml", f"input {name} has no description")
    elif "default" not in spec or not isinstance(spec["default"], str):
        problem("action.yml", f"input {name} has no default (a string)")
defaults = {name: spec.get("default") for name, spec in inputs.items() if isinstance(spec, dict)}
for name, value in {"annotations": "true", "summary": "true", "upload-sarif": "false", "roundtrip": "false",
                    "changed-only": "auto", "engine": "sqlite", "paths": ""}.items():
    if defaults.get(name) != value:
        problem("action.yml", f"input {name} should default to '{value}', not '{defaults.get(name)}'")
outputs = action.get("outputs", {})
for name in ("findings", "errors", "sarif-file", "exit-code"):
    spec = outputs.get(name)
    if not spec or not str(spec.get("description", "")).strip() or f"steps.run.outputs.{name}" not in str(spec.get("value", "")):
        problem("action.yml", f"output {name} must be described and come from steps.run.outputs.{name}")
run_script = open(os.path.join(root, "scripts/action/run.sh")).read()
for name in list(outputs) + ["upload-sarif", "category"]:
    if f"set_output {name} " not in run_script:
        problem("scripts/action/run.sh", f"never writes output {name}")
steps = runs.get("steps", [])
used_inputs = set()
for index, step in enumerate(steps):
    if "run" in step:
        if step.get("shell") != "bash":
            problem("action.yml", f"step {index} runs a script without shell: bash")
        script = re.fullmatch(r'"\$GITHUB_ACTION_PATH/(scripts/action/[\w-]+\.sh)"', step["run"].strip())
        if not script:
            problem("action.yml", f"step {index} must only call a script in scripts/action/: {step['run']!r}")
        elif not os.access(os.path.join(root, script.group(1)), os.X_OK):
            problem("action.yml", f"{script.group(1)} is missing or not executable")
    for path, text in walk(step, ()):
        for expression in EXPRESSION.findall(text):
            used_inputs.update(re.findall(r"inputs\.([\w-]+)", expression))
            for name in re.findall(r"inputs\.([\w-]+)", expression):
                if name not in inputs:
                    problem("action.yml", f"step {index} uses undefined input {name}")
for name in inputs:
    if name not in used_inputs:
        problem("action.yml", f"input {name} is never passed to a step")
uses = [step.get("uses", "") for step in steps]
if not any(u.startswith("actions/cache@") for u in uses):
    problem("action.yml", "the build is not cached with actions/cache")
upload = [step for step in steps if step.get("uses", "").startswith("github/codeql-action/upload-sarif@")]
if not upload or not upload[0]["uses"].split("@")[1] >= "v3":
    problem("action.yml", "no github/codeql-action/upload-sarif@v3 step")
elif "upload-sarif" not in str(upload[0].get("if", "")):
    problem("action.yml", "the upload-sarif step must be conditional on the run step's upload-sarif output")
check_expressions(action, "action.yml")

# --- examples/github/*.yml
homepage = re.search(r'kProjectHomepage = "https://github.com/([^"]+)"',
                     open(os.path.join(root, "linter/report/report_support.h")).read()).group(1)
examples = sorted(glob.glob(os.path.join(root, "examples/github/*.yml")))
if len(examples) < 3:
    problem("examples/github", f"expected at least 3 workflows, found {len(examples)}")
seen_matrix_category = seen_service = False
for file in examples:
    where = os.path.relpath(file, root)
    workflow = yaml.safe_load(open(file))
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads the key `on` as true
    if not triggers or "pull_request" not in triggers:
        problem(where, "does not run on pull_request")
    if not workflow.get("name"):
        problem(where, "has no name")
    check_expressions(workflow, where)
    for job_id, job in workflow.get("jobs", {}).items():
        permissions = {**workflow.get("permissions", {}), **job.get("permissions", {})}
        if job.get("runs-on") != "ubuntu-24.04":
            problem(where, f"job {job_id}: runs-on must be ubuntu-24.04 (the GitHub image whose Ubuntu has libpg-query-dev 15+)")
        steps = job.get("steps", [])
        action_steps = [s for s in steps if s.get("uses", "").startswith(homepage + "@")]
        if not action_steps:
            problem(where, f"job {job_id} does not use {homepage}@<version>")
        checkout = [i for i, s in enumerate(steps) if s.get("uses", "").startswith("actions/checkout@")]
        if not checkout or str(steps[checkout[0]].get("with", {}).get("fetch-depth")) != "0":
            problem(where, f"job {job_id}: actions/checkout with fetch-depth: 0 must come first")
        for step in action_steps:
            with_ = step.get("with", {})
            for key in with_:
                if key not in inputs:
                    problem(where, f"job {job_id}: the action has no input {key}")
            if str(with_.get("upload-sarif", "false")).lower() == "true":
                if permissions.get("security-events") != "write":
                    problem(where, f"job {job_id} uploads SARIF without permissions security-events: write")
                if "matrix" in job.get("strategy", {}):
                    if "${{ matrix." not in str(with_.get("category", "")):
                        problem(where, f"job {job_id}: each matrix leg needs its own category (use ${{{{ matrix.* }}}})")
                    seen_matrix_category = True
            if "database-url" in with_:
                services = job.get("services", {})
                if not services:
                    problem(where, f"job {job_id}: database-url without a service container")
                for name, service in services.items():
                    seen_service = True
                    if "--health-cmd" not in str(service.get("options", "")):
                        problem(where, f"job {job_id}: service {name} has no health check")
                    port = str(service.get("ports", [""])[0]).split(":")[0]
                    if f"localhost:{port}" not in with_["database-url"]:
                        problem(where, f"job {job_id}: database-url does not point at service {name}'s port {port}")
                if str(with_.get("engine")) != "postgresql" or str(with_.get("roundtrip")).lower() != "true":
                    problem(where, f"job {job_id}: database-url needs roundtrip: true and engine: postgresql")
if not seen_matrix_category:
    problem("examples/github", "no matrix workflow with one SARIF category per leg")
if not seen_service:
    problem("examples/github", "no workflow with a PostgreSQL service container")

for line in problems:
    print("FAIL:", line)
print(f"checked action.yml and {len(examples)} example workflow(s): {len(problems)} problem(s)")
sys.exit(1 if problems else 0)
PY
status=$?
cat "$WORK/static.out"
((status == 0)) || failures=$((failures + 1))

# --- The examples' inputs through the action's scripts.
# with_inputs FILE JOB [KEY=VALUE...]: the action step's `with:` of JOB as INPUT_* assignments, one per
# line; ${{ matrix.X }} takes the first value of the matrix, and KEY=VALUE replaces an input.
with_inputs() {
  "$python" - "$@" <<'PY'
import re, sys, yaml
workflow = yaml.safe_load(open(sys.argv[1]))
job = workflow["jobs"][sys.argv[2]]
replace = dict(arg.split("=", 1) for arg in sys.argv[3:])
matrix = {key: values[0] for key, values in job.get("strategy", {}).get("matrix", {}).items()}
step = next(s for s in job["steps"] if "@" in s.get("uses", "") and not s["uses"].startswith("actions/"))
for key, value in {**step.get("with", {}), **replace}.items():
    value = re.sub(r"\$\{\{\s*matrix\.(\w+)\s*\}\}", lambda m: str(matrix[m.group(1)]), str(value))
    if isinstance(step["with"].get(key), bool):
        value = value.lower()
    print("INPUT_" + key.upper().replace("-", "_") + "=" + value)
PY
}

repo="$WORK/repo"
make_repository "$repo" || exit 1
pull_request_event "$WORK/pr.json" "acme/shop"

# The pull-request workflow: lint db/migrations, SARIF uploaded.
mapfile -t inputs < <(with_inputs "$SOURCE_DIR/examples/github/lint-pull-requests.yml" lint)
github_env "$repo" pull_request "$WORK/pr.json"
run_action "${inputs[@]}"
expect_output findings 2 "lint-pull-requests.yml (changed-only on a pull request)"
expect_output exit-code 1 "lint-pull-requests.yml"
expect_output upload-sarif true "lint-pull-requests.yml"
expect_output category migsafe "lint-pull-requests.yml"

# One leg of the matrix workflow, round trip on PostgreSQL: here on a private cluster from the local
# server binaries (the runner's preinstalled ones in the real workflow) instead of the service container.
if compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || command -v initdb >/dev/null; then
  mapfile -t inputs < <(with_inputs "$SOURCE_DIR/examples/github/matrix-postgres-versions.yml" postgres database-url=)
  github_env "$repo" push "$WORK/pr.json"
  run_action "${inputs[@]}" INPUT_CHANGED_ONLY=false
  expect_output category migsafe/pg13 "matrix-postgres-versions.yml"
  expect_output exit-code 1 "matrix-postgres-versions.yml"
  expect_output findings 3 "matrix-postgres-versions.yml (lint findings; the round trip is clean)"
  expect_contains "$WORK/gh/stderr" "roundtrip: 3 migration(s) on postgresql, 0 finding(s)" "matrix leg round trip"
  check "$jq_bin" -e '.runs[0].automationDetails.id == "migsafe/pg13/"' "$(output sarif-file)"
else
  echo "note: no PostgreSQL server binaries; the matrix example's round trip is not run" >&2
fi

finish
