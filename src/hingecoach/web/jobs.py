"""The background analysis of uploaded clips, inside the web app.

The queue and its task are :mod:`hingecoach.services.clip_queue`, shared with
``hingecoach worker`` (workers of their own, as separate processes on any machine). The
embedded default keeps the queue in a SQLite file in the user data directory and runs one
worker thread inside the web app (started and stopped with it), so nothing else has to be
started. With ``HINGECOACH_REDIS_URL`` the queue lives in Redis instead. With
``serve --no-worker`` (``jobs_worker`` off) the app only enqueues: ``hingecoach worker``
processes analyse. Jobs live in the queue's store, so a restart does not lose them; on
start, clips still queued are enqueued again, and a job for a finished clip (or one another
worker holds) does nothing.

Behind several server processes (``hingecoach serve --workers N``) every process enqueues,
but one only runs the worker: the one holding an exclusive lock on a file beside the queue
(``<queue>.lock``). The others stand by and retry the lock every few seconds, so when the
worker's process ends, another takes over (the operating system frees the lock). The
process with the worker also queues again the clips whose worker died mid-analysis.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from hingecoach.knowledge import Catalogue
from hingecoach.services import clips
from hingecoach.services.clip_queue import ClipQueue, QueueSettings, data_dir
from hingecoach.web.settings import WebSettings

__all__ = ["ClipJobs", "media_dir_for", "queue_settings"]

log = logging.getLogger(__name__)

STANDBY_RETRY_S = 5.0  # how often a process without the worker tries to take it over


def media_dir_for(settings: WebSettings) -> Path:
    return settings.media_dir or clips.default_media_dir()


def queue_settings(settings: WebSettings) -> QueueSettings:
    """The queue's part of the web app's settings."""
    return QueueSettings(
        media_dir=media_dir_for(settings),
        redis_url=settings.redis_url,
        jobs_file=settings.jobs_file,
        queue_name=settings.queue_name,
        immediate=settings.jobs_immediate,
        clip_max_seconds=settings.clip_max_seconds,
        clip_nobody_stop_s=settings.clip_nobody_stop_s,
        lease_s=settings.clip_lease_s,
        max_attempts=settings.clip_max_attempts,
    )


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
        self.settings = settings
        self.engine = engine
        self.queue = ClipQueue(queue_settings(settings), engine, catalogue)
        self.media_dir = self.queue.media_dir
        self.huey = self.queue.huey
        self._consumer: Any = None
        self._lock_fd: int | None = None
        self._stopping = threading.Event()
        self._supervisor: threading.Thread | None = None
        if settings.jobs_file is not None and not settings.redis_url:
            self.lock_path = settings.jobs_file.with_name(settings.jobs_file.name + ".lock")
        else:
            self.lock_path = data_dir() / "jobs" / f"{self.queue.name}.lock"

    def enqueue(self, clip_id: int) -> None:
        self.queue.enqueue(clip_id)

    def pending(self) -> int:
        """Jobs waiting in the queue (not the one running)."""
        return self.queue.pending()

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
        """Start the in-process worker (in the one process that holds the queue's lock;
        the others stand by), after enqueuing again what a restart cut off. Pages only
        (``jobs_worker`` off): nothing to start, ``hingecoach worker`` analyses."""
        if self.settings.jobs_immediate or not self.settings.jobs_worker:
            return
        self._stopping.clear()
        self._take_over()
        self._supervisor = threading.Thread(
            target=self._supervise, name="clip-worker-supervisor", daemon=True
        )
        self._supervisor.start()

    def _take_over(self) -> bool:
        if not self._take_lock():
            return False
        try:
            self.queue.requeue_unfinished()
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
        log.info("clip analysis worker started (queue: %s)", self.queue.where)
        return True

    def _supervise(self) -> None:
        """Stand by for the lock; once holding it, queue again the clips whose worker
        (this one before a restart, or a `hingecoach worker` elsewhere) died mid-clip."""
        while True:
            wait = self.queue.reap_interval_s if self.runs_worker else STANDBY_RETRY_S
            if self._stopping.wait(wait):
                return
            try:
                if self.runs_worker:
                    self.queue.reap()
                else:
                    self._take_over()
            except Exception:  # a database hiccup: try again later
                log.exception("the clip analysis worker could not check the queue")

    def stop(self) -> None:
        """Stop the worker. A job cut off stays ``running`` until its claim lapses, then
        it is queued again (by whichever worker reaps first)."""
        self._stopping.set()
        supervisor, self._supervisor = self._supervisor, None
        if supervisor is not None:
            supervisor.join(timeout=5)
        consumer, self._consumer = self._consumer, None
        if consumer is not None:
            consumer.stop_flag.set()
            for _, thread in [*consumer.worker_threads, ("scheduler", consumer.scheduler)]:
                thread.join(timeout=5)
        self._release_lock()
