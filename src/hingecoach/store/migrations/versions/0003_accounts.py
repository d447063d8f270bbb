"""accounts: users (trainers and trainees who log in), trainees owned by a trainer

Adds the ``users`` table and two nullable links on ``trainees``: ``trainer_id`` (the
trainer who coaches them) and ``user_id`` (the trainee's own account). Existing trainees
keep working from the command line; they are nobody's client until assigned.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("display_name", sa.String(80), nullable=False),
        sa.Column("role", sa.String(10), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("api_token_hash", sa.String(64), nullable=True),
        sa.Column("api_token_created_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
        sa.UniqueConstraint("api_token_hash", name=op.f("uq_users_api_token_hash")),
    )
    # On SQLite batch mode re-creates ``trainees``; migrate.upgrade turns foreign keys off
    # around migrations so dropping the old copy does not cascade to the sessions.
    with op.batch_alter_table("trainees") as batch:
        batch.add_column(sa.Column("trainer_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("user_id", sa.Integer(), nullable=True))
        batch.create_index(batch.f("ix_trainees_trainer_id"), ["trainer_id"], unique=False)
        batch.create_index("ix_trainees_user_id", ["user_id"], unique=True)
        for column in ("trainer_id", "user_id"):
            batch.create_foreign_key(
                batch.f(f"fk_trainees_{column}_users"),
                "users",
                [column],
                ["id"],
                ondelete="SET NULL",
            )


def downgrade() -> None:
    raise NotImplementedError("hingecoach does not downgrade databases; restore a backup")
