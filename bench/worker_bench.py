"""Clip-analysis throughput: 2, 4 and 8 clips queued, analysed by `hingecoach worker`
with 1 and with 2 worker processes; clips per minute.

Each trial has a fresh SQLite database and SQLite queue in a temporary directory: the
worker is started first (its start-up is not counted), then the clips are queued at once
and the clock runs until the last one is finished. Every clip is the same short real
clip from ../shared/data (skipped when absent).

Settings (to keep it short, or to measure more): ``HINGECOACH_BENCH_WORKER_CLIP`` (a clip
file; default ../shared/data/clips/jeffchen-good.mp4, 2 s), ``HINGECOACH_BENCH_WORKER_COUNTS``
(default "2,4,8"), ``HINGECOACH_BENCH_WORKER_PROCESSES`` (default "1,2"). What was used is
printed. Run alone: ``.venv/bin/python bench/worker_bench.py``.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CLIP = REPO.parent / "shared" / "data" / "clips" / "jeffchen-good.mp4"
EXERCISE = "conventional-deadlift"
TIMEOUT_S = 900


def _numbers(name: str, default: str) -> list[int]:
    return [int(n) for n in (os.environ.get(name) or default).split(",") if n.strip()]


def trial(clip: Path, count: int, processes: int) -> float:
    """Seconds from queuing ``count`` clips to the last one finished."""
    from sqlalchemy import func, select

    from hingecoach.coach import demo_profile
    from hingecoach.knowledge import load_catalogue
    from hingecoach.services import clips
    from hingecoach.services.clip_queue import ClipQueue, QueueSettings
    from hingecoach.services.trainees import add_trainee
    from hingecoach.services.uow import UnitOfWork
    from hingecoach.store.migrate import open_database
    from hingecoach.store.records import ClipRecord

    with tempfile.TemporaryDirectory(prefix="hingecoach-worker-bench-") as tmp:
        root = Path(tmp)
        url = f"sqlite:///{root / 'bench.db'}"
        media, jobs = root / "media", root / "jobs.db"
        media.mkdir()
        engine = open_database(url)
        catalogue = load_catalogue(None)
        add_trainee(engine, "Ana", demo_profile())
        settings = QueueSettings(
            media_dir=media, jobs_file=jobs, clip_max_seconds=600, clip_nobody_stop_s=600
        )
        queue = ClipQueue(settings, engine, catalogue)
        env = {
            **os.environ,
            "HINGECOACH_JOBS_FILE": str(jobs),
            "HINGECOACH_MEDIA_DIR": str(media),
            "HINGECOACH_CLIP_MAX_SECONDS": "600",
            "HINGECOACH_CLIP_NOBODY_STOP_SECONDS": "600",
            "XDG_DATA_HOME": str(root / "data"),
        }
        env.pop("HINGECOACH_REDIS_URL", None)
        env.pop("HINGECOACH_QUEUE_NAME", None)
        command = [sys.executable, "-m", "hingecoach", "--db", url, "worker"]
        worker = subprocess.Popen(
            [*command, "--processes", str(processes)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        try:
            assert worker.stdout is not None
            started = worker.stdout.readline()  # the one-line start message
            if not started.startswith("hingecoach worker"):
                raise RuntimeError(f"the worker did not start: {started!r}")
            time.sleep(1.0)  # its processes forked and polling
            ids = []
            for i in range(count):
                stored = f"clip-{i}{clip.suffix}"
                shutil.copyfile(clip, media / stored)
                ids.append(
                    clips.create_clip(
                        engine,
                        "Ana",
                        filename=clip.name,
                        stored_path=stored,
                        exercise_id=EXERCISE,
                        catalogue=catalogue,
                        now=dt.datetime.now(dt.UTC),
                    ).id
                )
            begin = time.perf_counter()
            for clip_id in ids:
                queue.enqueue(clip_id)
            while True:
                with UnitOfWork(engine) as uow:
                    left = uow.db.scalar(
                        select(func.count())
                        .select_from(ClipRecord)
                        .where(ClipRecord.status.in_(("queued", "running")))
                    )
                if not left:
                    return time.perf_counter() - begin
                if time.perf_counter() - begin > TIMEOUT_S:
                    raise RuntimeError(f"{left} clips still waiting after {TIMEOUT_S} s")
                time.sleep(0.1)
        finally:
            worker.send_signal(signal.SIGTERM)
            worker.wait(timeout=30)
            engine.dispose()


def measure() -> str:
    clip = Path(os.environ.get("HINGECOACH_BENCH_WORKER_CLIP") or DEFAULT_CLIP)
    if not clip.is_file():
        return f"skipped (no clip at {clip})"
    from hingecoach.capture.video import probe

    counts = _numbers("HINGECOACH_BENCH_WORKER_COUNTS", "2,4,8")
    workers = _numbers("HINGECOACH_BENCH_WORKER_PROCESSES", "1,2")
    info = probe(clip)
    parts = [
        f"clip {clip.name} ({info.duration_s:.1f} s, {info.width_px}x{info.height_px}, "
        f"{info.fps:.0f} fps)"
    ]
    for processes in workers:
        rates = []
        for count in counts:
            seconds = trial(clip, count, processes)
            rates.append(f"{count} clips {seconds:.1f} s = {count / seconds * 60:.1f}/min")
        parts.append(f"{processes} process{'es' if processes > 1 else ''}: " + ", ".join(rates))
    return "; ".join(parts)


if __name__ == "__main__":
    print(measure())
