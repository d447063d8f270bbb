"""A trainee's private calendar feed: a subscription URL that follows re-planning.

The URL holds a random secret token; only its SHA-256 digest is stored
(:class:`~hingecoach.store.records.CalendarFeedRecord`), so the URL is shown once, when it
is made. Making a new one stops the old one; revoking stops it. Each fetch builds the plan
from the records as they are that day (:func:`hingecoach.services.plans.plan_for`) and
renders it with the same builder as the one-off download (R-PLAN-5,
:func:`hingecoach.render.plan_ics`), at the trainee's training time in their time zone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, delete, select

from hingecoach.coach import Profile
from hingecoach.errors import InputError
from hingecoach.knowledge import Catalogue
from hingecoach.plan.defaults import SESSION_TIME
from hingecoach.render import plan_ics
from hingecoach.services import trainees
from hingecoach.services.plans import plan_for
from hingecoach.services.uow import UnitOfWork
from hingecoach.store.records import CalendarFeedRecord, TraineeRecord

__all__ = [
    "FEED_PATH",
    "TOKEN_PREFIX",
    "CalendarSettings",
    "FeedStatus",
    "calendar_settings",
    "feed_calendar",
    "feed_path",
    "feed_status",
    "issue_feed",
    "revoke_feed",
    "set_calendar_settings",
    "trainee_for_token",
]

TOKEN_PREFIX = "hcal_"
FEED_PATH = "/calendar/{token}.ics"  # the route in hingecoach.web.calendar_feed
_TOKEN_MAX = 100  # longer than any token made here: refused before hashing


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def feed_path(token: str) -> str:
    return FEED_PATH.format(token=token)


@dataclass(frozen=True)
class FeedStatus:
    """Whether the trainee has a live feed, and since when (the URL itself is not kept)."""

    active: bool
    issued_at: dt.datetime | None


@dataclass(frozen=True)
class CalendarSettings:
    """When the calendar puts sessions: a start time and an IANA time zone (None: the
    calendar app's own local time)."""

    time_zone: str | None
    training_time: dt.time | None

    @property
    def at(self) -> dt.time:
        return self.training_time or SESSION_TIME

    @classmethod
    def of(cls, profile: Profile) -> CalendarSettings:
        return cls(time_zone=profile.time_zone, training_time=profile.training_time)


def _trainee_id(uow: UnitOfWork, name: str) -> int:
    return uow.trainees.get(name).id


def issue_feed(engine: Engine, name: str, now: dt.datetime) -> str:
    """A new secret token for the trainee's feed (the old URL stops working). Shown once."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with UnitOfWork(engine, write=True) as uow:
        trainee_id = _trainee_id(uow, name)
        record = uow.db.scalar(
            select(CalendarFeedRecord).where(CalendarFeedRecord.trainee_id == trainee_id)
        )
        if record is None:
            record = CalendarFeedRecord(trainee_id=trainee_id, token_hash=_digest(token))
            uow.db.add(record)
        record.token_hash = _digest(token)
        record.created_at = now
        uow.commit()
    return token


def revoke_feed(engine: Engine, name: str) -> bool:
    """Stop the trainee's feed; False when there was none."""
    with UnitOfWork(engine, write=True) as uow:
        trainee_id = _trainee_id(uow, name)
        result: Any = uow.db.execute(
            delete(CalendarFeedRecord).where(CalendarFeedRecord.trainee_id == trainee_id)
        )
        uow.commit()
    return bool(result.rowcount)


def feed_status(engine: Engine, name: str) -> FeedStatus:
    with UnitOfWork(engine) as uow:
        trainee_id = _trainee_id(uow, name)
        issued = uow.db.scalar(
            select(CalendarFeedRecord.created_at).where(CalendarFeedRecord.trainee_id == trainee_id)
        )
    if issued is not None and issued.tzinfo is None:
        issued = issued.replace(tzinfo=dt.UTC)  # SQLite keeps no zone
    return FeedStatus(active=issued is not None, issued_at=issued)


def trainee_for_token(engine: Engine, token: str) -> str | None:
    """The trainee whose live feed this token opens; None for any other token."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > _TOKEN_MAX:
        return None
    with engine.connect() as conn:
        name: str | None = conn.execute(
            select(TraineeRecord.name)
            .join(CalendarFeedRecord, CalendarFeedRecord.trainee_id == TraineeRecord.id)
            .where(CalendarFeedRecord.token_hash == _digest(token))
        ).scalar()
    return name


def calendar_settings(engine: Engine, name: str) -> CalendarSettings:
    return CalendarSettings.of(trainees.get_trainee(engine, name).profile)


def set_calendar_settings(
    engine: Engine, name: str, *, time_zone: str | None, training_time: dt.time | str | None
) -> CalendarSettings:
    """Save the trainee's time zone and training time (in their profile)."""
    if isinstance(training_time, str):
        text = training_time.strip()
        try:
            training_time = dt.time.fromisoformat(text) if text else None
        except ValueError:
            raise InputError(
                f"the training time is hours and minutes such as 07:30, not {text!r}"
            ) from None
    zone = (time_zone or "").strip() or None
    summary = trainees.edit_trainee(
        engine,
        name,
        changes={
            "time_zone": zone,
            "training_time": training_time.isoformat("minutes") if training_time else None,
        },
    )
    return CalendarSettings.of(summary.profile)


def feed_calendar(
    engine: Engine,
    name: str,
    catalogue: Catalogue,
    *,
    today: dt.date,
    weeks: int,
    refresh: dt.timedelta | None = None,
) -> bytes:
    """The trainee's plan as a calendar, built now: ``weeks`` weeks from this week's Monday,
    past days marked from the history, at their training time in their time zone (the
    feed's and the one-off download's alike; a feed also says how often to refresh)."""
    with UnitOfWork(engine) as uow:
        settings = CalendarSettings.of(uow.trainees.profile(uow.trainees.get(name)))
    monday = today - dt.timedelta(days=today.weekday())
    plan = plan_for(engine, name, catalogue, weeks=weeks, as_of=today, start=monday)
    return plan_ics(plan, at=settings.at, time_zone=settings.time_zone, refresh=refresh)
