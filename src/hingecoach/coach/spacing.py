"""Spacing between hinge sessions (R-PLAN-1: at least 48 h apart) when one is logged.

Sessions carry a date, not a time, so the gap is counted in days: a hinge session on the
same day as another, or the day after, is less than 48 h from it. Logging such a session
is allowed (people do train twice), but only once the person confirms it; the coach then
counts both sessions of one day as one training day (``one_session_per_day``) for every
rule that counts sessions in a row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from hingecoach.coach.defaults import MIN_HOURS_BETWEEN_HINGE_SESSIONS
from hingecoach.coach.ladder import exercise
from hingecoach.coach.models import Session
from hingecoach.knowledge import Catalogue

__all__ = ["SpacingWarning", "check_spacing", "one_session_per_day"]


@dataclass(frozen=True)
class SpacingWarning:
    """A hinge session logged too close to another one (R-PLAN-1)."""

    other_date: dt.date  # the nearest other hinge session
    days_apart: int
    rule: str = "R-PLAN-1"

    @property
    def message(self) -> str:
        gap = (
            "on the same day"
            if self.days_apart == 0
            else f"one day apart ({self.other_date.strftime('%a %d %b')})"
        )
        return (
            f"You already have a hinge session {gap}. Hinge sessions are at least "
            f"{MIN_HOURS_BETWEEN_HINGE_SESSIONS} h apart so your back and hips recover. "
            "If you did train, log it anyway: the coach counts sessions on one day as one "
            "training day."
        )


def check_spacing(
    earlier: Sequence[Session], new: Session, catalogue: Catalogue
) -> SpacingWarning | None:
    """The warning for logging ``new`` beside the stored sessions, or None (not a hinge
    session, or no hinge session within 48 h of its date)."""
    if not exercise(catalogue, new.exercise_id).is_hinge:
        return None
    min_days = -(-MIN_HOURS_BETWEEN_HINGE_SESSIONS // 24)
    nearest: tuple[int, dt.date] | None = None
    for session in earlier:
        gap = abs((new.date - session.date).days)
        if gap >= min_days or not exercise(catalogue, session.exercise_id).is_hinge:
            continue
        if nearest is None or gap < nearest[0]:
            nearest = (gap, session.date)
    if nearest is None:
        return None
    return SpacingWarning(other_date=nearest[1], days_apart=nearest[0])


def one_session_per_day(sessions_newest_first: Iterable[Session]) -> list[Session]:
    """Sessions of one exercise on one day merged into one training day (its sets in the
    order logged, the later prescription, the worse next-morning pain), newest first.

    This is what every rule that counts sessions in a row reads (R-PROG-1 graduation,
    R-PROG-2 double progression, R-REG-6/R-REG-8 easing a modifier, R-REG-7 a sign or a
    failed minimum twice running): two logs of one day, or one logged twice, are one day.
    """
    merged: list[Session] = []
    for session in sessions_newest_first:
        last = merged[-1] if merged else None
        if last is not None and (last.date, last.exercise_id) == (
            session.date,
            session.exercise_id,
        ):
            merged[-1] = _merge(session, last)
            continue
        merged.append(session)
    return merged


def _merge(earlier: Session, later: Session) -> Session:
    pains = [p for p in (earlier.next_morning_pain, later.next_morning_pain) if p is not None]
    notes = " / ".join(n for n in (earlier.notes, later.notes) if n)[:2000]
    return later.model_copy(
        update={
            "sets": earlier.sets + later.sets,
            "prescription": later.prescription or earlier.prescription,
            "next_morning_pain": max(pains) if pains else None,
            "fatigue_flag": earlier.fatigue_flag or later.fatigue_flag,
            "notes": notes,
        }
    )
