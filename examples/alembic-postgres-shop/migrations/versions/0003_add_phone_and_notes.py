"""add users.phone and orders.note

Revision ID: 0003_phone
Revises: 0002_orders
Create Date: 2024-03-10 09:00:00

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = "0003_phone"
down_revision = "0002_orders"
branch_labels = None
depends_on = None


def upgrade():
    op.execute("SET lock_timeout = '5s'")
    # Safe: a nullable column is a catalog-only change.
    op.add_column("users", sa.Column("phone", sa.String(length=32), nullable=True))
    # Unsafe: NOT NULL without a server default fails as soon as orders has rows.
    op.add_column("orders", sa.Column("note", sa.Text(), nullable=False))
    # Unsafe: a plain CREATE INDEX blocks every write to users while it builds.
    op.create_index("ix_users_phone", "users", ["phone"])


def downgrade():
    op.drop_index("ix_users_phone", table_name="users")
    op.drop_column("orders", "note")
    op.drop_column("users", "phone")
