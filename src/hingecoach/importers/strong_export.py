"""Write sessions as a Strong-style CSV (today's comma format, weights in kg).

The importer reads it back to the same sessions: one workout per date, each session at its
own minute so two sessions of one exercise on a day stay two; warm-up sets as ``W``. Form
and pain have no column in Strong and are not written (the JSON export keeps everything).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable

from hingecoach.coach.models import Session
from hingecoach.knowledge import Catalogue

__all__ = ["STRONG_COLUMNS", "strong_csv"]

STRONG_COLUMNS = (
    "Date",
    "Workout Name",
    "Duration",
    "Exercise Name",
    "Set Order",
    "Weight",
    "Reps",
    "Distance",
    "Seconds",
    "Notes",
    "Workout Notes",
    "RPE",
)
_WORKOUT_START = dt.time(8, 0)


def _name(session: Session, catalogue: Catalogue) -> str:
    from hingecoach.coach.history_placement import imported_source

    ex = catalogue.exercises.get(session.exercise_id)
    if session.exercise_id == "other-training" and imported_source(session):
        return session.notes.split(", imported from ", 1)[0]
    return ex.name if ex is not None else session.exercise_id


def strong_csv(sessions: Iterable[Session], catalogue: Catalogue) -> str:
    """The sessions, one row per set."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(STRONG_COLUMNS)
    per_day: dict[dt.date, int] = {}
    for session in sessions:
        n = per_day[session.date] = per_day.get(session.date, -1) + 1
        start = dt.datetime.combine(session.date, _WORKOUT_START) + dt.timedelta(minutes=n)
        work = 0
        for s in session.sets:
            if s.work_set:
                work += 1
                order = str(work)
            else:
                order = "W"
            writer.writerow(
                (
                    start.strftime("%Y-%m-%d %H:%M:%S"),
                    "hingecoach",
                    "",
                    _name(session, catalogue),
                    order,
                    f"{s.load_kg:g}" if s.load_kg else "0",
                    "" if s.reps is None else str(s.reps),
                    "",
                    "" if s.seconds is None else f"{s.seconds:g}",
                    "",
                    "",
                    "" if s.effort_rpe is None else f"{s.effort_rpe:g}",
                )
            )
    return buffer.getvalue()
