"""Import a five-year Strong history (about 10,000 sets) the way `hingecoach import` does.

Prints the time to read, check and write the file into a fresh SQLite database, and the
time of a second import of the same file (which adds nothing). Run alone with
``.venv/bin/python bench/import_bench.py``, or as part of ``make bench``.
"""

from __future__ import annotations

import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Engine

HEADER = (
    "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,"
    "Workout Notes,RPE"
)
_WORKOUT = (  # (exercise, work sets, reps, start kg): 13 sets, one a warm-up
    ("Deadlift (Barbell)", 3, 5, 80.0),
    ("Romanian Deadlift (Barbell)", 3, 8, 50.0),
    ("Squat (Barbell)", 3, 5, 60.0),
    ("Bench Press (Barbell)", 3, 8, 50.0),
)


def five_years_of_strong(last_day: dt.date) -> tuple[str, int]:
    """Three workouts a week for five years; the text and its number of sets."""
    lines = [HEADER]
    days = [last_day - dt.timedelta(days=d) for d in range(5 * 365) if d % 7 in (0, 2, 4)]
    sets = 0
    for n, day in enumerate(reversed(days)):
        when = f"{day} 18:{n % 60:02d}:00"
        for name, count, reps, start in _WORKOUT:
            load = start + 2.5 * (n // 12)
            if name.startswith("Deadlift"):
                lines.append(f"{when},Strength,1h 5m,{name},W,{load / 2:g},5,0,0,,,")
                sets += 1
            for k in range(1, count + 1):
                lines.append(f"{when},Strength,1h 5m,{name},{k},{load:g},{reps},0,0,,,8")
                sets += 1
            lines.append(f"{when},Strength,1h 5m,{name},Rest Timer,0,0,0,120,,,")
    return "\n".join(lines) + "\n", sets


def measure() -> str:
    from hingecoach.coach import Profile

    profile = Profile.model_validate(
        {"age": 40, "goal": "strength", "training_history": "advanced", "body_mass_kg": 85}
    )
    from hingecoach.importers import builtin_names
    from hingecoach.knowledge import load_catalogue
    from hingecoach.services.trainees import add_trainee
    from hingecoach.services.transfer import plan_history_import, write_history_import
    from hingecoach.services.uow import UnitOfWork
    from hingecoach.store.migrate import open_database

    catalogue = load_catalogue([])
    names = builtin_names(catalogue)
    today = dt.date.today()
    text, count = five_years_of_strong(today - dt.timedelta(days=1))

    def run(engine: Engine) -> int:
        with UnitOfWork(engine, write=True) as uow:
            trainee = uow.trainees.get("bench")
            plan = plan_history_import(
                uow, trainee, text, fmt=None, names=names, catalogue=catalogue, today=today
            )
            written = write_history_import(uow, trainee, plan)
            uow.commit()
        return written

    first, again = [], []
    for _ in range(3):
        with tempfile.TemporaryDirectory() as tmp:
            engine = open_database(f"sqlite:///{Path(tmp) / 'bench.db'}")
            add_trainee(engine, "bench", profile)
            start = time.perf_counter()
            written = run(engine)
            first.append(time.perf_counter() - start)
            start = time.perf_counter()
            assert run(engine) == 0
            again.append(time.perf_counter() - start)
            engine.dispose()
    assert written == count
    return (
        f"{count} sets: first import {statistics.median(first):.2f} s, "
        f"the same file again (adds nothing) {statistics.median(again):.2f} s"
    )


if __name__ == "__main__":
    print(measure())
