"""How many sessions one trainee's day takes (``HINGECOACH_SESSIONS_MAX_PER_DAY``, default
50, every exercise counted): checked wherever sessions come in (the log page, the API, the
CLI, live sets, imports from other apps).

A training day is read whole by the coach on every log (two logs of one day are one
training day, R-PROG-1), so a day logged hundreds of times would make each later log
slower; no real day needs that many. A correction replaces a session and is not counted.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING

from hingecoach.errors import InputError

if TYPE_CHECKING:
    from hingecoach.services.uow import UnitOfWork
    from hingecoach.store.records import TraineeRecord

__all__ = [
    "DEFAULT_SESSIONS_MAX_PER_DAY",
    "ENV_SESSIONS_MAX_PER_DAY",
    "check_room_on_days",
    "day_over_limit",
    "sessions_max_per_day",
]

ENV_SESSIONS_MAX_PER_DAY = "HINGECOACH_SESSIONS_MAX_PER_DAY"
#: A whole workout is one session per exercise: 50 leaves room for a long day of many
#: exercises logged in parts, and corrections (which replace, not add).
DEFAULT_SESSIONS_MAX_PER_DAY = 50
_MOST = 100_000


def sessions_max_per_day() -> int:
    """The limit in force (see :data:`ENV_SESSIONS_MAX_PER_DAY`)."""
    text = os.environ.get(ENV_SESSIONS_MAX_PER_DAY, "").strip()
    if not text:
        return DEFAULT_SESSIONS_MAX_PER_DAY
    if not text.isdigit() or not 1 <= int(text) <= _MOST:
        raise InputError(
            f"{ENV_SESSIONS_MAX_PER_DAY} must be a whole number of sessions from 1 to "
            f"{_MOST:,}, not {text!r}"
        )
    return int(text)


def day_over_limit(
    adding: Iterable[dt.date], stored_on: dict[dt.date, int], who: str
) -> str | None:
    """What to say when the sessions dated ``adding`` would put one of ``who``'s days over
    the limit (``stored_on``: the sessions already stored on those dates); None when they
    fit."""
    most = sessions_max_per_day()
    for day, new in sorted(Counter(adding).items()):
        have = stored_on.get(day, 0)
        if have + new > most:
            if new == 1:
                return (
                    f"{who} already has {have} session{'' if have == 1 else 's'} logged on "
                    f"{day:%d %b %Y}, and a day takes at most {most}: correct or delete one "
                    "of them instead of logging another"
                )
            return (
                f"{new} sessions on {day:%d %b %Y} would give {who} {have + new} that day, more "
                f"than the {most} a day takes: leave that day out, or raise the limit "
                f"({ENV_SESSIONS_MAX_PER_DAY})"
            )
    return None


def check_room_on_days(uow: UnitOfWork, trainee: TraineeRecord, dates: Iterable[dt.date]) -> None:
    """Refuse (:class:`InputError`, nothing written) sessions dated ``dates`` that would put
    one of the trainee's days over the limit."""
    adding = list(dates)
    problem = day_over_limit(adding, uow.sessions.count_on(trainee, adding), trainee.name)
    if problem is not None:
        raise InputError(problem)
