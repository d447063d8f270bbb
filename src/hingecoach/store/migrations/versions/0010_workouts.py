"""workouts: a whole session as logged, its draft, and its idempotency key

Adds the ``workouts`` table: a trainee's session on the *Log* page (the sheet, the sets
ticked or skipped, the coach's advice within the session), kept as a draft while in
progress and saved once under its idempotency key (unique per trainee), which the API's
session POST also uses.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "workouts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("trainee_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("sheet", _JSON, nullable=True),
        sa.Column("entries", _JSON, nullable=False),
        sa.Column("advice", _JSON, nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["trainee_id"],
            ["trainees.id"],
            name=op.f("fk_workouts_trainee_id_trainees"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.id"],
            name=op.f("fk_workouts_session_id_sessions"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workouts")),
        sa.UniqueConstraint("trainee_id", "key", name="uq_workouts_trainee_key"),
    )
    op.create_index("ix_workouts_trainee_status", "workouts", ["trainee_id", "status", "date"])


def downgrade() -> None:
    raise NotImplementedError("hingecoach does not downgrade databases; restore a backup")
