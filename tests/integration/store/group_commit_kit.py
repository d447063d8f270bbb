"""What the group commit tests share: a trainee's profile, a fresh count of their stored
sessions, and a writer held busy so that what is submitted meanwhile goes as one batch."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import Future

from sqlalchemy import Engine, func, select

from hingecoach.coach.models import Profile
from hingecoach.services.group_commit import GroupCommit
from hingecoach.services.uow import UnitOfWork
from hingecoach.store.records import SessionRecord

TODAY = dt.date(2026, 10, 20)
PROFILE = Profile.model_validate(
    {
        "age": 40,
        "goal": "strength",
        "training_history": "novice",
        "body_mass_kg": 70,
        "equipment": {"kettlebells_kg": [8, 12, 16]},
    }
)


def stored(engine: Engine, name: str) -> int:
    """Sessions a fresh transaction sees for ``name``."""
    with UnitOfWork(engine) as uow:
        trainee = uow.trainees.get(name)
        count = uow.db.scalar(
            select(func.count())
            .select_from(SessionRecord)
            .where(SessionRecord.trainee_id == trainee.id)
        )
        return int(count or 0)


def hold_writer(group: GroupCommit) -> tuple[threading.Event, Future[None]]:
    """Keep the writer busy until the event is set, so what is submitted meanwhile waits
    and goes as one batch."""
    release, started = threading.Event(), threading.Event()

    def hold(_uow: UnitOfWork) -> None:
        started.set()
        release.wait(10)

    first = group.submit(hold)
    assert started.wait(10)
    return release, first
