"""The queue of clips to analyse, on Huey: what the web app enqueues into and what every
worker consumes, wherever it runs.

One definition serves both sides: the web app (``hingecoach serve``) enqueues each
uploaded clip and, by default, runs one worker thread itself (see
:mod:`hingecoach.web.jobs`); ``hingecoach worker`` runs workers of their own, as separate
processes, on this machine or any other that reaches the same database and media
directory (see ``docs/deploy.md``).

The queue lives in a SQLite file in the user data directory by default (one machine), or
in Redis with ``HINGECOACH_REDIS_URL`` (any number of machines). Each database has a queue
of its own, named from its URL (or ``HINGECOACH_QUEUE_NAME``, the same on every machine
when they write the database's address differently).

A job is idempotent: it claims its clip first (:func:`hingecoach.services.clips.claim_clip`),
renews the claim while it runs, and only the holder stores a result. A worker killed
mid-clip stops renewing; a reaper in every worker queues the clip again once its claim
has lapsed (and fails it after ``HINGECOACH_CLIP_MAX_ATTEMPTS`` starts).
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from hingecoach.errors import InputError
from hingecoach.knowledge import Catalogue
from hingecoach.services import clips

__all__ = [
    "ENV_CLIP_LEASE_SECONDS",
    "ENV_CLIP_MAX_ATTEMPTS",
    "ENV_JOBS_FILE",
    "ENV_QUEUE_NAME",
    "ClipQueue",
    "QueueSettings",
    "env_seconds",
    "env_whole",
    "make_consumer",
    "queue_name_for",
]

log = logging.getLogger(__name__)

ENV_REDIS_URL = "HINGECOACH_REDIS_URL"
ENV_QUEUE_NAME = "HINGECOACH_QUEUE_NAME"
ENV_JOBS_FILE = "HINGECOACH_JOBS_FILE"
ENV_CLIP_MAX_SECONDS = "HINGECOACH_CLIP_MAX_SECONDS"
ENV_CLIP_NOBODY_STOP_SECONDS = "HINGECOACH_CLIP_NOBODY_STOP_SECONDS"
ENV_CLIP_LEASE_SECONDS = "HINGECOACH_CLIP_LEASE_SECONDS"
ENV_CLIP_MAX_ATTEMPTS = "HINGECOACH_CLIP_MAX_ATTEMPTS"


def env_seconds(name: str, default: float, most: float = 24 * 3600) -> float:
    """Seconds from the environment: more than 0, at most a day."""
    text = os.environ.get(name, "").strip()
    try:
        value = float(text) if text else default
    except ValueError:
        raise InputError(f"{name} is a number of seconds, not {text!r}") from None
    if not 0 < value <= most:
        raise InputError(f"{name} must be more than 0 and at most a day in seconds")
    return value


def env_whole(name: str, default: int, least: int = 1, most: int = 1000) -> int:
    """A whole number from the environment, between ``least`` and ``most``."""
    text = os.environ.get(name, "").strip()
    try:
        value = int(text) if text else default
    except ValueError:
        raise InputError(f"{name} is a whole number, not {text!r}") from None
    if not least <= value <= most:
        raise InputError(f"{name} must be from {least} to {most}")
    return value


@dataclass(frozen=True)
class QueueSettings:
    """Where the queue is and how its jobs run (the web app's settings hold the same)."""

    media_dir: Path
    redis_url: str | None = None  # a Redis queue instead of the embedded SQLite file
    jobs_file: Path | None = None  # the embedded queue's file; None: in the data directory
    queue_name: str | None = None  # None: named from the database's URL
    immediate: bool = False  # run each job where it is sent (tests)
    clip_max_seconds: float = 180.0  # the analysis stops a clip running longer
    clip_nobody_stop_s: float = 10.0  # ... or with nobody in view for this long
    lease_s: float = clips.DEFAULT_LEASE_S  # a claim lapses unless renewed within this
    max_attempts: int = clips.DEFAULT_MAX_ATTEMPTS  # starts before a clip is failed

    @classmethod
    def from_env(cls) -> QueueSettings:
        """For ``hingecoach worker``: the same variables the web app reads."""
        return cls(
            media_dir=clips.default_media_dir(),
            redis_url=os.environ.get(ENV_REDIS_URL, "").strip() or None,
            jobs_file=jobs_file_from_env(),
            queue_name=os.environ.get(ENV_QUEUE_NAME, "").strip() or None,
            clip_max_seconds=env_seconds(ENV_CLIP_MAX_SECONDS, cls.clip_max_seconds),
            clip_nobody_stop_s=env_seconds(ENV_CLIP_NOBODY_STOP_SECONDS, cls.clip_nobody_stop_s),
            lease_s=env_seconds(ENV_CLIP_LEASE_SECONDS, cls.lease_s),
            max_attempts=env_whole(ENV_CLIP_MAX_ATTEMPTS, cls.max_attempts),
        )


def jobs_file_from_env() -> Path | None:
    text = os.environ.get(ENV_JOBS_FILE, "").strip()
    return Path(text) if text else None


def data_dir() -> Path:
    from platformdirs import user_data_path

    return user_data_path("hingecoach", appauthor=False)


def queue_name_for(engine: Engine | None, explicit: str | None = None) -> str:
    """The queue's name: ``explicit``, else one per database (a job names a clip by its id
    in one database only)."""
    if explicit:
        return explicit
    database = engine.url.render_as_string(hide_password=False) if engine is not None else ""
    return "hingecoach-" + hashlib.sha256(database.encode()).hexdigest()[:12]


def _redact(url: str) -> str:
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return url.split("@", 1)[-1]


class ClipQueue:
    """The Huey queue of clips and its one task, ``analyse-clip``."""

    def __init__(self, settings: QueueSettings, engine: Engine, catalogue: Catalogue) -> None:
        from huey import MemoryHuey, RedisHuey, SqliteHuey

        from hingecoach.capture.pipeline import EarlyStop

        self.settings = settings
        self.media_dir = settings.media_dir
        self.media_dir.mkdir(parents=True, exist_ok=True)
        self._engine = engine
        self._pid = os.getpid()
        self.name = queue_name_for(engine, settings.queue_name)
        huey: Any
        if settings.immediate:
            huey = MemoryHuey(self.name, immediate=True, results=False)
            self.where = "in the request (immediate)"
        elif settings.redis_url:
            huey = RedisHuey(self.name, url=settings.redis_url, results=False)
            self.where = f"Redis at {_redact(settings.redis_url)}, queue {self.name}"
        else:
            path = settings.jobs_file or data_dir() / "jobs" / f"{self.name}.db"
            path.parent.mkdir(parents=True, exist_ok=True)
            huey = SqliteHuey("hingecoach", filename=str(path), results=False)
            self.jobs_path = path
            self.where = f"SQLite file {path}"
        self.huey = huey
        stop = EarlyStop(nobody_s=settings.clip_nobody_stop_s, max_s=settings.clip_max_seconds)
        queue = self

        @huey.task(name="analyse-clip")  # type: ignore[untyped-decorator]
        def analyse(clip_id: int) -> str:
            started = time.monotonic()
            try:
                status = clips.analyse_clip(
                    queue.engine,
                    clip_id,
                    catalogue,
                    queue.media_dir,
                    stop=stop,
                    lease_s=settings.lease_s,
                    max_attempts=settings.max_attempts,
                )
            except (KeyboardInterrupt, SystemExit):
                # the worker is stopping: the clip went back to queued; the next one takes it
                queue.enqueue(clip_id)
                raise
            log.info("clip %s: %s (%.1f s)", clip_id, status, time.monotonic() - started)
            return status

        self._analyse = analyse

    @property
    def engine(self) -> Engine:
        """The database engine of this process: a forked worker process makes its own
        (a connection must never be shared across a fork)."""
        if self._pid != os.getpid():
            from hingecoach.store.engine import make_engine

            self._engine.dispose(close=False)  # the parent's connections, not ours to close
            self._engine = make_engine(self._engine.url.render_as_string(hide_password=False))
            self._pid = os.getpid()
        return self._engine

    def enqueue(self, clip_id: int) -> None:
        self._analyse(clip_id)

    def pending(self) -> int:
        """Jobs waiting in the queue (not the ones running)."""
        count: int = self.huey.pending_count()
        return count

    def check(self) -> None:
        """Reach the queue's store now (Redis answers; the file opens): an error otherwise."""
        from hingecoach.errors import StoreError

        try:
            self.huey.pending_count()
        except Exception as exc:
            reason = " ".join(str(exc).split()).rstrip(".") or type(exc).__name__
            what = "HINGECOACH_REDIS_URL" if self.settings.redis_url else "the queue file"
            raise StoreError(
                f"cannot reach the clip queue ({self.where}): {reason}; start it, or check {what}"
            ) from None

    def reap(self) -> int:
        """Queue again the clips whose worker stopped renewing its claim; how many."""
        ids = clips.reap_stale_claims(self.engine, max_attempts=self.settings.max_attempts)
        for clip_id in ids:
            log.warning("clip %s: its worker stopped mid-analysis; queued again", clip_id)
            self.enqueue(clip_id)
        return len(ids)

    def requeue_unfinished(self) -> int:
        """After a restart: send a job for every clip still queued (a queue emptied or a
        job lost), and reap the stale claims. A duplicate job does nothing (the claim)."""
        self.reap()
        ids = clips.unfinished_clip_ids(self.engine, statuses=("queued",))
        for clip_id in ids:
            self.enqueue(clip_id)
        return len(ids)

    @property
    def reap_interval_s(self) -> float:
        """How often a worker looks for lapsed claims: half a lease (1-30 s)."""
        return min(30.0, max(1.0, self.settings.lease_s / 2))


def _die_with_parent() -> None:
    """In a worker process: end when the process that started it ends (even killed with
    SIGKILL), so no orphan keeps analysing with nobody to stop it (Linux)."""
    import ctypes
    import signal

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the consumer's own checks remain
        return
    if os.getppid() == 1:  # the parent was gone before the call
        os._exit(1)


def make_consumer(queue: ClipQueue, processes: int) -> Any:
    """Huey's consumer with ``processes`` worker processes (forked), whose main process
    also queues again, every half lease, the clips whose worker died mid-analysis.

    Signals are Huey's: SIGTERM stops at once (a clip cut off goes back to the queue
    for the next worker), SIGINT (Ctrl+C) lets the clips running finish first (a second
    one stops at once). A worker process that dies is started again.
    """
    from huey.consumer import Consumer

    storage = queue.huey.storage

    def startup() -> None:
        _die_with_parent()
        close = getattr(storage, "close", None)
        if callable(close):  # nothing opened by the parent is used across the fork
            close()

    queue.huey.on_startup("hingecoach-worker-process")(startup)

    class ClipConsumer(Consumer):  # type: ignore[misc]
        _next_reap = 0.0

        def loop(self, health_check_ts: float | None = None) -> Any:
            now = time.monotonic()
            if now >= self._next_reap:
                self._next_reap = now + queue.reap_interval_s
                try:
                    queue.reap()
                except Exception:  # the database is away for a moment: next time
                    log.exception("could not look for clips whose worker died")
            return super().loop(health_check_ts)

    return ClipConsumer(
        queue.huey,
        workers=processes,
        worker_type="process",
        periodic=False,
        initial_delay=0.1,
        max_delay=1.0,
        check_worker_health=True,
        health_check_interval=2,
    )
