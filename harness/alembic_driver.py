"""migsafe round-trip driver for Alembic projects.

One long-lived process per run. Reads JSON requests from stdin, one per line, and answers each with one
JSON line on the original stdout; everything else the project prints (env.py, logging) goes to stderr.

Requests:
  {"op": "init", "config": "/p/alembic.ini" | "", "script_location": "/p/migrations" | "", "env": "project" | "builtin"}
      -> {"ok": true, "revisions": [{"id", "parents", "path", "has_downgrade"}]}   (base to heads order)
  {"op": "upgrade", "rev": "<id>", "url": "..."}       apply exactly this revision (its parents are applied)
  {"op": "downgrade", "rev": "<id>", "url": "..."}     unapply exactly this revision (back to its parents)
  {"op": "upgrade_to", "target": "heads", "url": "..."}    alembic upgrade <target>
  {"op": "downgrade_to", "target": "base", "url": "..."}   alembic downgrade <target>
  {"op": "quit"}
Errors: {"ok": false, "error": "<Type>: <message>", "path": "<revision file>", "line": <n>, "traceback": "..."}
"""
import json
import os
import sys
import traceback

protocol_out = os.fdopen(os.dup(1), "w", buffering=1)
os.dup2(2, 1)  # whatever the project prints must not corrupt the protocol
sys.stdout = sys.stderr

from alembic import command  # noqa: E402
from alembic.config import Config  # noqa: E402
from alembic.runtime.environment import EnvironmentContext  # noqa: E402
from alembic.runtime.migration import MigrationStep  # noqa: E402
from alembic.script import ScriptDirectory  # noqa: E402

BUILTIN_ENV = """
from alembic import context
from sqlalchemy import create_engine, pool

url = context.config.get_main_option("sqlalchemy.url")
engine = create_engine(url, poolclass=pool.NullPool)
with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=None)
    with context.begin_transaction():
        context.run_migrations()
engine.dispose()
"""

state = {"config": None, "script": None, "revision_paths": set()}


def reply(payload):
    protocol_out.write(json.dumps(payload) + "\n")
    protocol_out.flush()


def use_builtin_env():
    def run_env(self):
        exec(compile(BUILTIN_ENV, "<migsafe builtin env.py>", "exec"), {"__name__": "env_py"})

    ScriptDirectory.run_env = run_env


def init(request):
    config_path = request.get("config") or None
    config = Config(config_path) if config_path else Config()
    if request.get("script_location"):
        config.set_main_option("script_location", request["script_location"])
    if request.get("env") == "builtin":
        use_builtin_env()
    state["config"] = config
    script = ScriptDirectory.from_config(config)
    # One revision map for the whole run: building it imports every revision file (about 50 ms for
    # 100 revisions), which per step was most of a stairway's time.
    state["script"] = script
    revisions = []
    for revision in reversed(list(script.walk_revisions("base", "heads"))):
        parents = revision.down_revision
        if parents is None:
            parents = []
        elif isinstance(parents, str):
            parents = [parents]
        path = os.path.realpath(revision.path)
        state["revision_paths"].add(path)
        revisions.append({
            "id": revision.revision,
            "parents": list(parents),
            "path": path,
            "has_downgrade": hasattr(revision.module, "downgrade"),
        })
    return {"ok": True, "revisions": revisions}


def configured(request):
    config = state["config"]
    # configparser interpolation: a literal % in the URL (an encoded password) must be doubled.
    config.set_main_option("sqlalchemy.url", request["url"].replace("%", "%%"))
    return config, state["script"]


def run_one(request, upgrade):
    config, script = configured(request)
    revision = script.get_revision(request["rev"])

    def steps(rev, context):
        if upgrade:
            return [MigrationStep.upgrade_from_script(script.revision_map, revision)]
        return [MigrationStep.downgrade_from_script(script.revision_map, revision)]

    with EnvironmentContext(config, script, fn=steps, as_sql=False, starting_rev=None,
                            destination_rev=request["rev"], tag=None):
        script.run_env()
    return {"ok": True}


def run_to(request, upgrade):
    config, _ = configured(request)
    if upgrade:
        command.upgrade(config, request["target"])
    else:
        command.downgrade(config, request["target"])
    return {"ok": True}


def failure(error):
    frames = traceback.extract_tb(error.__traceback__)
    where = {}
    for frame in reversed(frames):
        path = os.path.realpath(frame.filename) if os.path.exists(frame.filename) else frame.filename
        if path in state["revision_paths"]:
            where = {"path": path, "line": frame.lineno}
            break
    message = "%s: %s" % (type(error).__name__, str(error).strip())
    # SQLAlchemy appends the SQL and a documentation link: keep the first lines.
    lines = [line for line in message.splitlines() if line.strip()]
    message = "\n".join(lines[:6])
    result = {"ok": False, "error": message, "traceback": "".join(traceback.format_exception(
        type(error), error, error.__traceback__))[-4000:]}
    result.update(where)
    return result


HANDLERS = {
    "init": init,
    "upgrade": lambda r: run_one(r, True),
    "downgrade": lambda r: run_one(r, False),
    "upgrade_to": lambda r: run_to(r, True),
    "downgrade_to": lambda r: run_to(r, False),
}


def main():
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            request = json.loads(line)
        except ValueError as error:
            reply({"ok": False, "error": "bad request: %s" % error})
            continue
        op = request.get("op")
        if op == "quit":
            reply({"ok": True})
            return
        handler = HANDLERS.get(op)
        if handler is None:
            reply({"ok": False, "error": "unknown op %r" % op})
            continue
        try:
            reply(handler(request))
        except BaseException as error:  # SystemExit from a project's env.py too
            if isinstance(error, KeyboardInterrupt):
                raise
            reply(failure(error))


if __name__ == "__main__":
    main()
