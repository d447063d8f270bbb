"""Equipment typed in lb at the command line (issue 14): an lb trainee lists the weights
they own in pounds, the store keeps kg, and ``trainee show`` says pounds again."""

from __future__ import annotations

import json
from pathlib import Path

from tests.e2e.cli_runner import Result, run


def cli(db: Path, *args: str) -> Result:
    return run("--db", f"sqlite:///{db}", *args)


def _profile(db: Path, name: str) -> dict[str, object]:
    shown = cli(db, "trainee", "show", name, "--json")
    assert shown.code == 0, shown.err
    profile: dict[str, object] = json.loads(shown.out)["profile"]
    return profile


ADD = ("--age", "40", "--goal", "strength", "--experience", "novice", "--days", "monday")


def test_an_lb_trainee_adds_and_edits_equipment_in_pounds(tmp_path: Path) -> None:
    db = tmp_path / "coach.db"
    added = cli(
        db, "trainee", "add", "Sam", *ADD, "--body-mass-kg", "80", "--unit", "lb",
        "--kettlebells", "35,53",
    )  # fmt: skip
    assert added.code == 0, added.err
    profile = _profile(db, "Sam")
    assert profile["unit"] == "lb"
    equipment = profile["equipment"]
    assert isinstance(equipment, dict)
    assert [round(k, 2) for k in equipment["kettlebells_kg"]] == [15.88, 24.04]

    edited = cli(db, "trainee", "edit", "Sam", "--barbell", "45", "--plates", "45,45,25,10")
    assert edited.code == 0, edited.err
    assert "barbell 45 lb" in edited.out and "plate pairs 10, 25, 45, 45 lb" in edited.out
    assert "kettlebells 35, 53 lb" in edited.out
    equipment = _profile(db, "Sam")["equipment"]
    assert isinstance(equipment, dict)
    assert round(equipment["barbell_kg"], 2) == 20.41
    assert [round(k, 2) for k in equipment["plates_kg"]] == [4.54, 11.34, 20.41, 20.41]

    # a load typed with its unit is read in that unit, whatever the trainee's
    mixed = cli(db, "trainee", "edit", "Sam", "--kettlebells", "16 kg, 53 lb")
    assert mixed.code == 0, mixed.err
    equipment = _profile(db, "Sam")["equipment"]
    assert isinstance(equipment, dict)
    assert [round(k, 2) for k in equipment["kettlebells_kg"]] == [16.0, 24.04]


def test_a_kg_trainee_keeps_typing_kg_and_nonsense_is_one_plain_line(tmp_path: Path) -> None:
    db = tmp_path / "coach.db"
    added = cli(
        db, "trainee", "add", "Kim", *ADD, "--body-mass-kg", "70", "--kettlebells", "8,12,16"
    )
    assert added.code == 0, added.err
    equipment = _profile(db, "Kim")["equipment"]
    assert isinstance(equipment, dict)
    assert equipment["kettlebells_kg"] == [8.0, 12.0, 16.0]
    bad = cli(db, "trainee", "edit", "Kim", "--plates", "20, lots")
    assert bad.code != 0
    assert "lots" in bad.err and "Traceback" not in bad.err + bad.out
