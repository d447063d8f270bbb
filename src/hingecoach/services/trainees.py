"""Trainee use cases: add, list, show, edit. One transaction each."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy import Engine, select

from hingecoach.coach.models import Profile
from hingecoach.errors import InputError, format_validation_error
from hingecoach.services.uow import UnitOfWork

__all__ = [
    "DeletedTrainee",
    "TraineeSummary",
    "add_trainee",
    "delete_trainee",
    "edit_trainee",
    "get_trainee",
    "list_trainees",
]


class TraineeSummary(BaseModel):
    name: str
    notes: str
    profile: Profile
    sessions: int
    last_session: dt.date | None
    last_exercise_id: str | None
    placed_on: dt.date | None
    placement_exercise_id: str | None


def _validate_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > 80:
        raise InputError("a trainee's name must be 1-80 characters")
    return name


def add_trainee(engine: Engine, name: str, profile: Profile, notes: str = "") -> TraineeSummary:
    with UnitOfWork(engine) as uow:
        uow.trainees.add(_validate_name(name), profile, notes)
        uow.commit()
    return get_trainee(engine, name)


def _summary(uow: UnitOfWork, name: str) -> TraineeSummary:
    record = uow.trainees.get(name)
    last = uow.sessions.latest(record)
    screen = uow.screens.latest(record)
    placement = screen.placement if screen is not None else None
    return TraineeSummary(
        name=record.name,
        notes=record.notes,
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
    notes: str | None = None,
) -> TraineeSummary:
    """Replace the profile, or change some of its fields (dotted paths), or the notes."""
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
        uow.trainees.update(record, profile=new_profile, notes=notes)
        uow.commit()
        return _summary(uow, name)


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
