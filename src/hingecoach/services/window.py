"""The dates a session may carry: none in the future, none older than a set number of
years (``HINGECOACH_SESSION_MAX_AGE_YEARS``, default 10). Checked wherever a session comes
in (web, API, CLI, live, imports); progress reads only sessions inside the window, so data
stored before the check (a session dated year 1) cannot blow up a chart."""

from __future__ import annotations

import datetime as dt
import os

from hingecoach.coach.models import Session
from hingecoach.errors import InputError

__all__ = [
    "DEFAULT_MAX_AGE_YEARS",
    "ENV_SESSION_MAX_AGE_YEARS",
    "oldest_session_date",
    "session_problem",
]

ENV_SESSION_MAX_AGE_YEARS = "HINGECOACH_SESSION_MAX_AGE_YEARS"
DEFAULT_MAX_AGE_YEARS = 10


def max_age_years() -> int:
    text = os.environ.get(ENV_SESSION_MAX_AGE_YEARS, "").strip()
    if not text:
        return DEFAULT_MAX_AGE_YEARS
    if not text.isdigit() or not 1 <= int(text) <= 200:
        raise InputError(
            f"{ENV_SESSION_MAX_AGE_YEARS} must be a whole number of years from 1 to 200, "
            f"not {text!r}"
        )
    return int(text)


def oldest_session_date(today: dt.date) -> dt.date:
    """The oldest date a session may have, as of ``today``."""
    years = max_age_years()
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def session_problem(session: Session, today: dt.date) -> str | None:
    """What is wrong with a session's date or sets, in words; None when nothing is."""
    oldest = oldest_session_date(today)
    if session.date > today:
        return f"the session is dated {session.date}, in the future; check the date"
    if session.date < oldest:
        return (
            f"the session is dated {session.date}, more than {max_age_years()} years ago "
            f"(the oldest date taken is {oldest}); check the date"
        )
    if not session.sets:
        return "the session has no sets; log at least one set (reps, and the load if any)"
    return None
