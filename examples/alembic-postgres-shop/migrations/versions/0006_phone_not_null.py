"""users.phone NOT NULL

Revision ID: 0006_phone_nn
Revises: 0005_emails
Create Date: 2024-03-20 09:00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = "0006_phone_nn"
down_revision: Union[str, None] = "0005_emails"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    # Scans the whole table under ACCESS EXCLUSIVE.
    op.alter_column("users", "phone", existing_type=sa.String(length=32), nullable=False)


def downgrade() -> None:
    pass
