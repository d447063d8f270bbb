"""Repositories: convert between database records and the core's models.

They never commit: the service layer owns the transaction (one per use case), so a failure
anywhere leaves the database as it was.
"""

from __future__ import annotations

import datetime as dt
import difflib
import threading
import weakref
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from typing import Any, NamedTuple

from pydantic import TypeAdapter
from sqlalchemy import Engine, bindparam, func, insert, or_, select
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import selectinload

from hingecoach.coach.decisions import Decision, Placement
from hingecoach.coach.models import Profile, ScreenAnswers, Session, SetLog
from hingecoach.errors import ConflictError, UnknownIdError
from hingecoach.store.records import (
    CorrectionRecord,
    DecisionRecord,
    NoteRecord,
    OverrideRecord,
    ScreenRecord,
    SessionRecord,
    SetRecord,
    TraineeRecord,
    UserRecord,
    WorkoutRecord,
    utcnow,
)

__all__ = [
    "PARSED_SESSIONS",
    "CorrectionRepository",
    "DecisionRepository",
    "LatestDecision",
    "LatestOverride",
    "LatestScreen",
    "NoteRepository",
    "ParsedSessions",
    "ScreenRepository",
    "SessionRepository",
    "StoredSession",
    "TraineeRepository",
    "UserRepository",
    "WorkoutRepository",
    "session_from_record",
    "set_to_record",
]


def _json(model: Any) -> Any:
    return model.model_dump(mode="json", exclude_defaults=False)


# The coach's reads on every log, as plain prepared queries (built once: building a query
# and loading ORM objects cost more than running it); ``tid`` is the trainee's id.


@cache
def _trainee_query() -> Any:
    return select(TraineeRecord).where(TraineeRecord.name == bindparam("name"))


@cache
def _latest_screen_query() -> Any:
    t = ScreenRecord.__table__
    return (
        select(t.c.taken_on, t.c.answers, t.c.placement)
        .where(t.c.trainee_id == bindparam("tid"))
        .order_by(t.c.taken_on.desc(), t.c.id.desc())
        .limit(1)
    )


@cache
def _latest_override_query() -> Any:
    o, d = OverrideRecord.__table__, DecisionRecord.__table__
    return (
        select(o.c.made_at, o.c.exercise_id)
        .select_from(o.join(d, o.c.decision_id == d.c.id))
        .where(d.c.trainee_id == bindparam("tid"))
        .order_by(o.c.made_at.desc(), o.c.id.desc())
        .limit(1)
    )


@cache
def _latest_decision_query() -> Any:
    d = DecisionRecord.__table__
    return (
        select(d.c.id, d.c.decision)
        .where(d.c.trainee_id == bindparam("tid"))
        .order_by(d.c.made_at.desc(), d.c.id.desc())
        .limit(1)
    )


# Sessions of training done elsewhere (imports): see importers.names.OTHER_TRAINING.
OTHER_TRAINING_ID = "other-training"


@cache
def _heads_query(limited: bool) -> Any:
    """Each session's id, time stored, next-morning pain and version, newest first.

    Limited, the window is the last ``last`` sessions of the trainee's own exercises and
    every session of other training (imported from another app) on or after the oldest of
    them: an import keeps one session per exercise of each workout, and its leg days must
    not push the trainee's hinge sessions out of what the coach reads. A trainee with fewer
    sessions than ``last`` gets them all."""
    t = SessionRecord.__table__
    query = (
        select(t.c.id, t.c.created_at, t.c.next_morning_pain, t.c.version)
        .where(t.c.trainee_id == bindparam("tid"))
        .order_by(t.c.date.desc(), t.c.id.desc())
    )
    if not limited:
        return query
    oldest_in_window = (
        select(t.c.date)
        .where(t.c.trainee_id == bindparam("tid"), t.c.exercise_id != OTHER_TRAINING_ID)
        .order_by(t.c.date.desc(), t.c.id.desc())
        .limit(1)
        .offset(bindparam("skip"))
        .scalar_subquery()
    )
    return query.where(or_(oldest_in_window.is_(None), t.c.date >= oldest_in_window))


@cache
def _insert_session_query() -> Any:
    return insert(SessionRecord).returning(SessionRecord.id)


@cache
def _insert_decision_query() -> Any:
    return insert(DecisionRecord).returning(DecisionRecord.id)


@cache
def _insert_sets_query() -> Any:
    return insert(SetRecord)


class StoredSession(NamedTuple):
    """A session just stored: its id, exercise and date."""

    id: int
    exercise_id: str
    date: dt.date


class LatestScreen(NamedTuple):
    """The latest assessment's facts (the JSON of its answers and placement)."""

    taken_on: dt.date
    answers: dict[str, Any]
    placement: dict[str, Any]


class LatestOverride(NamedTuple):
    made_at: dt.datetime
    exercise_id: str | None


class LatestDecision(NamedTuple):
    id: int
    decision: dict[str, Any]  # as stored (JSON)


class TraineeRepository:
    def __init__(self, db: DbSession) -> None:
        self.db = db

    def add(self, name: str, profile: Profile) -> TraineeRecord:
        if self.find(name) is not None:
            raise ConflictError(f"a trainee called {name!r} already exists; pick another name")
        record = TraineeRecord(name=name, profile=_json(profile))
        self.db.add(record)
        self.db.flush()
        return record

    def find(self, name: str) -> TraineeRecord | None:
        found: TraineeRecord | None = self.db.scalar(_trainee_query(), {"name": name})
        return found

    def get(self, name: str) -> TraineeRecord:
        record = self.find(name)
        if record is None:
            names = list(self.db.scalars(select(TraineeRecord.name)))
            close = difflib.get_close_matches(name, names, n=3, cutoff=0.5)
            raise UnknownIdError(
                "trainee", name, close, hint="see `hingecoach trainee list` for the names"
            ) from None
        return record

    def list(self) -> Sequence[TraineeRecord]:
        return self.db.scalars(select(TraineeRecord).order_by(TraineeRecord.name)).all()

    @staticmethod
    def profile(record: TraineeRecord) -> Profile:
        return Profile.model_validate(record.profile)

    def update(self, record: TraineeRecord, profile: Profile | None = None) -> None:
        if profile is not None:
            record.profile = _json(profile)
        self.db.flush()


class NoteRepository:
    """A client's dated notes (newest first)."""

    def __init__(self, db: DbSession) -> None:
        self.db = db

    def add(
        self,
        trainee: TraineeRecord,
        text: str,
        *,
        author_id: int | None,
        author_name: str,
        written_at: dt.datetime | None = None,
    ) -> NoteRecord:
        record = NoteRecord(
            trainee_id=trainee.id, author_id=author_id, author_name=author_name, text=text
        )
        if written_at is not None:
            record.written_at = written_at
        self.db.add(record)
        self.db.flush()
        return record

    def list(self, trainee: TraineeRecord) -> list[NoteRecord]:
        return list(
            self.db.scalars(
                select(NoteRecord)
                .where(NoteRecord.trainee_id == trainee.id)
                .order_by(NoteRecord.written_at.desc(), NoteRecord.id.desc())
            )
        )

    def get(self, trainee: TraineeRecord, note_id: int) -> NoteRecord:
        record = self.db.get(NoteRecord, note_id)
        if record is None or record.trainee_id != trainee.id:
            raise UnknownIdError(f"note on {trainee.name}", str(note_id))
        return record


class ScreenRepository:
    def __init__(self, db: DbSession) -> None:
        self.db = db

    def add(
        self,
        trainee: TraineeRecord,
        taken_on: dt.date,
        answers: ScreenAnswers,
        placement: Placement,
    ) -> ScreenRecord:
        record = ScreenRecord(
            trainee_id=trainee.id,
            taken_on=taken_on,
            answers=_json(answers),
            placement=_json(placement),
        )
        self.db.add(record)
        self.db.flush()
        return record

    def latest(self, trainee: TraineeRecord) -> ScreenRecord | None:
        return self.db.scalar(
            select(ScreenRecord)
            .where(ScreenRecord.trainee_id == trainee.id)
            .order_by(ScreenRecord.taken_on.desc(), ScreenRecord.id.desc())
            .limit(1)
        )

    def latest_facts(self, trainee: TraineeRecord) -> LatestScreen | None:
        """What :meth:`latest` holds that the coach reads, without loading the record."""
        row = _run(self.db, _latest_screen_query(), {"tid": trainee.id}).first()
        return None if row is None else LatestScreen(*row)

    def all(self, trainee: TraineeRecord) -> Sequence[ScreenRecord]:
        return self.db.scalars(
            select(ScreenRecord)
            .where(ScreenRecord.trainee_id == trainee.id)
            .order_by(ScreenRecord.taken_on, ScreenRecord.id)
        ).all()


def _set_row(position: int, logged: SetLog) -> dict[str, Any]:
    """A logged set as the columns of its row."""
    return {
        "position": position,
        "reps": logged.reps,
        "seconds": logged.seconds,
        "load_kg": logged.load_kg,
        "band": logged.band,
        "rpe": logged.rpe,
        "rir": logged.rir,
        "form": logged.form.value,
        "faults": join_ids(logged.faults),
        "pain": logged.pain,
        "pain_quality": join_ids(q.value for q in logged.pain_quality),
        "work_set": logged.work_set,
    }


def set_to_record(position: int, logged: SetLog) -> SetRecord:
    return SetRecord(**_set_row(position, logged))


_SET_FIELDS = (
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
)
_SESSIONS = TypeAdapter(list[Session])
_IN_CHUNK = 500  # ids per IN (...) list


class ParsedSessions:
    """Sessions this process has read and validated, so reading them again costs a dict
    lookup (a two-year history is thousands of sets; the coach and the progress page read
    them on every change). Least recently used dropped beyond ``size``.

    A stored session changes only by its next-morning pain (set once, the morning after)
    and by a correction (which adds one to its version), so the key is the database, the
    session's id, the time it was stored (an id SQLite gives again after a delete comes
    with a new time), that pain and the version. Sessions are frozen models: sharing them
    between requests is safe.
    """

    def __init__(self, size: int = 20_000) -> None:
        self.size = size
        self._items: OrderedDict[tuple[Any, ...], Session] = OrderedDict()
        self._added: OrderedDict[tuple[str, int], tuple[dt.datetime, Session]] = OrderedDict()
        self._lock = threading.Lock()

    def remember_added(
        self, database: str, session_id: int, created_at: dt.datetime, session: Session
    ) -> None:
        """A session this process has just stored, as it reads back: the next read of it
        takes it from here instead of reading it again. Its key is checked against the
        database then (an id given again after a rollback comes with another time)."""
        with self._lock:
            self._added[(database, session_id)] = (_utc_naive(created_at), session)
            while len(self._added) > 1024:
                self._added.popitem(last=False)

    def take_added(self, database: str, session_id: int, created_at: dt.datetime) -> Session | None:
        with self._lock:
            found = self._added.pop((database, session_id), None)
        if found is None or found[0] != _utc_naive(created_at):
            return None
        return found[1]

    def get_many(self, keys: Sequence[tuple[Any, ...]]) -> list[Session | None]:
        with self._lock:
            found = [self._items.get(key) for key in keys]
            for key, hit in zip(keys, found, strict=True):
                if hit is not None:
                    self._items.move_to_end(key)
            return found

    def put_many(self, items: Iterable[tuple[tuple[Any, ...], Session]]) -> None:
        with self._lock:
            for key, session in items:
                self._items[key] = session
                self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._added.clear()


def _utc_naive(value: dt.datetime) -> dt.datetime:
    """A stored time as SQLite reads it back (naive, UTC) whatever the database."""
    return value if value.tzinfo is None else value.astimezone(dt.UTC).replace(tzinfo=None)


PARSED_SESSIONS = ParsedSessions()


_DATABASE_KEYS: weakref.WeakKeyDictionary[Engine, str] = weakref.WeakKeyDictionary()


def _database_key(db: DbSession) -> str:
    """The database a session reads, as the parsed sessions' keys name it (rendering the
    URL each time costs more than the lookups it keys)."""
    engine = db.get_bind().engine
    key = _DATABASE_KEYS.get(engine)
    if key is None:
        key = _DATABASE_KEYS[engine] = str(engine.url)
    return key


def _run(db: DbSession, query: Any, params: dict[str, Any]) -> Any:
    """A plain prepared query on the session's connection (inside its transaction),
    past the ORM's layers; pending changes are flushed first, as the ORM would."""
    if db.autoflush:
        db.flush()  # nothing to do (and next to no time) when nothing is pending
    return db.connection().execute(query, params)


def join_ids(ids: Iterable[str]) -> str:
    return ";".join(ids)


def split_ids(text: str) -> list[str]:
    return text.split(";") if text else []


def _set_fields(row: Mapping[Any, Any]) -> dict[str, Any]:
    """A set's row as the session model reads it (as :meth:`SessionRepository._read`)."""
    item = {key: row[key] for key in _SET_FIELDS}
    item["faults"] = split_ids(item["faults"])
    item["pain_quality"] = split_ids(item["pain_quality"])
    return item


def _set_from_record(record: SetRecord) -> dict[str, Any]:
    return {
        "reps": record.reps,
        "seconds": record.seconds,
        "load_kg": record.load_kg,
        "band": record.band,
        "rpe": record.rpe,
        "rir": record.rir,
        "form": record.form,
        "faults": split_ids(record.faults),
        "pain": record.pain,
        "pain_quality": split_ids(record.pain_quality),
        "work_set": record.work_set,
    }


def _session_from_row(
    date: dt.date,
    exercise_id: str,
    prescription: dict[str, Any] | None,
    sets: list[dict[str, Any]],
    next_morning_pain: int | None,
    fatigue_flag: bool,
    notes: str,
) -> Session:
    """A session from its stored columns, validated as :meth:`SessionRepository._read`
    validates the rows it reads."""
    return _SESSIONS.validate_python(
        [
            {
                "date": date,
                "exercise_id": exercise_id,
                "prescription": prescription,
                "sets": sets,
                "next_morning_pain": next_morning_pain,
                "fatigue_flag": fatigue_flag,
                "notes": notes,
            }
        ]
    )[0]


def session_from_record(record: SessionRecord) -> Session:
    return Session.model_validate(
        {
            "date": record.date,
            "exercise_id": record.exercise_id,
            "prescription": record.prescription,
            "sets": [_set_from_record(s) for s in record.sets],
            "next_morning_pain": record.next_morning_pain,
            "fatigue_flag": record.fatigue_flag,
            "notes": record.notes,
        }
    )


class SessionRepository:
    def __init__(self, db: DbSession) -> None:
        self.db = db

    def insert(self, trainee: TraineeRecord, session: Session) -> StoredSession:
        """Store a session and its sets as :meth:`add` does, in two plain statements (no
        ORM objects: a log's own path, where the ORM's flush costs more than the rest)."""
        row: dict[str, Any] = {
            "trainee_id": trainee.id,
            "date": session.date,
            "exercise_id": session.exercise_id,
            "prescription": _json(session.prescription) if session.prescription else None,
            "next_morning_pain": session.next_morning_pain,
            "fatigue_flag": session.fatigue_flag,
            "notes": session.notes,
            "created_at": utcnow(),
            "version": 1,
        }
        conn = self.db.connection()
        session_id: int = conn.execute(_insert_session_query(), row).scalar_one()
        sets = [_set_row(i, s) for i, s in enumerate(session.sets, start=1)]
        if sets:
            conn.execute(_insert_sets_query(), [{**x, "session_id": session_id} for x in sets])
        stored = _session_from_row(
            session.date,
            session.exercise_id,
            row["prescription"],
            [_set_fields(x) for x in sets],
            session.next_morning_pain,
            session.fatigue_flag,
            session.notes,
        )
        database = _database_key(self.db)
        PARSED_SESSIONS.remember_added(database, session_id, row["created_at"], stored)
        return StoredSession(session_id, session.exercise_id, session.date)

    def add(self, trainee: TraineeRecord, session: Session) -> SessionRecord:
        record = SessionRecord(
            trainee_id=trainee.id,
            date=session.date,
            exercise_id=session.exercise_id,
            prescription=_json(session.prescription) if session.prescription else None,
            next_morning_pain=session.next_morning_pain,
            fatigue_flag=session.fatigue_flag,
            notes=session.notes,
            sets=[set_to_record(i, s) for i, s in enumerate(session.sets, start=1)],
        )
        self.db.add(record)
        self.db.flush()
        stored = _session_from_row(
            record.date,
            record.exercise_id,
            record.prescription,
            [_set_from_record(s) for s in record.sets],
            record.next_morning_pain,
            record.fatigue_flag,
            record.notes,
        )
        PARSED_SESSIONS.remember_added(_database_key(self.db), record.id, record.created_at, stored)
        return record

    def records(
        self, trainee: TraineeRecord, *, last: int | None = None
    ) -> Sequence[SessionRecord]:
        """Sessions oldest first; ``last`` keeps only the most recent ones."""
        query = (
            select(SessionRecord)
            .where(SessionRecord.trainee_id == trainee.id)
            .options(selectinload(SessionRecord.sets))
            .order_by(SessionRecord.date.desc(), SessionRecord.id.desc())
        )
        if last is not None:
            query = query.limit(last)
        return list(reversed(self.db.scalars(query).all()))

    def sessions(self, trainee: TraineeRecord, *, last: int | None = None) -> list[Session]:
        """Sessions oldest first (see :meth:`window`)."""
        return self.window(trainee, last=last)[0]

    def window(
        self, trainee: TraineeRecord, *, last: int | None = None
    ) -> tuple[list[Session], dt.datetime | None]:
        """Sessions oldest first, and when the latest of them (by date) was stored. A first
        query reads each session's id, the time it was stored, its next-morning pain and
        version; sessions this process has read before come from :data:`PARSED_SESSIONS`,
        and only the others are read in full and validated (two plain queries, no ORM
        objects)."""
        params: dict[str, Any] = {"tid": trainee.id}
        if last is not None:
            params["skip"] = max(last, 1) - 1
        heads = list(reversed(_run(self.db, _heads_query(last is not None), params).all()))
        if not heads:
            return [], None
        database = _database_key(self.db)
        keys = [(database, *head) for head in heads]
        found = PARSED_SESSIONS.get_many(keys)
        for i, (head, hit) in enumerate(zip(heads, found, strict=True)):
            if hit is None and head[3] == 1:  # never corrected: maybe just stored here
                added = PARSED_SESSIONS.take_added(database, head[0], head[1])
                if added is not None and added.next_morning_pain == head[2]:
                    found[i] = added
                    PARSED_SESSIONS.put_many([(keys[i], added)])
        missing = [head[0] for head, hit in zip(heads, found, strict=True) if hit is None]
        if missing:
            read = self._read(missing)
            parsed: list[tuple[tuple[Any, ...], Session]] = []
            for i, (key, hit) in enumerate(zip(keys, found, strict=True)):
                if hit is None:
                    session = found[i] = read[key[1]]
                    parsed.append((key, session))
            PARSED_SESSIONS.put_many(parsed)
        sessions = [session for session in found if session is not None]
        return sessions, heads[-1][1]

    def _read(self, ids: list[int]) -> dict[int, Session]:
        """These sessions in full, validated, by id."""
        sessions_t = SessionRecord.__table__
        sets_t = SetRecord.__table__
        by_session: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
        rows: list[Any] = []
        for start in range(0, len(ids), _IN_CHUNK):
            chunk = ids[start : start + _IN_CHUNK]
            rows += self.db.execute(select(sessions_t).where(sessions_t.c.id.in_(chunk))).mappings()
            set_rows = self.db.execute(
                select(sets_t)
                .where(sets_t.c.session_id.in_(chunk))
                .order_by(sets_t.c.session_id, sets_t.c.position)
            ).mappings()
            for row in set_rows:
                by_session[row["session_id"]].append(_set_fields(row))
        sessions = _SESSIONS.validate_python(
            [
                {
                    "date": row["date"],
                    "exercise_id": row["exercise_id"],
                    "prescription": row["prescription"],
                    "sets": by_session[row["id"]],
                    "next_morning_pain": row["next_morning_pain"],
                    "fatigue_flag": row["fatigue_flag"],
                    "notes": row["notes"],
                }
                for row in rows
            ]
        )
        return {row["id"]: session for row, session in zip(rows, sessions, strict=True)}

    def get(self, trainee: TraineeRecord, session_id: int) -> SessionRecord:
        """One of this trainee's sessions (someone else's is as unknown as no session)."""
        record = self.db.get(SessionRecord, session_id)
        if record is None or record.trainee_id != trainee.id:
            raise UnknownIdError(
                f"session of {trainee.name}",
                str(session_id),
                hint=f"see `hingecoach session list {trainee.name}` for the ids",
            )
        return record

    def correct(self, record: SessionRecord, session: Session) -> None:
        """Write the corrected sets and notes over the stored ones (one version more)."""
        for old in list(record.sets):
            record.sets.remove(old)
        self.db.flush()  # the old rows go first: positions are unique within a session
        record.sets.extend(set_to_record(i, s) for i, s in enumerate(session.sets, start=1))
        record.notes = session.notes
        record.version = (record.version or 1) + 1
        self.db.flush()

    def delete(self, record: SessionRecord) -> None:
        self.db.delete(record)
        self.db.flush()

    def page(
        self, trainee: TraineeRecord, *, offset: int, limit: int
    ) -> tuple[list[tuple[int, int, Session]], int]:
        """One page of sessions, newest first, as (id, version, session), and how many
        there are in all."""
        query = (
            select(SessionRecord)
            .where(SessionRecord.trainee_id == trainee.id)
            .options(selectinload(SessionRecord.sets))
            .order_by(SessionRecord.date.desc(), SessionRecord.id.desc())
            .offset(offset)
            .limit(limit)
        )
        rows = [(r.id, r.version, session_from_record(r)) for r in self.db.scalars(query)]
        return rows, self.count(trainee)

    def latest(self, trainee: TraineeRecord) -> SessionRecord | None:
        return self.db.scalar(
            select(SessionRecord)
            .where(SessionRecord.trainee_id == trainee.id)
            .order_by(SessionRecord.date.desc(), SessionRecord.id.desc())
            .limit(1)
        )

    def count(self, trainee: TraineeRecord) -> int:
        return (
            self.db.scalar(
                select(func.count())
                .select_from(SessionRecord)
                .where(SessionRecord.trainee_id == trainee.id)
            )
            or 0
        )

    def count_on(self, trainee: TraineeRecord, dates: Iterable[dt.date]) -> dict[dt.date, int]:
        """How many sessions the trainee has on each of ``dates`` (dates with none are
        left out)."""
        wanted = set(dates)
        if not wanted:
            return {}
        # the dates' span, not one bind parameter per date: an import may span years
        rows = self.db.execute(
            select(SessionRecord.date, func.count())
            .where(
                SessionRecord.trainee_id == trainee.id,
                SessionRecord.date.between(min(wanted), max(wanted)),
            )
            .group_by(SessionRecord.date)
        ).all()
        return {day: int(n) for day, n in rows if day in wanted}


class DecisionRepository:
    def __init__(self, db: DbSession) -> None:
        self.db = db

    def add(
        self,
        trainee: TraineeRecord,
        context: str,
        decision: Decision,
        *,
        exercise_id: str | None = None,
        session: SessionRecord | StoredSession | None = None,
        made_at: dt.datetime | None = None,
    ) -> DecisionRecord:
        record = DecisionRecord(
            trainee_id=trainee.id,
            session_id=session.id if session is not None else None,
            context=context,
            action=decision.action.value,
            rules=list(decision.rules),
            reason=decision.reason,
            decision=_json(decision),
            exercise_id=exercise_id,
        )
        if made_at is not None:
            record.made_at = made_at
        self.db.add(record)
        self.db.flush()
        return record

    def list(self, trainee: TraineeRecord, *, last: int | None = None) -> list[DecisionRecord]:
        query = (
            select(DecisionRecord)
            .where(DecisionRecord.trainee_id == trainee.id)
            .options(selectinload(DecisionRecord.overrides))
            .order_by(DecisionRecord.made_at.desc(), DecisionRecord.id.desc())
        )
        if last is not None:
            query = query.limit(last)
        return list(reversed(self.db.scalars(query).all()))

    def page(
        self, trainee: TraineeRecord, *, offset: int, limit: int
    ) -> tuple[Sequence[DecisionRecord], int]:
        """One page of decisions, newest first, and how many there are in all."""
        mine = DecisionRecord.trainee_id == trainee.id
        query = (
            select(DecisionRecord)
            .where(mine)
            .options(selectinload(DecisionRecord.overrides))
            .order_by(DecisionRecord.made_at.desc(), DecisionRecord.id.desc())
            .offset(offset)
            .limit(limit)
        )
        total = self.db.scalar(select(func.count()).select_from(DecisionRecord).where(mine))
        return list(self.db.scalars(query).all()), total or 0

    def get(self, trainee: TraineeRecord, decision_id: int) -> DecisionRecord:
        record = self.db.get(DecisionRecord, decision_id)
        if record is None or record.trainee_id != trainee.id:
            raise UnknownIdError(
                f"decision for {trainee.name}",
                str(decision_id),
                hint=f"see `hingecoach decisions {trainee.name}` for the ids",
            )
        return record

    @staticmethod
    def decision(record: DecisionRecord) -> Decision:
        return Decision.model_validate(record.decision)

    def add_override(
        self,
        record: DecisionRecord,
        *,
        made_by: str,
        why: str,
        exercise_id: str | None = None,
        action: str | None = None,
    ) -> OverrideRecord:
        override = OverrideRecord(
            decision_id=record.id, made_by=made_by, why=why, exercise_id=exercise_id, action=action
        )
        self.db.add(override)
        self.db.flush()
        return override

    def insert(
        self,
        trainee: TraineeRecord,
        context: str,
        decision: Decision,
        *,
        stored: dict[str, Any],
        exercise_id: str | None,
        session: SessionRecord | StoredSession | None,
    ) -> int:
        """Record a decision as :meth:`add` does, in one plain statement (``stored``: its
        JSON, already made); its id."""
        row = {
            "trainee_id": trainee.id,
            "session_id": session.id if session is not None else None,
            "made_at": utcnow(),
            "context": context,
            "action": decision.action.value,
            "rules": list(decision.rules),
            "reason": decision.reason,
            "decision": stored,
            "exercise_id": exercise_id,
        }
        decision_id: int = _run(self.db, _insert_decision_query(), row).scalar_one()
        return decision_id

    def latest_facts(self, trainee: TraineeRecord) -> LatestDecision | None:
        """The id and stored JSON of the latest decision, without loading records."""
        row = _run(self.db, _latest_decision_query(), {"tid": trainee.id}).first()
        return None if row is None else LatestDecision(*row)

    def latest_override_facts(self, trainee: TraineeRecord) -> LatestOverride | None:
        """When the latest override was made and the exercise it chose."""
        row = _run(self.db, _latest_override_query(), {"tid": trainee.id}).first()
        return None if row is None else LatestOverride(*row)

    def latest_override(self, trainee: TraineeRecord) -> OverrideRecord | None:
        return self.db.scalar(
            select(OverrideRecord)
            .join(DecisionRecord)
            .where(DecisionRecord.trainee_id == trainee.id)
            .order_by(OverrideRecord.made_at.desc(), OverrideRecord.id.desc())
            .limit(1)
        )


class CorrectionRepository:
    """Corrections of logged sessions, append-only."""

    def __init__(self, db: DbSession) -> None:
        self.db = db

    def add(self, record: CorrectionRecord) -> CorrectionRecord:
        self.db.add(record)
        self.db.flush()
        return record

    def of_session(self, trainee: TraineeRecord, session_id: int) -> list[CorrectionRecord]:
        return list(
            self.db.scalars(
                select(CorrectionRecord)
                .where(
                    CorrectionRecord.trainee_id == trainee.id,
                    CorrectionRecord.session_id == session_id,
                )
                .order_by(CorrectionRecord.made_at.desc(), CorrectionRecord.id.desc())
            )
        )

    def touching(
        self, trainee: TraineeRecord, decision_ids: Sequence[int]
    ) -> list[CorrectionRecord]:
        """Corrections that made or replaced any of these decisions."""
        if not decision_ids:
            return []
        ids = list(decision_ids)
        return list(
            self.db.scalars(
                select(CorrectionRecord).where(
                    CorrectionRecord.trainee_id == trainee.id,
                    CorrectionRecord.decision_id.in_(ids)
                    | CorrectionRecord.replaced_decision_id.in_(ids),
                )
            )
        )


class UserRepository:
    """Accounts. Lookups that find nothing return None: the service decides what to say."""

    def __init__(self, db: DbSession) -> None:
        self.db = db

    def add(self, *, email: str, display_name: str, role: str, password_hash: str) -> UserRecord:
        if self.by_email(email) is not None:
            raise ConflictError(f"an account for {email!r} already exists")
        record = UserRecord(
            email=email, display_name=display_name, role=role, password_hash=password_hash
        )
        self.db.add(record)
        self.db.flush()
        return record

    def by_id(self, user_id: int) -> UserRecord | None:
        return self.db.get(UserRecord, user_id)

    def by_email(self, email: str) -> UserRecord | None:
        return self.db.scalar(select(UserRecord).where(UserRecord.email == email))

    def by_token_hash(self, token_hash: str) -> UserRecord | None:
        return self.db.scalar(select(UserRecord).where(UserRecord.api_token_hash == token_hash))

    def trainee_of(self, user: UserRecord) -> TraineeRecord | None:
        """The trainee records a trainee's account is linked to."""
        return self.db.scalar(select(TraineeRecord).where(TraineeRecord.user_id == user.id))

    def clients(self, trainer: UserRecord) -> Sequence[TraineeRecord]:
        return self.db.scalars(
            select(TraineeRecord)
            .where(TraineeRecord.trainer_id == trainer.id)
            .order_by(TraineeRecord.name)
        ).all()


class WorkoutRepository:
    """Whole sessions as logged on the *Log* page, by idempotency key (drafts and saved)."""

    def __init__(self, db: DbSession) -> None:
        self.db = db

    def by_key(
        self, trainee: TraineeRecord, key: str, *, lock: bool = False
    ) -> WorkoutRecord | None:
        """The workout with this key; ``lock``: held until the transaction ends (so two
        saves of one key take turns on PostgreSQL)."""
        query = select(WorkoutRecord).where(
            WorkoutRecord.trainee_id == trainee.id, WorkoutRecord.key == key
        )
        if lock:
            query = query.with_for_update()
        return self.db.scalars(query).first()

    def latest_draft(self, trainee: TraineeRecord, day: dt.date) -> WorkoutRecord | None:
        """The draft of ``day`` changed last, if any."""
        return self.db.scalars(
            select(WorkoutRecord)
            .where(
                WorkoutRecord.trainee_id == trainee.id,
                WorkoutRecord.status == "draft",
                WorkoutRecord.date == day,
            )
            .order_by(WorkoutRecord.updated_at.desc(), WorkoutRecord.id.desc())
            .limit(1)
        ).first()

    def add(self, trainee: TraineeRecord, key: str, day: dt.date) -> WorkoutRecord:
        record = WorkoutRecord(
            trainee_id=trainee.id,
            key=key,
            status="draft",
            date=day,
            revision=0,
            entries={},
            notes="",
        )
        self.db.add(record)
        self.db.flush()
        return record
