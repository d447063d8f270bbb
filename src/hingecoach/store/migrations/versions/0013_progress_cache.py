"""progress_cache: a trainee's computed progress, kept across processes

Adds the ``progress_cache`` table: at most one row per trainee, holding their computed
progress as JSON and the fingerprint it was computed at (their revision, the day, the
window, the catalogue and the code). A cache: a row that does not match is computed again
and replaced, and rows go with their trainee.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "progress_cache",
        sa.Column("trainee_id", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["trainee_id"],
            ["trainees.id"],
            name=op.f("fk_progress_cache_trainee_id_trainees"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("trainee_id", name=op.f("pk_progress_cache")),
    )


def downgrade() -> None:
    raise NotImplementedError("hingecoach does not downgrade databases; restore a backup")
