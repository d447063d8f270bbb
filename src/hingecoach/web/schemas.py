"""API schemas: ``XCreate`` (what a client sends) and ``XPublic`` (what it gets back).

Kept apart from the tables (``store.records``) and from the core's models, which they
embed where the core's model is already the public shape (a Decision, a Prescription).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from hingecoach.coach import Decision, NextSet, Prescription, Session, SetLog

__all__ = [
    "AccountPublic",
    "ClientPublic",
    "DecisionPublic",
    "MorningPainCreate",
    "NextSetCreate",
    "NextSetPublic",
    "OverrideCreate",
    "OverridePublic",
    "SessionCreate",
    "TodayPublic",
]


class _Schema(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AccountPublic(_Schema):
    id: int
    email: str
    display_name: str
    role: Literal["trainer", "trainee"]
    trainee_name: str | None
    has_api_token: bool


class ClientPublic(_Schema):
    name: str
    last_session: dt.date | None
    days_quiet: int | None
    exercise_id: str | None
    latest_action: str | None
    latest_rules: list[str]
    flags: list[Literal["pain", "ready", "stalled", "quiet"]]
    why: list[str]


class TodayPublic(_Schema):
    decision_id: int | None
    decision: Decision
    prescription: Prescription | None


class OverridePublic(_Schema):
    made_at: dt.datetime
    made_by: str
    why: str
    exercise_id: str | None


class DecisionPublic(_Schema):
    id: int
    made_at: dt.datetime
    context: str
    action: str
    rules: list[str]
    reason: str
    exercise_id: str | None
    overrides: list[OverridePublic]


class SessionCreate(Session):
    """A whole session: the date, the exercise, the sets (and, if known, the prescription)."""


class NextSetCreate(_Schema):
    prescription: Prescription
    sets: list[SetLog] = Field(min_length=1, max_length=20)


class NextSetPublic(_Schema):
    decision: Decision
    next_set: NextSet | None


class MorningPainCreate(_Schema):
    pain: int = Field(ge=0, le=10)


class OverrideCreate(_Schema):
    why: str = Field(min_length=1, max_length=2000)
    exercise_id: str | None = Field(default=None, max_length=60)
