"""Group commit of logged sessions (issue 17): logs that wait together share one
transaction; one that fails rolls back alone; each is answered only once it is stored."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine

from hingecoach.coach.models import Session
from hingecoach.errors import InputError
from hingecoach.knowledge import Catalogue, load_catalogue
from hingecoach.services.group_commit import GroupCommit
from hingecoach.services.spacing import SpacingNotConfirmedError
from hingecoach.services.trainees import add_trainee
from hingecoach.services.uow import UnitOfWork
from hingecoach.services.workouts import log_item
from tests.integration.store.group_commit_kit import PROFILE, TODAY, hold_writer
from tests.integration.store.group_commit_kit import stored as stored_count


@pytest.fixture
def catalogue() -> Catalogue:
    return load_catalogue(None)


def _session(day: dt.date, exercise: str = "dowel-hip-hinge") -> Session:
    return Session.model_validate(
        {"date": day, "exercise_id": exercise, "sets": [{"reps": 10, "rpe": 6, "pain": 0}] * 2}
    )


def test_waiting_logs_share_one_commit_and_a_bad_one_fails_alone(
    engine: Engine, catalogue: Catalogue
) -> None:
    names = [f"T{i}" for i in range(6)]
    for name in names:
        add_trainee(engine, name, PROFILE)
    group = GroupCommit(engine, max_batch=64)
    release, first = hold_writer(group)
    futures = {
        name: group.submit(
            log_item(
                name,
                _session(TODAY - dt.timedelta(days=1)),
                catalogue,
                TODAY,
                key=None,
                confirmed=False,
                how_to_confirm="confirm it",
            )
        )
        for name in names[:5]
    }
    # a session in the future is refused (InputError): it must not take the others down
    bad = group.submit(
        log_item(
            names[5],
            _session(TODAY + dt.timedelta(days=3)),
            catalogue,
            TODAY,
            key=None,
            confirmed=True,
            how_to_confirm="",
        )
    )
    assert not any(f.done() for f in futures.values())  # nothing answered before it is stored
    release.set()
    first.result(10)
    for name, future in futures.items():
        today, stored = future.result(10)
        assert stored and today.prescription is not None
        assert stored_count(engine, name) == 1  # durable: a fresh transaction sees it
    with pytest.raises(InputError):
        bad.result(10)
    assert stored_count(engine, names[5]) == 0
    assert group.stats.largest == 6  # the five logs and the refused one: one batch
    assert group.stats.batches == 2


def test_two_unconfirmed_hinge_logs_at_once_ask_about_spacing_once(
    engine: Engine, catalogue: Catalogue
) -> None:
    """R-PLAN-1 is checked inside the batch: the second of two logs sent together sees
    the first, so it is refused with the spacing question (409 in the API)."""
    add_trainee(engine, "Ana", PROFILE)
    group = GroupCommit(engine)
    release, first = hold_writer(group)
    one, two = (
        group.submit(
            log_item(
                "Ana",
                _session(TODAY),
                catalogue,
                TODAY,
                key=None,
                confirmed=False,
                how_to_confirm="confirm it",
            )
        )
        for _ in range(2)
    )
    release.set()
    first.result(10)
    assert one.result(10)[1] is True
    with pytest.raises(SpacingNotConfirmedError, match="confirm it"):
        two.result(10)
    assert stored_count(engine, "Ana") == 1


def test_the_same_key_twice_in_one_batch_stores_one_session(
    engine: Engine, catalogue: Catalogue
) -> None:
    add_trainee(engine, "Ana", PROFILE)
    group = GroupCommit(engine)
    release, first = hold_writer(group)
    futures = [
        group.submit(
            log_item(
                "Ana",
                _session(TODAY),
                catalogue,
                TODAY,
                key="retry-key-0001",
                confirmed=True,
                how_to_confirm="",
            )
        )
        for _ in range(3)
    ]
    release.set()
    first.result(10)
    stored = [f.result(10)[1] for f in futures]
    assert stored == [True, False, False]
    assert stored_count(engine, "Ana") == 1
    # the replays answer with the same card as the first
    cards = {f.result(10)[0].decision_id for f in futures}
    assert len(cards) == 1


def test_a_failed_commit_fails_every_log_of_the_batch(engine: Engine, catalogue: Catalogue) -> None:
    """Nothing is answered as stored unless the commit succeeded."""
    add_trainee(engine, "Ana", PROFILE)
    group = GroupCommit(engine)
    release, first = hold_writer(group)
    ok = group.submit(
        log_item(
            "Ana", _session(TODAY), catalogue, TODAY, key=None, confirmed=True, how_to_confirm=""
        )
    )

    def breaks_the_commit(uow: UnitOfWork) -> None:
        from sqlalchemy import event

        def fail(*_args: object) -> None:
            if not uow.db.in_nested_transaction():  # the batch's commit, not the savepoint's
                raise OSError("disk full")

        event.listen(uow.db, "before_commit", fail)

    doomed = group.submit(breaks_the_commit)
    release.set()
    first.result(10)
    with pytest.raises(OSError, match="disk full"):
        ok.result(10)
    with pytest.raises(OSError):
        doomed.result(10)
    assert stored_count(engine, "Ana") == 0
