#!/usr/bin/env python3
"""Writes a deterministic, runnable Alembic project for the harness benchmark (bench/harness_bench.cpp).

Unlike generate_alembic_history.py (a history for the static reader), every revision here really runs
on PostgreSQL and on SQLite and its downgrade restores the schema exactly: a linear chain of revisions
that create tables (primary keys, NOT NULL, defaults, CHECK, UNIQUE and foreign keys), add nullable
columns with server defaults, and create plain and unique indexes. Nothing uses ALTER ... ADD
CONSTRAINT, which SQLite cannot run.

usage: generate_alembic_project.py OUT_DIR [--revisions 100]
"""
import argparse
import hashlib
import os

ALEMBIC_INI = """[alembic]
script_location = alembic
sqlalchemy.url = sqlite:///bench.db

[loggers]
keys = root

[handlers]
keys = console

[formatters]
keys = generic

[logger_root]
level = WARN
handlers = console

[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = generic

[formatter_generic]
format = %(levelname)-5.5s [%(name)s] %(message)s
"""

ENV_PY = '''from logging.config import fileConfig

from alembic import context
from sqlalchemy import engine_from_config, pool

config = context.config
if config.config_file_name is not None:
    fileConfig(config.config_file_name)

target_metadata = None


def run_migrations_offline():
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata,
                      literal_binds=True, dialect_opts={"paramstyle": "named"})
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    connectable = engine_from_config(config.get_section(config.config_ini_section), prefix="sqlalchemy.",
                                     poolclass=pool.NullPool)
    with connectable.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
'''

SCRIPT_MAKO = '''"""${message}

Revision ID: ${up_revision}
Revises: ${down_revision | comma,n}
Create Date: ${create_date}

"""
from alembic import op
import sqlalchemy as sa
${imports if imports else ""}

revision = ${repr(up_revision)}
down_revision = ${repr(down_revision)}
branch_labels = ${repr(branch_labels)}
depends_on = ${repr(depends_on)}


def upgrade():
    ${upgrades if upgrades else "pass"}


def downgrade():
    ${downgrades if downgrades else "pass"}
'''

REVISION = '''"""{message}

Revision ID: {rev}
Revises: {parent_doc}
Create Date: 2024-01-01 00:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

revision = {rev!r}
down_revision = {parent!r}
branch_labels = None
depends_on = None


def upgrade():
{upgrade}


def downgrade():
{downgrade}
'''


def revision_id(index):
    return hashlib.sha1(f"migsafe-bench-{index}".encode()).hexdigest()[:12]


def indent(lines):
    return "\n".join("    " + line for line in lines)


class Schema:
    """What the chain has created so far, so that later revisions build on real tables and columns."""

    def __init__(self):
        self.tables = []  # names, in creation order
        self.added_columns = {}  # table -> added column names

    def latest(self, back=0):
        return self.tables[max(0, len(self.tables) - 1 - back)]


def create_table(index, schema):
    table = f"t{index:03d}"
    lines = [f"op.create_table(", f"    {table!r},",
             "    sa.Column('id', sa.Integer(), primary_key=True),",
             "    sa.Column('name', sa.String(length=100), nullable=False),",
             "    sa.Column('code', sa.String(length=20), nullable=False),",
             "    sa.Column('amount', sa.Numeric(12, 2), nullable=False, server_default='0'),",
             "    sa.Column('created_at', sa.DateTime(), nullable=True),"]
    if schema.tables:
        parent = schema.latest()
        lines.append(f"    sa.Column('parent_id', sa.Integer(), sa.ForeignKey('{parent}.id', name='fk_{table}_parent'),"
                     " nullable=True),")
    lines += [f"    sa.CheckConstraint('amount >= 0', name='ck_{table}_amount'),",
              f"    sa.UniqueConstraint('code', name='uq_{table}_code'),",
              ")"]
    schema.tables.append(table)
    schema.added_columns[table] = []
    return f"create table {table}", lines, [f"op.drop_table({table!r})"]


def add_column(index, schema):
    table = schema.latest(index % 3)
    column = f"c{index:03d}"
    schema.added_columns[table].append(column)
    up = [f"op.add_column({table!r}, sa.Column({column!r}, sa.Integer(), nullable=True, server_default='{index}'))"]
    return f"add column {table}.{column}", up, [f"op.drop_column({table!r}, {column!r})"]


def create_index(index, schema, unique):
    table = schema.latest(index % 2)
    columns = schema.added_columns[table]
    column = columns[-1] if columns and not unique else "name"
    keys = [column, "id"] if unique else [column]
    name = f"{'ux' if unique else 'ix'}_{table}_{index:03d}"
    up = [f"op.create_index({name!r}, {table!r}, {keys!r}, unique={unique})"]
    return f"index {name}", up, [f"op.drop_index({name!r}, table_name={table!r})"]


def generate(out, revisions):
    os.makedirs(os.path.join(out, "alembic", "versions"), exist_ok=True)
    with open(os.path.join(out, "alembic.ini"), "w") as f:
        f.write(ALEMBIC_INI)
    with open(os.path.join(out, "alembic", "env.py"), "w") as f:
        f.write(ENV_PY)
    with open(os.path.join(out, "alembic", "script.py.mako"), "w") as f:
        f.write(SCRIPT_MAKO)

    schema = Schema()
    parent = None
    for index in range(1, revisions + 1):
        # A table every fifth revision (and first); in between columns and indexes on recent tables.
        kind = 0 if index == 1 else index % 5
        if kind == 0:
            message, up, down = create_table(index, schema)
        elif kind in (1, 2):
            message, up, down = add_column(index, schema)
        elif kind == 3:
            message, up, down = create_index(index, schema, unique=False)
        else:
            message, up, down = create_index(index, schema, unique=True)
        rev = revision_id(index)
        text = REVISION.format(message=message, rev=rev, parent=parent, parent_doc=parent or "",
                               upgrade=indent(up), downgrade=indent(down))
        with open(os.path.join(out, "alembic", "versions", f"{index:04d}_{rev}.py"), "w") as f:
            f.write(text)
        parent = rev
    print(f"{revisions} revisions, {len(schema.tables)} tables, head {parent}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--revisions", type=int, default=100)
    args = parser.parse_args()
    if args.revisions < 1:
        parser.error("--revisions must be at least 1")
    generate(args.out, args.revisions)


if __name__ == "__main__":
    main()
