"""A Strong history with leg days besides the deadlifts, imported through the command line:
the plan shows that other training, counts it for the gap (R-PLAN-1) and the week's load
(R-PLAN-4), and leaves out the accessory hinge; the deadlifts alone decide the primary."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.e2e.cli_runner import Result, run

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "imports" / "strong_other_training.csv"
PROFILE: dict[str, Any] = {
    "age": 38,
    "goal": "strength",
    "training_history": "advanced",
    "body_mass_kg": 84,
    "unit": "lb",
    "equipment": {
        "barbell_kg": 20,
        "plates_kg": [25, 20, 10, 5, 2.5, 1.25],
        "kettlebells_kg": [16, 24],
        "bands": ["light", "medium"],
    },
}
PLAN = ("--weeks", "6", "--start", "2025-03-03", "--as-of", "2025-03-03")  # the Monday after
LEG_NAMES = ("Squat (Barbell)", "Leg Press")


def _with(tmp_path: Path, csv: Path) -> Path:
    db = tmp_path / "coach.db"
    profile = tmp_path / "profile.yaml"
    profile.write_text(yaml.safe_dump(PROFILE))
    assert _cli(db, "trainee", "add", "Ana", "--profile", str(profile)).code == 0
    done = _cli(db, "import", str(csv), "Ana", "--from", "strong")
    assert done.code == 0, done.err
    return db


def _cli(db: Path, *args: str) -> Result:
    return run("--db", f"sqlite:///{db}", *args)


def _plan(db: Path) -> dict[str, Any]:
    got = _cli(db, "plan", "Ana", *PLAN, "--json")
    assert got.code == 0, got.err
    data: dict[str, Any] = json.loads(got.out)
    return data


def _accessory_hinges(plan: dict[str, Any]) -> set[str]:
    return {
        ex["name"]
        for week in plan["plan_weeks"]
        for session in week["sessions"]
        for block in session["blocks"]
        if block["purpose"] == "accessory"
        for ex in block["exercises"]
        if ex["is_hinge"]
    }


@pytest.fixture
def without_legs(tmp_path: Path) -> Path:
    """The same history with the leg days taken out."""
    lines = FIXTURE.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines if not any(f",{name}," in line for name in LEG_NAMES)]
    path = tmp_path / "without_legs.csv"
    path.write_text("".join(kept), encoding="utf-8")
    return path


def test_the_preview_keeps_the_leg_days_as_other_training(tmp_path: Path) -> None:
    db = tmp_path / "coach.db"
    profile = tmp_path / "profile.yaml"
    profile.write_text(yaml.safe_dump(PROFILE))
    assert _cli(db, "trainee", "add", "Ana", "--profile", str(profile)).code == 0
    shown = _cli(db, "import", str(FIXTURE), "Ana", "--preview")
    assert shown.code == 0, shown.err
    for line in ("Squat (Barbell): 60 sets", "Leg Press: 36 sets", "Pull Up: 24", "Running: 4"):
        assert line in shown.out


def test_r_plan_4_the_plan_shows_and_counts_the_other_training(tmp_path: Path) -> None:
    plan = _plan(_with(tmp_path, FIXTURE))
    # the primary comes from the deadlifts, never from the squats
    assert "places you on the conventional deadlift" in plan["decision"]["reason"]
    assert "lb x 5 on 24 Feb 2025" in plan["decision"]["reason"]  # in the trainee's unit
    for week in plan["plan_weeks"]:
        load = week["load"]
        assert load is not None and load["expected"] is True
        assert load["other_sets"] == 24 and tuple(load["other_names"]) == LEG_NAMES
        assert load["total_sets"] == load["hinge_sets"] + 24
        assert load["reason"]["rules"] == ["R-PLAN-4", "R-PLAN-2"]
        assert "about 3 days a week (Squat (Barbell) and Leg Press)" in load["reason"]["text"]
    assert _accessory_hinges(plan) == set()
    deload = next(w for w in plan["plan_weeks"] if w["kind"] == "deload")
    assert "ease your other leg training too" in deload["load"]["reason"]["text"]


def test_r_plan_1_sundays_leg_day_moves_mondays_hinge_session(tmp_path: Path) -> None:
    first = _plan(_with(tmp_path, FIXTURE))["plan_weeks"][0]["sessions"][0]
    assert first["planned_for"] == "2025-03-03" and first["date"] > "2025-03-03"
    (note,) = first["notes"]
    assert "at least 48 h after your leg training on Sunday 2 March" in note["text"]
    assert "(Squat (Barbell) and Leg Press, 8 work sets)" in note["text"]
    assert "R-PLAN-1" in note["rules"]


def test_without_the_leg_days_the_plan_is_the_usual_one(tmp_path: Path, without_legs: Path) -> None:
    plan = _plan(_with(tmp_path, without_legs))
    assert all(week["load"] is None for week in plan["plan_weeks"])  # a run and pull-ups only
    assert _accessory_hinges(plan)  # the accessory hinge is back
    first = plan["plan_weeks"][0]["sessions"][0]
    assert first["date"] == "2025-03-03" and not first["notes"]


def test_the_printed_plan_says_why_in_plain_words(tmp_path: Path) -> None:
    db = _with(tmp_path, FIXTURE)
    shown = _cli(db, "plan", "Ana", *PLAN)
    assert shown.code == 0, shown.err
    text = " ".join(shown.out.split())
    assert "Other training: in your last 4 weeks you also trained your legs and hips" in text
    assert "leaves out the light accessory hinge" in text and "(R-PLAN-4, R-PLAN-2)" in text
    assert "48 h after your leg training on Sunday 2 March" in text
    printable = tmp_path / "plan.html"
    assert _cli(db, "plan", "Ana", *PLAN, "--print", str(printable)).code == 0
    assert "Other training: in your last 4 weeks" in printable.read_text(encoding="utf-8")
