"""The background analysis of uploaded clips, on Huey.

The embedded default keeps the queue in a SQLite file in the user data directory and
runs one worker thread inside the web app (started and stopped with it), so nothing else
has to be started. With ``HINGECOACH_REDIS_URL`` the queue lives in Redis instead (the
in-process worker still runs). Each database has a queue of its own, named from its URL.
Jobs live in the queue's store, so a restart does not lose them; on start, clips still
queued or running (a job cut off mid-way) are enqueued again, and a job for a finished
clip does nothing.

Behind several server processes (``hingecoach serve --workers N``) every process enqueues,
but one only runs the worker: the one holding an exclusive lock on a file beside the queue
(``<queue>.lock``). The others stand by and retry the lock every few seconds, so when the
worker's process ends, another takes over (the operating system frees the lock).
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from hingecoach.capture.pipeline import EarlyStop
from hingecoach.knowledge import Catalogue
from hingecoach.services import clips
from hingecoach.web.settings import WebSettings

__all__ = ["ClipJobs", "media_dir_for"]

log = logging.getLogger(__name__)

STANDBY_RETRY_S = 5.0  # how often a process without the worker tries to take it over


def _data_dir() -> Path:
    from platformdirs import user_data_path

    return user_data_path("hingecoach", appauthor=False)


def media_dir_for(settings: WebSettings) -> Path:
    return settings.media_dir or clips.default_media_dir()


def _consumer_class() -> Any:
    from huey.consumer import Consumer

    class ThreadConsumer(Consumer):  # type: ignore[misc]
        """A consumer inside the app: its threads only, no signal handlers (those belong
        to the server, and can only be set from the main thread)."""

        def _set_signal_handlers(self) -> None:
            return None

    return ThreadConsumer


class ClipJobs:
    """The queue of clips to analyse, and (for the embedded default) its worker."""

    def __init__(self, settings: WebSettings, engine: Engine, catalogue: Catalogue) -> None:
        from huey import MemoryHuey, RedisHuey, SqliteHuey

        self.settings = settings
        self.engine = engine
        self.media_dir = media_dir_for(settings)
        self.media_dir.mkdir(parents=True, exist_ok=True)
        self._consumer: Any = None
        self._lock_fd: int | None = None
        self._stopping = threading.Event()
        self._standby: threading.Thread | None = None
        # One queue per database: a job names a clip by its id in one database only.
        database = engine.url.render_as_string(hide_password=False) if engine else ""
        queue = "hingecoach-" + hashlib.sha256(database.encode()).hexdigest()[:12]
        huey: Any
        if settings.jobs_immediate:
            huey = MemoryHuey(queue, immediate=True, results=False)
        elif settings.redis_url:
            huey = RedisHuey(queue, url=settings.redis_url, results=False)
        else:
            path = settings.jobs_file or _data_dir() / "jobs" / f"{queue}.db"
            path.parent.mkdir(parents=True, exist_ok=True)
            huey = SqliteHuey("hingecoach", filename=str(path), results=False)
        if settings.jobs_file is not None and not settings.redis_url:
            self.lock_path = settings.jobs_file.with_name(settings.jobs_file.name + ".lock")
        else:
            self.lock_path = _data_dir() / "jobs" / f"{queue}.lock"
        self.huey = huey
        media_dir = self.media_dir

        stop = EarlyStop(nobody_s=settings.clip_nobody_stop_s, max_s=settings.clip_max_seconds)

        @huey.task(name="analyse-clip")  # type: ignore[untyped-decorator]
        def analyse(clip_id: int) -> str:
            return clips.analyse_clip(engine, clip_id, catalogue, media_dir, stop=stop)

        self._analyse = analyse

    def enqueue(self, clip_id: int) -> None:
        self._analyse(clip_id)

    def pending(self) -> int:
        """Jobs waiting in the queue (not the one running)."""
        count: int = self.huey.pending_count()
        return count

    @property
    def runs_worker(self) -> bool:
        """True when this process runs the worker (it holds the queue's lock)."""
        return self._consumer is not None

    def _take_lock(self) -> bool:
        """The queue's worker lock, if no other process holds it (not blocking)."""
        try:
            import fcntl
        except ImportError:  # no flock (Windows): one process is all there is
            return True
        self.lock_path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        self._lock_fd = fd
        return True

    def _release_lock(self) -> None:
        fd, self._lock_fd = self._lock_fd, None
        if fd is not None:
            os.close(fd)  # closing the file frees the lock

    def start(self) -> None:
        """Enqueue again what a restart cut off, then start the in-process worker (in the
        one process that holds the queue's lock; the others stand by)."""
        if self.settings.jobs_immediate:
            return
        if not self.settings.jobs_worker:
            for clip_id in clips.unfinished_clip_ids(self.engine):
                self.enqueue(clip_id)
            return
        self._stopping.clear()
        if not self._take_over():
            self._standby = threading.Thread(
                target=self._stand_by, name="clip-worker-standby", daemon=True
            )
            self._standby.start()

    def _take_over(self) -> bool:
        if not self._take_lock():
            return False
        try:
            for clip_id in clips.unfinished_clip_ids(self.engine):
                self.enqueue(clip_id)
            consumer = _consumer_class()(
                self.huey,
                workers=1,
                worker_type="thread",
                periodic=False,
                check_worker_health=False,
                initial_delay=0.1,
                max_delay=1.0,
            )
            consumer.start()
        except BaseException:
            self._release_lock()
            raise
        self._consumer = consumer
        log.info("clip analysis worker started (queue: %s)", type(self.huey).__name__)
        return True

    def _stand_by(self) -> None:
        while not self._stopping.wait(STANDBY_RETRY_S):
            try:
                if self._take_over():
                    return
            except Exception:  # a database hiccup: try again later
                log.exception("could not take over the clip analysis worker")

    def stop(self) -> None:
        """Stop the worker. A job cut off stays ``running`` and is enqueued on start."""
        self._stopping.set()
        standby, self._standby = self._standby, None
        if standby is not None:
            standby.join(timeout=5)
        consumer, self._consumer = self._consumer, None
        if consumer is not None:
            consumer.stop_flag.set()
            for _, thread in [*consumer.worker_threads, ("scheduler", consumer.scheduler)]:
                thread.join(timeout=5)
        self._release_lock()
