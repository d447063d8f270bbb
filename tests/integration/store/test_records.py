"""Trainees and sessions kept safely: round trips, all-or-nothing writes, exact export."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import Engine, func, select

from hingecoach.coach.models import Profile, Session
from hingecoach.errors import ConflictError, InputError, UnknownIdError
from hingecoach.services.trainees import add_trainee, edit_trainee, get_trainee, list_trainees
from hingecoach.services.transfer import (
    export_csv,
    export_document,
    import_document,
    parse_document,
)
from hingecoach.services.uow import UnitOfWork
from hingecoach.store.records import SessionRecord, SetRecord, TraineeRecord

PROFILE = Profile.model_validate(
    {
        "age": 52,
        "goal": "pain-free",
        "training_history": "novice",
        "body_mass_kg": 70,
        "equipment": {"kettlebells_kg": [12, 8, 16]},
        "days_available": ["monday", "thursday"],
    }
)


def _session(day: int, exercise: str = "dowel-hip-hinge", **extra: object) -> Session:
    return Session.model_validate(
        {
            "date": dt.date(2026, 10, day),
            "exercise_id": exercise,
            "sets": [
                {"reps": 10, "rpe": 6.5, "pain": 1},
                {"reps": 10, "rir": 3, "pain": 1},
                {"reps": 8, "form": "minor", "faults": ["rushed-tempo"], "pain": 2},
                {"seconds": 60, "work_set": False},
            ],
            "next_morning_pain": 1,
            "notes": "felt the hamstrings",
            **extra,
        }
    )


def test_a_session_round_trips_exactly(engine: Engine) -> None:
    """R-TRACK-1: every field of every set comes back as it was logged."""
    session = _session(5, fatigue_flag=True)
    with UnitOfWork(engine) as uow:
        trainee = uow.trainees.add("Ana", PROFILE)
        uow.sessions.add(trainee, session)
        uow.commit()
    with UnitOfWork(engine) as uow:
        [back] = uow.sessions.sessions(uow.trainees.get("Ana"))
    assert back == session


def test_trainees_add_list_show_edit(engine: Engine) -> None:
    add_trainee(engine, "Ana", PROFILE)
    add_trainee(engine, "Bo", PROFILE.model_copy(update={"age": 30}))
    assert [t.name for t in list_trainees(engine)] == ["Ana", "Bo"]
    edited = edit_trainee(engine, "Ana", changes={"equipment.kettlebells_kg": [8, 12, 16, 20]})
    assert edited.profile.equipment.kettlebells_kg == [8, 12, 16, 20]
    assert get_trainee(engine, "Ana").profile.age == 52
    with pytest.raises(ConflictError):
        add_trainee(engine, "Ana", PROFILE)
    with pytest.raises(UnknownIdError, match="did you mean 'Ana'"):
        get_trainee(engine, "Anna")


def test_a_bad_edit_changes_nothing(engine: Engine) -> None:
    add_trainee(engine, "Ana", PROFILE)
    with pytest.raises(InputError, match="body_mass_kg"):
        edit_trainee(engine, "Ana", changes={"body_mass_kg": -1}, note="new notes")
    after = get_trainee(engine, "Ana")
    assert after.profile == PROFILE and after.notes == []


def test_a_failure_mid_write_leaves_the_database_as_it_was(engine: Engine) -> None:
    """One transaction per use case: an error after some rows were flushed rolls them back."""
    add_trainee(engine, "Ana", PROFILE)
    with pytest.raises(RuntimeError), UnitOfWork(engine) as uow:
        trainee = uow.trainees.get("Ana")
        uow.sessions.add(trainee, _session(6))
        uow.sessions.add(trainee, _session(7))
        raise RuntimeError("the disk is full")
    with UnitOfWork(engine) as uow:
        assert uow.db.scalar(select(func.count()).select_from(SessionRecord)) == 0
        assert uow.db.scalar(select(func.count()).select_from(SetRecord)) == 0


def test_deleting_a_trainee_takes_their_sessions_and_sets(engine: Engine) -> None:
    with UnitOfWork(engine) as uow:
        trainee = uow.trainees.add("Ana", PROFILE)
        uow.sessions.add(trainee, _session(5))
        uow.commit()
    with UnitOfWork(engine) as uow:
        uow.db.delete(uow.trainees.get("Ana"))
        uow.commit()
    with UnitOfWork(engine) as uow:
        assert uow.db.scalar(select(func.count()).select_from(SetRecord)) == 0
        assert uow.db.scalar(select(func.count()).select_from(TraineeRecord)) == 0


def _fill(engine: Engine) -> None:
    with UnitOfWork(engine) as uow:
        for name in ("Ana", "Bo"):
            trainee = uow.trainees.add(name, PROFILE)
            uow.notes.add(trainee, f"{name}'s notes", author_id=None, author_name="Sam")
            for day in (1, 4, 8):
                uow.sessions.add(trainee, _session(day))
        uow.commit()


def test_export_then_import_round_trips_exactly(engine: Engine, tmp_path: object) -> None:
    _fill(engine)
    with UnitOfWork(engine) as uow:
        first = export_document(uow)
    text = first.model_dump_json()
    with UnitOfWork(engine) as uow:  # wipe, then import the file back
        for t in uow.trainees.list():
            uow.db.delete(t)
        uow.commit()
    document = parse_document(json.loads(text), "export.json")
    with UnitOfWork(engine) as uow:
        import_document(
            uow, document, today=dt.date(2026, 11, 1), known_exercises={"dowel-hip-hinge"}
        )
        uow.commit()
    with UnitOfWork(engine) as uow:
        second = export_document(uow)
    assert second == first
    assert [n.text for n in second.trainees[0].notes] == ["Ana's notes"]  # type: ignore[union-attr]
    assert export_csv(second).count("\n") == 1 + 2 * 3 * 4  # header + a row per set


def test_an_export_from_before_dated_notes_imports_its_notes_as_one_note(engine: Engine) -> None:
    _fill(engine)
    with UnitOfWork(engine) as uow:
        data = json.loads(export_document(uow).model_dump_json())
    old = data["trainees"][0]
    old |= {"name": "Robin", "notes": "Left knee niggle; keep the stance wide."}
    data["trainees"] = [old]
    with UnitOfWork(engine) as uow:
        import_document(
            uow,
            parse_document(data, "old-export.json"),
            today=dt.date(2026, 11, 1),
            known_exercises={"dowel-hip-hinge"},
        )
        uow.commit()
    [note] = get_trainee(engine, "Robin").notes
    assert note.text == "Left knee niggle; keep the stance wide." and note.author == "imported"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["trainees"][1]["sessions"][2]["sets"][0].update(reps=-2), "reps"),
        (lambda d: d["trainees"][1]["sessions"][2].update(date="2027-01-01"), "in the future"),
        (lambda d: d["trainees"][1]["sessions"][0].update(exercise_id="hover-hinge"), "unknown"),
        (lambda d: d.update(format="something-else"), "not a hingecoach export"),
        (lambda d: d["trainees"][1].update(name="new-Ana"), "appears twice"),
    ],
    ids=["negative reps", "future date", "unknown exercise", "not an export", "duplicate"],
)
def test_a_bad_import_file_writes_nothing(engine: Engine, change: object, message: str) -> None:
    _fill(engine)
    with UnitOfWork(engine) as uow:
        data = json.loads(export_document(uow).model_dump_json())
    data["trainees"] = [dict(t, name=f"new-{t['name']}") for t in data["trainees"]]
    change(data)  # type: ignore[operator]
    with pytest.raises(InputError, match=message), UnitOfWork(engine) as uow:
        document = parse_document(data, "import.json")
        import_document(
            uow, document, today=dt.date(2026, 11, 1), known_exercises={"dowel-hip-hinge"}
        )
        uow.commit()
    with UnitOfWork(engine) as uow:
        assert [t.name for t in uow.trainees.list()] == ["Ana", "Bo"]
