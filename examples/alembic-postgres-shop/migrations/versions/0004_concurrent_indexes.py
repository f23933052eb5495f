"""concurrent indexes on orders

Revision ID: 0004_concurrent
Revises: 0003_phone
Create Date: 2024-03-12 09:00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = "0004_concurrent"
down_revision: Union[str, None] = "0003_phone"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    # Safe: CONCURRENTLY outside the migration's transaction.
    with op.get_context().autocommit_block():
        op.create_index(
            "ix_orders_created_at",
            "orders",
            ["created_at"],
            postgresql_concurrently=True,
        )
    # Unsafe: still inside Alembic's transaction, PostgreSQL refuses it
    # ("CREATE INDEX CONCURRENTLY cannot run inside a transaction block").
    op.create_index(
        "ix_orders_open",
        "orders",
        ["user_id"],
        postgresql_concurrently=True,
        postgresql_where=sa.text("status = 'open'"),
    )


def downgrade() -> None:
    with op.get_context().autocommit_block():
        op.drop_index("ix_orders_open", table_name="orders", postgresql_concurrently=True)
        op.drop_index("ix_orders_created_at", table_name="orders", postgresql_concurrently=True)
