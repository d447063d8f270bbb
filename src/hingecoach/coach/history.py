"""The person's current state, derived from their history alone.

The coach is a pure function of profile + history + catalogue: the current rung is the
exercise of the latest hinge session; the modifiers in use and the R-PROG-3 bridge step are
those of the prescription that session followed (carried forward over sessions logged
without one). Only the latest run of sessions on the current exercise is read (at most
``RUN_WINDOW_SESSIONS``), plus the last weeks for the pain trend, so the work does not grow
with the length of the history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

from hingecoach.coach.decisions import AppliedModifier, Prescription
from hingecoach.coach.defaults import RUN_WINDOW_SESSIONS, WEEKLY_PAIN_WINDOW_WEEKS
from hingecoach.coach.ladder import exercise
from hingecoach.coach.models import History, Session, SetLog
from hingecoach.coach.spacing import one_session_per_day
from hingecoach.errors import UnknownIdError
from hingecoach.knowledge import Catalogue, Exercise, LoadMode, find_fault

__all__ = [
    "ChosenRung",
    "SessionView",
    "TrainingState",
    "hinge_sessions_newest_first",
    "last_rpe",
    "read_state",
    "sessions_of",
]


class ChosenRung(str):
    """An exercise id a trainer chose for the next session (an override). Unlike a plain
    exercise id, it starts a new run on that rung even when it is the rung the latest
    session was on (a trainer keeping someone on the rung the coach would leave)."""

    __slots__ = ()


@dataclass(frozen=True)
class SessionView:
    """A session with the modifiers and bridge step that were in effect for it."""

    session: Session
    modifiers: tuple[AppliedModifier, ...]
    bridge_step: int
    prescription: Prescription | None  # its own, or the latest one carried forward

    @property
    def date(self) -> dt.date:
        return self.session.date

    @cached_property
    def work_sets(self) -> tuple[SetLog, ...]:
        """The session's work sets (kept: the rules read them many times a decision)."""
        return self.session.work_sets

    def modifier_key(self) -> tuple[tuple[str, str | None], ...]:
        return tuple((m.id, m.step) for m in self.modifiers)

    def work_load(self) -> float | None:
        """The load of the last work set (where the session ended up)."""
        for set_log in reversed(self.work_sets):
            if set_log.load_kg is not None:
                return set_log.load_kg
        return None

    def band(self) -> str | None:
        for set_log in reversed(self.work_sets):
            if set_log.band is not None:
                return set_log.band
        return self.prescription.band if self.prescription is not None else None


@dataclass(frozen=True)
class TrainingState:
    """Where the person is now: the rung, the run of sessions on it, modifiers in use."""

    exercise: Exercise
    run: tuple[SessionView, ...]  # oldest first, the latest contiguous sessions on the rung
    recent: tuple[Session, ...]  # hinge sessions of the last weeks, newest first (R-SAFE-5)
    last_session: Session | None  # the latest hinge session of any exercise

    @property
    def last(self) -> SessionView | None:
        return self.run[-1] if self.run else None

    @property
    def modifiers(self) -> tuple[AppliedModifier, ...]:
        return self.run[-1].modifiers if self.run else ()

    @property
    def bridge_step(self) -> int:
        return self.run[-1].bridge_step if self.run else 0

    @property
    def last_prescription(self) -> Prescription | None:
        return self.run[-1].prescription if self.run else None

    @property
    def load_mode(self) -> LoadMode | None:
        pres = self.last_prescription
        return pres.load_mode if pres is not None else None

    def sessions_newest_first(self) -> Iterator[SessionView]:
        return reversed(self.run)


def hinge_sessions_newest_first(history: History, catalogue: Catalogue) -> Iterator[Session]:
    """Hinge sessions from the newest back; non-hinge (push) sessions are skipped.

    Ids are checked as they are read (``UnknownIdError``), only for the sessions used.
    """
    for session in reversed(history.sessions):
        ex = exercise(catalogue, session.exercise_id)
        if not ex.is_hinge:
            continue
        for set_log in session.sets:
            for fault_id in set_log.faults:
                if fault_id not in catalogue.faults:
                    close = find_fault(catalogue, fault_id)
                    raise UnknownIdError("fault", fault_id, [close.id])
        yield session


def _views(sessions_oldest_first: list[Session]) -> tuple[SessionView, ...]:
    views: list[SessionView] = []
    modifiers: tuple[AppliedModifier, ...] = ()
    bridge = 0
    carried: Prescription | None = None
    for session in sessions_oldest_first:
        if session.prescription is not None:
            carried = session.prescription
            modifiers = carried.modifiers
            bridge = carried.bridge_step
        views.append(SessionView(session, modifiers, bridge, carried))
    return tuple(views)


def read_state(
    history: History, catalogue: Catalogue, current_exercise_id: str | None = None
) -> TrainingState | None:
    """The current state, or ``None`` when there is no hinge session and no exercise given.

    ``current_exercise_id`` names the rung explicitly (a coach moved the person); the run is
    then the sessions on that rung since the person last trained something else.
    """
    run: list[Session] = []
    recent: list[Session] = []
    last_session: Session | None = None
    target = exercise(catalogue, current_exercise_id).id if current_exercise_id else None
    run_open = True
    # R-PROG-1, R-PROG-2, R-REG-6/8, R-REG-7 count the run's sessions in a row: two logs of
    # one exercise on one day are one training day (see coach.spacing, R-PLAN-1).
    for session in one_session_per_day(hinge_sessions_newest_first(history, catalogue)):
        if last_session is None:
            last_session = session
            if target is None:
                target = session.exercise_id
        weeks_back = (last_session.date - session.date).days // 7
        in_window = weeks_back < WEEKLY_PAIN_WINDOW_WEEKS
        if in_window:
            recent.append(session)
        if run_open and session.exercise_id == target and run and run[-1].date == session.date:
            run[-1] = _same_day(session, run[-1])
        elif run_open and session.exercise_id == target and len(run) < RUN_WINDOW_SESSIONS:
            run.append(session)
        else:
            run_open = False
        if not run_open and not in_window:
            break
    if target is None:
        return None
    return TrainingState(
        exercise=exercise(catalogue, target),
        run=_views(list(reversed(run))),
        recent=tuple(recent),
        last_session=last_session,
    )


def _same_day(earlier: Session, later: Session) -> Session:
    """R-PROG-1, R-PROG-2, R-REG-7: two sessions of one exercise on one day are one training
    day, so they count once "in a row": their sets in order, the later session's prescription
    and next-morning pain (the earlier one's when the later has none)."""
    return later.model_copy(
        update={
            "sets": (*earlier.sets, *later.sets),
            "prescription": later.prescription or earlier.prescription,
            "next_morning_pain": later.next_morning_pain
            if later.next_morning_pain is not None
            else earlier.next_morning_pain,
            "fatigue_flag": earlier.fatigue_flag or later.fatigue_flag,
        }
    )


def sessions_of(
    history: History, catalogue: Catalogue, exercise_id: str, limit: int
) -> list[Session]:
    """The latest sessions of one exercise, newest first, looking back at most ``limit``
    hinge sessions (used for R-PROG-4 carry-over)."""
    found: list[Session] = []
    for count, session in enumerate(hinge_sessions_newest_first(history, catalogue)):
        if count >= limit:
            break
        if session.exercise_id == exercise_id:
            found.append(session)
    return found


def last_rpe(session: Session) -> float | None:
    """The rating of the session's last rated work set (RPE, or 10 - RIR)."""
    for set_log in reversed(session.work_sets):
        if set_log.effort_rpe is not None:
            return set_log.effort_rpe
    return None
