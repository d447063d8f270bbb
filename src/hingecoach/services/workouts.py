"""A whole session on the *Log* page: the sheet, its draft on the server, and one save.

Each session in progress has an idempotency key (made when the page opens). Every change
the browser makes is sent as the whole draft with a revision number (an older revision
never overwrites a newer one), so a reload, a closed tab or a lost connection resumes
where the trainee was. Saving stores the coach's sessions and marks the key saved in the
same transaction; saving the same key again finds it and stores nothing, so a double tap,
a refresh or a retried request never makes two sessions. The API's session POST uses the
same keys (:func:`log_session_once`).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import TypeAdapter, ValidationError
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from hingecoach.coach import Decision, History, NextSet, Prescription, Session, adjust_set
from hingecoach.errors import InputError, format_validation_error
from hingecoach.knowledge import Catalogue
from hingecoach.plan.logsheet import (
    ExerciseDone,
    LogSheet,
    SetEntry,
    build_log_sheet,
    check_entries,
    primary_sets,
    sessions_from_sheet,
    summarize,
)
from hingecoach.services.coaching import (
    HISTORY_WINDOW,
    Today,
    store_sessions,
    today_for,
    today_in,
)
from hingecoach.services.uow import UnitOfWork
from hingecoach.store.records import TraineeRecord, WorkoutRecord

__all__ = [
    "KEY_PATTERN",
    "Advice",
    "Draft",
    "Saved",
    "SavedSummary",
    "log_item",
    "log_session_once",
    "new_key",
    "parse_entries",
    "read_draft",
    "save_workout",
    "saved_summary",
    "sheet_for",
    "sync_draft",
]

KEY_PATTERN = r"^[A-Za-z0-9_-]{8,64}$"
_ENTRIES = TypeAdapter(dict[str, SetEntry])
T = TypeVar("T")
_SAVE_ATTEMPTS = 3  # a save that lost a race on the key's row reads the winner's


def new_key() -> str:
    """A fresh idempotency key for a session about to be logged."""
    return secrets.token_urlsafe(18)


def _check_key(key: str) -> str:
    import re

    if not re.fullmatch(KEY_PATTERN, key or ""):
        raise InputError("the session key must be 8-64 letters, digits, '-' or '_'; open Log again")
    return key


def parse_entries(raw: Any) -> dict[str, SetEntry]:
    """The sets as the browser sends them: ``{set key: entry}``."""
    try:
        return _ENTRIES.validate_python(raw or {})
    except ValidationError as exc:
        raise InputError(format_validation_error("sets", exc)) from None


@dataclass(frozen=True)
class Advice:
    """The coach within the session, after the primary's sets done so far."""

    decision: Decision
    next_set: NextSet | None
    primary_done: int

    def to_json(self) -> dict[str, Any]:
        return {
            "decision": self.decision.model_dump(mode="json"),
            "next_set": self.next_set.model_dump(mode="json") if self.next_set else None,
            "primary_done": self.primary_done,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> Advice | None:
        if not data:
            return None
        nxt = data.get("next_set")
        return cls(
            Decision.model_validate(data["decision"]),
            NextSet.model_validate(nxt) if nxt else None,
            int(data.get("primary_done", 0)),
        )


@dataclass(frozen=True)
class Draft:
    """A session in progress as the server holds it (``status`` "saved" once saved)."""

    key: str
    status: str
    revision: int
    entries: dict[str, SetEntry]
    notes: str
    advice: Advice | None

    @classmethod
    def of(cls, record: WorkoutRecord) -> Draft:
        return cls(
            key=record.key,
            status=record.status,
            revision=record.revision,
            entries=_ENTRIES.validate_python(record.entries),
            notes=record.notes,
            advice=Advice.from_json(record.advice),
        )


@dataclass(frozen=True)
class Saved:
    today: Today
    key: str
    done_sets: int
    skipped: tuple[str, ...]
    first_time: bool


def sheet_for(
    engine: Engine, name: str, rx: Prescription, catalogue: Catalogue, day: dt.date
) -> LogSheet:
    """Today's log sheet around the prescription (one read-only transaction)."""
    with UnitOfWork(engine) as uow:
        trainee = uow.trainees.get(name)
        profile = uow.trainees.profile(trainee)
        history = History(sessions=tuple(uow.sessions.sessions(trainee, last=HISTORY_WINDOW)))
    return build_log_sheet(profile, history, catalogue, rx, day)


def read_draft(engine: Engine, name: str, day: dt.date) -> tuple[Draft, dict[str, Any]] | None:
    """The trainee's draft of ``day`` and the sheet it was made on, if there is one."""
    with UnitOfWork(engine) as uow:
        record = uow.workouts.latest_draft(uow.trainees.get(name), day)
        if record is None or record.sheet is None:
            return None
        return Draft.of(record), record.sheet


def _advise(
    uow: UnitOfWork,
    trainee: TraineeRecord,
    rx: Prescription,
    sheet: LogSheet,
    entries: Mapping[str, SetEntry],
    before: Advice | None,
    catalogue: Catalogue,
) -> Advice | None:
    """The coach's adjustment after the primary's sets, again only when they changed
    (anything but "carry on" goes to the decisions log, once)."""
    done = primary_sets(sheet, entries)
    if not done:
        return None
    if before is not None and before.primary_done == len(done):
        return before
    profile = uow.trainees.profile(trainee)
    decision, nxt = adjust_set(profile, rx, done, catalogue)
    if decision.action.value != "hold":
        uow.decisions.add(trainee, "adjust", decision, exercise_id=rx.exercise_id)
    return Advice(decision, nxt, len(done))


def sync_draft(
    engine: Engine,
    name: str,
    *,
    key: str,
    sheet: LogSheet,
    rx: Prescription,
    entries: Mapping[str, SetEntry],
    notes: str,
    revision: int,
    catalogue: Catalogue,
) -> Draft:
    """Keep the draft: stored unless the server already holds a newer revision or the
    session is saved; answers with what the server holds now, with the coach's advice."""
    _check_key(key)
    check_entries(sheet, entries)
    for attempt in range(_SAVE_ATTEMPTS):
        try:
            with UnitOfWork(engine, write=True) as uow:
                trainee = uow.trainees.get(name)
                record = uow.workouts.by_key(trainee, key, lock=True)
                if record is None:
                    record = uow.workouts.add(trainee, key, sheet.date)
                    record.sheet = sheet.model_dump(mode="json")
                if record.status == "draft" and revision >= record.revision:
                    before = Advice.from_json(record.advice)
                    advice = _advise(uow, trainee, rx, sheet, entries, before, catalogue)
                    record.entries = _ENTRIES.dump_python(dict(entries), mode="json")
                    record.notes = notes
                    record.revision = revision
                    record.advice = advice.to_json() if advice else None
                    record.updated_at = dt.datetime.now(dt.UTC)
                uow.db.flush()
                draft = Draft.of(record)
                uow.commit()
                return draft
        except IntegrityError:
            if attempt == _SAVE_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def _save_once(
    engine: Engine,
    name: str,
    key: str,
    day: dt.date,
    store: Callable[[UnitOfWork, TraineeRecord, WorkoutRecord], T],
) -> T | None:
    """Run ``store`` and mark the key saved, in one transaction; ``None`` (nothing
    stored) when the key was saved before."""
    _check_key(key)
    for attempt in range(_SAVE_ATTEMPTS):
        try:
            with UnitOfWork(engine, write=True) as uow:
                trainee = uow.trainees.get(name)
                record = uow.workouts.by_key(trainee, key, lock=True)
                if record is not None and record.status == "saved":
                    return None
                if record is None:
                    record = uow.workouts.add(trainee, key, day)
                result = store(uow, trainee, record)
                record.status = "saved"
                record.revision += 1
                record.updated_at = dt.datetime.now(dt.UTC)
                uow.commit()
                return result
        except IntegrityError:  # another request inserted the key first: read theirs
            if attempt == _SAVE_ATTEMPTS - 1:
                raise
    return None


def save_workout(
    engine: Engine,
    name: str,
    *,
    key: str,
    sheet: LogSheet,
    rx: Prescription,
    entries: Mapping[str, SetEntry],
    notes: str,
    catalogue: Catalogue,
    today: dt.date,
) -> Saved:
    """Store the sheet's sessions and decide the next one, once per key: a key already
    saved stores nothing and answers with the card as it is now."""
    logged = sessions_from_sheet(sheet, entries, rx, notes=notes)

    def store(uow: UnitOfWork, trainee: TraineeRecord, record: WorkoutRecord) -> Today:
        result, stored = store_sessions(uow, trainee, logged.sessions, catalogue, today)
        primary = next((s for s in stored if s.exercise_id == rx.exercise_id), None)
        record.sheet = sheet.model_dump(mode="json")
        record.entries = _ENTRIES.dump_python(dict(entries), mode="json")
        record.notes = notes
        record.session_id = primary.id if primary is not None else None
        return result

    result = _save_once(engine, name, key, sheet.date, store)
    first = result is not None
    if result is None:
        result = today_for(engine, name, catalogue)
    return Saved(result, key, logged.done_sets, logged.skipped, first_time=first)


def log_session_once(
    engine: Engine,
    name: str,
    session: Session,
    key: str,
    catalogue: Catalogue,
    today: dt.date,
) -> tuple[Today, bool]:
    """Log a whole session under an idempotency key (the API): ``(card, True)`` when
    stored now, ``(card as it is now, False)`` when the key was saved before."""

    def store(uow: UnitOfWork, trainee: TraineeRecord, record: WorkoutRecord) -> Today:
        result, stored = store_sessions(uow, trainee, [session], catalogue, today)
        record.session_id = stored[-1].id
        return result

    result = _save_once(engine, name, key, session.date, store)
    if result is None:
        return today_for(engine, name, catalogue), False
    return result, True


def log_item(
    name: str,
    session: Session,
    catalogue: Catalogue,
    today: dt.date,
    *,
    key: str | None,
    confirmed: bool,
    how_to_confirm: str,
) -> Callable[[UnitOfWork], tuple[Today, bool]]:
    """Logging one session as an item of a group commit (the API's session POST, see
    :mod:`hingecoach.services.group_commit`): ``(card, True)`` when stored,
    ``(card as it is now, False)`` when ``key`` was saved before (a replay, never asked
    about spacing again). A hinge session under 48 h from another, not ``confirmed``, is
    refused (R-PLAN-1), checked inside the transaction so two at once cannot both pass."""
    from hingecoach.coach.spacing import check_spacing
    from hingecoach.services.spacing import SpacingNotConfirmedError

    if key is not None:
        _check_key(key)

    def attempt(uow: UnitOfWork) -> tuple[Today, bool]:
        trainee = uow.trainees.get(name)
        record = None
        if key is not None:
            record = uow.workouts.by_key(trainee, key, lock=True)
            if record is not None and record.status == "saved":
                return today_in(uow, trainee, catalogue), False
        if not confirmed:
            stored_before = uow.sessions.sessions(trainee, last=HISTORY_WINDOW)
            warning = check_spacing(stored_before, session, catalogue)
            if warning is not None:
                raise SpacingNotConfirmedError(warning, how_to_confirm)
        if key is not None and record is None:
            record = uow.workouts.add(trainee, key, session.date)
        result, stored = store_sessions(uow, trainee, [session], catalogue, today)
        if record is not None:
            record.session_id = stored[-1].id
            record.status = "saved"
            record.revision += 1
            record.updated_at = dt.datetime.now(dt.UTC)
        return result, True

    def item(uow: UnitOfWork) -> tuple[Today, bool]:
        if key is None:  # no key row to race for: the batch's savepoint is enough
            return attempt(uow)
        for attempt_no in range(_SAVE_ATTEMPTS):
            try:
                with uow.db.begin_nested():
                    return attempt(uow)
            except IntegrityError:  # another process inserted the key first: read theirs
                if attempt_no == _SAVE_ATTEMPTS - 1:
                    raise
        raise AssertionError("unreachable")

    return item


def saved_before(engine: Engine, name: str, key: str) -> bool:
    """Whether a session was already saved under this idempotency key."""
    with UnitOfWork(engine) as uow:
        record = uow.workouts.by_key(uow.trainees.get(name), _check_key(key))
        return record is not None and record.status == "saved"


@dataclass(frozen=True)
class SavedSummary:
    key: str
    date: dt.date
    exercises: tuple[ExerciseDone, ...]

    @property
    def done_sets(self) -> int:
        return sum(x.done for x in self.exercises)


def saved_summary(engine: Engine, name: str, key: str) -> SavedSummary:
    """What a saved session held, exercise by exercise (UnknownIdError: no such save)."""
    from hingecoach.errors import UnknownIdError

    with UnitOfWork(engine) as uow:
        record = uow.workouts.by_key(uow.trainees.get(name), key)
        if record is None or record.status != "saved":
            raise UnknownIdError("saved session", key, hint="open History to see what was logged")
        exercises: tuple[ExerciseDone, ...] = ()
        if record.sheet is not None:
            sheet = LogSheet.model_validate(record.sheet)
            exercises = summarize(sheet, _ENTRIES.validate_python(record.entries))
        return SavedSummary(key, record.date, exercises)
