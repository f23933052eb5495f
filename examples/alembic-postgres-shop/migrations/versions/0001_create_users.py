"""create users

Revision ID: 0001_users
Revises:
Create Date: 2024-03-01 09:00:00

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = "0001_users"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    # A brand-new table: its index and enum type cost nothing (no rows, nobody reads it yet).
    op.create_table(
        "users",
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column("email", sa.String(length=320), nullable=False, unique=True),
        sa.Column("status", sa.Enum("active", "suspended", name="user_status"), nullable=False,
                  server_default="active"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )
    op.create_index(op.f("ix_users_created_at"), "users", ["created_at"])


def downgrade():
    op.drop_index(op.f("ix_users_created_at"), table_name="users")
    op.drop_table("users")
    # drop_table leaves the enum type behind; without this the next upgrade fails with "already exists".
    sa.Enum(name="user_status").drop(op.get_bind(), checkfirst=True)
