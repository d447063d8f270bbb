"""`hingecoach worker`: clip-analysis workers of their own (Huey consumers, as processes).

Run any number of them, on any machine that reaches the database and the media
directory; they take jobs from the queue the web app enqueues into (the SQLite queue
file on this machine by default, Redis with ``HINGECOACH_REDIS_URL``). See
``docs/deploy.md``.
"""

from __future__ import annotations

import logging
from typing import Annotated

import typer

from hingecoach.cli.context import get_catalogue, get_engine


def _configure_logging() -> None:
    """One line per event on stderr: the clips done, workers restarted, clips re-queued."""
    logging.basicConfig(
        level=logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    logging.getLogger("hingecoach").setLevel(logging.INFO)


def worker(
    ctx: typer.Context,
    processes: Annotated[
        int,
        typer.Option(
            "--processes",
            min=1,
            max=64,
            envvar="HINGECOACH_WORKER_PROCESSES",
            help="Worker processes, each analysing one clip at a time (one per core "
            "is plenty: a clip's analysis keeps one core busy).",
        ),
    ] = 1,
) -> None:
    """Analyse uploaded clips: workers of their own, beside `serve --no-worker`.

    SIGTERM stops at once (a clip cut off goes back to the queue for the next worker);
    Ctrl+C (SIGINT) lets the clips running finish first, a second Ctrl+C stops at once.
    """
    from hingecoach.cli.output import console
    from hingecoach.services.clip_queue import ClipQueue, QueueSettings, make_consumer

    settings = QueueSettings.from_env()
    engine = get_engine(ctx)  # reaches (and migrates) the database, or one-line error
    queue = ClipQueue(settings, engine, get_catalogue(ctx))
    queue.check()  # Redis answers, the queue file opens: or one-line error
    requeued = queue.requeue_unfinished()
    database = engine.url.render_as_string(hide_password=True)
    console().print(
        f"hingecoach worker: {processes} process{'es' if processes != 1 else ''}; "
        f"queue: {queue.where}; database: {database}; media: {queue.media_dir}"
        + (f"; {requeued} clip(s) waiting" if requeued else ""),
        soft_wrap=True,
        highlight=False,
        markup=False,
    )
    _configure_logging()
    consumer = make_consumer(queue, processes)
    consumer.run()
    # a stop: let the worker processes hand their clips back before this one ends
    for _, process in consumer.worker_threads:
        process.join(timeout=10)
    engine.dispose()
