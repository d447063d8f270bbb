"""Computed views (today's card, progress) cached per trainee, keyed by a cheap revision.

A page view reads one small query first: the trainee's *revision*, a tuple that changes
whenever anything the coach reads changes. When the cache holds a value computed at that
revision, the view is served from it without reading the history or running the coach.

What the revision covers, and why it is enough (every write path keeps to this):

- the trainee row's ``updated_at`` (a profile change, a trainer assigned; the ORM sets it
  on every UPDATE of the row);
- sessions: how many, the highest id, the latest time one was stored (an id SQLite gives
  again after a delete comes with a new time), and the next-morning pain (count and sum;
  the one column written after a session is stored, and never rewritten); sets are
  written with their session and changed only by a correction (below);
- decisions and overrides: how many and the highest id (both are append-only);
- screens (assessments): how many and the highest id;
- corrections of logged sessions (append-only): how many and the highest id. A
  correction rewrites a session's sets in place and adds one to its ``version``.

The revision is read *before* the value is computed, so a value is never stored under a
revision newer than the data it was computed from: a write landing in between only makes
the entry miss next time. Each process has its own cache; the revision comes from the
database, so a write through another process (another worker, the CLI) is seen at once.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from functools import cache
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, bindparam, func, select

from hingecoach.errors import UnknownIdError
from hingecoach.store.records import (
    CorrectionRecord,
    DecisionRecord,
    OverrideRecord,
    ScreenRecord,
    SessionRecord,
    TraineeRecord,
)

__all__ = ["Revision", "TraineeViews", "ViewCache", "revision_in", "trainee_revision"]

T = TypeVar("T")
Revision = tuple[Any, ...]


@cache
def _revision_query() -> Any:
    """Built once (building it costs more than running it); the name is a parameter."""
    t = TraineeRecord.__table__
    s = SessionRecord.__table__
    d = DecisionRecord.__table__
    o = OverrideRecord.__table__
    sc = ScreenRecord.__table__
    c = CorrectionRecord.__table__

    def one(column: Any, where: Any, source: Any = None) -> Any:
        query = select(column).where(where)
        if source is not None:
            query = query.select_from(source)
        return query.scalar_subquery()

    mine_s, mine_d, mine_sc = (
        s.c.trainee_id == t.c.id,
        d.c.trainee_id == t.c.id,
        sc.c.trainee_id == t.c.id,
    )
    overrides = o.join(d, o.c.decision_id == d.c.id)
    return select(
        t.c.id,
        t.c.updated_at,
        one(func.count(), mine_s),
        one(func.max(s.c.id), mine_s),
        one(func.max(s.c.created_at), mine_s),
        one(func.count(s.c.next_morning_pain), mine_s),
        one(func.sum(s.c.next_morning_pain), mine_s),
        one(func.count(), mine_d),
        one(func.max(d.c.id), mine_d),
        one(func.count(), mine_d, overrides),
        one(func.max(o.c.id), mine_d, overrides),
        one(func.count(), mine_sc),
        one(func.max(sc.c.id), mine_sc),
        one(func.count(), c.c.trainee_id == t.c.id),
        one(func.max(c.c.id), c.c.trainee_id == t.c.id),
    ).where(t.c.name == bindparam("name"))


def trainee_revision(engine: Engine, name: str) -> Revision:
    """The trainee's revision: one query, a few index lookups. Unknown name: the same
    error the use cases raise."""
    with engine.connect() as conn:
        return revision_in(conn, name)


def revision_in(conn: Connection, name: str) -> Revision:
    """The trainee's revision as ``conn``'s transaction sees it (its own writes too)."""
    row = conn.execute(_revision_query(), {"name": name}).first()
    if row is None:
        raise UnknownIdError("trainee", name, hint="see `hingecoach trainee list` for the names")
    return tuple(row)


class ViewCache:
    """Values computed from a trainee's records, each kept with the revision it was
    computed at (least recently used dropped beyond ``size``). Thread-safe; one
    computation at a time per key (the others wait for it, then share it)."""

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._values: OrderedDict[Hashable, tuple[Revision, Any]] = OrderedDict()
        self._lock = threading.Lock()
        self._computing: dict[Hashable, threading.Lock] = {}
        self.hits = 0
        self.misses = 0

    def _find(self, key: Hashable, revision: Revision) -> tuple[bool, Any]:
        with self._lock:
            found = self._values.get(key)
            if found is not None and found[0] == revision:
                self._values.move_to_end(key)
                self.hits += 1
                return True, found[1]
            return False, None

    def lookup(self, engine: Engine, name: str, key: Hashable) -> tuple[Revision, bool, Any]:
        """The trainee's revision, and the value for ``(name, key)`` if one was computed at
        it: ``(revision, True, value)``, else ``(revision, False, None)``. One query."""
        revision = trainee_revision(engine, name)
        found, value = self._find((name, key), revision)
        return revision, found, value

    def fill(self, name: str, key: Hashable, revision: Revision, compute: Callable[[], T]) -> T:
        """Compute the value for ``(name, key)`` at ``revision`` (read before calling) and
        keep it; while one thread computes a key, the others asking for it wait."""
        full_key = (name, key)
        with self._lock:
            gate = self._computing.setdefault(full_key, threading.Lock())
        with gate:
            found, value = self._find(full_key, revision)  # computed while we waited
            if found:
                return value  # type: ignore[no-any-return]
            try:
                fresh = compute()
                with self._lock:
                    self.misses += 1
                    self._values[full_key] = (revision, fresh)
                    self._values.move_to_end(full_key)
                    while len(self._values) > self.size:
                        self._values.popitem(last=False)
            finally:
                with self._lock:
                    self._computing.pop(full_key, None)
            return fresh

    def at(self, engine: Engine, name: str) -> TraineeViews:
        """The trainee's values at their current revision, read once (one query) for as
        many values as a page needs."""
        return TraineeViews(self, name, trainee_revision(engine, name))

    def get(self, engine: Engine, name: str, key: Hashable, compute: Callable[[], T]) -> T:
        """The value for ``(name, key)`` at the trainee's current revision, computed by
        ``compute`` when the cache has none."""
        revision, found, value = self.lookup(engine, name, key)
        if found:
            return value  # type: ignore[no-any-return]
        return self.fill(name, key, revision, compute)

    def put(self, name: str, key: Hashable, revision: Revision, value: object) -> None:
        """Keep a value computed elsewhere at ``revision`` (read in the transaction that
        computed it, before its commit: never newer than the value)."""
        with self._lock:
            self._values[(name, key)] = (revision, value)
            self._values.move_to_end((name, key))
            while len(self._values) > self.size:
                self._values.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._values.clear()


class TraineeViews:
    """A trainee's cached values at one revision (see :meth:`ViewCache.at`)."""

    def __init__(self, cache: ViewCache, name: str, revision: Revision) -> None:
        self.cache = cache
        self.name = name
        self.revision = revision

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The value for ``key`` at this revision, computed by ``compute`` when missing."""
        found, value = self.cache._find((self.name, key), self.revision)
        if found:
            return value  # type: ignore[no-any-return]
        return self.cache.fill(self.name, key, self.revision, compute)
