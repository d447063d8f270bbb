"""notes: a trainer's notes on a client become dated entries (who, when, what)

Adds the ``notes`` table (the client, the author's account and name, when, the text) and
moves each trainee's single ``notes`` text, when there is one, into their first entry
(dated when the trainee's record last changed; the author is not known), then drops the
``trainees.notes`` column.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

EARLIER_AUTHOR = "Earlier notes"  # the single notes field did not record who wrote it


def upgrade() -> None:
    op.create_table(
        "notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("trainee_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("author_name", sa.String(80), nullable=False),
        sa.Column("written_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["trainee_id"],
            ["trainees.id"],
            name=op.f("fk_notes_trainee_id_trainees"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["users.id"],
            name=op.f("fk_notes_author_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notes")),
    )
    op.create_index("ix_notes_trainee_written", "notes", ["trainee_id", "written_at"])
    bind = op.get_bind()
    trainees = sa.table(
        "trainees",
        sa.column("id", sa.Integer),
        sa.column("notes", sa.Text),
        sa.column("updated_at", sa.DateTime(timezone=True)),
    )
    notes = sa.table(
        "notes",
        sa.column("trainee_id", sa.Integer),
        sa.column("author_id", sa.Integer),
        sa.column("author_name", sa.String),
        sa.column("written_at", sa.DateTime(timezone=True)),
        sa.column("text", sa.Text),
    )
    rows = bind.execute(
        sa.select(trainees.c.id, trainees.c.notes, trainees.c.updated_at).order_by(trainees.c.id)
    ).all()
    moved = [
        {
            "trainee_id": row.id,
            "author_id": None,
            "author_name": EARLIER_AUTHOR,
            "written_at": row.updated_at,
            "text": row.notes.strip(),
        }
        for row in rows
        if row.notes and row.notes.strip()
    ]
    if moved:
        bind.execute(notes.insert(), moved)
    # On SQLite batch mode re-creates ``trainees`` (foreign keys are off meanwhile, see
    # migrate.upgrade, so the copy does not cascade).
    with op.batch_alter_table("trainees") as batch:
        batch.drop_column("notes")


def downgrade() -> None:
    raise NotImplementedError("hingecoach does not downgrade databases; restore a backup")
