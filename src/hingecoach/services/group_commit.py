"""Group commit: writes that arrive together share one transaction and one commit.

Every logged session used to be its own write transaction, with its own commit (on SQLite
an ``fsync`` of the write-ahead log, on PostgreSQL a flush of its WAL). Under many writers
at once the commits queue up one behind the other. Here one writer thread per database
(and process) takes whatever items are waiting when it is free, up to ``max_batch``, and
runs them one after the other in one ``UnitOfWork(write=True)``: each item inside a
savepoint of its own, so an item that fails (bad input, R-PLAN-1 spacing, an idempotency
key another process saved first) rolls back alone and its batch-mates go on; then one
commit. Each caller's future is settled only after that commit returns, so an answer is
never given for a write that is not yet durable. Nothing waits on purpose for a batch to
fill: items that come while a batch commits make the next batch, so a lone write goes as
fast as before.

An item is a function of the unit of work; it runs on the writer thread, in order, after
the items queued before it (so two logs of one trainee see each other, as one after the
other would).
"""

from __future__ import annotations

import queue
import threading
import time
import weakref
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Engine

from hingecoach.services.uow import UnitOfWork

__all__ = ["DEFAULT_MAX_BATCH", "GroupCommit", "group_commit"]

T = TypeVar("T")
_IDLE_S = 30.0  # a writer thread with nothing to do for this long ends
# PostgreSQL keeps up to 64 subtransactions (savepoints) of a transaction in shared
# memory; beyond, every snapshot in every backend reads them from disk. An item takes one
# savepoint, two with an idempotency key.
DEFAULT_MAX_BATCH = 32


@dataclass
class _Item:
    fn: Callable[[UnitOfWork], Any]
    future: Future[Any]


@dataclass(frozen=True)
class BatchStats:
    """How the writes were grouped so far (for the benchmark and the tests)."""

    batches: int
    items: int
    largest: int
    work_s: float  # in the items (reads, checks, the coach, inserts)
    commit_s: float  # in the commits (on SQLite the fsync, on PostgreSQL the WAL flush)


class GroupCommit:
    """One writer thread for ``engine`` that commits waiting items together."""

    def __init__(self, engine: Engine, max_batch: int = DEFAULT_MAX_BATCH) -> None:
        if max_batch < 1:
            raise ValueError("max_batch must be 1 or more")
        # held weakly: the registry below must not keep a disposed app's engine alive
        self._engine = weakref.ref(engine)
        self.max_batch = max_batch
        self._queue: queue.SimpleQueue[_Item] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()
        self._batches = self._items = self._largest = 0
        self._work_s = self._commit_s = 0.0

    @property
    def stats(self) -> BatchStats:
        return BatchStats(self._batches, self._items, self._largest, self._work_s, self._commit_s)

    @property
    def waiting(self) -> int:
        """Items queued and not yet taken into a batch (approximate while they come)."""
        return self._queue.qsize()

    def submit(self, fn: Callable[[UnitOfWork], T]) -> Future[T]:
        """Queue ``fn`` for the next batch; its future holds what it returned (or raised)
        once the batch is committed."""
        future: Future[T] = Future()
        self._queue.put(_Item(fn, future))
        self._ensure_thread()
        return future

    def run(self, fn: Callable[[UnitOfWork], T]) -> T:
        """``submit`` and wait (for callers on a thread of their own, such as the CLI)."""
        return self.submit(fn).result()

    def _ensure_thread(self) -> None:
        with self._start_lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._loop, name="db-group-commit", daemon=True
                )
                self._thread.start()

    def _loop(self) -> None:
        while True:
            try:
                batch = [self._queue.get(timeout=_IDLE_S)]
            except queue.Empty:  # idle: the thread ends; the next submit starts another
                with self._start_lock:
                    if self._queue.empty():
                        self._thread = None
                        return
                continue
            while len(batch) < self.max_batch:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            self._run_batch(batch)

    def _run_batch(self, batch: list[_Item]) -> None:
        outcomes: list[tuple[_Item, bool, Any]] = []
        began = time.perf_counter()
        try:
            engine = self._engine()
            if engine is None:
                raise RuntimeError("the database this write was for is closed")
            with UnitOfWork(engine, write=True) as uow:
                for item in batch:
                    if not item.future.set_running_or_notify_cancel():
                        continue
                    try:
                        with uow.db.begin_nested():
                            value = item.fn(uow)
                            uow.db.flush()
                    except Exception as exc:  # this item alone is rolled back
                        outcomes.append((item, False, exc))
                    else:
                        outcomes.append((item, True, value))
                    # flushed already: the next item starts with an empty identity map
                    # (each flush otherwise walks every object the batch has loaded)
                    uow.db.expunge_all()
                worked = time.perf_counter()
                uow.commit()
                committed = time.perf_counter()
        except BaseException as exc:  # the commit failed: nothing of the batch is stored
            for item in batch:
                if not item.future.done():
                    item.future.set_exception(exc)
            if not isinstance(exc, Exception):
                raise
            return
        self._batches += 1
        self._items += len(batch)
        self._largest = max(self._largest, len(batch))
        self._work_s += worked - began
        self._commit_s += committed - worked
        for item, ok, value in outcomes:  # answered only now, with the batch durable
            if ok:
                item.future.set_result(value)
            else:
                item.future.set_exception(value)


_GROUPS: weakref.WeakKeyDictionary[Engine, GroupCommit] = weakref.WeakKeyDictionary()
_GROUPS_LOCK = threading.Lock()


def group_commit(engine: Engine, max_batch: int = DEFAULT_MAX_BATCH) -> GroupCommit:
    """This process's group commit for ``engine`` (made on first use; ``max_batch`` 1
    commits every item alone, as without group commit)."""
    with _GROUPS_LOCK:
        group = _GROUPS.get(engine)
        if group is None:
            group = _GROUPS[engine] = GroupCommit(engine, max_batch)
        group.max_batch = max(1, max_batch)
        return group
