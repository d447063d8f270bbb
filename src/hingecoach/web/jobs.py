"""The background analysis of uploaded clips, on Huey.

The embedded default keeps the queue in a SQLite file in the user data directory and
runs one worker thread inside the web app (started and stopped with it), so nothing else
has to be started. With ``HINGECOACH_REDIS_URL`` the queue lives in Redis instead (the
in-process worker still runs). Each database has a queue of its own, named from its URL.
Jobs live in the queue's store, so a restart does not lose them; on start, clips still
queued or running (a job cut off mid-way) are enqueued again, and a job for a finished
clip does nothing.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from hingecoach.knowledge import Catalogue
from hingecoach.services import clips
from hingecoach.web.settings import WebSettings

__all__ = ["ClipJobs", "media_dir_for"]

log = logging.getLogger(__name__)


def _data_dir() -> Path:
    from platformdirs import user_data_path

    return user_data_path("hingecoach", appauthor=False)


def media_dir_for(settings: WebSettings) -> Path:
    return settings.media_dir or _data_dir() / "clips"


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
        self.huey = huey
        media_dir = self.media_dir

        @huey.task(name="analyse-clip")  # type: ignore[untyped-decorator]
        def analyse(clip_id: int) -> str:
            return clips.analyse_clip(engine, clip_id, catalogue, media_dir)

        self._analyse = analyse

    def enqueue(self, clip_id: int) -> None:
        self._analyse(clip_id)

    def pending(self) -> int:
        """Jobs waiting in the queue (not the one running)."""
        count: int = self.huey.pending_count()
        return count

    def start(self) -> None:
        """Enqueue again what a restart cut off, then start the in-process worker."""
        if self.settings.jobs_immediate:
            return
        for clip_id in clips.unfinished_clip_ids(self.engine):
            self.enqueue(clip_id)
        if self.settings.jobs_worker:
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
            self._consumer = consumer
            log.info("clip analysis worker started (queue: %s)", type(self.huey).__name__)

    def stop(self) -> None:
        """Stop the worker. A job cut off stays ``running`` and is enqueued on start."""
        consumer, self._consumer = self._consumer, None
        if consumer is None:
            return
        consumer.stop_flag.set()
        for _, thread in [*consumer.worker_threads, ("scheduler", consumer.scheduler)]:
            thread.join(timeout=5)
