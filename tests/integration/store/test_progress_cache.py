"""Progress kept across processes (issue 17) is exactly what computing it gives.

On a generated two-year history, the value a freshly started process reads from
``progress_cache`` equals the value computed from every set, and stays equal after a
session is logged, a set is edited and a session is deleted (each change must make the
stored row miss, never show the old numbers).
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, func, select

from hingecoach.coach import demo_history, demo_profile, demo_screen_answers
from hingecoach.coach.tracking import Progress
from hingecoach.knowledge import Catalogue, load_catalogue
from hingecoach.services import progress as progress_service
from hingecoach.services.coaching import assess_trainee, list_sessions, log_session
from hingecoach.services.corrections import Author, delete_session, edit_set
from hingecoach.services.progress import cached_progress, progress_for, wait_for_stores
from hingecoach.services.trainees import add_trainee, delete_trainee
from hingecoach.services.uow import UnitOfWork
from hingecoach.store.records import ProgressCacheRecord, SessionRecord

NAME = "Lena"
TODAY = dt.date.today()


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue(None)


def _seed(engine: Engine, catalogue: Catalogue) -> None:
    history = demo_history(weeks=104, seed=21)
    shift = (TODAY - dt.timedelta(days=8)) - history.sessions[-1].date
    add_trainee(engine, NAME, demo_profile().model_copy(update={"name": NAME}))
    assess_trainee(engine, NAME, demo_screen_answers(), catalogue, history.sessions[0].date + shift)
    with UnitOfWork(engine) as uow:
        trainee = uow.trainees.get(NAME)
        for s in history.sessions:
            uow.sessions.add(trainee, s.model_copy(update={"date": s.date + shift}))
        uow.commit()


def _fresh_process_reads(engine: Engine, catalogue: Catalogue, mp: pytest.MonkeyPatch) -> Progress:
    """What a process that computes nothing gets: the stored row, or a failure."""

    def no_computing(*_: object, **__: object) -> Progress:
        raise AssertionError("computed although a matching row was stored")

    with mp.context() as m:
        m.setattr(progress_service, "progress_for", no_computing)
        return cached_progress(engine, NAME, catalogue, as_of=TODAY)


def _check(engine: Engine, catalogue: Catalogue, mp: pytest.MonkeyPatch) -> Progress:
    exact = progress_for(engine, NAME, catalogue, as_of=TODAY)
    first = cached_progress(engine, NAME, catalogue, as_of=TODAY)  # computes, stores
    wait_for_stores()
    again = _fresh_process_reads(engine, catalogue, mp)
    for got in (first, again):
        assert got == exact
        assert got.model_dump_json() == exact.model_dump_json()  # types too, not only values
    return exact


def test_stored_progress_equals_the_computed_through_a_log_an_edit_and_a_delete(
    engine: Engine, catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    _seed(engine, catalogue)
    before = _check(engine, catalogue, monkeypatch)
    assert len(before.e1rm) > 0 and len(before.volume) >= 100  # two years of weeks

    # A hinge session logged today (through the coach, as the log page does).
    hinge = next(
        s
        for s in reversed(list_sessions(engine, NAME))
        if catalogue.exercises[s.exercise_id].is_hinge
    )
    log_session(engine, NAME, hinge.model_copy(update={"date": TODAY}), catalogue, TODAY)
    logged = _check(engine, catalogue, monkeypatch)
    assert logged != before

    # Its top set edited: more reps, as a correction does (its version goes up).
    with UnitOfWork(engine) as uow:
        newest = uow.db.execute(select(func.max(SessionRecord.id))).scalar_one()
    top = max(range(len(hinge.sets)), key=lambda i: hinge.sets[i].load_kg or 0)
    who = Author(name="Lena")
    edit_set(
        engine,
        NAME,
        newest,
        top + 1,
        {"reps": (hinge.sets[top].reps or 0) + 3},
        author=who,
        catalogue=catalogue,
        today=TODAY,
    )
    edited = _check(engine, catalogue, monkeypatch)
    assert edited != logged

    # The session deleted: back to the numbers before it was logged.
    delete_session(engine, NAME, newest, author=who, catalogue=catalogue, today=TODAY)
    deleted = _check(engine, catalogue, monkeypatch)
    assert deleted.e1rm == before.e1rm and deleted.volume == before.volume

    # A row per trainee, replaced each time; it goes with the trainee.
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(ProgressCacheRecord)).scalar() == 1
    wait_for_stores()
    delete_trainee(engine, NAME, None)
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(ProgressCacheRecord)).scalar() == 0


def test_another_day_or_an_edited_catalogue_is_computed_again(
    engine: Engine, catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    _seed(engine, catalogue)
    cached_progress(engine, NAME, catalogue, as_of=TODAY)
    wait_for_stores()
    tomorrow = TODAY + dt.timedelta(days=1)
    assert cached_progress(engine, NAME, catalogue, as_of=tomorrow) == progress_for(
        engine, NAME, catalogue, as_of=tomorrow
    )
    exercises = dict(catalogue.exercises)
    hinge_id = next(i for i, e in exercises.items() if e.is_hinge)
    exercises[hinge_id] = exercises[hinge_id].model_copy(update={"name": "Renamed hinge"})
    other = catalogue.model_copy(update={"exercises": exercises})
    assert cached_progress(engine, NAME, other, as_of=tomorrow) == progress_for(
        engine, NAME, other, as_of=tomorrow
    )
