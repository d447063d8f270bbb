"""Alembic environment: runs on the connection handed over by hingecoach.store.migrate."""

from __future__ import annotations

from alembic import context

from hingecoach.store.records import Base

config = context.config
connection = config.attributes.get("connection")

if connection is None:  # pragma: no cover - always called from migrate.py
    raise RuntimeError("run migrations through hingecoach.store.migrate, not the alembic CLI")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things: batch mode copies the table
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
