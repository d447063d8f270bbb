"""Helpers for tests that log through the Log page's sheet (as its script does)."""

from __future__ import annotations

import html as htmllib
import json
import re
from typing import Any

from fastapi.testclient import TestClient

from tests.e2e.web.conftest import csrf_from


def log_data(page: str) -> dict[str, Any]:
    """The sheet's data the page hands its script: key, signed sheet, draft."""
    found = re.search(r'<script type="application/json" id="log-data">(.*?)</script>', page, re.S)
    assert found, "no log data on the page"
    data: dict[str, Any] = json.loads(found.group(1).replace("<\\/", "</"))
    return data


def set_rows(page: str) -> list[dict[str, str]]:
    """Each set row of the sheet: its data-* attributes."""
    rows = []
    for tag in re.findall(r'<li class="sheet-set"([^>]*)>', page):
        rows.append(
            {k: htmllib.unescape(v) for k, v in re.findall(r'data-([a-z-]+)="([^"]*)"', tag)}
        )
    return rows


def primary_entries(page: str, reps: int, pain: int = 0, rpe: int = 7) -> dict[str, Any]:
    """The primary's work sets ticked done with ``reps`` each."""
    return {
        row["key"]: {"status": "done", "amount": reps, "rpe": rpe, "pain": pain}
        for row in set_rows(page)
        if row["primary"] == "1"
    }


def save(client: TestClient, page: str, entries: dict[str, Any], key: str | None = None) -> Any:
    data = log_data(page)
    return client.post(
        "/log/save",
        data={
            "csrftoken": csrf_from(page),
            "key": key or data["key"],
            "token": data["token"],
            "entries_json": json.dumps(entries),
        },
        follow_redirects=False,
    )


def draft(client: TestClient, page: str, entries: dict[str, Any], revision: int) -> Any:
    data = log_data(page)
    return client.post(
        "/log/draft",
        json={"key": data["key"], "token": data["token"], "revision": revision, "entries": entries},
        headers={"x-csrftoken": csrf_from(page)},
    )


def add_barbell_trainee(url: str, name: str, email: str, password: str) -> None:
    """A trainee who signs in, on Romanian deadlifts with a barbell and plates (so the
    sheet has ramp-up sets, plates per side and a hinge-and-push superset)."""
    import datetime as dt

    from hingecoach.coach import OwnedEquipment, Session, SetLog, demo_profile, demo_screen_answers
    from hingecoach.knowledge import load_catalogue
    from hingecoach.services.accounts import create_account
    from hingecoach.services.coaching import assess_trainee, log_session
    from hingecoach.services.trainees import add_trainee
    from hingecoach.store.migrate import open_database

    engine = open_database(url)
    catalogue = load_catalogue(None)
    today = dt.date.today()
    equipment = OwnedEquipment(
        barbell_kg=20, plates_kg=[20, 10, 5, 2.5, 1.25, 1.25], bands=["light", "medium"]
    )
    add_trainee(engine, name, demo_profile().model_copy(update={"equipment": equipment}))
    assess_trainee(engine, name, demo_screen_answers(), catalogue, today - dt.timedelta(days=9))
    for days_ago in (7, 4):
        sets = tuple(SetLog(reps=8, load_kg=60, rpe=7) for _ in range(3))
        session = Session(
            date=today - dt.timedelta(days=days_ago), exercise_id="romanian-deadlift", sets=sets
        )
        log_session(engine, name, session, catalogue, today)
    create_account(
        engine,
        email=email,
        password=password,
        display_name=name,
        role="trainee",
        trainee_name=name,
    )
    engine.dispose()
