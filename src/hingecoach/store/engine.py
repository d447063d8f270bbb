"""Where the data lives and how to connect (SQLite embedded by default, PostgreSQL to scale).

The database URL comes from, in order: an explicit ``--db URL``, ``HINGECOACH_DATABASE_URL``,
or a SQLite file in the user's data directory. SQLite runs in WAL mode with foreign keys on
and ``synchronous=FULL`` so an acknowledged write survives a crash or power loss.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

__all__ = ["ENV_DATABASE_URL", "database_url", "default_sqlite_path", "make_engine"]

ENV_DATABASE_URL = "HINGECOACH_DATABASE_URL"


def default_sqlite_path() -> Path:
    """``hingecoach.db`` in the platform's user data directory (``~/.local/share/...``)."""
    from platformdirs import user_data_path

    return user_data_path("hingecoach", appauthor=False) / "hingecoach.db"


def database_url(explicit: str | None = None) -> str:
    """The URL to use: ``explicit``, else the environment, else the embedded SQLite file."""
    url = explicit or os.environ.get(ENV_DATABASE_URL, "").strip()
    if not url:
        return f"sqlite:///{default_sqlite_path()}"
    # Plain postgresql:// URLs go through psycopg 3, the driver this project installs.
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def make_engine(url: str | None = None, **kwargs: Any) -> Engine:
    """An engine for ``url`` (see :func:`database_url`), creating the SQLite folder if needed."""
    from hingecoach.errors import StoreError

    resolved = database_url(url)
    try:
        parsed = make_url(resolved)
    except Exception as exc:
        raise StoreError(f"the database URL {resolved!r} is not valid: {exc}") from None
    try:
        if parsed.get_backend_name() != "sqlite":
            return create_engine(parsed, pool_pre_ping=True, **kwargs)
        database = parsed.database
        if database and database != ":memory:":
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, **kwargs)
    except (ArgumentError, OSError) as exc:  # an unknown scheme or driver, a folder not made
        raise StoreError(
            f"the database URL {resolved!r} cannot be used ({exc}); "
            "give sqlite:///PATH or postgresql://USER@HOST/NAME"
        ) from None
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine
