"""Schema migrations with Alembic, run from code (no ``alembic.ini`` needed).

Every command opens the database through :func:`open_database`, which upgrades an older
schema in place (data intact) and refuses, changing nothing, a database whose schema is
newer than this release knows.
"""

from __future__ import annotations

from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy import Connection, Engine

__all__ = [
    "SCHEMA_HEAD",
    "alembic_config",
    "current_revision",
    "head_revision",
    "open_database",
    "upgrade",
]

# The newest migration's id. A test keeps it equal to Alembic's head; knowing it here lets a
# command skip importing Alembic when the database is already current (faster start-up).
SCHEMA_HEAD = "0013"


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option(
        "script_location", str(resources.files("hingecoach.store") / "migrations")
    )
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(connection: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision``; refuse a database made by a newer release."""
    from alembic import command
    from alembic.script import ScriptDirectory

    from hingecoach.errors import NewerSchemaError, StoreError

    script = ScriptDirectory.from_config(alembic_config())
    known = {rev.revision for rev in script.walk_revisions()}
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # SQLite re-creates a table to alter it (batch mode): with foreign keys on,
            # dropping the old copy would cascade. The pragma only works outside a
            # transaction; the keys are checked before the migration commits.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        try:
            with connection.begin():
                current = current_revision(connection)
                if current is not None and current not in known:
                    raise NewerSchemaError(
                        f"the database at {engine.url.render_as_string(hide_password=True)} "
                        f"was made by a newer hingecoach (schema {current}); upgrade "
                        "hingecoach to use it"
                    )
                if current == script.get_current_head() and revision == "head":
                    return
                command.upgrade(alembic_config(connection), revision)
                if sqlite and connection.exec_driver_sql("PRAGMA foreign_key_check").first():
                    raise StoreError("the migration left rows pointing nowhere; nothing changed")
        finally:
            if sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()


def open_database(url: str | None = None) -> Engine:
    """An engine on an up-to-date schema (creating or upgrading it in place)."""
    from sqlalchemy.exc import DatabaseError

    from hingecoach.errors import StoreError
    from hingecoach.store.engine import make_engine

    engine = make_engine(url)
    where = engine.url.render_as_string(hide_password=True)
    try:
        _check_sqlite_file(engine)
        if _stored_revision(engine) != SCHEMA_HEAD:
            upgrade(engine)
    except DatabaseError as exc:  # not a database at all, damaged, or not reachable
        engine.dispose()
        reason = " ".join(str(exc.orig).split())  # one line, whatever the driver says
        hint = (
            "; if it is damaged, restore it from a backup"
            if engine.dialect.name == "sqlite"
            else ""
        )
        raise StoreError(f"cannot open the database at {where}: {reason}{hint}") from None
    except StoreError:
        engine.dispose()
        raise
    return engine


def _check_sqlite_file(engine: Engine) -> None:
    """An existing SQLite file is checked (``PRAGMA quick_check``) before anything reads
    it, so a file damaged mid-way (a crash, a bad disk, a copy cut short) is refused in one
    line instead of lists that quietly come out empty."""
    from hingecoach.errors import StoreError

    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        return
    with engine.connect() as connection:
        problems = [row[0] for row in connection.exec_driver_sql("PRAGMA quick_check(3)")]
    if problems != ["ok"]:
        raise StoreError(
            f"the database at {engine.url.render_as_string(hide_password=True)} is damaged "
            f"(SQLite quick_check: {' '.join(str(problems[0]).split())}); restore it from a backup"
        )


def _stored_revision(engine: Engine) -> str | None:
    """The revision recorded in the database, read without Alembic (None if none)."""
    from sqlalchemy import inspect, text

    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
