"""migsafe round-trip driver for Alembic projects.

One long-lived process per run. Reads JSON requests from stdin, one per line, and answers each with one
JSON line on the original stdout; everything else the project prints (env.py, logging) goes to stderr.

Requests:
  {"op": "init", "config": "/p/alembic.ini" | "", "script_location": "/p/migrations" | "", "env": "project" | "builtin"}
      -> {"ok": true, "revisions": [{"id", "parents", "path", "has_downgrade"}]}   (base to heads order)
  {"op": "upgrade", "rev": "<id>", "url": "...", "trace": {"relations": "<SQL>", "locks": "<SQL>"}}
      apply exactly this revision (its parents are applied); with "trace" (PostgreSQL) the answer has
      "trace": after every statement, what the two observation queries return on the migration's
      connection (relation locks, relfilenodes), the server notices, and the revision file line that
      issued it
  {"op": "downgrade", "rev": "<id>", "url": "..."}     unapply exactly this revision (back to its parents)
  {"op": "upgrade_to", "target": "heads", "url": "..."}    alembic upgrade <target>
  {"op": "downgrade_to", "target": "base", "url": "..."}   alembic downgrade <target>
  {"op": "release"}    close every PostgreSQL connection kept between steps (see ConnectionKeeper); the
      harness sends it before it copies or drops a database, which needs a database nobody is connected to
  {"op": "quit"}
Errors: {"ok": false, "error": "<Type>: <message>", "path": "<revision file>", "line": <n>, "traceback": "..."}
"""
import json
import os
import sys
import time
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

class Tracer:
    """Observes every statement SQLAlchemy sends while one upgrade runs (cursor events on all engines).

    The observation queries run on the same DBAPI connection through a raw cursor, so they are inside the
    migration's transaction (they see its locks) and do not fire SQLAlchemy events themselves."""

    def __init__(self):
        self.active = False
        self.installed = False

    def install(self):
        if self.installed:
            return
        from sqlalchemy import event
        from sqlalchemy.engine import Engine
        event.listen(Engine, "before_cursor_execute", self.before)
        event.listen(Engine, "after_cursor_execute", self.after)
        event.listen(Engine, "commit", self.transaction_end)
        event.listen(Engine, "rollback", self.transaction_end)
        self.installed = True

    def start(self, queries):
        """queries: the observation SQL, sent by the harness (harness/trace.cpp) so that both ways of
        tracing (SQL layouts from C++, Alembic from here) read the catalogs identically."""
        self.install()
        self.relations_query = queries["relations"]
        self.locks_query = queries["locks"]
        self.active = True
        self.clock = time.monotonic()
        self.result = {"baseline": None, "statements": [], "transaction_ends": [], "notes": []}
        self.prepared = set()
        self.pending = None

    def stop(self):
        self.active = False
        return self.result

    def now(self):
        return time.monotonic() - self.clock

    @staticmethod
    def rows(dbapi_connection, sql):
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(sql)
            return [list(row) for row in cursor.fetchall()]
        finally:
            cursor.close()

    @staticmethod
    def in_transaction(dbapi_connection):
        status = getattr(dbapi_connection, "get_transaction_status", None)
        if status is None or getattr(dbapi_connection, "autocommit", False):
            return False
        return status() in (1, 2)  # psycopg2 TRANSACTION_STATUS_ACTIVE / INTRANS

    def where(self):
        for frame in reversed(traceback.extract_stack()):
            path = os.path.realpath(frame.filename) if os.path.exists(frame.filename) else frame.filename
            if path in state["revision_paths"]:
                return path, frame.lineno
        return "", 0

    def before(self, conn, cursor, statement, parameters, context, executemany):
        if not self.active:
            return
        if conn.dialect.name != "postgresql":
            if not self.result["notes"]:
                self.result["notes"].append("--trace observes PostgreSQL only; this connection is " + conn.dialect.name)
            return
        dbapi = cursor.connection
        try:
            if id(dbapi) not in self.prepared:
                self.prepared.add(id(dbapi))
                if self.result["baseline"] is None:
                    self.result["baseline"] = self.rows(dbapi, self.relations_query)
                collected = []
                dbapi.notices = collected  # psycopg2 keeps only 50 by default; a list keeps all
                self.rows_silent(dbapi, "SET client_min_messages = debug1")
            del dbapi.notices[:]
        except Exception as error:  # never break the migration because of the trace
            self.result["notes"].append("trace setup failed: %s" % error)
        path, line = self.where()
        self.pending = {"sql": statement[:4000], "path": path, "line": line, "started": self.now()}

    @staticmethod
    def rows_silent(dbapi_connection, sql):
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(sql)
        finally:
            cursor.close()

    def after(self, conn, cursor, statement, parameters, context, executemany):
        if not self.active or self.pending is None or conn.dialect.name != "postgresql":
            return
        entry, self.pending = self.pending, None
        entry["finished"] = self.now()
        dbapi = cursor.connection
        try:
            entry["notices"] = [str(notice).strip() for notice in dbapi.notices]
            entry["in_transaction"] = self.in_transaction(dbapi)
            if entry["in_transaction"]:
                entry["locks"] = self.rows(dbapi, self.locks_query)
            else:
                entry["untraced_reason"] = "it ran outside a transaction (autocommit)"
            entry["relations"] = self.rows(dbapi, self.relations_query)
            del dbapi.notices[:]
        except Exception as error:
            self.result["notes"].append("trace of a statement failed: %s" % error)
        self.result["statements"].append(entry)

    def transaction_end(self, conn):
        if self.active:
            self.result["transaction_ends"].append(self.now())


tracer = Tracer()


class ConnectionKeeper:
    """Keeps one PostgreSQL connection per harness database across steps.

    Alembic runs env.py for every step, and env.py (like Alembic's template) creates an engine with
    NullPool: every step would start a new server backend and run SQLAlchemy's dialect initialisation
    (most of a PostgreSQL stairway's time). While a request runs, `create_engine` for exactly the harness's
    URL (with only the plain options below) returns one cached engine whose pool keeps one connection.

    Every step still sees a session as a new connection would: when a connection goes back to the pool
    (end of the step, also after an error) it gets ROLLBACK (the pool's own reset) and DISCARD ALL (settings
    back to the connection's start values, temp tables, prepared statements, advisory locks, LISTEN,
    sequences' currval); a connection whose reset fails is closed and replaced at the next checkout. env.py
    code that relies on engine-level hooks (an event listener on the engine or pool, changed execution
    options) would not run again for a reused connection: after such a step the engine is disposed and that
    URL gets a new engine per step for the rest of the run, as before."""

    # create_engine keywords that do not change what a connection is (anything else: no reuse).
    PLAIN_OPTIONS = {"_coerce_config", "poolclass", "future", "echo", "echo_pool", "pool_pre_ping", "isolation_level",
                     "hide_parameters", "logging_name", "pool_logging_name"}

    def __init__(self):
        self.url = None          # the harness's URL during a request (rendered), else None
        self.engines = {}        # (url, options) -> engine
        self.refused = set()     # keys whose env.py customises the engine
        self.original = None

    def install(self):
        import sqlalchemy
        import sqlalchemy.engine
        import sqlalchemy.engine.create
        self.original = sqlalchemy.engine.create.create_engine
        keeper = self

        def create_engine(url, **options):
            return keeper.create(url, options)

        # engine_from_config calls its module's create_engine; env.py reads sqlalchemy.create_engine.
        for module in (sqlalchemy, sqlalchemy.engine, sqlalchemy.engine.create):
            module.create_engine = create_engine

    @staticmethod
    def render(url):
        from sqlalchemy.engine.url import make_url
        return make_url(url).render_as_string(hide_password=False)

    def begin(self, url):
        rendered = self.render(url)
        if not rendered.startswith("postgresql"):
            self.url = None
            return
        for key in [key for key in self.engines if key[0] != rendered]:
            self.dispose(key)  # the harness moved to another database: free the old one
        self.url = rendered

    def key(self, url, options):
        if self.url is None or set(options) - self.PLAIN_OPTIONS:
            return None
        try:
            if self.render(url) != self.url:
                return None
        except Exception:
            return None
        from sqlalchemy import pool
        poolclass = options.get("poolclass")
        if poolclass not in (None, pool.NullPool, pool.QueuePool):
            return None
        rest = tuple(sorted((name, repr(value)) for name, value in options.items() if name != "poolclass"))
        key = (self.url, rest)
        return None if key in self.refused else key

    def create(self, url, options):
        key = self.key(url, options)
        if key is None:
            return self.original(url, **options)
        engine = self.engines.get(key)
        if engine is None:
            engine = self.build(url, options)
            self.engines[key] = engine
        return engine

    def build(self, url, options):
        from sqlalchemy import event, pool
        settings = dict(options)
        settings.update(poolclass=pool.QueuePool, pool_size=1, max_overflow=-1)
        engine = self.original(url, **settings)
        event.listen(engine.pool, "checkin", self.reset_session)
        event.listen(engine.pool, "checkout", self.check_session)
        engine.dispose = lambda *args, **kwargs: None  # env.py's dispose() must not drop the kept connection
        engine.migsafe_baseline = self.customisation(engine)
        return engine

    @staticmethod
    def customisation(engine):
        count = 0
        for target in (engine, engine.pool):
            dispatch = target.dispatch
            for name in dispatch._event_names:
                count += len(getattr(getattr(dispatch, name), "listeners", ()))
        return count, dict(engine._execution_options)

    @staticmethod
    def reset_session(dbapi_connection, connection_record):
        if dbapi_connection is None:
            return
        try:
            dbapi_connection.rollback()
            autocommit = dbapi_connection.autocommit
            dbapi_connection.autocommit = True  # DISCARD ALL cannot run inside a transaction block
            cursor = dbapi_connection.cursor()
            try:
                cursor.execute("DISCARD ALL")
            finally:
                cursor.close()
            dbapi_connection.autocommit = autocommit
        except Exception:
            try:
                dbapi_connection.close()  # replaced at the next checkout
            except Exception:
                pass

    @staticmethod
    def check_session(dbapi_connection, connection_record, connection_proxy):
        if getattr(dbapi_connection, "closed", 0):
            from sqlalchemy import exc
            raise exc.DisconnectionError("connection closed after a failed session reset")

    def end(self):
        """After a request: engines that env.py customised are not reused."""
        for key, engine in list(self.engines.items()):
            if self.customisation(engine) != engine.migsafe_baseline:
                self.dispose(key)
                self.refused.add(key)
        self.url = None

    def dispose(self, key):
        engine = self.engines.pop(key)
        type(engine).dispose(engine)

    def release(self):
        for key in list(self.engines):
            self.dispose(key)
        return {"ok": True}


keeper = ConnectionKeeper()


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
    fast_throwaway_sqlite()
    keeper.install()
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


def fast_throwaway_sqlite():
    """The harness's SQLite databases are thrown away: no fsync per commit (Alembic runs SQLite DDL
    without a transaction, so every statement is a commit; with fsync that was most of a stairway's
    time on a loaded machine). Rollback still works; only crash durability is given up."""
    from sqlalchemy import event
    from sqlalchemy.pool import Pool

    def on_connect(dbapi_connection, connection_record):
        if type(dbapi_connection).__module__.startswith("sqlite3"):
            cursor = dbapi_connection.cursor()
            try:
                cursor.execute("PRAGMA synchronous = OFF")
            finally:
                cursor.close()

    event.listen(Pool, "connect", on_connect)


def configured(request):
    keeper.begin(request["url"])
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

    tracing = bool(request.get("trace")) and upgrade
    if tracing:
        tracer.start(request["trace"])
    try:
        with EnvironmentContext(config, script, fn=steps, as_sql=False, starting_rev=None,
                                destination_rev=request["rev"], tag=None):
            script.run_env()
    finally:
        trace = tracer.stop() if tracing else None
    answer = {"ok": True}
    if trace is not None:
        answer["trace"] = trace
    return answer


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
    "release": lambda r: keeper.release(),
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
            answer = handler(request)
        except BaseException as error:  # SystemExit from a project's env.py too
            if isinstance(error, KeyboardInterrupt):
                raise
            answer = failure(error)
        try:
            keeper.end()  # before the answer: the harness may copy or drop the database right after it
        except Exception as error:
            answer = failure(error) if answer.get("ok") else answer
        reply(answer)


if __name__ == "__main__":
    main()
