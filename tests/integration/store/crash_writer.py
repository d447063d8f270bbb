"""A process that logs sessions as fast as it can and acknowledges each one on stdout.

Run by test_crash_safety.py, which kills it with SIGKILL at random moments.
Usage: python crash_writer.py DB_URL START_INDEX
"""

from __future__ import annotations

import datetime as dt
import sys

from hingecoach.coach import Session
from hingecoach.knowledge import load_catalogue
from hingecoach.services.coaching import log_session
from hingecoach.store.migrate import open_database


def main() -> None:
    url, start = sys.argv[1], int(sys.argv[2])
    engine = open_database(url)
    catalogue = load_catalogue([])
    today = dt.date.today()
    first_day = today - dt.timedelta(days=3000)
    print("ready", flush=True)
    for index in range(start, start + 10_000):
        session = Session.model_validate(
            {
                "date": first_day + dt.timedelta(days=index % 2900),
                "exercise_id": "dowel-hip-hinge",
                "notes": f"burst-{index}",
                "sets": [{"reps": 10, "rpe": 7, "pain": 0} for _ in range(5)],
            }
        )
        log_session(engine, "crash", session, catalogue, today)
        print(f"ack {index}", flush=True)


if __name__ == "__main__":
    main()
