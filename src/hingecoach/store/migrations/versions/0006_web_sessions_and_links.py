"""sessions and links: server-side sign-ins, invitations and password resets

Adds ``web_sessions`` (one row per signed-in browser, keyed by the digest of the cookie's
random id, so signing out ends it), ``trainees.assessment_due`` (a trainer asked for the
assessment again), ``account_links`` (single-use invitation and reset
links, digest only, with an expiry) and ``users.trainer_id`` (the trainer who invited a
trainee whose records the first assessment has not made yet).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "web_sessions",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_web_sessions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_sessions")),
    )
    op.create_index(op.f("ix_web_sessions_user_id"), "web_sessions", ["user_id"])
    op.create_table(
        "account_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("purpose", sa.String(10), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_account_links_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_links")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_account_links_token_hash")),
    )
    op.create_index(op.f("ix_account_links_user_id"), "account_links", ["user_id"])
    with op.batch_alter_table("trainees") as batch:
        batch.add_column(
            sa.Column("assessment_due", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("trainer_id", sa.Integer(), nullable=True))
        batch.create_index(batch.f("ix_users_trainer_id"), ["trainer_id"], unique=False)
        batch.create_foreign_key(
            batch.f("fk_users_trainer_id_users"),
            "users",
            ["trainer_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    raise NotImplementedError("hingecoach does not downgrade databases; restore a backup")
