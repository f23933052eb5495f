# Renders the SQL of Alembic revision files in offline mode (what `alembic upgrade --sql` prints),
# without running the project's env.py. Embedded into migsafe (linter/alembic/render_sql_embed.cpp) and
# run by `migsafe lint --render-sql` with a python3 that can import alembic.
#
# Usage: render_sql.py [--output FILE] DIALECT PATH...   (each PATH a revision .py file)
# Prints ONE JSON document on stdout (or writes it to FILE, so that revision code printing to stdout or
# stderr can never corrupt it):
#   {"revisions": [{"path": ..., "revision": ..., "upgrade": {"sql": ..., "error": ...}, "downgrade": {...}}]}
# A revision or function that fails (needs a live connection, imports that fail, ...) carries the error
# text instead of SQL; nothing here ever aborts the whole run.
import importlib.util
import io
import json
import os
import sys
import traceback


def _error_text(exc):
    # The last frame inside the revision file tells the user where it needed more than offline mode gives.
    text = "%s: %s" % (type(exc).__name__, exc)
    frames = traceback.extract_tb(exc.__traceback__)
    return text.strip(), frames


def _render_function(module, name, dialect, module_path):
    from alembic.migration import MigrationContext
    from alembic.operations import Operations

    function = getattr(module, name, None)
    if function is None or not callable(function):
        return {"sql": None, "error": None, "missing": True}
    buffer = io.StringIO()
    context = MigrationContext.configure(
        dialect_name=dialect,
        opts={"as_sql": True, "output_buffer": buffer, "literal_binds": True},
    )
    try:
        with Operations.context(context):
            function()
    except BaseException as exc:  # SystemExit / KeyboardInterrupt from revision code included
        if isinstance(exc, KeyboardInterrupt):
            raise
        text, frames = _error_text(exc)
        line = None
        for frame in frames:
            if os.path.abspath(frame.filename) == module_path:
                line = frame.lineno
        return {"sql": None, "error": text, "line": line}
    return {"sql": buffer.getvalue(), "error": None}


def _render_revision(path, dialect, index):
    path = os.path.abspath(path)
    result = {"path": path, "revision": None}
    # Revision modules import siblings or the application package: make both importable.
    directory = os.path.dirname(path)
    for entry in (directory, os.path.dirname(directory), os.path.dirname(os.path.dirname(directory))):
        if entry not in sys.path:
            sys.path.append(entry)
    try:
        spec = importlib.util.spec_from_file_location("migsafe_revision_%d" % index, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    except BaseException as exc:
        if isinstance(exc, KeyboardInterrupt):
            raise
        text, frames = _error_text(exc)
        failure = {"sql": None, "error": "importing the revision failed: " + text}
        result["upgrade"] = failure
        result["downgrade"] = failure
        return result
    revision = getattr(module, "revision", None)
    result["revision"] = revision if isinstance(revision, str) else None
    result["upgrade"] = _render_function(module, "upgrade", dialect, path)
    result["downgrade"] = _render_function(module, "downgrade", dialect, path)
    return result


def main(argv):
    output = None
    if len(argv) > 2 and argv[1] == "--output":
        output = argv[2]
        argv = argv[:1] + argv[3:]
    if len(argv) < 2:
        sys.stderr.write("usage: render_sql.py [--output FILE] DIALECT PATH...\n")
        return 2
    dialect = argv[1]
    # Revision code that prints would corrupt the JSON document: give it stderr instead.
    real_stdout = sys.stdout
    sys.stdout = sys.stderr
    revisions = [_render_revision(path, dialect, index) for index, path in enumerate(argv[2:])]
    sys.stdout = real_stdout
    if output is not None:
        with open(output, "w", encoding="utf-8") as stream:
            json.dump({"revisions": revisions}, stream)
        return 0
    json.dump({"revisions": revisions}, real_stdout)
    real_stdout.write("\n")
    real_stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
