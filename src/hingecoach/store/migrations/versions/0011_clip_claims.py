"""clip claims: a worker's lease on the clip it analyses, for workers of their own

Adds to ``clips`` what lets several worker processes (``hingecoach worker``) share the
queue safely: who claimed the clip (``claimed_by``), until when the claim holds unless
renewed (``lease_until``, renewed while the analysis runs), how many times it was
started (``attempts``), and when the latest attempt started (``started_at``, with
``finished_at`` the measured analysis time behind the clip page's expected wait). An
index on (status, id) finds the queue's clips and the stale claims.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("clips", sa.Column("started_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("clips", sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True))
    op.add_column("clips", sa.Column("claimed_by", sa.String(80), nullable=True))
    op.add_column("clips", sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"))
    op.create_index("ix_clips_status_id", "clips", ["status", "id"])


def downgrade() -> None:
    raise NotImplementedError("hingecoach does not downgrade databases; restore a backup")
