"""Scripting the coach from files (issue 15): `next --answers`, `adjust --load --target-rpe`,
`assess --json` led by the most severe decision, `plan --json` refusals with their
alternatives, and errors that name the flag to use."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.e2e.cli_runner import Result, run
from tests.e2e.test_cli_loop import NO_FLAGS

BAR_PROFILE: dict[str, Any] = {
    "age": 45,
    "goal": "strength",
    "training_history": "intermediate",
    "body_mass_kg": 80,
    "equipment": {
        "trap_bar_kg": 25,
        "plates_kg": [20, 20, 10, 10, 5, 5, 2.5, 2.5, 1.25, 1.25],
    },
    "days_available": ["monday", "wednesday", "friday"],
}


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    paths = {"profile": tmp_path / "profile.yaml", "history": tmp_path / "history.json"}
    paths["profile"].write_text(yaml.safe_dump(BAR_PROFILE))
    paths["history"].write_text(json.dumps({"sessions": []}))
    return paths


def _write(tmp_path: Path, name: str, data: Any) -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data))
    return str(path)


def _files(files: dict[str, Path]) -> tuple[str, ...]:
    return ("--profile", str(files["profile"]), "--history", str(files["history"]))


def _json(result: Result) -> Any:
    assert result.code == 0, result.err
    return json.loads(result.out)


def test_r_safe_1_next_with_answers_screens_first(files: dict[str, Path], tmp_path: Path) -> None:
    """`next --answers FILE`: a red flag today means no session, whatever the history says."""
    answers = _write(tmp_path, "answers.json", {**NO_FLAGS, "saddle_numbness": True})
    body = _json(
        run("next", *_files(files), "--start", "trap-bar-deadlift", "--answers", answers, "--json")
    )
    assert body["decision"]["action"] == "emergency" and body["prescription"] is None


def test_r_safe_3_next_with_answers_pain_today_holds(
    files: dict[str, Path], tmp_path: Path
) -> None:
    clear = _write(tmp_path, "clear.json", NO_FLAGS)
    sore = _write(tmp_path, "sore.json", {**NO_FLAGS, "current_pain": 4})
    start = ("--start", "trap-bar-deadlift", "--json")
    fine = _json(run("next", *_files(files), *start, "--answers", clear))
    assert fine["prescription"]["exercise_id"] == "trap-bar-deadlift"
    held = _json(run("next", *_files(files), *start, "--answers", sore))
    assert held["prescription"] is not None
    assert any("Train this" in a for a in held["decision"]["advice"])


def test_r_prog_6_adjust_from_the_planned_load_and_target_rpe(
    files: dict[str, Path], tmp_path: Path
) -> None:
    """`adjust --load KG --target-rpe X`: a set logged without its load is judged from the
    planned load, against the planned effort (R-PROG-6: 2 % per 0.5 RPE, capped at 10 %)."""
    easy = _write(tmp_path, "set.json", [{"reps": 5, "rpe": 6}])
    args = ("adjust", *_files(files), "--start", "trap-bar-deadlift", "--set", easy, "--json")
    planned = _json(run(*args, "--load", "100", "--target-rpe", "8"))
    nxt = planned["next_set"]
    assert 100 < nxt["load_kg"] <= 110 and nxt["load_label"].startswith(f"{nxt['load_kg']:g} kg")
    assert "target 8" in planned["decision"]["reason"]
    hard = _write(tmp_path, "hard.json", [{"reps": 5, "load_kg": 100, "rpe": 9.5}])
    args = ("adjust", *_files(files), "--start", "trap-bar-deadlift", "--set", hard, "--json")
    as_planned = _json(run(*args, "--load", "100", "--target-rpe", "9.5"))
    assert as_planned["next_set"]["load_kg"] == 100
    lighter = _json(run(*args, "--load", "100"))  # the coach's own target RPE: too hard
    assert lighter["next_set"]["load_kg"] < 100


def test_adjust_load_on_an_unloaded_rung_names_the_flag(
    files: dict[str, Path], tmp_path: Path
) -> None:
    one = _write(tmp_path, "set.json", {"reps": 10})
    result = run("adjust", *_files(files), "--start", "hero-squat", "--set", one, "--load", "20")
    assert result.code == 2 and "Traceback" not in result.err
    assert "--load" in result.err and "leave --load out" in result.err


@pytest.mark.parametrize("command", ["next", "adjust"])
def test_missing_start_names_the_flag(files: dict[str, Path], tmp_path: Path, command: str) -> None:
    extra = ("--set", _write(tmp_path, "set.json", {"reps": 10})) if command == "adjust" else ()
    result = run(command, *_files(files), *extra)
    assert result.code == 2 and "Traceback" not in result.err
    assert "--start" in result.err and "placement_or_current_exercise" not in result.err


def test_r_assess_3_assess_json_leads_with_the_most_severe_decision(
    files: dict[str, Path], tmp_path: Path
) -> None:
    """ASLR 0 refers the person: the top-level decision says so, not "go ahead"."""
    answers = _write(tmp_path, "answers.json", {**NO_FLAGS, "aslr_score": 0})
    body = _json(run("assess", "--profile", str(files["profile"]), "--answers", answers, "--json"))
    assert body["placement"]["safety"]["action"] == "refer"
    assert body["decision"]["action"] == "refer"
    assert body["screen_decision"]["action"] == "hold"
    clear = _write(tmp_path, "clear.json", NO_FLAGS)
    fine = _json(run("assess", "--profile", str(files["profile"]), "--answers", clear, "--json"))
    assert fine["decision"] == fine["screen_decision"] and fine["placement"]["exercise_id"]


def test_r_plan_1_plan_json_refusal_carries_the_alternatives(files: dict[str, Path]) -> None:
    result = run(
        "plan", *_files(files), "--start", "2025-03-03", "--as-of", "2025-03-03",
        "--exercise", "trap-bar-deadlift", "--days", "mon,tue", "--sessions", "2", "--json",
    )  # fmt: skip
    assert result.code == 2 and "Traceback" not in result.err
    body = json.loads(result.out)
    assert body["refused"] is True and "R-PLAN-1" in body["reason"]["rules"]
    assert body["wanted"] == 2 and body["days_available"] == ["monday", "tuesday"]
    assert len(body["alternative"]["days"]) == 1  # the nearest valid week on these days
    another = body["with_another_day"]["days"]
    assert len(another) == 2 and body["with_another_day"]["min_gap_h"] >= 48
    assert another != ["monday", "tuesday"]
    assert "cannot hold 2 hinge sessions" in body["error"]


def test_plan_without_a_start_names_the_flag(files: dict[str, Path]) -> None:
    result = run("plan", *_files(files), "--start", "2025-03-03", "--as-of", "2025-03-03")
    assert result.code == 2 and "--exercise" in result.err
    assert "placement_or_current_exercise" not in result.err
