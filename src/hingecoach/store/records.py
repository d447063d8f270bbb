"""Database records (SQLAlchemy 2, typed). Tables only: conversion lives in repositories.

Nested values the core owns as a whole (a profile, screen answers, a prescription, a
decision) are stored as validated JSON documents; what is queried or summed (sessions,
sets, decisions by trainee and date) has columns of its own. Ids in the catalogue are
stored as their slugs, never as foreign keys: the catalogue is data, not a table.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

__all__ = [
    "AccountLinkRecord",
    "Base",
    "CalendarFeedRecord",
    "ClipRecord",
    "CorrectionRecord",
    "DecisionRecord",
    "NoteRecord",
    "OverrideRecord",
    "ProgressCacheRecord",
    "ScreenRecord",
    "SessionRecord",
    "SetRecord",
    "TraineeRecord",
    "UserRecord",
    "WebSessionRecord",
    "WorkoutRecord",
]

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

JsonDoc = JSON().with_variant(JSONB(), "postgresql")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: JsonDoc, list[Any]: JsonDoc}  # noqa: RUF012


class TraineeRecord(Base):
    __tablename__ = "trainees"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    profile: Mapped[dict[str, Any]]
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
    # The trainer who coaches this trainee (None: nobody's client yet).
    trainer_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    # The trainee's own account, if they log in themselves.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # A trainer asked them to take the assessment again: /start before anything else.
    assessment_due: Mapped[bool] = mapped_column(Boolean, default=False)

    sessions: Mapped[list[SessionRecord]] = relationship(
        back_populates="trainee", cascade="all, delete-orphan", passive_deletes=True
    )

    __table_args__ = (Index("ix_trainees_user_id", "user_id", unique=True),)


class NoteRecord(Base):
    """A trainer's dated note on a client: who wrote it, when, and what. The author's
    name is kept as written (it stays when their account goes)."""

    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trainee_id: Mapped[int] = mapped_column(ForeignKey("trainees.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    author_name: Mapped[str] = mapped_column(String(80))
    written_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    text: Mapped[str] = mapped_column(Text)

    __table_args__ = (Index("ix_notes_trainee_written", "trainee_id", "written_at"),)


class UserRecord(Base):
    """A person who logs in: a trainer (owns trainees) or a trainee (owns their own data).

    A trainee's link to their records is ``TraineeRecord.user_id`` (one direction only, so
    the two tables never reference each other in a cycle).
    """

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    role: Mapped[str] = mapped_column(String(10))  # trainer | trainee
    password_hash: Mapped[str] = mapped_column(String(200))  # argon2id, PHC string
    # SHA-256 of the API token (the token itself is shown once and never stored).
    api_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    api_token_created_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # The trainer who invited or added this trainee before their records exist (their
    # first assessment makes them, coached by this trainer).
    trainer_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )


class WebSessionRecord(Base):
    """A signed-in browser: the cookie holds a random id, this table its SHA-256 digest.
    Deleting the row signs that browser out (sign-out, "sign out everywhere")."""

    __tablename__ = "web_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class AccountLinkRecord(Base):
    """A single-use link sent to a person: an invitation (set a first password) or a
    password reset. Only the SHA-256 digest of its random token is kept."""

    __tablename__ = "account_links"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    purpose: Mapped[str] = mapped_column(String(10))  # invite | reset
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class ScreenRecord(Base):
    """An assessment: the answers given and the placement the coach made (R-ASSESS)."""

    __tablename__ = "screens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trainee_id: Mapped[int] = mapped_column(ForeignKey("trainees.id", ondelete="CASCADE"))
    taken_on: Mapped[dt.date] = mapped_column(Date)
    answers: Mapped[dict[str, Any]]
    placement: Mapped[dict[str, Any]]
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (Index("ix_screens_trainee_date", "trainee_id", "taken_on"),)


class SessionRecord(Base):
    """One logged session of one exercise (R-TRACK-1)."""

    __tablename__ = "sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trainee_id: Mapped[int] = mapped_column(ForeignKey("trainees.id", ondelete="CASCADE"))
    date: Mapped[dt.date] = mapped_column(Date)
    exercise_id: Mapped[str] = mapped_column(String(60))
    prescription: Mapped[dict[str, Any] | None]
    next_morning_pain: Mapped[int | None] = mapped_column(Integer)
    fatigue_flag: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # 1 as logged; each correction adds one (what it was is kept in ``corrections``).
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    trainee: Mapped[TraineeRecord] = relationship(back_populates="sessions")
    sets: Mapped[list[SetRecord]] = relationship(
        back_populates="session",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="SetRecord.position",
    )

    __table_args__ = (Index("ix_sessions_trainee_date", "trainee_id", "date", "id"),)


class SetRecord(Base):
    """One logged set (R-TRACK-1)."""

    __tablename__ = "sets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    reps: Mapped[int | None] = mapped_column(Integer)
    seconds: Mapped[float | None] = mapped_column(Float)
    load_kg: Mapped[float | None] = mapped_column(Float)
    band: Mapped[str | None] = mapped_column(String(40))
    rpe: Mapped[float | None] = mapped_column(Float)
    rir: Mapped[float | None] = mapped_column(Float)
    form: Mapped[str] = mapped_column(String(20))
    # Fault ids and pain qualities, ';'-separated: slugs never hold a ';', and plain text
    # reads back far faster than a JSON column over thousands of sets.
    faults: Mapped[str] = mapped_column(String(400), default="")
    pain: Mapped[int] = mapped_column(Integer)
    pain_quality: Mapped[str] = mapped_column(String(200), default="")
    work_set: Mapped[bool] = mapped_column(Boolean, default=True)
    # Source, workout time, exercise and place of a set imported from another app (Strong,
    # Hevy, FitNotes): a second import of the same file finds it and adds nothing.
    import_key: Mapped[str | None] = mapped_column(String(200))

    session: Mapped[SessionRecord] = relationship(back_populates="sets")

    __table_args__ = (
        UniqueConstraint("session_id", "position"),
        Index("ix_sets_import_key", "import_key"),
    )


class DecisionRecord(Base):
    """Every decision the coach made, with its rules and reason, for trainers to review."""

    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trainee_id: Mapped[int] = mapped_column(ForeignKey("trainees.id", ondelete="CASCADE"))
    session_id: Mapped[int | None] = mapped_column(ForeignKey("sessions.id", ondelete="SET NULL"))
    made_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    context: Mapped[str] = mapped_column(String(20))  # screen | prescription | adjust
    action: Mapped[str] = mapped_column(String(20))
    rules: Mapped[list[Any]]
    reason: Mapped[str] = mapped_column(Text)
    decision: Mapped[dict[str, Any]]
    exercise_id: Mapped[str | None] = mapped_column(String(60))

    overrides: Mapped[list[OverrideRecord]] = relationship(
        back_populates="decision", cascade="all, delete-orphan", passive_deletes=True
    )

    __table_args__ = (Index("ix_decisions_trainee_made", "trainee_id", "made_at"),)


class OverrideRecord(Base):
    """A trainer's override of a decision: who, when, why, and what instead."""

    __tablename__ = "overrides"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id", ondelete="CASCADE"))
    made_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    made_by: Mapped[str] = mapped_column(String(80))
    why: Mapped[str] = mapped_column(Text)
    exercise_id: Mapped[str | None] = mapped_column(String(60))
    action: Mapped[str | None] = mapped_column(String(20))

    decision: Mapped[DecisionRecord] = relationship(back_populates="overrides")


class CorrectionRecord(Base):
    """A logged session corrected (its sets or notes edited) or deleted: who, when, the
    session before and after, and the coach's decision it replaced and the new one.

    ``session_id`` is no foreign key: the row outlives a deleted session."""

    __tablename__ = "corrections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trainee_id: Mapped[int] = mapped_column(ForeignKey("trainees.id", ondelete="CASCADE"))
    session_id: Mapped[int] = mapped_column(Integer)
    session_date: Mapped[dt.date] = mapped_column(Date)
    action: Mapped[str] = mapped_column(String(10))  # edit | delete
    made_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    made_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    made_by: Mapped[str] = mapped_column(String(80))
    why: Mapped[str] = mapped_column(Text, default="")
    before: Mapped[dict[str, Any]]
    after: Mapped[dict[str, Any] | None]
    replaced_decision_id: Mapped[int | None] = mapped_column(
        ForeignKey("decisions.id", ondelete="SET NULL")
    )
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id", ondelete="SET NULL"))

    __table_args__ = (Index("ix_corrections_trainee_made", "trainee_id", "made_at"),)


class ClipRecord(Base):
    """An uploaded video of a set and its analysis (queued, running, done or failed).

    Paths are relative to the media directory, so the directory can move."""

    __tablename__ = "clips"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trainee_id: Mapped[int] = mapped_column(ForeignKey("trainees.id", ondelete="CASCADE"))
    uploaded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    filename: Mapped[str] = mapped_column(String(255))  # as uploaded, for display only
    stored_path: Mapped[str] = mapped_column(String(500))
    exercise_id: Mapped[str] = mapped_column(String(60))
    status: Mapped[str] = mapped_column(String(10))  # queued | running | done | failed
    error_code: Mapped[str | None] = mapped_column(String(40))
    error_message: Mapped[str | None] = mapped_column(Text)
    report: Mapped[dict[str, Any] | None] = mapped_column()
    annotated_path: Mapped[str | None] = mapped_column(String(500))
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    logged_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # The worker's claim (hingecoach.services.clip_queue): who analyses it, until when the
    # claim holds unless renewed, how many times it was started, when the latest began.
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    lease_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    claimed_by: Mapped[str | None] = mapped_column(String(80))
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    __table_args__ = (
        Index("ix_clips_trainee_uploaded", "trainee_id", "uploaded_at"),
        Index("ix_clips_status_id", "status", "id"),
    )


class WorkoutRecord(Base):
    """A whole session as logged on the *Log* page (every part, sets done or skipped),
    kept as a draft while in progress and saved once: ``key`` is the session's
    idempotency key, unique per trainee, so a repeated save finds the first one. The
    sessions the coach reads are stored as ``SessionRecord`` beside it; ``session_id``
    is the primary's (None when a save came through the API with no sheet, or the
    primary was skipped)."""

    __tablename__ = "workouts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trainee_id: Mapped[int] = mapped_column(ForeignKey("trainees.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(10))  # "draft" or "saved"
    date: Mapped[dt.date] = mapped_column(Date)
    revision: Mapped[int] = mapped_column(Integer, default=0)
    sheet: Mapped[dict[str, Any] | None]
    entries: Mapped[dict[str, Any]]
    advice: Mapped[dict[str, Any] | None]
    notes: Mapped[str] = mapped_column(Text, default="")
    session_id: Mapped[int | None] = mapped_column(ForeignKey("sessions.id", ondelete="SET NULL"))
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    __table_args__ = (
        UniqueConstraint("trainee_id", "key", name="uq_workouts_trainee_key"),
        Index("ix_workouts_trainee_status", "trainee_id", "status", "date"),
    )


class CalendarFeedRecord(Base):
    """A trainee's private calendar subscription: the SHA-256 digest of its secret token
    (the token is the feed's URL, shown when it is made and never stored). One per
    trainee; revoking deletes the row, making a new one replaces the digest."""

    __tablename__ = "calendar_feeds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trainee_id: Mapped[int] = mapped_column(
        ForeignKey("trainees.id", ondelete="CASCADE"), unique=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ProgressCacheRecord(Base):
    """A trainee's computed progress (R-TRACK-2/3) as JSON, kept with the fingerprint it
    was computed at: the trainee's revision (hingecoach.services.views), the day, the
    window, the catalogue and the code. A cache only: one row per trainee, replaced when
    the fingerprint changes, dropped with the trainee, never exported; a row that does not
    match is computed again (a fresh process then reads one row instead of every set)."""

    __tablename__ = "progress_cache"

    trainee_id: Mapped[int] = mapped_column(
        ForeignKey("trainees.id", ondelete="CASCADE"), primary_key=True
    )
    fingerprint: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
