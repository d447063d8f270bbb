"""Models and migrations never drift; old databases upgrade; newer ones are refused."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine, inspect, text

from hingecoach.errors import NewerSchemaError
from hingecoach.store.migrate import SCHEMA_HEAD, alembic_config, head_revision, open_database

FIXTURES = Path(__file__).parent / "fixtures"


def test_models_and_migrations_do_not_drift(engine: Engine) -> None:
    """The equivalent of `alembic check`: autogenerate finds nothing to add."""
    with engine.begin() as conn:
        command.check(alembic_config(conn))


def test_the_known_head_is_alembics_head() -> None:
    assert head_revision() == SCHEMA_HEAD


def test_a_fresh_database_has_every_table(engine: Engine) -> None:
    tables = set(inspect(engine).get_table_names())
    assert {"trainees", "screens", "sessions", "sets", "decisions", "overrides"} <= tables


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    engine = open_database(f"sqlite:///{tmp_path / 'x.db'}")
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
    engine.dispose()


def test_a_database_from_a_newer_release_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "newer.db"
    open_database(f"sqlite:///{path}").dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    before = path.read_bytes()
    with pytest.raises(NewerSchemaError, match="newer hingecoach"):
        open_database(f"sqlite:///{path}")
    assert path.read_bytes() == before


@pytest.mark.parametrize("fixture", sorted(p.name for p in FIXTURES.glob("*.sql")))
def test_an_older_database_upgrades_in_place_with_its_data(tmp_path: Path, fixture: str) -> None:
    """Each fixture is a SQL dump made by an older release, with a trainee and sessions."""
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as conn:
        conn.executescript((FIXTURES / fixture).read_text())
    engine = open_database(f"sqlite:///{path}")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == (
            head_revision()
        )
        names = conn.execute(text("SELECT name FROM trainees")).scalars().all()
        sets = conn.execute(text("SELECT count(*) FROM sets")).scalar()
    assert names and sets
    from hingecoach.services.uow import UnitOfWork

    with UnitOfWork(engine) as uow:
        trainee = uow.trainees.get(names[0])
        uow.trainees.profile(trainee)
        sessions = uow.sessions.sessions(trainee)
    assert sessions
    # 0002 turned the JSON lists of fault ids into text: the ids survive the conversion.
    assert any(s.faults == ("rushed-tempo",) for session in sessions for s in session.sets)
    engine.dispose()


def test_0005_moves_a_single_note_into_the_first_dated_entry(tmp_path: Path) -> None:
    """Before 0005 a client's notes were one text: it becomes their first dated note (the
    time the trainee was last changed; the author was never recorded)."""
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as conn:
        conn.executescript((FIXTURES / "schema_0004_trainer_notes.sql").read_text())
        [(updated,)] = conn.execute("SELECT updated_at FROM trainees WHERE name = 'Robin'")
    engine = open_database(f"sqlite:///{path}")
    from hingecoach.services.trainees import add_note, get_trainee, list_notes

    [note] = list_notes(engine, "Robin")
    assert note.text == "Left knee niggle in 2024; keep the stance wide."
    assert note.author == "Earlier notes" and note.author_id is None
    assert note.written_at.replace(tzinfo=None).isoformat(" ") == updated  # UTC, as stored
    assert list_notes(engine, "Kai") == [], "an empty note field makes no entry"
    columns = {c["name"] for c in inspect(engine).get_columns("trainees")}
    assert "notes" not in columns
    assert get_trainee(engine, "Robin").sessions > 0, "the sessions survive the table copy"
    add_note(engine, "Robin", "Hinge looks better now.", author_id=1, author_name="Sam Rivera")
    assert [n.text for n in list_notes(engine, "Robin")] == [
        "Hinge looks better now.",
        "Left knee niggle in 2024; keep the stance wide.",
    ]
    engine.dispose()
