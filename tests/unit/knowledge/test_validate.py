"""Breaking a copied catalogue: every kind of problem is reported, all at once (R-CAT-3)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from hingecoach.errors import CatalogueError, CatalogueProblem
from hingecoach.knowledge import (
    builtin_catalogue_dir,
    find_exercise,
    load_catalogue,
    validate_catalogue_dirs,
)


def _edit(path: Path, change: Callable[[dict[str, object]], None]) -> None:
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def _ex(root: Path, ex_id: str) -> Path:
    return root / "exercises" / f"{ex_id}.yaml"


def dangling_progression(root: Path) -> None:
    _edit(_ex(root, "dowel-hip-hinge"), lambda d: d.update(progresses_to=["dowel-hinge-2"]))


def progression_cycle(root: Path) -> None:
    _edit(
        _ex(root, "single-leg-rdl"), lambda d: d.update(progresses_to=["supported-single-leg-rdl"])
    )


def missing_fault(root: Path) -> None:
    (root / "faults" / "chest-drop.yaml").unlink()


def unknown_fault_reference(root: Path) -> None:
    _edit(_ex(root, "romanian-deadlift"), lambda d: d.update(faults=["wobbly-knees"]))


def duplicated_id(root: Path) -> None:
    text = _ex(root, "hero-squat").read_text()
    (root / "exercises" / "hero-squat-copy.yaml").write_text(text)


def bad_field_type(root: Path) -> None:
    _edit(_ex(root, "hinge-to-squat"), lambda d: d.update(stage="seven"))


def unknown_field(root: Path) -> None:
    _edit(_ex(root, "hinge-to-squat"), lambda d: d.update(colour="blue"))


def no_regression(root: Path) -> None:
    _edit(_ex(root, "trap-bar-deadlift"), lambda d: d.update(regresses_to=[]))


def progression_down_the_stages(root: Path) -> None:
    _edit(_ex(root, "kettlebell-swing"), lambda d: d.update(progresses_to=["hero-squat"]))


def not_yaml(root: Path) -> None:
    _ex(root, "banded-hip-hinge").write_text("id: banded-hip-hinge\nname: [unclosed\n")


def unknown_drill(root: Path) -> None:
    _edit(root / "faults" / "squatting.yaml", lambda d: d.update(drill="chair-sit"))


def bad_tempo(root: Path) -> None:
    _edit(_ex(root, "kettlebell-deadlift"), lambda d: d.update(tempo={"down_s": -3, "up_s": 2}))


BREAKS: list[tuple[Callable[[Path], None], str, str, str]] = [
    # (how to break it, file that must be named, field that must be named, words in message)
    (dangling_progression, "dowel-hip-hinge.yaml", "progresses_to", "unknown exercise"),
    (progression_cycle, "", "progresses_to", "cycle"),
    (missing_fault, "faults/", "chest-drop", "required fault is missing"),
    (unknown_fault_reference, "romanian-deadlift.yaml", "faults", "unknown fault 'wobbly-knees'"),
    (duplicated_id, "hero-squat", "id", "duplicate exercise id 'hero-squat'"),
    (bad_field_type, "hinge-to-squat.yaml", "stage", "Input should be"),
    (unknown_field, "hinge-to-squat.yaml", "colour", "Extra inputs"),
    (no_regression, "trap-bar-deadlift.yaml", "regresses_to", "has no regression"),
    (progression_down_the_stages, "kettlebell-swing.yaml", "progresses_to", "below this stage"),
    (not_yaml, "banded-hip-hinge.yaml", "line", "not valid YAML"),
    (unknown_drill, "squatting.yaml", "drill", "unknown exercise 'chair-sit'"),
    (bad_tempo, "kettlebell-deadlift.yaml", "tempo.down_s", "greater than or equal to 0"),
]


def _matches(problem: CatalogueProblem, file: str, fld: str, words: str) -> bool:
    return file in problem.file and fld in problem.field and words in problem.message


@pytest.mark.parametrize(
    ("breaker", "file", "fld", "words"), BREAKS, ids=[b[0].__name__ for b in BREAKS]
)
def test_r_cat_3_each_kind_of_break_is_reported_with_file_and_field(
    catalogue_copy: Path, breaker: Callable[[Path], None], file: str, fld: str, words: str
) -> None:
    assert validate_catalogue_dirs([catalogue_copy], over_builtin=False) == []
    breaker(catalogue_copy)
    problems = validate_catalogue_dirs([catalogue_copy], over_builtin=False)
    assert any(_matches(p, file, fld, words) for p in problems), "\n".join(map(str, problems))


def test_r_cat_3_every_problem_is_reported_at_once(catalogue_copy: Path) -> None:
    for breaker, *_ in BREAKS:
        if breaker is not not_yaml:  # a file that does not parse hides its other problems
            breaker(catalogue_copy)
    problems = validate_catalogue_dirs([catalogue_copy], over_builtin=False)
    for breaker, file, fld, words in BREAKS:
        if breaker is not_yaml:
            continue
        assert any(_matches(p, file, fld, words) for p in problems), breaker.__name__


def test_r_cat_3_loading_a_broken_catalogue_raises_with_every_problem(
    catalogue_copy: Path,
) -> None:
    dangling_progression(catalogue_copy)
    unknown_fault_reference(catalogue_copy)
    with pytest.raises(CatalogueError) as err:
        load_catalogue([catalogue_copy])
    assert len(err.value.problems) == 3  # two bad references, one stranded part of the ladder
    text = str(err.value)
    assert "dowel-hinge-2" in text and "wobbly-knees" in text
    assert "hinge-to-squat.yaml: progresses_to: cannot be reached" in text


def test_a_coach_can_add_an_exercise_over_the_built_in_catalogue(tmp_path: Path) -> None:
    """A user's directory adds an exercise (and may replace one) without copying the rest."""
    own = tmp_path / "mine" / "exercises"
    own.mkdir(parents=True)
    (own / "b-stance-rdl.yaml").write_text(
        yaml.safe_dump(
            {
                "id": "b-stance-rdl",
                "name": "B-stance Romanian deadlift",
                "aliases": ["kickstand RDL with dumbbells"],
                "stage": 4,
                "teaches": "Hinging mostly on one leg with the other as a light kickstand.",
                "focus": "Loading one hip while the back foot only steadies you.",
                "load_modes": ["dumbbell", "kettlebell"],
                "tempo": {"down_s": 3, "up_s": 2},
                "setup": ["Put the back toes level with the front heel."],
                "cues": ["Most of your weight stays on the front foot."],
                "faults": ["balance-loss", "back-rounding"],
                "progresses_to": ["single-leg-rdl"],
                "regresses_to": ["romanian-deadlift"],
            }
        )
    )
    problems = validate_catalogue_dirs([tmp_path / "mine"])
    assert [p.message for p in problems] == [
        "cannot be reached from the floor ('hero-squat') by progressions"
    ]
    # Laying their own copy of the RDL over the built-in one links the new rung in.
    builtin = yaml.safe_load(_ex(builtin_catalogue_dir(), "romanian-deadlift").read_text())
    builtin["progresses_to"] = [*builtin["progresses_to"], "b-stance-rdl"]
    (own / "romanian-deadlift.yaml").write_text(yaml.safe_dump(builtin))
    assert validate_catalogue_dirs([tmp_path / "mine"]) == []
    cat = load_catalogue([tmp_path / "mine"])
    assert find_exercise(cat, "kickstand RDL with dumbbells").id == "b-stance-rdl"
    assert "b-stance-rdl" not in load_catalogue([]).exercises
