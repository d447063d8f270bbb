"""Export and import: everything about trainees as JSON (exact round trip) or sets as CSV.

Import validates the whole file before it writes anything, then writes it in one
transaction: a bad file changes nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import Engine

from hingecoach.coach.decisions import Decision, Placement
from hingecoach.coach.models import Profile, ScreenAnswers, Session
from hingecoach.errors import ConflictError, InputError, format_validation_error
from hingecoach.importers import (
    HistoryFormat,
    ImportPlan,
    NameMap,
    SetKind,
    Unit,
    plan_import,
    read_rows,
    strong_csv,
)
from hingecoach.knowledge import Catalogue
from hingecoach.services.day_limit import check_room_on_days
from hingecoach.services.uow import UnitOfWork
from hingecoach.services.window import session_problem
from hingecoach.store.records import TraineeRecord

__all__ = [
    "CSV_COLUMNS",
    "IMPORT_MAX_MB_DEFAULT",
    "ExportDocument",
    "check_import_size",
    "decode_export",
    "export_csv",
    "export_document",
    "export_strong",
    "import_document",
    "import_history",
    "import_summary",
    "parse_document",
    "plan_history_import",
    "write_history_import",
]

EXPORT_FORMAT = "hingecoach-export"


class _Doc(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ScreenExport(_Doc):
    taken_on: dt.date
    answers: ScreenAnswers
    placement: Placement


class OverrideExport(_Doc):
    made_at: dt.datetime
    made_by: str = Field(min_length=1, max_length=80)
    why: str = Field(min_length=1)
    exercise_id: str | None = None
    action: str | None = None


class DecisionExport(_Doc):
    made_at: dt.datetime
    context: str
    decision: Decision
    exercise_id: str | None = None
    session_index: int | None = Field(default=None, ge=0)
    overrides: list[OverrideExport] = []


class NoteExport(_Doc):
    written_at: dt.datetime
    author: str = Field(min_length=1, max_length=80)
    text: str = Field(min_length=1, max_length=4000)


class TraineeExport(_Doc):
    name: str = Field(min_length=1, max_length=80)
    # A trainer's dated notes, newest first. An export from before dated notes has one
    # text here: it is imported as one note.
    notes: list[NoteExport] | str = []
    profile: Profile
    screens: list[ScreenExport] = []
    sessions: list[Session] = []
    decisions: list[DecisionExport] = []


class ExportDocument(_Doc):
    format: Literal["hingecoach-export"] = "hingecoach-export"
    version: Literal[1] = 1
    trainees: list[TraineeExport]


def _naive_utc(value: dt.datetime) -> dt.datetime:
    """Timestamps as stored (UTC); SQLite hands them back without a zone."""
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value


def _trainee_export(uow: UnitOfWork, trainee: TraineeRecord) -> TraineeExport:
    session_records = uow.sessions.records(trainee)
    index_of = {rec.id: i for i, rec in enumerate(session_records)}
    decisions = [
        DecisionExport(
            made_at=_naive_utc(rec.made_at),
            context=rec.context,
            decision=uow.decisions.decision(rec),
            exercise_id=rec.exercise_id,
            session_index=index_of.get(rec.session_id) if rec.session_id else None,
            overrides=[
                OverrideExport(
                    made_at=_naive_utc(o.made_at),
                    made_by=o.made_by,
                    why=o.why,
                    exercise_id=o.exercise_id,
                    action=o.action,
                )
                for o in rec.overrides
            ],
        )
        for rec in uow.decisions.list(trainee)
    ]
    from hingecoach.store.repositories import session_from_record

    return TraineeExport(
        name=trainee.name,
        notes=[
            NoteExport(written_at=_naive_utc(n.written_at), author=n.author_name, text=n.text)
            for n in uow.notes.list(trainee)
        ],
        profile=uow.trainees.profile(trainee),
        screens=[
            ScreenExport(
                taken_on=s.taken_on,
                answers=ScreenAnswers.model_validate(s.answers),
                placement=Placement.model_validate(s.placement),
            )
            for s in uow.screens.all(trainee)
        ],
        sessions=[session_from_record(r) for r in session_records],
        decisions=decisions,
    )


def export_document(uow: UnitOfWork, names: Sequence[str] | None = None) -> ExportDocument:
    """Everything about the named trainees (all of them when ``names`` is None)."""
    trainees = list(uow.trainees.list()) if names is None else [uow.trainees.get(n) for n in names]
    return ExportDocument(trainees=[_trainee_export(uow, t) for t in trainees])


CSV_COLUMNS = (
    "trainee",
    "date",
    "exercise_id",
    "set",
    "reps",
    "seconds",
    "load_kg",
    "band",
    "rpe",
    "rir",
    "form",
    "faults",
    "pain",
    "pain_quality",
    "work_set",
    "next_morning_pain",
    "fatigue_flag",
    "notes",
)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def export_csv(document: ExportDocument) -> str:
    """One row per logged set, for spreadsheets."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for trainee in document.trainees:
        for session in trainee.sessions:
            for number, s in enumerate(session.sets, start=1):
                row = (
                    trainee.name,
                    session.date.isoformat(),
                    session.exercise_id,
                    number,
                    s.reps,
                    s.seconds,
                    s.load_kg,
                    s.band,
                    s.rpe,
                    s.rir,
                    s.form.value,
                    ";".join(s.faults),
                    s.pain,
                    ";".join(q.value for q in s.pain_quality),
                    s.work_set,
                    session.next_morning_pain,
                    session.fatigue_flag,
                    session.notes,
                )
                writer.writerow([_cell(v) for v in row])
    return buffer.getvalue()


def parse_document(data: Any, source: str) -> ExportDocument:
    """Validate a whole export file; one clear error naming the first problems."""
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise InputError(
            f'{source}: not a hingecoach export (expected "format": "{EXPORT_FORMAT}"); '
            "make one with `hingecoach export`"
        )
    try:
        return ExportDocument.model_validate(data)
    except ValidationError as exc:
        raise InputError(format_validation_error(source, exc)) from None


def import_document(
    uow: UnitOfWork, document: ExportDocument, *, today: dt.date, known_exercises: set[str]
) -> list[str]:
    """Write a validated document in the caller's transaction; return the names imported."""
    problems: list[str] = []
    seen: set[str] = set()
    for t in document.trainees:
        if t.name in seen:
            problems.append(f"trainee {t.name!r} appears twice in the file")
        seen.add(t.name)
        if uow.trainees.find(t.name) is not None:
            problems.append(f"trainee {t.name!r} already exists")
        for i, s in enumerate(t.sessions):
            problem = session_problem(s, today)
            if problem is not None:
                problems.append(f"{t.name}: session {i + 1}: {problem}")
            if s.exercise_id not in known_exercises:
                problems.append(
                    f"{t.name}: session {i + 1} logs unknown exercise {s.exercise_id!r}"
                )
        for d in t.decisions:
            if d.session_index is not None and d.session_index >= len(t.sessions):
                problems.append(f"{t.name}: a decision points at session {d.session_index + 1}")
    if problems:
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        message = "nothing imported: " + "; ".join(problems[:5]) + more
        if any("already exists" in p for p in problems):
            raise ConflictError(message)
        raise InputError(message)
    for t in document.trainees:
        record = uow.trainees.add(t.name, t.profile)
        notes = t.notes
        if isinstance(notes, str):  # an export from before dated notes
            when = dt.datetime.now(dt.UTC)
            notes = [NoteExport(written_at=when, author="imported", text=notes)] if notes else []
        for note in reversed(notes):  # oldest first, so equal times keep their order
            uow.notes.add(
                record,
                note.text,
                author_id=None,
                author_name=note.author,
                written_at=note.written_at,
            )
        for screen in t.screens:
            uow.screens.add(record, screen.taken_on, screen.answers, screen.placement)
        sessions = [uow.sessions.add(record, s) for s in t.sessions]
        for d in t.decisions:
            linked = sessions[d.session_index] if d.session_index is not None else None
            rec = uow.decisions.add(
                record,
                d.context,
                d.decision,
                exercise_id=d.exercise_id,
                session=linked,
                made_at=d.made_at,
            )
            for o in d.overrides:
                override = uow.decisions.add_override(
                    rec, made_by=o.made_by, why=o.why, exercise_id=o.exercise_id, action=o.action
                )
                override.made_at = o.made_at
    uow.db.flush()
    return [t.name for t in document.trainees]


# --- history from other apps (Strong, Hevy, FitNotes) ------------------------------------

IMPORT_MAX_MB_DEFAULT = 20  # HINGECOACH_IMPORT_MAX_MB: a 5-year Strong export is about 1 MB


def check_import_size(size: int, max_mb: float, source: str) -> None:
    """Refuse a file over the limit before reading it."""
    if size > max_mb * 1024 * 1024:
        raise InputError(
            f"{source}: {size / 1024 / 1024:.1f} MB is over the {max_mb:g} MB limit for an "
            "import; export a shorter period from the app, or raise HINGECOACH_IMPORT_MAX_MB"
        )


def decode_export(data: bytes, source: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(
            f"{source}: not a text file (UTF-8 expected); export the CSV again from the app"
        ) from None


def _imported_keys(uow: UnitOfWork, trainee: TraineeRecord) -> set[str]:
    from sqlalchemy import select

    from hingecoach.store.records import SessionRecord, SetRecord

    query = (
        select(SetRecord.import_key)
        .join(SessionRecord, SetRecord.session_id == SessionRecord.id)
        .where(SessionRecord.trainee_id == trainee.id, SetRecord.import_key.is_not(None))
    )
    return {key for key in uow.db.scalars(query) if key is not None}


def plan_history_import(
    uow: UnitOfWork,
    trainee: TraineeRecord,
    text: str,
    *,
    fmt: HistoryFormat | None,
    names: NameMap,
    catalogue: Catalogue,
    today: dt.date,
    unit: Unit = Unit.KG,
    source: str = "the file",
) -> ImportPlan:
    """Read and check a whole export; what importing it would add (nothing is written)."""
    try:
        found, rows = read_rows(text, fmt, unit=unit)
        plan = plan_import(
            found, rows, names, catalogue, today=today, known_keys=_imported_keys(uow, trainee)
        )
        check_room_on_days(uow, trainee, (item.session.date for item in plan.sessions))
        return plan
    except InputError as exc:
        raise InputError(f"{source}: {exc}") from None


def write_history_import(uow: UnitOfWork, trainee: TraineeRecord, plan: ImportPlan) -> int:
    """Write a checked plan in the caller's transaction; return the sets written.

    Two bulk inserts (sessions, then their sets), not one ORM object per set: five years
    of history is about 10,000 sets.
    """
    from sqlalchemy import insert

    from hingecoach.store.records import SessionRecord, SetRecord, utcnow

    if not plan.sessions:
        return 0
    now = utcnow()
    session_rows = [
        {
            "trainee_id": trainee.id,
            "date": item.session.date,
            "exercise_id": item.session.exercise_id,
            "prescription": None,
            "next_morning_pain": None,
            "fatigue_flag": False,
            "notes": item.session.notes,
            "created_at": now,
        }
        for item in plan.sessions
    ]
    ids = uow.db.scalars(
        insert(SessionRecord).returning(SessionRecord.id, sort_by_parameter_order=True),
        session_rows,
    ).all()
    set_rows = [
        {
            "session_id": session_id,
            "position": position,
            "reps": s.reps,
            "seconds": s.seconds,
            "load_kg": s.load_kg,
            "band": s.band,
            "rpe": s.rpe,
            "rir": s.rir,
            "form": s.form.value,
            "faults": ";".join(s.faults),
            "pain": s.pain,
            "pain_quality": ";".join(q.value for q in s.pain_quality),
            "work_set": s.work_set,
            "import_key": key,
        }
        for session_id, item in zip(ids, plan.sessions, strict=True)
        for position, (s, key) in enumerate(zip(item.session.sets, item.keys, strict=True), 1)
    ]
    uow.db.execute(insert(SetRecord), set_rows)
    return plan.set_count


def _count(n: int, thing: str) -> str:
    return f"{n} {thing}{'' if n == 1 else 's'}"


def import_summary(plan: ImportPlan, catalogue: Catalogue) -> dict[str, Any]:
    """What an import adds, for people (``lines``) and scripts (the rest)."""
    label = plan.source.label
    first, last = plan.first_date, plan.last_date
    span = f", {first} to {last}" if first and last else ""
    lines = [
        f"{label} export: {_count(plan.set_count, 'new set')} in "
        f"{_count(len(plan.sessions), 'session')}{span}."
    ]
    for (name, exercise_id), count in sorted(plan.mapped.items()):
        lines.append(f"  {name} -> {catalogue.exercises[exercise_id].name}: {_count(count, 'set')}")
    if plan.unmapped:
        lines.append(
            "Other training (no exercise of the coach's matches the name: kept in your history, "
            "not used for hinge progression):"
        )
        lines += [
            f"  {name}: {_count(count, 'set')}" for name, count in sorted(plan.unmapped.items())
        ]
    warm, drop = plan.kinds[SetKind.WARM_UP], plan.kinds[SetKind.DROP]
    if warm or drop:
        lines.append(f"Warm-up sets: {warm}, drop sets: {drop} (kept, not counted as work sets).")
    if plan.already_imported:
        lines.append(f"Already imported before, left out: {plan.already_imported} sets.")
    return {
        "source": plan.source.value,
        "sessions": len(plan.sessions),
        "sets": plan.set_count,
        "already_imported": plan.already_imported,
        "mapped": {f"{n} -> {i}": c for (n, i), c in sorted(plan.mapped.items())},
        "other_training": dict(sorted(plan.unmapped.items())),
        "warm_up_sets": warm,
        "drop_sets": drop,
        "lines": lines,
    }


def export_strong(uow: UnitOfWork, trainee: TraineeRecord, catalogue: Catalogue) -> str:
    """A trainee's sessions as a Strong-style CSV (the importer reads it back)."""
    return strong_csv(uow.sessions.sessions(trainee), catalogue)


def import_history(
    engine: Engine,
    name: str,
    text: str,
    *,
    fmt: HistoryFormat | None,
    names: NameMap,
    catalogue: Catalogue,
    today: dt.date,
    unit: Unit = Unit.KG,
    preview: bool = False,
    source: str = "the file",
) -> tuple[ImportPlan, int]:
    """Check an export and, unless ``preview``, add it to the trainee's history in one
    transaction; the plan and the sets written (0 for a preview or nothing new)."""
    with UnitOfWork(engine, write=not preview) as uow:
        trainee = uow.trainees.get(name)
        plan = plan_history_import(
            uow,
            trainee,
            text,
            fmt=fmt,
            names=names,
            catalogue=catalogue,
            today=today,
            unit=unit,
            source=source,
        )
        if preview or not plan.sessions:
            return plan, 0
        written = write_history_import(uow, trainee, plan)
        uow.commit()
        return plan, written
