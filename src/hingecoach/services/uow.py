"""One transaction per use case (the unit of work).

``with UnitOfWork(engine) as uow: ...; uow.commit()`` -- anything not committed is rolled
back when the block ends, so a failure mid-way (bad input, a crash, a full disk) leaves the
database exactly as it was.
"""

from __future__ import annotations

from types import TracebackType

from sqlalchemy import Engine
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import sessionmaker

from hingecoach.store.repositories import (
    DecisionRepository,
    ScreenRepository,
    SessionRepository,
    TraineeRepository,
    UserRepository,
)

__all__ = ["UnitOfWork"]


class UnitOfWork:
    trainees: TraineeRepository
    screens: ScreenRepository
    sessions: SessionRepository
    decisions: DecisionRepository
    users: UserRepository
    db: DbSession

    def __init__(self, engine: Engine) -> None:
        self._factory = sessionmaker(engine, expire_on_commit=False)

    def __enter__(self) -> UnitOfWork:
        self.db = self._factory()
        self.trainees = TraineeRepository(self.db)
        self.screens = ScreenRepository(self.db)
        self.sessions = SessionRepository(self.db)
        self.decisions = DecisionRepository(self.db)
        self.users = UserRepository(self.db)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # Closing rolls back whatever was not committed, without expiring what was loaded,
        # so records read in the block stay readable after it.
        self.db.close()

    def commit(self) -> None:
        self.db.commit()
