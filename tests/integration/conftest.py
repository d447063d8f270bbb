"""Database fixtures: SQLite always; PostgreSQL when HINGECOACH_TEST_POSTGRES_URL answers.

In CI (``HINGECOACH_REQUIRE_POSTGRES=1``) an unreachable PostgreSQL fails the run instead of
skipping, so the PostgreSQL path is never silently untested there.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

ENV_PG = "HINGECOACH_TEST_POSTGRES_URL"


def _pg_admin_url() -> str | None:
    url = os.environ.get(ENV_PG, "").strip()
    if not url:
        return None
    return "postgresql+psycopg://" + url.split("://", 1)[1]


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A fresh PostgreSQL database for this test run; its URL."""
    admin_url = _pg_admin_url()
    required = os.environ.get("HINGECOACH_REQUIRE_POSTGRES") == "1"
    if admin_url is None:
        if required:
            pytest.fail(f"{ENV_PG} is not set but PostgreSQL is required here")
        pytest.skip(f"PostgreSQL tests skipped: set {ENV_PG} to a server to run them")
    try:
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            name = f"hingecoach_test_{uuid.uuid4().hex[:10]}"
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        if required:
            pytest.fail(f"PostgreSQL at {admin_url} is required here but failed: {exc}")
        pytest.skip(f"PostgreSQL tests skipped: no server answers at {admin_url} ({exc})")
    url = admin_url.rsplit("/", 1)[0] + f"/{name}"
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _reset_postgres(url: str) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A URL to an empty database: a SQLite file, or a wiped PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'hingecoach.db'}"
    url: str = request.getfixturevalue("postgres_server")
    _reset_postgres(url)
    return url


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    from hingecoach.store.migrate import open_database

    eng = open_database(db_url)
    yield eng
    from hingecoach.services.progress import wait_for_stores

    wait_for_stores()  # a progress row still being kept must not reopen the pool after this
    eng.dispose()
