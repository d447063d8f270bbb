"""The *Log* page's save in the group commit (issue 17): page saves that wait together
share one transaction and one commit; each is answered only once it is durable; a save
refused inside the batch (R-PLAN-1 spacing, a bad session) fails alone; a replayed key
stores nothing and is answered, never asked about spacing."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import Future
from typing import Any

import pytest
from sqlalchemy import Engine

from hingecoach.coach import demo_screen_answers
from hingecoach.coach.models import Session
from hingecoach.errors import InputError
from hingecoach.knowledge import Catalogue, load_catalogue
from hingecoach.plan.logsheet import LogSheet, SetEntry, SetStatus
from hingecoach.services.coaching import assess_trainee, log_session, today_for
from hingecoach.services.group_commit import GroupCommit
from hingecoach.services.spacing import SpacingNotConfirmedError
from hingecoach.services.trainees import add_trainee
from hingecoach.services.uow import UnitOfWork
from hingecoach.services.workouts import Saved, save_item, sheet_for
from tests.integration.store.group_commit_kit import PROFILE, TODAY, hold_writer
from tests.integration.store.group_commit_kit import stored as stored_count


@pytest.fixture
def catalogue() -> Catalogue:
    return load_catalogue(None)


def _add(engine: Engine, catalogue: Catalogue, name: str) -> None:
    """A trainee assessed a week ago (so *Log* has today's session)."""
    add_trainee(engine, name, PROFILE)
    assess_trainee(engine, name, demo_screen_answers(), catalogue, TODAY - dt.timedelta(days=7))


def _saved_key(engine: Engine, name: str, key: str) -> bool:
    with UnitOfWork(engine) as uow:
        record = uow.workouts.by_key(uow.trainees.get(name), key)
        return record is not None and record.status == "saved"


def _save(
    engine: Engine,
    catalogue: Catalogue,
    name: str,
    key: str,
    *,
    day: dt.date = TODAY,
    confirmed: bool = False,
) -> Any:
    """The page's save of ``name``'s sheet for ``day``, the primary's work sets done."""
    card = today_for(engine, name, catalogue)
    rx = card.prescription
    assert rx is not None
    sheet: LogSheet = sheet_for(engine, name, rx, catalogue, day)
    entries = {
        s.key: SetEntry(status=SetStatus.DONE, amount=s.reps or s.seconds, rpe=7)
        for part in sheet.parts
        for ex in part.exercises
        if ex.primary
        for s in ex.sets
        if s.kind == "work"
    }
    assert entries, "the sheet has the primary's work sets"
    return save_item(
        name,
        key=key,
        sheet=sheet,
        rx=rx,
        entries=entries,
        notes="",
        catalogue=catalogue,
        today=TODAY,
        confirmed=confirmed,
        how_to_confirm="tick 'I did train'",
    )


def test_page_saves_share_one_commit_each_durable_when_answered_a_bad_one_alone(
    engine: Engine, catalogue: Catalogue
) -> None:
    names = [f"T{i}" for i in range(7)]
    for name in names:
        _add(engine, catalogue, name)
    # T5 trained a hinge session yesterday: an unconfirmed save today is asked about
    yesterday = Session.model_validate(
        {
            "date": TODAY - dt.timedelta(days=1),
            "exercise_id": "dowel-hip-hinge",
            "sets": [{"reps": 10, "rpe": 6, "pain": 0}] * 2,
        }
    )
    log_session(engine, "T5", yesterday, catalogue, TODAY)
    good = names[:5]
    items = {name: _save(engine, catalogue, name, f"page-{name}-0001") for name in good}
    asked = _save(engine, catalogue, "T5", "page-T5-00001")
    # a sheet dated in the future passes the page's checks, then the store refuses it
    future = _save(
        engine, catalogue, "T6", "page-T6-00001", day=TODAY + dt.timedelta(days=3), confirmed=True
    )

    group = GroupCommit(engine, max_batch=64)
    seen_when_answered: dict[str, tuple[int, bool]] = {}
    checked = threading.Semaphore(0)

    def when_answered(name: str) -> Any:
        def check(_future: Future[Saved]) -> None:  # runs as the answer is given
            try:
                seen_when_answered[name] = (
                    stored_count(engine, name),
                    _saved_key(engine, name, f"page-{name}-0001"),
                )
            finally:
                checked.release()

        return check

    release, first = hold_writer(group)
    futures = {}
    for name in good:
        futures[name] = group.submit(items[name])
        futures[name].add_done_callback(when_answered(name))
    refused = group.submit(asked)
    bad = group.submit(future)
    assert not any(f.done() for f in futures.values()), "nothing answered before it is stored"
    release.set()
    first.result(10)

    for name, done in futures.items():
        saved = done.result(10)
        assert saved.first_time and saved.key == f"page-{name}-0001"
        assert saved.done_sets > 0 and saved.today.prescription is not None
    for _ in good:
        assert checked.acquire(timeout=10)
    # a fresh transaction, at the moment each answer was given, saw it stored
    assert seen_when_answered == {name: (1, True) for name in good}
    with pytest.raises(SpacingNotConfirmedError, match="I did train"):
        refused.result(10)
    with pytest.raises(InputError):
        bad.result(10)
    assert stored_count(engine, "T5") == 1, "only yesterday's session"
    assert not _saved_key(engine, "T5", "page-T5-00001")
    assert stored_count(engine, "T6") == 0
    assert group.stats.largest == 7, "the five saves and the two refused: one batch"
    assert group.stats.batches == 2


def test_a_replayed_page_save_in_the_same_batch_stores_once_and_is_never_asked(
    engine: Engine, catalogue: Catalogue
) -> None:
    """A double tap: the same key twice in one batch. The second finds the first (in the
    same transaction), stores nothing and is answered, not refused for spacing; another
    unconfirmed save with a new key is refused, having seen the first."""
    _add(engine, catalogue, "Ana")
    group = GroupCommit(engine)
    once = _save(engine, catalogue, "Ana", "double-tap-01")
    again = _save(engine, catalogue, "Ana", "double-tap-01")
    other = _save(engine, catalogue, "Ana", "second-session-01")
    release, first = hold_writer(group)
    one, two, three = (group.submit(item) for item in (once, again, other))
    release.set()
    first.result(10)
    assert one.result(10).first_time is True
    assert two.result(10).first_time is False
    with pytest.raises(SpacingNotConfirmedError):
        three.result(10)
    assert stored_count(engine, "Ana") == 1
    assert one.result(10).today.decision_id == two.result(10).today.decision_id
