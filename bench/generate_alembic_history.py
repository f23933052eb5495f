#!/usr/bin/env python3
"""Writes a deterministic Alembic project with a long revision history for the reader benchmark.

Revisions use both template styles (classic and typed), merges every 50 revisions, create_table,
add_column, create_index (with and without postgresql_concurrently inside autocommit_block),
alter_column, op.execute with SQL, and downgrades that undo them.

usage: generate_alembic_history.py OUT_DIR [--revisions 1000] [--seed 7]
"""
import argparse
import os
import random

TEMPLATE_CLASSIC = '''"""{message}

Revision ID: {rev}
Revises: {parent_doc}
Create Date: 2024-01-01 00:00:00.000000

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = {rev!r}
down_revision = {parents}
branch_labels = None
depends_on = None


def upgrade():
{upgrade}


def downgrade():
{downgrade}
'''

TEMPLATE_TYPED = '''"""{message}

Revision ID: {rev}
Revises: {parent_doc}
Create Date: 2024-01-01 00:00:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

revision: str = {rev!r}
down_revision: Union[str, Sequence[str], None] = {parents}
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
{upgrade}


def downgrade() -> None:
    """Downgrade schema."""
{downgrade}
'''


def body(rng, index, tables):
    kind = index % 6
    if kind == 0 or not tables:
        table = f"table_{index}"
        tables.append(table)
        up = (f"    op.create_table(\n        {table!r},\n"
              f"        sa.Column('id', sa.BigInteger(), primary_key=True),\n"
              f"        sa.Column('name', sa.String(length=200), nullable=False),\n"
              f"        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()')),\n"
              f"    )")
        return f"create {table}", up, f"    op.drop_table({table!r})"
    table = rng.choice(tables)
    if kind == 1:
        return (f"add column to {table}",
                f"    op.add_column({table!r}, sa.Column('col_{index}', sa.Integer(), nullable=True))",
                f"    op.drop_column({table!r}, 'col_{index}')")
    if kind == 2:
        return (f"index {table}",
                f"    with op.get_context().autocommit_block():\n"
                f"        op.create_index(op.f('ix_{table}_{index}'), {table!r}, ['name'], postgresql_concurrently=True)",
                f"    op.drop_index(op.f('ix_{table}_{index}'), table_name={table!r})")
    if kind == 3:
        return (f"not null on {table}",
                f"    op.alter_column({table!r}, 'name', existing_type=sa.String(length=200), nullable=False)",
                f"    op.alter_column({table!r}, 'name', existing_type=sa.String(length=200), nullable=True)")
    if kind == 4:
        return (f"backfill {table}",
                f"    op.execute(\"UPDATE {table} SET name = lower(name) WHERE id < 1000\")",
                "    pass")
    return (f"unique on {table}",
            f"    op.create_unique_constraint('uq_{table}_{index}', {table!r}, ['name'])",
            f"    op.drop_constraint('uq_{table}_{index}', {table!r}, type_='unique')")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir")
    parser.add_argument("--revisions", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    versions = os.path.join(args.out_dir, "migrations", "versions")
    os.makedirs(versions, exist_ok=True)
    with open(os.path.join(args.out_dir, "alembic.ini"), "w") as ini:
        ini.write("[alembic]\nscript_location = migrations\nsqlalchemy.url = postgresql://localhost/bench\n")
    tables = []
    previous = None
    side = None  # a short side branch merged back every 50 revisions
    for index in range(args.revisions):
        rev = f"{rng.getrandbits(48):012x}"
        parents = previous
        if index % 50 == 25:
            side = previous
        if index % 50 == 49 and side:
            parents = (previous, side)
            side = None
        message, up, down = body(rng, index, tables)
        if index % 50 == 26 and side:
            parents, side = side, previous  # branch off the remembered revision, keep the tip for the merge
        template = TEMPLATE_TYPED if index % 2 else TEMPLATE_CLASSIC
        parent_doc = ", ".join(parents) if isinstance(parents, tuple) else (parents or "")
        text = template.format(message=message, rev=rev, parent_doc=parent_doc, parents=repr(parents),
                               upgrade=up, downgrade=down)
        with open(os.path.join(versions, f"{index:04d}_{rev}_{message.replace(' ', '_')}.py"), "w") as out:
            out.write(text)
        previous = rev
    print(f"wrote {args.revisions} revisions to {versions}")


if __name__ == "__main__":
    main()
