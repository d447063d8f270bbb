"""calendar_feeds: a trainee's private calendar subscription (the digest of its token)

Adds the ``calendar_feeds`` table: one row per trainee who has a subscription URL, holding
the SHA-256 of the URL's secret token (never the token). Revoking deletes the row. The
trainee's time zone and training time live in their profile (a JSON document), so they
need no column.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "calendar_feeds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("trainee_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["trainee_id"],
            ["trainees.id"],
            name=op.f("fk_calendar_feeds_trainee_id_trainees"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_feeds")),
        sa.UniqueConstraint("trainee_id", name=op.f("uq_calendar_feeds_trainee_id")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_calendar_feeds_token_hash")),
    )


def downgrade() -> None:
    raise NotImplementedError("hingecoach does not downgrade databases; restore a backup")
