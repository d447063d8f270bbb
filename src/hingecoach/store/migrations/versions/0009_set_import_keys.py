"""sets.import_key: where an imported set came from, so a second import adds nothing

A set imported from another app (Strong, Hevy, FitNotes) keeps a key made of its source,
the workout's time, the exercise as the app named it and its place there. Sets logged in
hingecoach have none.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sets") as batch:
        batch.add_column(sa.Column("import_key", sa.String(200), nullable=True))
        batch.create_index("ix_sets_import_key", ["import_key"])


def downgrade() -> None:
    with op.batch_alter_table("sets") as batch:
        batch.drop_index("ix_sets_import_key")
        batch.drop_column("import_key")
