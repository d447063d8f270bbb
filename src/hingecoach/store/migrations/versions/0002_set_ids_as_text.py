"""sets: fault ids and pain qualities as ';'-separated text instead of JSON

Reading a long history decoded two JSON documents per set; plain text is several times
faster. Existing rows are converted in place.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = json.loads(value) if value.strip() else []
    return [str(v) for v in value]


def upgrade() -> None:
    with op.batch_alter_table("sets") as batch:
        batch.add_column(
            sa.Column("faults_text", sa.String(400), nullable=False, server_default="")
        )
        batch.add_column(
            sa.Column("pain_quality_text", sa.String(200), nullable=False, server_default="")
        )
    bind = op.get_bind()
    old = sa.table(
        "sets",
        sa.column("id", sa.Integer),
        sa.column("faults", sa.JSON),
        sa.column("pain_quality", sa.JSON),
        sa.column("faults_text", sa.String),
        sa.column("pain_quality_text", sa.String),
    )
    rows = bind.execute(sa.select(old.c.id, old.c.faults, old.c.pain_quality)).all()
    for row in rows:
        faults = ";".join(_as_list(row.faults))
        quality = ";".join(_as_list(row.pain_quality))
        if faults or quality:
            bind.execute(
                old.update()
                .where(old.c.id == row.id)
                .values(faults_text=faults, pain_quality_text=quality)
            )
    with op.batch_alter_table("sets") as batch:
        batch.drop_column("faults")
        batch.drop_column("pain_quality")
        batch.alter_column("faults_text", new_column_name="faults", server_default=None)
        batch.alter_column("pain_quality_text", new_column_name="pain_quality", server_default=None)


def downgrade() -> None:
    raise NotImplementedError("hingecoach does not downgrade databases; restore a backup")
