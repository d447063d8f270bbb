"""Other training: sessions brought in from another app under a name that maps to no
catalogue exercise ("Leg Press", "Squat (Barbell)", "Running").

They stay in the history and never steer hinge progression: placement, progression,
regression and the early deload read hinge sessions only. What they do count for:

- the gap around a hinge session (R-PLAN-1): a day with at least ``OTHER_HARD_DAY_SETS``
  work sets for the legs and hips (the names in ``data/other-training.yaml``) is hard on the
  muscles a hinge needs rested, so a hinge session is at least 48 h away from it, as from
  another hinge session. A leg day and a hinge session on the same day are one training day;
- the week's load in the plan (R-PLAN-4, :mod:`hingecoach.plan.other_load`).

A session is other training when its exercise's pattern is ``other`` in the catalogue; the
other app's name is kept in its notes (:func:`~hingecoach.coach.history_placement.imported_name`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

import yaml

from hingecoach.coach.defaults import OTHER_HARD_DAY_SETS
from hingecoach.coach.history_placement import imported_name
from hingecoach.coach.models import Session
from hingecoach.knowledge import Catalogue, Pattern, normalise

__all__ = [
    "OtherTrainingDay",
    "is_other_training",
    "join_names",
    "other_training_days",
    "other_training_name",
    "works_legs_and_hips",
]

_UNNAMED = "Other training"


@cache
def _legs_and_hips_words() -> tuple[str, ...]:
    text = (resources.files("hingecoach.coach") / "data" / "other-training.yaml").read_text(
        encoding="utf-8"
    )
    return tuple(normalise(str(word)) for word in yaml.safe_load(text)["legs_and_hips"])


@lru_cache(maxsize=1024)  # a history repeats a few names thousands of times
def works_legs_and_hips(name: str) -> bool:
    """Whether an exercise named ``name`` in another app works the legs and hips."""
    words = f" {normalise(name)} "
    return any(f" {phrase} " in words for phrase in _legs_and_hips_words())


def is_other_training(session: Session, catalogue: Catalogue) -> bool:
    ex = catalogue.exercises.get(session.exercise_id)
    return ex is not None and ex.pattern is Pattern.OTHER


def other_training_name(session: Session) -> str:
    """The name the other app gave it, or "Other training" when it was logged here."""
    return imported_name(session) or _UNNAMED


def join_names(names: Iterable[str]) -> str:
    """``Squat (Barbell)``, ``Squat (Barbell) and Leg Press``, ``A, B and C``."""
    shown = list(dict.fromkeys(names))
    if len(shown) <= 1:
        return "".join(shown)
    return f"{', '.join(shown[:-1])} and {shown[-1]}"


@dataclass(frozen=True)
class OtherTrainingDay:
    """The other training of one day: every name, and the work for the legs and hips."""

    date: dt.date
    names: tuple[str, ...]  # every name that day, each once, in the order logged
    legs_names: tuple[str, ...]  # the ones for the legs and hips
    legs_sets: int  # work sets for the legs and hips
    legs_top_rpe: float | None  # the hardest of those sets, when rated

    @property
    def counts_for_spacing(self) -> bool:
        """R-PLAN-1: hard enough on the legs and hips to keep a hinge session 48 h away."""
        return self.legs_sets >= OTHER_HARD_DAY_SETS

    def legs_label(self) -> str:
        """``Squat (Barbell) and Leg Press, 8 work sets``."""
        count = f"{self.legs_sets} work set{'s' if self.legs_sets != 1 else ''}"
        return f"{join_names(self.legs_names)}, {count}"


def other_training_days(
    sessions: Iterable[Session], catalogue: Catalogue
) -> tuple[OtherTrainingDay, ...]:
    """The days with other training, oldest first."""
    by_day: dict[dt.date, list[Session]] = {}
    for session in sessions:
        if is_other_training(session, catalogue):
            by_day.setdefault(session.date, []).append(session)
    days = []
    for day in sorted(by_day):
        names: list[str] = []
        legs: list[str] = []
        sets = 0
        rpes: list[float] = []
        for session in by_day[day]:
            name = other_training_name(session)
            names.append(name)
            if not works_legs_and_hips(name) or not session.work_sets:
                continue
            legs.append(name)
            sets += len(session.work_sets)
            rpes += [r for s in session.work_sets if (r := s.effort_rpe) is not None]
        days.append(
            OtherTrainingDay(
                date=day,
                names=tuple(dict.fromkeys(names)),
                legs_names=tuple(dict.fromkeys(legs)),
                legs_sets=sets,
                legs_top_rpe=max(rpes, default=None),
            )
        )
    return tuple(days)
