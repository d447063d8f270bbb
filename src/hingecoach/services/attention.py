"""A trainer's clients, most in need of attention first.

Each client gets the flags that apply, in this order of urgency:

- ``pain``: the coach's latest decision stops, refers, regresses or steps down (the safety
  and regression rules), or a set in the last session hurt at 3/10 or more, or the next
  morning did (R-SAFE, R-REG);
- ``ready``: the latest decision moves them up a rung or adds load (R-PROG);
- ``stalled``: trained at least six times in four weeks, all on one exercise, with no move
  up or load added in that time;
- ``quiet``: no session logged for seven days or more (or never, once assessed).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from sqlalchemy import Engine

from hingecoach.services.uow import UnitOfWork
from hingecoach.store.records import DecisionRecord, TraineeRecord

__all__ = ["FLAG_ORDER", "ClientStatus", "Flag", "clients_by_attention"]

Flag = Literal["pain", "ready", "stalled", "quiet"]
FLAG_ORDER: tuple[Flag, ...] = ("pain", "ready", "stalled", "quiet")
QUIET_DAYS = 7
STALL_DAYS = 28
STALL_SESSIONS = 6
PAIN_FLAG = 3
_PAIN_ACTIONS = {"stop", "refer", "emergency", "regress", "step-down"}
_READY_ACTIONS = {"progress", "add-load"}
#: What the coach's latest decision did, in words a trainer reads at a glance.
_ACTION_WORDS = {
    "stop": "the coach stopped hinging for now",
    "refer": "the coach sent them to a clinician first",
    "emergency": "the coach told them to get urgent care",
    "regress": "the coach eased the exercise off",
    "step-down": "the coach stepped them down a rung",
}
_BLOCKING = {"stop", "refer", "emergency"}


@dataclass(frozen=True)
class ClientStatus:
    name: str
    last_session: dt.date | None
    days_quiet: int | None
    exercise_id: str | None
    latest_action: str | None
    latest_rules: tuple[str, ...]
    latest_reason: str | None
    flags: tuple[Flag, ...] = field(default=())
    why: tuple[str, ...] = field(default=())

    @property
    def rank(self) -> int:
        return min((FLAG_ORDER.index(f) for f in self.flags), default=len(FLAG_ORDER))


def _status(
    uow: UnitOfWork, trainee: TraineeRecord, today: dt.date, names: Mapping[str, str]
) -> ClientStatus:
    sessions = uow.sessions.sessions(trainee, last=20)
    decisions = uow.decisions.list(trainee, last=30)
    latest: DecisionRecord | None = decisions[-1] if decisions else None
    last = sessions[-1] if sessions else None
    days = (today - last.date).days if last is not None else None
    flags: list[Flag] = []
    why: list[str] = []
    if latest is not None and latest.action in _PAIN_ACTIONS:
        flags.append("pain")
        why.append(_ACTION_WORDS.get(latest.action, f"the coach decided {latest.action}"))
    elif last is not None:
        worst = max((s.pain for s in last.sets), default=0)
        morning = max((s.next_morning_pain or 0 for s in sessions[-3:]), default=0)
        if worst >= PAIN_FLAG or morning >= PAIN_FLAG:
            flags.append("pain")
            why.append(f"pain {max(worst, morning)}/10 in the last sessions")
    if latest is not None and latest.action in _READY_ACTIONS:
        flags.append("ready")
        what = "move up a rung" if latest.action == "progress" else "add load"
        why.append(f"ready to {what}")
    window = [s for s in sessions if (today - s.date).days <= STALL_DAYS]
    recent = [
        d
        for d in decisions
        if d.action in _READY_ACTIONS and (today - d.made_at.date()).days <= STALL_DAYS
    ]
    hinge_ids = {d.exercise_id for d in decisions if d.context == "prescription"}
    worked = {s.exercise_id for s in window if s.exercise_id in hinge_ids}
    if len(window) >= STALL_SESSIONS and len(worked) == 1 and not recent:
        flags.append("stalled")
        stuck = next(iter(worked))
        why.append(f"no step forward in {STALL_DAYS} days on the {names.get(stuck, stuck).lower()}")
    if (days is not None and days >= QUIET_DAYS) or (days is None and latest is not None):
        flags.append("quiet")
        why.append(f"no session for {days} days" if days is not None else "no session yet")
    return ClientStatus(
        name=trainee.name,
        last_session=last.date if last is not None else None,
        days_quiet=days,
        exercise_id=latest.exercise_id if latest is not None else None,
        latest_action=latest.action if latest is not None else None,
        latest_rules=tuple(latest.rules) if latest is not None else (),
        latest_reason=latest.reason if latest is not None else None,
        flags=tuple(flags),
        why=tuple(why),
    )


def clients_by_attention(
    engine: Engine, trainer_id: int, today: dt.date, names: Mapping[str, str] | None = None
) -> list[ClientStatus]:
    """The trainer's clients, flagged and sorted: pain (safety stops first), ready, stalled,
    quiet, then the rest. ``names`` (exercise id to name) words the reasons."""
    with UnitOfWork(engine) as uow:
        trainer = uow.users.by_id(trainer_id)
        if trainer is None:
            return []
        statuses = [_status(uow, t, today, names or {}) for t in uow.users.clients(trainer)]
    return sorted(
        statuses,
        key=lambda s: (s.rank, s.latest_action not in _BLOCKING, -(s.days_quiet or 0), s.name),
    )
