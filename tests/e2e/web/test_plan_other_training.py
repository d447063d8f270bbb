"""Other training through the web: a Strong history with leg days, imported through the API,
shows on the plan in the API and on the Plan page, counted in each week's load with its
reason and the rule ids as links (R-PLAN-4, R-PLAN-2), and the accessory hinge left out."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from hingecoach.coach import demo_profile
from hingecoach.coach.models import OwnedEquipment
from hingecoach.services.accounts import assign_client
from hingecoach.services.trainees import add_trainee
from hingecoach.web.deps import _today
from tests.e2e.web.conftest import EMAILS, World, login

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "imports"
LAST_DAY = dt.date(2025, 3, 2)  # the fixture's last day, a Sunday


def _this_monday() -> dt.date:
    today = dt.date.today()
    return today - dt.timedelta(days=today.weekday())


def _recent_csv() -> str:
    """The fixture moved by whole weeks so that it ends on the Sunday before this Monday."""
    shift = (_this_monday() - dt.timedelta(days=1)) - LAST_DAY
    text = (FIXTURE / "strong_other_training.csv").read_text(encoding="utf-8")

    def moved(found: re.Match[str]) -> str:
        return str(dt.date.fromisoformat(found.group(0)) + shift)

    return re.sub(r"\d{4}-\d{2}-\d{2}", moved, text)


@pytest.fixture(autouse=True)
def on_this_monday(world: World) -> Iterator[None]:
    """The plan seen on this Monday, whatever day the tests run: later in the week the
    week is planned again from that day (past the 48 h, and rightly silent on them) and the
    last 4 weeks hold fewer of the fixture's sets."""
    world.app.dependency_overrides[_today] = _this_monday
    yield
    del world.app.dependency_overrides[_today]


def _auth(world: World, who: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {world.tokens[who]}"}


@pytest.fixture(scope="module")
def flo(world: World) -> str:
    """Coach A's client who squats and leg-presses three days a week besides deadlifting."""
    engine = world.app.state.engine
    kit = OwnedEquipment(
        barbell_kg=20, plates_kg=[25, 20, 10, 5, 2.5, 1.25], kettlebells_kg=[16, 24],
        bands=["light", "medium"],
    )  # fmt: skip
    add_trainee(engine, "Flo", demo_profile().model_copy(update={"equipment": kit}))
    assign_client(engine, "Flo", EMAILS["coach-a"])
    with TestClient(world.app) as client:
        done = client.post(
            "/api/v1/trainees/Flo/imports",
            json={"csv": _recent_csv()},
            headers=_auth(world, "coach-a"),
        )
    assert done.status_code == 201, done.text
    return "Flo"


def test_r_plan_4_the_api_plan_counts_the_other_training(
    client: TestClient, world: World, flo: str
) -> None:
    got = client.get(f"/api/v1/trainees/{flo}/plan", headers=_auth(world, "coach-a"))
    assert got.status_code == 200, got.text
    plan: dict[str, Any] = got.json()
    assert "conventional deadlift" in plan["decision"]["reason"]
    ahead = plan["plan_weeks"][1]["load"]
    assert ahead["expected"] and ahead["other_sets"] == 24
    assert ahead["other_names"] == ["Squat (Barbell)", "Leg Press"]
    assert ahead["total_sets"] == ahead["hinge_sets"] + 24
    assert ahead["reason"]["rules"] == ["R-PLAN-4", "R-PLAN-2"]
    accessory = [
        ex
        for week in plan["plan_weeks"]
        for s in week["sessions"]
        for b in s["blocks"]
        if b["purpose"] == "accessory"
        for ex in b["exercises"]
        if ex["is_hinge"]
    ]
    assert accessory == []


def test_r_plan_4_the_plan_page_says_why_with_rule_links(
    client: TestClient, world: World, flo: str
) -> None:
    login(client, "coach-a")
    page = client.get(f"/clients/{flo}/plan")
    assert page.status_code == 200
    html = page.text
    assert "Other training: in your last 4 weeks you also trained your legs and hips" in html
    assert "(Squat (Barbell) and Leg Press), about 24 work sets a week" in html
    assert "leaves out the light accessory hinge" in html
    load = re.search(r'<p class="note small week-load">(.*?)</p>', html, re.S)
    assert load is not None
    assert '<a class="rule" href="/rules/R-PLAN-4">R-PLAN-4</a>' in load.group(1)
    assert '<a class="rule" href="/rules/R-PLAN-2">R-PLAN-2</a>' in load.group(1)
    # Sunday's leg day keeps this Monday's hinge session 48 h away (R-PLAN-1)
    assert "48 h after your leg training on Sunday" in html
    assert '<a class="rule" href="/rules/R-PLAN-1">R-PLAN-1</a>' in html
