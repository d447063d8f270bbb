"""Kill the process during a burst of writes, many times: every acknowledged session is
there and whole, and nothing half-written is (one transaction per use case)."""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from hingecoach.coach import Profile, ScreenAnswers
from hingecoach.knowledge import load_catalogue
from hingecoach.services.coaching import assess_trainee
from hingecoach.services.trainees import add_trainee
from tests.unit.coach.builders import NO_RED_FLAGS

WRITER = Path(__file__).with_name("crash_writer.py")
ROUNDS = 6
SETS_PER_SESSION = 5

ANSWERS = {
    **NO_RED_FLAGS,
    "current_pain": 0,
    "wall_touch_pass": True,
    "dowel_hinge_pass": True,
    "aslr_score": 2,
    "toe_touch_clean": False,
    "unloaded_hinge_pain": 0,
}


def _run_and_kill(db_url: str, start: int, rng: random.Random) -> list[int]:
    """Start a writer, let it acknowledge a random number of sessions, then SIGKILL it."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    proc = subprocess.Popen(
        [sys.executable, str(WRITER), db_url, str(start)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stdout is not None
    acked: list[int] = []
    try:
        line = proc.stdout.readline()
        assert line.strip() == "ready", proc.stderr.read() if proc.stderr else line
        wanted = rng.randint(2, 25)
        while len(acked) < wanted:
            line = proc.stdout.readline()
            if not line:
                break
            acked.append(int(line.split()[1]))
        time.sleep(rng.uniform(0, 0.02))  # land somewhere inside the next write
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        if proc.stdout:
            proc.stdout.close()
        if proc.stderr:
            proc.stderr.close()
    assert acked, "the writer acknowledged nothing"
    return acked


@pytest.mark.slow
def test_killed_mid_burst_every_acknowledged_session_is_whole(engine: Engine, db_url: str) -> None:
    add_trainee(
        engine,
        "crash",
        Profile.model_validate(
            {"age": 40, "goal": "learn", "training_history": "novice", "body_mass_kg": 70}
        ),
    )
    assess_trainee(
        engine, "crash", ScreenAnswers.model_validate(ANSWERS), load_catalogue([]), dt.date.today()
    )
    rng = random.Random(2026)
    acknowledged: set[int] = set()
    start = 0
    for _ in range(ROUNDS):
        acked = _run_and_kill(db_url, start, rng)
        acknowledged.update(acked)
        start = max(acked) + 2  # the unacknowledged one may or may not have landed
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT s.notes, count(x.id) FROM sessions s "
                "LEFT JOIN sets x ON x.session_id = s.id GROUP BY s.id, s.notes"
            )
        ).all()
    stored = {int(notes.split("-")[1]): count for notes, count in rows}
    missing = acknowledged - set(stored)
    assert not missing, f"acknowledged but lost: {sorted(missing)}"
    half_written = {i: n for i, n in stored.items() if n != SETS_PER_SESSION}
    assert not half_written, f"sessions with missing sets: {half_written}"
    # Every session that was logged also has the coach's decision after it, or none at all.
    with engine.connect() as conn:
        orphans = conn.execute(
            text(
                "SELECT count(*) FROM decisions d WHERE d.session_id IS NOT NULL AND NOT EXISTS "
                "(SELECT 1 FROM sessions s WHERE s.id = d.session_id)"
            )
        ).scalar()
    assert orphans == 0
