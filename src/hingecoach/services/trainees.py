"""Trainee use cases: add, list, show, edit, delete, and a trainer's dated notes on a
client. One transaction each."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy import Engine, select

from hingecoach.coach.models import Profile
from hingecoach.errors import InputError, PermissionDeniedError, format_validation_error
from hingecoach.services.uow import UnitOfWork
from hingecoach.store.records import NoteRecord

__all__ = [
    "COMMAND_LINE",
    "NOTE_MAX_CHARS",
    "DeletedTrainee",
    "Note",
    "TraineeSummary",
    "add_note",
    "add_trainee",
    "delete_note",
    "delete_trainee",
    "edit_trainee",
    "get_trainee",
    "list_notes",
    "list_trainees",
    "validate_name",
]

COMMAND_LINE = "command line"  # the author of a note written with `hingecoach trainee`
NOTE_MAX_CHARS = 4000


class Note(BaseModel):
    """One dated note on a trainee: who wrote it, when, and what."""

    id: int
    author: str
    author_id: int | None
    written_at: dt.datetime
    text: str


class TraineeSummary(BaseModel):
    name: str
    notes: list[Note]  # newest first
    profile: Profile
    sessions: int
    last_session: dt.date | None
    last_exercise_id: str | None
    placed_on: dt.date | None
    placement_exercise_id: str | None


def validate_name(name: str) -> str:
    """The name, stripped; InputError when it cannot be a trainee's name (or a web path)."""
    name = name.strip()
    if not name or len(name) > 80:
        raise InputError("a trainee's name must be 1-80 characters")
    if any(c in "/\\?#%" or not c.isprintable() for c in name):
        raise InputError(
            f"a trainee's name cannot hold / \\ ? # % or control characters (it becomes part "
            f"of web addresses): {name!r}; use letters, digits, spaces, dots or dashes"
        )
    return name


def _note_text(text: str) -> str:
    text = text.strip()
    if not text:
        raise InputError("a note needs some text")
    if len(text) > NOTE_MAX_CHARS:
        raise InputError(f"a note holds at most {NOTE_MAX_CHARS} characters")
    return text


def _note(record: NoteRecord) -> Note:
    written = record.written_at  # stored in UTC; SQLite gives it back without the zone
    return Note(
        id=record.id,
        author=record.author_name,
        author_id=record.author_id,
        written_at=written if written.tzinfo else written.replace(tzinfo=dt.UTC),
        text=record.text,
    )


def add_trainee(
    engine: Engine, name: str, profile: Profile, notes: str = "", author: str = COMMAND_LINE
) -> TraineeSummary:
    """A new trainee; ``notes``, when given, becomes their first note (by ``author``)."""
    with UnitOfWork(engine) as uow:
        record = uow.trainees.add(validate_name(name), profile)
        if notes.strip():
            uow.notes.add(record, _note_text(notes), author_id=None, author_name=author)
        uow.commit()
    return get_trainee(engine, name)


def _summary(uow: UnitOfWork, name: str) -> TraineeSummary:
    record = uow.trainees.get(name)
    last = uow.sessions.latest(record)
    screen = uow.screens.latest(record)
    placement = screen.placement if screen is not None else None
    return TraineeSummary(
        name=record.name,
        notes=[_note(n) for n in uow.notes.list(record)],
        profile=uow.trainees.profile(record),
        sessions=uow.sessions.count(record),
        last_session=last.date if last else None,
        last_exercise_id=last.exercise_id if last else None,
        placed_on=screen.taken_on if screen else None,
        placement_exercise_id=placement.get("exercise_id") if placement else None,
    )


def get_trainee(engine: Engine, name: str) -> TraineeSummary:
    with UnitOfWork(engine) as uow:
        return _summary(uow, name)


def list_trainees(engine: Engine) -> list[TraineeSummary]:
    with UnitOfWork(engine) as uow:
        return [_summary(uow, t.name) for t in uow.trainees.list()]


def _set_path(data: dict[str, Any], dotted: str, value: Any) -> None:
    keys = dotted.split(".")
    target = data
    for key in keys[:-1]:
        nested = target.get(key)
        if not isinstance(nested, dict):
            nested = {}
            target[key] = nested
        target = nested
    target[keys[-1]] = value


def edit_trainee(
    engine: Engine,
    name: str,
    *,
    profile: Profile | None = None,
    changes: dict[str, Any] | None = None,
    note: str | None = None,
) -> TraineeSummary:
    """Replace the profile, or change some of its fields (dotted paths); add a note (by
    the command line). All or nothing."""
    with UnitOfWork(engine) as uow:
        record = uow.trainees.get(name)
        new_profile = profile
        if changes:
            data = (profile or uow.trainees.profile(record)).model_dump(mode="json")
            for path, value in changes.items():
                _set_path(data, path, value)
            try:
                new_profile = Profile.model_validate(data)
            except ValidationError as exc:
                raise InputError(format_validation_error("profile", exc)) from None
        uow.trainees.update(record, profile=new_profile)
        if note is not None:
            uow.notes.add(record, _note_text(note), author_id=None, author_name=COMMAND_LINE)
        uow.commit()
        return _summary(uow, name)


def list_notes(engine: Engine, name: str) -> list[Note]:
    """A trainee's notes, newest first."""
    with UnitOfWork(engine) as uow:
        return [_note(n) for n in uow.notes.list(uow.trainees.get(name))]


def add_note(
    engine: Engine,
    name: str,
    text: str,
    *,
    author_id: int,
    author_name: str,
    now: dt.datetime | None = None,
) -> Note:
    """A trainer's note on a client, dated now. (Who may write it is the caller's check:
    a trainer, on their own client.)"""
    text = _note_text(text)
    with UnitOfWork(engine) as uow:
        record = uow.notes.add(
            uow.trainees.get(name),
            text,
            author_id=author_id,
            author_name=author_name[:80],
            written_at=now,
        )
        note = _note(record)
        uow.commit()
        return note


def delete_note(engine: Engine, name: str, note_id: int, *, author_id: int) -> None:
    """Delete a note; only its author may (anyone else: refused, nothing changed)."""
    with UnitOfWork(engine) as uow:
        record = uow.notes.get(uow.trainees.get(name), note_id)
        if record.author_id != author_id:
            raise PermissionDeniedError("only the trainer who wrote a note can delete it")
        uow.db.delete(record)
        uow.commit()


@dataclass(frozen=True)
class DeletedTrainee:
    name: str
    sessions: int
    clips: int
    files_removed: int
    account_deleted: bool


def delete_trainee(engine: Engine, name: str, media_dir: Path | None) -> DeletedTrainee:
    """Delete a trainee with everything recorded about them (sessions, sets, screens,
    decisions and overrides, clips, notes) and their own sign-in, in one transaction;
    once it is committed, their uploaded and annotated clip files under ``media_dir``.
    If the transaction fails, nothing is deleted, files included."""
    from hingecoach.services.clips import remove_media
    from hingecoach.store.records import ClipRecord, UserRecord

    with UnitOfWork(engine, write=True) as uow:
        record = uow.trainees.get(name)
        sessions = uow.sessions.count(record)
        files: list[str | None] = []
        clips = uow.db.execute(
            select(ClipRecord.stored_path, ClipRecord.annotated_path).where(
                ClipRecord.trainee_id == record.id
            )
        ).all()
        for stored, annotated in clips:
            files += [stored, annotated]
        user = uow.db.get(UserRecord, record.user_id) if record.user_id is not None else None
        uow.db.delete(record)  # the database cascades to everything recorded about them
        if user is not None and user.role == "trainee":
            uow.db.delete(user)
        uow.commit()
    removed = remove_media(media_dir, files) if media_dir is not None else []
    return DeletedTrainee(name, sessions, len(clips), len(removed), user is not None)
