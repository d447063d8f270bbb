"""`hingecoach plan` through the real command line: from files, and for a stored trainee."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from icalendar import Calendar

from tests.e2e.cli_runner import Result, run
from tests.e2e.test_cli_loop import NO_FLAGS

PROFILE: dict[str, Any] = {
    "name": "Kim",
    "age": 41,
    "goal": "hypertrophy",
    "training_history": "intermediate",
    "body_mass_kg": 72,
    "equipment": {"kettlebells_kg": [12, 16, 20], "bands": ["light", "medium"]},
    "days_available": ["monday", "wednesday", "friday"],
}
MONDAY = dt.date(2025, 3, 3)


def _sets(reps: int, load: float) -> list[dict[str, Any]]:
    return [{"reps": reps, "load_kg": load, "rpe": 8} for _ in range(3)]


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    history = {
        "sessions": [
            {"date": str(MONDAY - dt.timedelta(days=d)), "exercise_id": "kettlebell-deadlift",
             "sets": _sets(9, 16)}
            for d in (7, 5, 3)
        ]
    }  # fmt: skip
    paths = {"profile": tmp_path / "profile.yaml", "history": tmp_path / "history.json"}
    paths["profile"].write_text(yaml.safe_dump(PROFILE))
    paths["history"].write_text(json.dumps(history))
    return paths


def _stateless(files: dict[str, Path], *args: str) -> Result:
    return run(
        "plan", "--profile", str(files["profile"]), "--history", str(files["history"]),
        "--start", str(MONDAY), "--as-of", str(MONDAY), *args,
    )  # fmt: skip


def test_stateless_plan_prints_a_readable_week_by_week_table(files: dict[str, Path]) -> None:
    result = _stateless(files, "--weeks", "6")
    assert result.code == 0, result.err
    out = result.out
    assert "Week 1" in out and "Week 6" in out and "DELOAD" in out
    assert "Kettlebell deadlift" in out and "R-PLAN-1" in out and "R-PLAN-4" in out
    assert out.index("Week 5") < out.index("DELOAD", out.index("Week 5"))


def test_stateless_plan_json_and_files(files: dict[str, Path], tmp_path: Path) -> None:
    html, ics = tmp_path / "plan.html", tmp_path / "plan.ics"
    result = _stateless(files, "--weeks", "5", "--json", "--print", str(html), "--ics", str(ics))
    assert result.code == 0, result.err
    body = json.loads(result.out)  # only JSON on stdout; notices go to stderr
    assert [w["kind"] for w in body["plan_weeks"]] == ["build"] * 4 + ["deload"]
    assert body["schedule"]["days"] == ["monday", "wednesday", "friday"]
    assert "Wrote" in result.err
    assert html.read_text().count('<section class="week"') == 5
    events = list(Calendar.from_ical(ics.read_bytes()).walk("VEVENT"))
    assert len(events) == sum(len(w["sessions"]) for w in body["plan_weeks"]) == 15


def test_refused_schedule_is_one_clear_message(files: dict[str, Path]) -> None:
    result = _stateless(files, "--days", "mon,tue", "--sessions", "2")
    assert result.code == 2 and "Traceback" not in result.err
    assert "cannot hold 2 hinge sessions" in result.err and "Monday" in result.err
    assert "R-PLAN-1" in result.err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--weeks", "20"), "4-16 weeks"),
        (("--deload-every", "9"), "4-6 weeks"),
        (("--days", "funday"), "not a day"),
        (("--start", "next week"), "YYYY-MM-DD"),
    ],
)
def test_bad_options_are_input_errors(
    files: dict[str, Path], args: tuple[str, ...], message: str
) -> None:
    result = _stateless(files, *args)
    assert result.code == 2 and message in result.err, result.err


def test_pdf_without_or_with_chromium(
    files: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no Chromium on this PATH
    result = _stateless(files, "--weeks", "4", "--pdf", str(tmp_path / "plan.pdf"))
    assert result.code == 1 and "needs Chromium" in result.err
    assert "Traceback" not in result.err


def test_stored_trainee_plan_is_re_planned_on_every_log(
    tmp_path: Path, files: dict[str, Path]
) -> None:
    db = tmp_path / "coach.db"

    def cli(*args: str) -> Result:
        return run("--db", f"sqlite:///{db}", *args)

    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(NO_FLAGS))
    assert cli("trainee", "add", "Kim", "--profile", str(files["profile"])).code == 0
    assert cli("assess", "Kim", "--answers", str(answers)).code == 0
    today = dt.date.today()
    monday = today - dt.timedelta(days=today.weekday())
    start = str(monday - dt.timedelta(days=7))  # last week: its sessions are in the past now

    def plan_json() -> dict[str, Any]:
        result = cli("plan", "Kim", "--weeks", "4", "--start", start, "--json")
        assert result.code == 0, result.err
        data: dict[str, Any] = json.loads(result.out)
        return data

    before = plan_json()
    first_week = before["plan_weeks"][0]["sessions"]
    assert {s["status"] for s in first_week} == {"missed"}  # nothing logged yet
    placed = first_week[0]["blocks"][1]["exercises"][0]["exercise_id"]

    session = tmp_path / "session.json"
    day = dt.date.fromisoformat(first_week[0]["date"])
    session.write_text(
        json.dumps({"date": str(day), "exercise_id": placed, "sets": [{"reps": 10}] * 3})
    )
    assert cli("log", "Kim", "--file", str(session)).code == 0
    after = plan_json()
    statuses = [s["status"] for s in after["plan_weeks"][0]["sessions"]]
    assert statuses[0] == "done" and after["plan_weeks"][0]["sessions"][0]["logged"]
    assert any("R-PLAN-5" in c["rules"] for c in after["changes"])
    shown = cli("plan", "Kim", "--weeks", "4", "--start", start)
    assert shown.code == 0 and "done" in shown.out and "Re-planned" in shown.out


def test_stored_trainee_not_assessed(tmp_path: Path, files: dict[str, Path]) -> None:
    db = f"sqlite:///{tmp_path / 'coach.db'}"
    run("--db", db, "trainee", "add", "Kim", "--profile", str(files["profile"]))
    result = run("--db", db, "plan", "Kim")
    assert result.code == 2 and "not been assessed" in result.err
