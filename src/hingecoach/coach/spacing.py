"""Spacing between hinge sessions (R-PLAN-1: at least 48 h apart) when one is logged.

Sessions carry a date, not a time, so the gap is counted in days: a hinge session on the
same day as another, or the day after, is less than 48 h from it. Logging such a session
is allowed (people do train twice), but only once the person confirms it; the coach then
counts both sessions of one day as one training day (``one_session_per_day``) for every
rule that counts sessions in a row.

Other training counts too (R-PLAN-1 with other training, :mod:`hingecoach.coach.other_training`):
a hard day for the legs and hips (squats, leg press, lunges, at least
``OTHER_HARD_DAY_SETS`` work sets) the day before or after a hinge session is under 48 h
from it. On the same day it is not: a leg day and a hinge session on one day are one
training day, and the rest after it is what matters.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import chain

from hingecoach.coach.defaults import MIN_HOURS_BETWEEN_HINGE_SESSIONS
from hingecoach.coach.ladder import exercise
from hingecoach.coach.models import Session
from hingecoach.coach.other_training import OtherTrainingDay, other_training_days
from hingecoach.knowledge import Catalogue

__all__ = ["SpacingWarning", "check_spacing", "one_session_per_day"]


@dataclass(frozen=True)
class SpacingWarning:
    """A hinge session logged too close to another one (R-PLAN-1)."""

    other_date: dt.date  # the nearest other hinge session (or hard leg day)
    days_apart: int
    rule: str = "R-PLAN-1"
    other_training: str | None = None  # the leg day's names and work sets, when it is one
    after_it: bool = True  # the new session comes after the other one

    @property
    def message(self) -> str:
        if self.other_training is not None:
            return self._other_training_message(self.other_training)
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

    def _other_training_message(self, what: str) -> str:
        when = "before" if self.after_it else "after"
        return (
            f"You trained your legs and hips on {self.other_date.strftime('%a %d %b')} "
            f"({what}), one day {when} this hinge session. Hard leg training tires the hips "
            "and back a hinge needs, so the coach keeps hinge sessions "
            f"{MIN_HOURS_BETWEEN_HINGE_SESSIONS} h from it, as from another hinge session. "
            "If you did train, log it anyway."
        )


def check_spacing(
    earlier: Sequence[Session], new: Session, catalogue: Catalogue
) -> SpacingWarning | None:
    """The warning for logging ``new`` beside the stored sessions, or None (not a hinge
    session, or no hinge session or hard leg day within 48 h of its date)."""
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
    if nearest is not None:
        return SpacingWarning(other_date=nearest[1], days_apart=nearest[0])
    return _leg_day_warning(other_training_days(earlier, catalogue), new.date, min_days)


def _leg_day_warning(
    days: Sequence[OtherTrainingDay], on: dt.date, min_days: int
) -> SpacingWarning | None:
    """R-PLAN-1 with other training: the nearest hard leg day under 48 h from ``on`` (the
    same day is one training day, not a gap)."""
    near = [d for d in days if d.counts_for_spacing and 0 < abs((on - d.date).days) < min_days]
    if not near:
        return None
    day = min(near, key=lambda d: (abs((on - d.date).days), d.date))
    return SpacingWarning(
        other_date=day.date,
        days_apart=abs((on - day.date).days),
        other_training=day.legs_label(),
        after_it=on > day.date,
    )


def one_session_per_day(sessions_newest_first: Iterable[Session]) -> list[Session]:
    """Sessions of one exercise on one day merged into one training day (its sets in the
    order logged, the later prescription, the worse next-morning pain), newest first.

    This is what every rule that counts sessions in a row reads (R-PROG-1 graduation,
    R-PROG-2 double progression, R-REG-6/R-REG-8 easing a modifier, R-REG-7 a sign or a
    failed minimum twice running): two logs of one day, or one logged twice, are one day.

    Each day's logs are gathered first and merged once: merging them one pair at a time
    copied the day's sets again for every log, so a day logged many times cost the square
    of its logs.
    """
    logs = list(sessions_newest_first)
    merged: list[Session] = []
    first = 0  # the newest log of the day being gathered
    for end in range(1, len(logs) + 1):
        if (
            end < len(logs)
            and logs[end].date == logs[first].date
            and logs[end].exercise_id == logs[first].exercise_id
        ):
            continue
        merged.append(logs[first] if end - first == 1 else _merge(logs[first:end]))
        first = end
    return merged


def _merge(newest_first: Sequence[Session]) -> Session:
    """One day's logs as one session: the newest log with every log's sets (oldest first),
    the newest prescription given, the worst next-morning pain, any fatigue flag and the
    notes joined oldest first (at most 2000 characters)."""
    oldest_first = newest_first[::-1]
    pains = [s.next_morning_pain for s in oldest_first if s.next_morning_pain is not None]
    prescription = next((s.prescription for s in newest_first if s.prescription is not None), None)
    return newest_first[0].model_copy(
        update={
            "sets": tuple(chain.from_iterable(s.sets for s in oldest_first)),
            "prescription": prescription,
            "next_morning_pain": max(pains) if pains else None,
            "fatigue_flag": any(s.fatigue_flag for s in oldest_first),
            "notes": " / ".join(s.notes for s in oldest_first if s.notes)[:2000],
        }
    )
