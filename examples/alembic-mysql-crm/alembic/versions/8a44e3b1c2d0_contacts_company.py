"""contacts.company, wider email

Revision ID: 8a44e3b1c2d0
Revises: 2f1c0a9b7d31
Create Date: 2024-05-09 10:00:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = "8a44e3b1c2d0"
down_revision: Union[str, Sequence[str], None] = "2f1c0a9b7d31"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    if op.get_context().dialect.name in ("mysql", "mariadb"):
        # Give up after 5 s instead of queueing every query behind a metadata lock.
        op.execute("SET SESSION lock_wait_timeout = 5")
    # batch_alter_table: plain ALTERs on MySQL, a move-and-copy rebuild on SQLite.
    with op.batch_alter_table("contacts") as batch_op:
        batch_op.add_column(sa.Column("company", sa.String(length=100), nullable=True))
        batch_op.alter_column(
            "email",
            existing_type=sa.String(length=255),
            type_=sa.String(length=320),
            existing_nullable=False,
        )


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("contacts") as batch_op:
        batch_op.alter_column(
            "email",
            existing_type=sa.String(length=320),
            type_=sa.String(length=255),
            existing_nullable=False,
        )
        batch_op.drop_column("company")
