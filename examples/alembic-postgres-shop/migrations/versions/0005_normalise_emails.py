"""normalise emails (data migration)

Revision ID: 0005_emails
Revises: 0004_concurrent
Create Date: 2024-03-15 09:00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = "0005_emails"
down_revision: Union[str, None] = "0004_concurrent"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.execute("UPDATE users SET phone = '' WHERE phone IS NULL")
    if op.get_context().as_sql:
        # Offline mode (alembic upgrade --sql) cannot read rows.
        return
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, email FROM users")).fetchall()
    # One UPDATE per row, all in one transaction: slow, and it locks every row until the end.
    for row in rows:
        bind.execute(
            sa.text("UPDATE users SET email = lower(email) WHERE id = :id"),
            {"id": row.id},
        )


def downgrade() -> None:
    raise NotImplementedError("the original capitalisation of emails is not kept")
