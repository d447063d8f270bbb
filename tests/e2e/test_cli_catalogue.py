"""The catalogue commands as a user runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import yaml

from hingecoach.knowledge import REQUIRED_EXERCISE_IDS
from tests.e2e.cli_runner import run


def test_list_json_has_every_required_id_with_its_ladder_fields() -> None:
    """R-CAT-2: at least the 20 ids, each with stage, equipment, dose, where it leads."""
    result = run("catalogue", "list", "--json")
    assert result.code == 0, result.err
    rows = {row["id"]: row for row in json.loads(result.out)}
    assert set(REQUIRED_EXERCISE_IDS) <= set(rows)
    for row in rows.values():
        for key in ("stage", "equipment", "load_modes", "dose_modes", "progresses_to"):
            assert key in row
        assert "regresses_to" in row
    assert rows["dowel-hip-hinge"]["stage"] == 1
    assert rows["hero-squat"]["regresses_to"] == []


def test_list_table_and_filters() -> None:
    result = run("catalogue", "list", "--stage", "0")
    assert result.code == 0
    assert "hero-squat" in result.out and "kettlebell-swing" not in result.out
    pushes = json.loads(run("catalogue", "list", "--pattern", "push", "--json").out)
    assert {p["id"] for p in pushes} >= {"push-up", "bench-press", "overhead-press"}


def test_show_by_seed_alias_prints_everything_about_the_exercise() -> None:
    result = run("catalogue", "show", "PVC pipe hinge")
    assert result.code == 0, result.err
    text = result.out
    assert "dowel-hip-hinge" in text
    for heading in ("Set-up", "Cues", "Common faults", "Progresses to", "Regresses to"):
        assert heading in text
    detail = json.loads(run("catalogue", "show", "dowel-hip-hinge", "--json").out)
    assert detail["fault_details"] and all("cue" in f for f in detail["fault_details"])


def test_unknown_id_says_so_and_suggests_the_closest() -> None:
    result = run("catalogue", "show", "kettlebell-swign")
    assert result.code != 0
    assert "unknown exercise 'kettlebell-swign'" in result.err
    assert "kettlebell-swing" in result.err
    assert "Traceback" not in result.err


def test_ladder_draws_stage_by_stage_and_as_dot() -> None:
    text = run("catalogue", "ladder").out
    positions = [text.index(f"Stage {n}") for n in range(5)]
    assert positions == sorted(positions)
    assert text.index("hero-squat") < text.index("conventional-deadlift")
    dot = run("catalogue", "ladder", "--dot").out
    assert dot.startswith("digraph") and '"hero-squat" -> "wall-hip-hinge";' in dot


def test_validate_lists_each_problem_and_exits_non_zero(catalogue_copy: Path) -> None:
    ex = catalogue_copy / "exercises" / "dowel-hip-hinge.yaml"
    data = yaml.safe_load(ex.read_text())
    data["progresses_to"] = ["nowhere-hinge"]
    data["faults"] = [*data["faults"], "no-such-fault"]
    ex.write_text(yaml.safe_dump(data))
    result = run("catalogue", "validate", str(catalogue_copy), "--standalone")
    assert result.code != 0
    assert "unknown exercise 'nowhere-hinge'" in result.err
    assert "unknown fault 'no-such-fault'" in result.err
    assert "dowel-hip-hinge.yaml" in result.err
    assert run("catalogue", "validate").code == 0


def test_env_variable_adds_a_coach_directory(tmp_path: Path) -> None:
    """HINGECOACH_CATALOGUE lays a user's directory over the built-in one."""
    from hingecoach.knowledge import builtin_catalogue_dir

    own = tmp_path / "own" / "exercises"
    own.mkdir(parents=True)
    hero = yaml.safe_load((builtin_catalogue_dir() / "exercises" / "hero-squat.yaml").read_text())
    hero["aliases"] = [*hero["aliases"], "rock back to heels"]
    (own / "hero-squat.yaml").write_text(yaml.safe_dump(hero))
    env = {**os.environ, "HINGECOACH_CATALOGUE": str(tmp_path / "own")}
    proc = subprocess.run(
        [sys.executable, "-m", "hingecoach", "catalogue", "show", "rock back to heels", "--json"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["id"] == "hero-squat"


def test_bad_input_is_one_line_never_a_traceback(tmp_path: Path) -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "hingecoach",
            "--catalogue",
            str(tmp_path / "nope"),
            "catalogue",
            "list",
        ],
        capture_output=True,
        text=True,
    )
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    assert "is not a directory of catalogue files" in proc.stderr


def test_demo_runs_on_a_fresh_install(tmp_path: Path) -> None:
    """What `make run` starts: a demo trainee with history, decisions and today's card."""
    db = f"sqlite:///{tmp_path / 'demo.db'}"
    result = run("--db", db, "demo")
    assert result.code == 0, result.err
    assert "Created the demo trainee" in result.out
    for part in ("sessions", "prescription:", "Today for demo", "Why:", "tempo"):
        assert part in result.out
    again = run("--db", db, "demo")  # a second run reuses the demo trainee
    assert again.code == 0 and "Created" not in again.out
