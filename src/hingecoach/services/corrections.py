"""Fix mistakes: edit or delete a logged set or a whole session.

A correction is one transaction: the session is rewritten (its version goes up by one,
so every cache of it misses) or deleted, the coach decides the next session again from
the corrected history, and a ``corrections`` row keeps who changed what and when, the
session before and after, the decision the correction replaced and the new one. What a
person sees afterwards (History, Today, the API) is the corrected history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Engine

from hingecoach.coach import Session, SetLog
from hingecoach.errors import InputError, format_validation_error
from hingecoach.knowledge import Catalogue
from hingecoach.services.coaching import Today, check_session, decide_next
from hingecoach.services.uow import UnitOfWork
from hingecoach.store.records import CorrectionRecord
from hingecoach.units import Unit

__all__ = [
    "Author",
    "Correction",
    "CorrectionResult",
    "SessionPage",
    "StoredSession",
    "corrections_by_decision",
    "delete_session",
    "delete_set",
    "describe_change",
    "edit_session",
    "edit_set",
    "session_detail",
    "session_page",
    "with_set_changed",
    "without_set",
]

# What a set edit may change (the rest of a set stays as logged).
EDITABLE_SET_FIELDS = ("reps", "seconds", "load_kg", "rpe", "rir", "form", "faults", "pain")


@dataclass(frozen=True)
class StoredSession:
    id: int
    version: int
    session: Session
    unit: str = "kg"  # the unit the trainee reads loads in

    @property
    def edited(self) -> bool:
        return self.version > 1


@dataclass(frozen=True)
class SessionPage:
    """One page of a trainee's sessions, newest first, and the unit they read loads in."""

    items: tuple[StoredSession, ...]
    total: int
    page: int
    per_page: int
    unit: str = "kg"

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


@dataclass(frozen=True)
class Correction:
    id: int
    session_id: int
    session_date: dt.date
    action: str  # edit | delete
    made_at: dt.datetime
    made_by: str
    why: str
    changes: tuple[str, ...]
    replaced_decision_id: int | None
    decision_id: int | None


@dataclass(frozen=True)
class CorrectionResult:
    correction: Correction
    today: Today


# ---------------------------------------------------------------- pure edits


def with_set_changed(session: Session, number: int, changes: Mapping[str, Any]) -> Session:
    """The session with set ``number`` (1-based) changed; other fields of the set stay."""
    unknown = sorted(set(changes) - set(EDITABLE_SET_FIELDS))
    if unknown:
        raise InputError(
            f"a set's {', '.join(unknown)} cannot be edited; "
            f"edit any of: {', '.join(EDITABLE_SET_FIELDS)}"
        )
    old = _set_at(session, number)
    data = old.model_dump() | dict(changes)
    if data.get("form") == "clean" and "faults" not in changes:
        data["faults"] = ()
    try:
        new = SetLog.model_validate(data)
    except ValidationError as exc:
        raise InputError(format_validation_error(f"set {number}", exc)) from None
    sets = list(session.sets)
    sets[number - 1] = new
    return session.model_copy(update={"sets": tuple(sets)})


def without_set(session: Session, number: int) -> Session:
    _set_at(session, number)
    if len(session.sets) == 1:
        raise InputError("this is the session's only set; delete the whole session instead")
    sets = session.sets[: number - 1] + session.sets[number:]
    return session.model_copy(update={"sets": sets})


def _set_at(session: Session, number: int) -> SetLog:
    if not 1 <= number <= len(session.sets):
        raise InputError(
            f"the session of {session.date} has sets 1 to {len(session.sets)}, no set {number}"
        )
    return session.sets[number - 1]


def _set_words(s: SetLog) -> str:
    dose = f"{s.reps} reps" if s.reps is not None else f"{s.seconds:g} s"
    load = f" @ {s.load_kg:g} kg" if s.load_kg else ""
    return dose + load + (f", pain {s.pain}" if s.pain else "")


def describe_change(before: Session, after: Session | None) -> tuple[str, ...]:
    """What a correction changed, in plain words, one line per change."""
    if after is None:
        return (f"deleted the whole session ({len(before.sets)} sets)",)
    lines: list[str] = []
    for number, (old, new) in enumerate(zip(before.sets, after.sets, strict=False), start=1):
        if old == new:
            continue
        fields = [
            f"{field.replace('_', ' ')} {_value(getattr(old, field))} -> "
            f"{_value(getattr(new, field))}"
            for field in EDITABLE_SET_FIELDS
            if getattr(old, field) != getattr(new, field)
        ]
        lines.append(f"set {number}: " + (", ".join(fields) or "changed"))
    if len(before.sets) > len(after.sets):
        removed = [s for s in before.sets if s not in after.sets] or list(before.sets[-1:])
        lines.extend(f"deleted a set ({_set_words(s)})" for s in removed)
    if before.notes != after.notes:
        lines.append("notes changed")
    return tuple(lines) or ("nothing changed",)


def _value(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, tuple):
        return ", ".join(str(getattr(v, "value", v)) for v in value) or "none"
    if isinstance(value, float):
        return f"{value:g}"
    return str(getattr(value, "value", value))


def _snapped(
    after: Session, before: Session, equipment: Any, unit: str, catalogue: Catalogue
) -> Session:
    """Changed loads typed in the trainee's unit snapped to the owned loads they mean."""
    from hingecoach.coach import available_loads
    from hingecoach.knowledge import find_exercise
    from hingecoach.units import snap_to_owned

    ex = find_exercise(catalogue, after.exercise_id)
    owned = sorted({w for mode in ex.load_modes for w in available_loads(equipment, mode)})
    u: Unit = "lb" if unit == "lb" else "kg"
    sets = tuple(
        s.model_copy(update={"load_kg": snap_to_owned(s.load_kg, owned, u)})
        if s.load_kg and s not in before.sets
        else s
        for s in after.sets
    )
    return after.model_copy(update={"sets": sets})


# ---------------------------------------------------------------- reading


def session_page(engine: Engine, name: str, page: int, per_page: int) -> SessionPage:
    """Page ``page`` (1-based) of the trainee's sessions, newest first."""
    page = max(1, page)
    with UnitOfWork(engine) as uow:
        trainee = uow.trainees.get(name)
        rows, total = uow.sessions.page(trainee, offset=(page - 1) * per_page, limit=per_page)
        unit = uow.trainees.profile(trainee).unit
    items = tuple(StoredSession(i, v, s) for i, v, s in rows)
    return SessionPage(items, total, page, per_page, unit)


def session_detail(
    engine: Engine, name: str, session_id: int
) -> tuple[StoredSession, list[Correction]]:
    """One session as it is now, and its corrections, newest first."""
    from hingecoach.store.repositories import session_from_record

    with UnitOfWork(engine) as uow:
        trainee = uow.trainees.get(name)
        record = uow.sessions.get(trainee, session_id)
        unit = uow.trainees.profile(trainee).unit
        stored = StoredSession(record.id, record.version, session_from_record(record), unit)
        found = [_correction(r) for r in uow.corrections.of_session(trainee, session_id)]
    return stored, found


def corrections_by_decision(
    engine: Engine, name: str, decision_ids: Sequence[int]
) -> dict[int, Correction]:
    """For each decision a correction made or replaced, that correction."""
    with UnitOfWork(engine) as uow:
        trainee = uow.trainees.get(name)
        found: dict[int, Correction] = {}
        for record in uow.corrections.touching(trainee, decision_ids):
            correction = _correction(record)
            for key in (record.decision_id, record.replaced_decision_id):
                if key is not None:
                    found[key] = correction
    return found


def _correction(record: CorrectionRecord) -> Correction:
    before = Session.model_validate(record.before)
    after = Session.model_validate(record.after) if record.after is not None else None
    return Correction(
        id=record.id,
        session_id=record.session_id,
        session_date=record.session_date,
        action=record.action,
        made_at=record.made_at,
        made_by=record.made_by,
        why=record.why,
        changes=describe_change(before, after),
        replaced_decision_id=record.replaced_decision_id,
        decision_id=record.decision_id,
    )


# ---------------------------------------------------------------- writing


@dataclass(frozen=True)
class Author:
    """Who makes a correction: the name shown, the account (None from the CLI), why."""

    name: str
    user_id: int | None = None
    why: str = ""


def _correct(
    engine: Engine,
    name: str,
    session_id: int,
    change: Callable[[Session], Session | None],
    author: Author,
    catalogue: Catalogue,
    today: dt.date,
) -> CorrectionResult:
    """Apply ``change`` (None: delete) to the stored session, decide again, keep the row."""
    from hingecoach.store.repositories import session_from_record

    if not author.name.strip():
        raise InputError("say who makes the correction")
    with UnitOfWork(engine, write=True) as uow:
        trainee = uow.trainees.get(name)
        record = uow.sessions.get(trainee, session_id)
        before = session_from_record(record)
        after = change(before)
        changed: tuple[SetLog, ...] = ()
        if after is not None:
            profile = uow.trainees.profile(trainee)
            after = _snapped(after, before, profile.equipment, profile.unit, catalogue)
            changed = tuple(s for s in after.sets if s not in before.sets)
        if after is not None and changed:  # only sets that are new or edited are checked
            changed_only = after.model_copy(update={"sets": changed})
            check_session(changed_only, profile.equipment, catalogue, today, unit=profile.unit)
        latest = uow.decisions.list(trainee, last=1)
        replaced = latest[0].id if latest else None
        if after is None:
            uow.sessions.delete(record)
        else:
            uow.sessions.correct(record, after)
        decision, rx = decide_next(uow, trainee, catalogue)
        new = uow.decisions.add(
            trainee,
            "correction",
            decision,
            exercise_id=rx.exercise_id if rx else None,
            session=record if after is not None else None,
        )
        row = uow.corrections.add(
            CorrectionRecord(
                trainee_id=trainee.id,
                session_id=session_id,
                session_date=before.date,
                action="delete" if after is None else "edit",
                made_by_id=author.user_id,
                made_by=author.name.strip()[:80],
                why=author.why.strip(),
                before=before.model_dump(mode="json"),
                after=after.model_dump(mode="json") if after is not None else None,
                replaced_decision_id=replaced,
                decision_id=new.id,
            )
        )
        uow.commit()
        return CorrectionResult(_correction(row), Today(decision, rx, new.id))


def edit_session(
    engine: Engine,
    name: str,
    session_id: int,
    *,
    sets: Sequence[SetLog] | None = None,
    notes: str | None = None,
    author: Author,
    catalogue: Catalogue,
    today: dt.date,
) -> CorrectionResult:
    """Replace a session's sets and/or notes."""
    if sets is not None and not sets:
        raise InputError("a session needs at least one set; delete the whole session instead")

    def change(before: Session) -> Session:
        update: dict[str, Any] = {}
        if sets is not None:
            update["sets"] = tuple(sets)
        if notes is not None:
            update["notes"] = notes
        try:
            return Session.model_validate(before.model_dump() | update)
        except ValidationError as exc:
            raise InputError(format_validation_error("the session", exc)) from None

    return _correct(engine, name, session_id, change, author, catalogue, today)


def edit_set(
    engine: Engine,
    name: str,
    session_id: int,
    number: int,
    changes: Mapping[str, Any],
    *,
    author: Author,
    catalogue: Catalogue,
    today: dt.date,
) -> CorrectionResult:
    """Change some fields of one set (``number`` 1-based)."""
    if not changes:
        raise InputError("say what to change in the set (reps, seconds, load, pain...)")
    return _correct(
        engine,
        name,
        session_id,
        lambda before: with_set_changed(before, number, changes),
        author,
        catalogue,
        today,
    )


def delete_set(
    engine: Engine,
    name: str,
    session_id: int,
    number: int,
    *,
    author: Author,
    catalogue: Catalogue,
    today: dt.date,
) -> CorrectionResult:
    return _correct(
        engine,
        name,
        session_id,
        lambda before: without_set(before, number),
        author,
        catalogue,
        today,
    )


def delete_session(
    engine: Engine,
    name: str,
    session_id: int,
    *,
    author: Author,
    catalogue: Catalogue,
    today: dt.date,
) -> CorrectionResult:
    return _correct(engine, name, session_id, lambda _: None, author, catalogue, today)
