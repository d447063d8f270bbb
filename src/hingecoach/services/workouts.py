"""A whole session on the *Log* page: the sheet, its draft on the server, and one save.

Each session in progress has an idempotency key (made when the page opens). Every change
the browser makes is sent as the whole draft with a revision number (an older revision
never overwrites a newer one), so a reload, a closed tab or a lost connection resumes
where the trainee was. Saving stores the coach's sessions and marks the key saved in the
same transaction; saving the same key again finds it and stores nothing, so a double tap,
a refresh or a retried request never makes two sessions. A save, from the page
(:func:`save_item`) or the API's session POST with its ``Idempotency-Key``
(:func:`log_item`), is an item of the group commit (:mod:`hingecoach.services.group_commit`):
saves that arrive together share one commit, each in a savepoint of its own.
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

from hingecoach.coach import (
    Decision,
    History,
    NextSet,
    Prescription,
    Profile,
    Session,
    adjust_set,
)
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
    "new_key",
    "parse_entries",
    "profile_for",
    "read_draft",
    "save_item",
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


def profile_for(engine: Engine, name: str) -> Profile:
    """The trainee's profile (one read)."""
    with UnitOfWork(engine) as uow:
        return uow.trainees.profile(uow.trainees.get(name))


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


def _keyed_item(
    name: str,
    key: str | None,
    day: dt.date,
    catalogue: Catalogue,
    *,
    planned: Session | None,
    how_to_confirm: str,
    store: Callable[[UnitOfWork, TraineeRecord, WorkoutRecord | None], T],
    replay: Callable[[UnitOfWork, TraineeRecord], T],
) -> Callable[[UnitOfWork], tuple[T, bool]]:
    """A save as an item of a group commit (:mod:`hingecoach.services.group_commit`),
    once per idempotency key: ``(store's result, True)`` when stored now, ``(replay's
    result, False)`` when ``key`` was saved before (a replay, never asked about spacing
    again). With ``planned`` (the session as R-PLAN-1 sees it), a hinge session under
    48 h from another is refused unless confirmed: checked inside the transaction, after
    the items queued before it, so two at once cannot both pass."""
    from hingecoach.coach.spacing import check_spacing
    from hingecoach.services.spacing import SpacingNotConfirmedError

    if key is not None:
        _check_key(key)

    def attempt(uow: UnitOfWork) -> tuple[T, bool]:
        trainee = uow.trainees.get(name)
        record = None
        if key is not None:
            record = uow.workouts.by_key(trainee, key, lock=True)
            if record is not None and record.status == "saved":
                return replay(uow, trainee), False
        if planned is not None:
            stored_before = uow.sessions.sessions(trainee, last=HISTORY_WINDOW)
            warning = check_spacing(stored_before, planned, catalogue)
            if warning is not None:
                raise SpacingNotConfirmedError(warning, how_to_confirm)
        if key is not None and record is None:
            record = uow.workouts.add(trainee, key, day)
        result = store(uow, trainee, record)
        if record is not None:
            record.status = "saved"
            record.revision += 1
            record.updated_at = dt.datetime.now(dt.UTC)
        return result, True

    def item(uow: UnitOfWork) -> tuple[T, bool]:
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


def save_item(
    name: str,
    *,
    key: str,
    sheet: LogSheet,
    rx: Prescription,
    entries: Mapping[str, SetEntry],
    notes: str,
    catalogue: Catalogue,
    today: dt.date,
    confirmed: bool,
    how_to_confirm: str,
) -> Callable[[UnitOfWork], Saved]:
    """Saving the *Log* page's sheet as an item of a group commit: its sessions stored
    and the next one decided, once per key (a key saved before stores nothing and answers
    with the card as it is now, ``first_time`` False). Today's hinge session under 48 h
    from another, not ``confirmed``, is refused (R-PLAN-1). The sheet is read here, on
    the caller's thread (bad input is refused before it waits for the writer)."""
    _check_key(key)
    logged = sessions_from_sheet(sheet, entries, rx, notes=notes)
    sheet_json = sheet.model_dump(mode="json")
    entries_json = _ENTRIES.dump_python(dict(entries), mode="json")

    def store(uow: UnitOfWork, trainee: TraineeRecord, record: WorkoutRecord | None) -> Today:
        assert record is not None  # a page save always has its key
        result, stored = store_sessions(
            uow, trainee, logged.sessions, catalogue, today, with_revision=True
        )
        primary = next((s for s in stored if s.exercise_id == rx.exercise_id), None)
        record.sheet = sheet_json
        record.entries = entries_json
        record.notes = notes
        record.session_id = primary.id if primary is not None else None
        return result

    keyed = _keyed_item(
        name,
        key,
        sheet.date,
        catalogue,
        planned=None if confirmed else Session(date=today, exercise_id=rx.exercise_id),
        how_to_confirm=how_to_confirm,
        store=store,
        replay=lambda uow, trainee: today_in(uow, trainee, catalogue),
    )

    def item(uow: UnitOfWork) -> Saved:
        result, first = keyed(uow)
        return Saved(result, key, logged.done_sets, logged.skipped, first_time=first)

    return item


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

    def store(uow: UnitOfWork, trainee: TraineeRecord, record: WorkoutRecord | None) -> Today:
        result, stored = store_sessions(uow, trainee, [session], catalogue, today)
        if record is not None:
            record.session_id = stored[-1].id
        return result

    return _keyed_item(
        name,
        key,
        session.date,
        catalogue,
        planned=None if confirmed else session,
        how_to_confirm=how_to_confirm,
        store=store,
        replay=lambda uow, trainee: today_in(uow, trainee, catalogue),
    )


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
