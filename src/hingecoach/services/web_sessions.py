"""Server-side sign-ins: the cookie holds a random session id, the database its digest.

Signing out deletes the row, so a copy of the old cookie opens nothing; "sign out
everywhere" deletes every row of the account. A session ends by itself when unused for
the idle lifetime, or at the absolute lifetime whatever its use. ``last_seen_at`` is
written at most once a minute per session, so reading pages does not turn into writes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Engine, delete, insert, update

from hingecoach.services.accounts import Account, account_from_row, account_select
from hingecoach.store.records import WebSessionRecord

__all__ = [
    "Lifetimes",
    "account_for_session",
    "end_all_sessions",
    "end_session",
    "start_session",
]

_TOUCH_EVERY = dt.timedelta(minutes=1)


@dataclass(frozen=True)
class Lifetimes:
    idle: dt.timedelta
    absolute: dt.timedelta

    @classmethod
    def hours(cls, idle: float, absolute: float) -> Lifetimes:
        return cls(dt.timedelta(hours=idle), dt.timedelta(hours=absolute))


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("utf-8")).hexdigest()


def _utc(value: dt.datetime) -> dt.datetime:
    """Stored in UTC; SQLite gives it back without the zone."""
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def start_session(engine: Engine, user_id: int, now: dt.datetime) -> str:
    """A new session for the account; the id returned goes in the cookie only."""
    session_id = secrets.token_urlsafe(32)
    with engine.begin() as conn:
        conn.execute(
            insert(WebSessionRecord).values(
                id=_digest(session_id), user_id=user_id, created_at=now, last_seen_at=now
            )
        )
    return session_id


@cache
def _session_query() -> Any:
    from sqlalchemy import bindparam

    from hingecoach.store.records import UserRecord

    sessions, users = WebSessionRecord.__table__, UserRecord.__table__
    return (
        account_select()
        .add_columns(sessions.c.created_at, sessions.c.last_seen_at)
        .join(sessions, sessions.c.user_id == users.c.id)
        .where(sessions.c.id == bindparam("key"))
    )


def account_for_session(
    engine: Engine, session_id: object, now: dt.datetime, lifetimes: Lifetimes
) -> Account | None:
    """The account signed in with this session id; None when it is unknown, signed out
    or past a lifetime (then it is deleted)."""
    if not isinstance(session_id, str) or not session_id:
        return None
    key = _digest(session_id)
    with engine.connect() as conn:
        row = conn.execute(_session_query(), {"key": key}).first()
    if row is None:
        return None
    created, seen = _utc(row[-2]), _utc(row[-1])
    if now - seen > lifetimes.idle or now - created > lifetimes.absolute:
        end_session(engine, session_id)
        return None
    if now - seen > _TOUCH_EVERY:
        with engine.begin() as conn:
            conn.execute(
                update(WebSessionRecord).where(WebSessionRecord.id == key).values(last_seen_at=now)
            )
    return account_from_row(row)


def end_session(engine: Engine, session_id: object) -> None:
    if isinstance(session_id, str) and session_id:
        with engine.begin() as conn:
            conn.execute(delete(WebSessionRecord).where(WebSessionRecord.id == _digest(session_id)))


def end_all_sessions(engine: Engine, user_id: int, *, keep: str | None = None) -> int:
    """Sign the account out everywhere (but the session ``keep``); how many ended."""
    query = delete(WebSessionRecord).where(WebSessionRecord.user_id == user_id)
    if keep:
        query = query.where(WebSessionRecord.id != _digest(keep))
    with engine.begin() as conn:
        return int(conn.execute(query).rowcount)
