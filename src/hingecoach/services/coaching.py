"""The coaching loop on stored records: assess, today, log, adjust, decisions, override.

Each function is one use case and one transaction. Every decision the coach makes is
written to the decisions log with its rules and reason, so a trainer can see it and
override it; the override is recorded with who and why, and steers the next session.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sqlalchemy import Engine

from hingecoach.coach import (
    Decision,
    History,
    NextSet,
    OwnedEquipment,
    Placement,
    Prescription,
    ScreenAnswers,
    Session,
    SetLog,
    adjust_set,
    available_loads,
    place,
    prescribe,
    screen,
)
from hingecoach.coach.history import ChosenRung, hinge_sessions_newest_first
from hingecoach.errors import ConflictError, InputError
from hingecoach.knowledge import Catalogue, find_exercise
from hingecoach.services.day_limit import check_room_on_days
from hingecoach.services.uow import UnitOfWork
from hingecoach.services.views import Revision, ViewCache, revision_in
from hingecoach.services.window import session_problem
from hingecoach.store.records import DecisionRecord, SessionRecord, TraineeRecord
from hingecoach.store.repositories import StoredSession
from hingecoach.units import Unit, format_load

__all__ = [
    "HISTORY_WINDOW",
    "Assessment",
    "Today",
    "assess_trainee",
    "check_session",
    "keep_card",
    "list_decisions",
    "list_sessions",
    "log_session",
    "next_set",
    "override_decision",
    "record_morning_pain",
    "store_sessions",
    "today_for",
    "today_in",
    "trainee_state",
]

# The coach reads recent sessions only (state, streaks, trends); a window keeps `today`
# fast for a trainee with years of history.
HISTORY_WINDOW = 60


@dataclass(frozen=True)
class Assessment:
    decision: Decision
    placement: Placement


@dataclass(frozen=True)
class Today:
    decision: Decision
    prescription: Prescription | None
    decision_id: int | None
    # The trainee's revision this card was decided at, when it was decided in a write (its
    # transaction's own view, before the commit): the card may be kept under it.
    revision: Revision | None = field(default=None, compare=False)


def assess_trainee(
    engine: Engine, name: str, answers: ScreenAnswers, catalogue: Catalogue, today: dt.date
) -> Assessment:
    """Screen (red flags first) and place the trainee; record both (R-SAFE, R-ASSESS)."""
    with UnitOfWork(engine, write=True) as uow:
        trainee = uow.trainees.get(name)
        profile = uow.trainees.profile(trainee)
        decision = screen(answers, profile)
        placement = place(profile, answers, catalogue)
        uow.screens.add(trainee, today, answers, placement)
        trainee.assessment_due = False  # a trainer's request for it, now answered
        uow.decisions.add(trainee, "screen", decision, exercise_id=placement.exercise_id)
        uow.commit()
    return Assessment(decision, placement)


def trainee_state(
    uow: UnitOfWork, trainee: TraineeRecord
) -> tuple[History, Placement | str | None, ScreenAnswers | None]:
    """The recent history, where to start (placement or an override), the fresh answers."""
    sessions, last_created = uow.sessions.window(trainee, last=HISTORY_WINDOW)
    history = History(sessions=tuple(sessions))
    screen = uow.screens.latest_facts(trainee)
    placement = _placement(screen.placement) if screen is not None else None
    last_date = sessions[-1].date if sessions else None
    answers = None
    if screen is not None and (last_date is None or screen.taken_on >= last_date):
        answers = _answers(screen.answers)
    start: Placement | str | None = placement
    override = uow.decisions.latest_override_facts(trainee)
    if (
        override is not None
        and override.exercise_id is not None
        and (last_created is None or _naive(override.made_at) >= _naive(last_created))
    ):
        start = ChosenRung(override.exercise_id)
    return history, start, answers


def _frozen_key(data: Any) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"))


@lru_cache(maxsize=1024)
def _placement_of(key: str) -> Placement:
    return Placement.model_validate_json(key)


@lru_cache(maxsize=1024)
def _answers_of(key: str) -> ScreenAnswers:
    return ScreenAnswers.model_validate_json(key)


def _placement(stored: dict[str, Any]) -> Placement:
    """The stored placement, validated once per process (models are frozen: shared)."""
    return _placement_of(_frozen_key(stored))


def _answers(stored: dict[str, Any]) -> ScreenAnswers:
    return _answers_of(_frozen_key(stored))


def _naive(value: dt.datetime) -> dt.datetime:
    return (
        value.replace(tzinfo=None)
        if value.tzinfo is None
        else value.astimezone(dt.UTC).replace(tzinfo=None)
    )


def _prescribe(
    uow: UnitOfWork, trainee: TraineeRecord, catalogue: Catalogue
) -> tuple[Decision, Prescription | None]:
    profile = uow.trainees.profile(trainee)
    history, start, answers = trainee_state(uow, trainee)
    if start is None and not history.sessions:
        raise InputError(
            f"{trainee.name} has not been assessed yet; run `hingecoach assess {trainee.name}`"
        )
    return prescribe(
        profile,
        history,
        catalogue,
        placement_or_current_exercise=start,
        screen_answers=answers,
    )


def today_for(engine: Engine, name: str, catalogue: Catalogue) -> Today:
    """Today's card. The decision is logged once (not again while nothing has changed)."""
    with UnitOfWork(engine) as uow:
        result = today_in(uow, uow.trainees.get(name), catalogue)
        uow.commit()
        return result


def today_in(uow: UnitOfWork, trainee: TraineeRecord, catalogue: Catalogue) -> Today:
    """Today's card inside the caller's transaction (the caller commits)."""
    decision, rx = _prescribe(uow, trainee, catalogue)
    decision_id = _record_if_new(uow, trainee, decision, rx, uow.sessions.latest)
    return Today(decision, rx, decision_id)


def keep_card(views: ViewCache, name: str, card: Today) -> None:
    """Keep a card decided in a write (see ``Today.revision``) as the trainee's today, so
    the pages read next (the saved page, Log, Today) need not decide it again."""
    if card.revision is not None:
        views.put(name, "today", card.revision, card)


def check_session(
    session: Session,
    equipment: OwnedEquipment,
    catalogue: Catalogue,
    today: dt.date,
    *,
    unit: Unit = "kg",
) -> None:
    """Refuse what cannot be true: a date outside the window (future, or years back), no
    sets, an unknown exercise, a load not owned (said in the trainee's ``unit``)."""
    problem = session_problem(session, today)
    if problem is not None:
        raise InputError(problem)
    ex = find_exercise(catalogue, session.exercise_id)
    if ex.id != session.exercise_id:
        raise InputError(f"use the exercise id {ex.id!r}, not {session.exercise_id!r}")
    makeable: set[float] = set()
    for mode in ex.load_modes:
        makeable.update(round(x, 2) for x in available_loads(equipment, mode))
    for number, logged in enumerate(session.sets, start=1):
        if logged.load_kg and ex.is_loaded and round(logged.load_kg, 2) not in makeable:
            owned = ", ".join(format_load(x, unit, with_unit=False) for x in sorted(makeable))
            raise InputError(
                f"set {number}: {format_load(logged.load_kg, unit)} is not a load the "
                f"equipment makes for the {ex.name.lower()} (it makes: {owned or 'none'} "
                f"{unit}); fix the load, or add the weight to the equipment"
            )


def log_session(
    engine: Engine, name: str, session: Session, catalogue: Catalogue, today: dt.date
) -> Today:
    """Store a session and the coach's decision for the next one, in one transaction."""
    with UnitOfWork(engine, write=True) as uow:
        trainee = uow.trainees.get(name)
        result, _ = store_sessions(uow, trainee, [session], catalogue, today)
        uow.commit()
        return result


def store_sessions(
    uow: UnitOfWork,
    trainee: TraineeRecord,
    sessions: Sequence[Session],
    catalogue: Catalogue,
    today: dt.date,
    *,
    with_revision: bool = False,
) -> tuple[Today, list[StoredSession]]:
    """Check and add sessions (the hinge session last), then decide the next one; the
    caller commits (one transaction with whatever else it writes). ``with_revision``: the
    card carries the revision it was decided at, to be kept (see :func:`keep_card`)."""
    profile = uow.trainees.profile(trainee)
    for session in sessions:
        check_session(session, profile.equipment, catalogue, today, unit=profile.unit)
    check_room_on_days(uow, trainee, (s.date for s in sessions))
    stored = [uow.sessions.insert(trainee, session) for session in sessions]
    decision, rx = _prescribe(uow, trainee, catalogue)
    decision_id = _record_if_new(uow, trainee, decision, rx, stored[-1] if stored else None)
    revision = revision_in(uow.db.connection(), trainee.name) if with_revision else None
    return Today(decision, rx, decision_id, revision), stored


def _record_if_new(
    uow: UnitOfWork,
    trainee: TraineeRecord,
    decision: Decision,
    rx: Prescription | None,
    session: SessionRecord | StoredSession | Callable[[TraineeRecord], SessionRecord | None] | None,
) -> int:
    """Log the decision unless it repeats the latest one word for word (a push-up session
    logged in between changes nothing about the hinge); the id of the decision that holds.
    ``session``: the session it follows (or a function that reads it, asked only when
    the decision is new)."""
    stored = decision.model_dump(mode="json")
    latest = uow.decisions.latest_facts(trainee)
    if latest is not None and latest.decision == stored:
        return latest.id
    return uow.decisions.insert(
        trainee,
        "prescription",
        decision,
        stored=stored,
        exercise_id=rx.exercise_id if rx else None,
        session=session(trainee) if callable(session) else session,
    )


def next_set(
    engine: Engine,
    name: str,
    prescription: Prescription,
    sets_so_far: Sequence[SetLog],
    catalogue: Catalogue,
) -> tuple[Decision, NextSet | None]:
    """Within a session: the next set after the ones logged (R-SAFE-3, R-REG, R-PROG-6).

    Anything but "carry on" is written to the decisions log.
    """
    with UnitOfWork(engine) as uow:
        trainee = uow.trainees.get(name)
        profile = uow.trainees.profile(trainee)
        decision, nxt = adjust_set(profile, prescription, list(sets_so_far), catalogue)
        if decision.action.value != "hold":
            uow.decisions.add(trainee, "adjust", decision, exercise_id=prescription.exercise_id)
            uow.commit()
        return decision, nxt


def record_morning_pain(engine: Engine, name: str, pain: int, catalogue: Catalogue) -> Today:
    """Add the next-morning pain to the latest session that lacks it (R-SAFE-5), then
    re-decide the next session with it."""
    with UnitOfWork(engine, write=True) as uow:
        trainee = uow.trainees.get(name)
        latest = uow.sessions.latest(trainee)
        if latest is None:
            raise InputError(f"{name} has no session yet to add next-morning pain to")
        if latest.next_morning_pain is not None:
            raise InputError(
                f"the session of {latest.date} already has next-morning pain "
                f"{latest.next_morning_pain}; it is not rewritten"
            )
        latest.next_morning_pain = pain
        uow.db.flush()
        decision, rx = _prescribe(uow, trainee, catalogue)
        decision_id = _record_if_new(uow, trainee, decision, rx, latest)
        uow.commit()
        return Today(decision, rx, decision_id)


def list_sessions(engine: Engine, name: str, last: int | None = None) -> list[Session]:
    """The logged sessions, oldest first (``last``: only the most recent ones)."""
    with UnitOfWork(engine) as uow:
        return uow.sessions.sessions(uow.trainees.get(name), last=last)


def list_decisions(engine: Engine, name: str, last: int | None = None) -> list[DecisionRecord]:
    with UnitOfWork(engine) as uow:
        trainee = uow.trainees.get(name)
        records = uow.decisions.list(trainee, last=last)
        for record in records:
            _ = list(record.overrides)  # load before the session closes
        return records


def _override_target(
    uow: UnitOfWork, trainee: TraineeRecord, exercise_id: str | None, catalogue: Catalogue
) -> str:
    """The hinge rung an override puts the next session on: the one named, or else the
    rung of the latest hinge session (the rung the decision moved the trainee from)."""
    if exercise_id is None:
        history = History(sessions=tuple(uow.sessions.sessions(trainee, last=HISTORY_WINDOW)))
        last = next(iter(hinge_sessions_newest_first(history, catalogue)), None)
        if last is None:
            raise InputError("no hinge session logged yet: name the exercise with --exercise")
        return last.exercise_id
    chosen = find_exercise(catalogue, exercise_id)
    if not chosen.is_hinge:
        rungs = ", ".join(e.name for e in catalogue.exercises.values() if e.is_hinge)
        raise InputError(
            f"{chosen.name} is not a hinge exercise; an override sets the next hinge session, "
            f"so choose a rung of the hinge ladder ({rungs})"
        )
    return chosen.id


def override_decision(
    engine: Engine,
    name: str,
    decision_id: int | None,
    *,
    made_by: str,
    why: str,
    exercise_id: str | None,
    catalogue: Catalogue,
) -> tuple[DecisionRecord, str]:
    """A trainer overrides a decision: the next session is on ``exercise_id`` (or, with no
    exercise given, stays on the rung the decision moved the trainee from)."""
    if not why.strip():
        raise InputError("say why you override the coach (--why)")
    if not made_by.strip():
        raise InputError("say who overrides the coach (--by)")
    with UnitOfWork(engine, write=True) as uow:
        trainee = uow.trainees.get(name)
        if decision_id is None:
            latest = uow.decisions.list(trainee, last=1)
            if not latest:
                raise InputError(f"{name} has no decisions to override yet")
            record = latest[0]
        else:
            record = uow.decisions.get(trainee, decision_id)
        target = _override_target(uow, trainee, exercise_id, catalogue)
        uow.decisions.add_override(
            record, made_by=made_by.strip(), why=why.strip(), exercise_id=target, action="override"
        )
        decision, rx = _prescribe(uow, trainee, catalogue)
        if rx is None or rx.exercise_id != target:  # a safety rule decides (R-SAFE-*)
            raise ConflictError(
                f"not recorded: the safety rules decide {name}'s next session, and an "
                f"override cannot change that ({decision.reason} {decision.do_now})"
            )
        uow.commit()
        return record, target


def decide_next(
    uow: UnitOfWork, trainee: TraineeRecord, catalogue: Catalogue
) -> tuple[Decision, Prescription | None]:
    """The coach's decision for the next session from the stored records, as they are in
    this unit of work (for use cases that change the history first)."""
    return _prescribe(uow, trainee, catalogue)
