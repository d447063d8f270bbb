"""One set as another app logged it, before it is mapped to the catalogue."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

__all__ = ["LB_TO_KG", "RowProblem", "SetKind", "SourceSet", "Unit"]

LB_TO_KG = 0.45359237


class Unit(StrEnum):
    KG = "kg"
    LB = "lb"


class SetKind(StrEnum):
    """What the app called the set. Only work and failure sets are work sets."""

    WORK = "work"
    WARM_UP = "warm-up"
    DROP = "drop"
    FAILURE = "failure"

    @property
    def is_work(self) -> bool:
        return self in (SetKind.WORK, SetKind.FAILURE)


@dataclass(frozen=True)
class SourceSet:
    """One logged set from the file, loads already in kg."""

    line: int  # the line in the file, for messages (the header is line 1)
    started: dt.datetime  # when the workout started (midnight when the app keeps dates only)
    exercise_name: str
    kind: SetKind
    reps: int | None
    seconds: float | None
    weight_kg: float | None
    rpe: float | None
    key: str  # source, time, exercise and position: the same set always has the same key


class RowProblem(Exception):
    """A cell that cannot be read; the reader adds the line and the file."""
