"""unique email among active contacts, drop legacy_id

Revision ID: c7d9e0f1a2b3
Revises: 8a44e3b1c2d0
Create Date: 2024-05-20 10:00:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = "c7d9e0f1a2b3"
down_revision: Union[str, Sequence[str], None] = "8a44e3b1c2d0"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    # MySQL has no partial indexes: SQLAlchemy drops postgresql_where silently, so this becomes a
    # UNIQUE index over every row, and soft-deleted duplicates make it fail.
    op.create_index(
        "ix_contacts_active_email",
        "contacts",
        ["email"],
        unique=True,
        postgresql_where=sa.text("deleted_at IS NULL"),
    )
    with op.batch_alter_table("contacts") as batch_op:
        batch_op.drop_column("legacy_id")


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("contacts") as batch_op:
        batch_op.add_column(sa.Column("legacy_id", sa.String(length=20), nullable=True))
    op.drop_index("ix_contacts_active_email", table_name="contacts")
