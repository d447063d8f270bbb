"""One transaction per use case (the unit of work).

``with UnitOfWork(engine) as uow: ...; uow.commit()`` -- anything not committed is rolled
back when the block ends, so a failure mid-way (bad input, a crash, a full disk) leaves the
database exactly as it was.

``UnitOfWork(engine, write=True)`` is for a use case that reads and then writes (log a
session, then decide the next one). On SQLite it takes the database's write lock first
(``BEGIN IMMEDIATE``), so what it reads cannot change before it writes; writers queue
for it in turn on a lock of their own first (see ``_WriteLock``), because SQLite's own
wait polls with growing sleeps, which under many writers at once gives some of them
seconds of delay.
"""

from __future__ import annotations

import os
import threading
import weakref
from types import TracebackType

from sqlalchemy import Engine
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import sessionmaker

from hingecoach.store.repositories import (
    CorrectionRepository,
    DecisionRepository,
    NoteRepository,
    ScreenRepository,
    SessionRepository,
    TraineeRepository,
    UserRepository,
    WorkoutRepository,
)

__all__ = ["UnitOfWork"]


class _WriteLock:
    """Writers to one SQLite file take turns: the threads of a process on a plain lock,
    the processes on an exclusive ``flock`` of ``<database>.lock`` beside it. Both wake
    the next writer the moment the lock is free (no polling)."""

    def __init__(self, path: str | None) -> None:
        self._threads = threading.Lock()
        self._path = path
        self._fd: int | None = None

    def acquire(self) -> None:
        self._threads.acquire()
        if self._path is None:
            return
        try:
            import fcntl
        except ImportError:  # no flock (Windows): SQLite's own wait does it
            return
        try:
            fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError:  # a read-only folder: SQLite's own wait does it
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except BaseException:
            os.close(fd)
            self._threads.release()
            raise
        self._fd = fd

    def release(self) -> None:
        fd, self._fd = self._fd, None
        try:
            if fd is not None:
                os.close(fd)  # frees the flock
        finally:
            self._threads.release()


_WRITE_LOCKS: weakref.WeakKeyDictionary[Engine, _WriteLock] = weakref.WeakKeyDictionary()
_LOCKS_LOCK = threading.Lock()


def _write_lock(engine: Engine) -> _WriteLock | None:
    """The lock writers to this SQLite database take turns on (None: not SQLite)."""
    if engine.dialect.name != "sqlite":
        return None
    with _LOCKS_LOCK:
        lock = _WRITE_LOCKS.get(engine)
        if lock is None:
            database = engine.url.database
            path = None if not database or database == ":memory:" else database + ".lock"
            lock = _WRITE_LOCKS[engine] = _WriteLock(path)
        return lock


_FACTORIES: weakref.WeakKeyDictionary[Engine, sessionmaker[DbSession]] = weakref.WeakKeyDictionary()


def _session_factory(engine: Engine) -> sessionmaker[DbSession]:
    """One session factory per engine (making one makes a class: not for every request)."""
    with _LOCKS_LOCK:
        factory = _FACTORIES.get(engine)
        if factory is None:
            factory = _FACTORIES[engine] = sessionmaker(engine, expire_on_commit=False)
        return factory


class UnitOfWork:
    trainees: TraineeRepository
    screens: ScreenRepository
    sessions: SessionRepository
    decisions: DecisionRepository
    users: UserRepository
    notes: NoteRepository
    corrections: CorrectionRepository
    workouts: WorkoutRepository
    db: DbSession

    def __init__(self, engine: Engine, *, write: bool = False) -> None:
        self._factory = _session_factory(engine)
        self._lock = _write_lock(engine) if write else None

    def __enter__(self) -> UnitOfWork:
        if self._lock is not None:
            self._lock.acquire()
        try:
            self.db = self._factory()
            if self._lock is not None:
                self.db.connection().exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            if self._lock is not None:
                self._lock.release()
            raise
        self.trainees = TraineeRepository(self.db)
        self.screens = ScreenRepository(self.db)
        self.sessions = SessionRepository(self.db)
        self.decisions = DecisionRepository(self.db)
        self.users = UserRepository(self.db)
        self.notes = NoteRepository(self.db)
        self.corrections = CorrectionRepository(self.db)
        self.workouts = WorkoutRepository(self.db)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # Closing rolls back whatever was not committed, without expiring what was loaded,
        # so records read in the block stay readable after it.
        try:
            self.db.close()
        finally:
            if self._lock is not None:
                self._lock.release()

    def commit(self) -> None:
        self.db.commit()
