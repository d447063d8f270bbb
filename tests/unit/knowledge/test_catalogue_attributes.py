"""The catalogue says what a rung is (single leg, power, superset partner), not its id.

A wrong value in a coach's own file is refused with the file, the field and a message that
says what is allowed (R-CAT-3).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from hingecoach.knowledge import SingleLeg, load_catalogue, validate_catalogue_dirs


def _edit(root: Path, ex_id: str, **fields: object) -> None:
    path = root / "exercises" / f"{ex_id}.yaml"
    data = yaml.safe_load(path.read_text())
    data.update(fields)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def test_the_built_in_catalogue_marks_single_leg_and_power_rungs() -> None:
    cat = load_catalogue([])
    assert cat.exercises["single-leg-rdl"].single_leg is SingleLeg.FREE
    assert cat.exercises["supported-single-leg-rdl"].single_leg is SingleLeg.SUPPORTED
    assert {e.id for e in cat.exercises.values() if e.single_leg is not None} == {
        "single-leg-rdl",
        "supported-single-leg-rdl",
    }
    assert {e.id for e in cat.exercises.values() if e.power} == {
        "banded-pull-through",
        "kettlebell-swing",
    }
    assert cat.exercises["kettlebell-swing"].superset_push == "bench-press"
    assert cat.exercises["single-leg-rdl"].superset_push == "overhead-press"
    assert cat.exercises["romanian-deadlift"].superset_push is None
    assert cat.exercises["dowel-hip-hinge"].warm_up_rank == 1
    assert cat.exercises["cable-pull-through"].accessory_rank == 1
    assert cat.exercises["romanian-deadlift"].warm_up_rank is None


WRONG: list[tuple[str, Callable[[Path], None], str, str, str]] = [
    (
        "single_leg not free or supported",
        lambda root: _edit(root, "single-leg-rdl", single_leg="sideways"),
        "single-leg-rdl.yaml",
        "single_leg",
        "Input should be 'free' or 'supported'",
    ),
    (
        "power not a yes or no",
        lambda root: _edit(root, "kettlebell-swing", power="very"),
        "kettlebell-swing.yaml",
        "power",
        "Input should be a valid boolean",
    ),
    (
        "single_leg on a push exercise",
        lambda root: _edit(root, "push-up", single_leg="free"),
        "push-up.yaml",
        "",
        "single_leg describes a hinge rung; a push exercise has none",
    ),
    (
        "power on a push exercise",
        lambda root: _edit(root, "bench-press", power=True),
        "bench-press.yaml",
        "",
        "power describes a hinge rung",
    ),
    (
        "superset_push naming a hinge",
        lambda root: _edit(root, "kettlebell-swing", superset_push="hero-squat"),
        "kettlebell-swing.yaml",
        "superset_push",
        "'hero-squat' is a hinge exercise; a superset pairs a hinge with a push",
    ),
    (
        "superset_push naming nothing",
        lambda root: _edit(root, "kettlebell-swing", superset_push="floor-press"),
        "kettlebell-swing.yaml",
        "superset_push",
        "unknown exercise 'floor-press'",
    ),
    (
        "warm_up_rank zero",
        lambda root: _edit(root, "dowel-hip-hinge", warm_up_rank=0),
        "dowel-hip-hinge.yaml",
        "warm_up_rank",
        "Input should be greater than 0",
    ),
    (
        "accessory_rank not a number",
        lambda root: _edit(root, "cable-pull-through", accessory_rank="first"),
        "cable-pull-through.yaml",
        "accessory_rank",
        "Input should be a valid integer",
    ),
    (
        "accessory_rank on a push exercise",
        lambda root: _edit(root, "push-up", accessory_rank=1),
        "push-up.yaml",
        "",
        "accessory_rank describes a hinge rung; a push exercise has none",
    ),
    (
        "warm_up_rank on a push exercise",
        lambda root: _edit(root, "bench-press", warm_up_rank=2),
        "bench-press.yaml",
        "",
        "warm_up_rank describes a hinge rung",
    ),
]


@pytest.mark.parametrize(
    ("breaker", "file", "fld", "words"),
    [pytest.param(*w[1:], id=w[0]) for w in WRONG],
)
def test_r_cat_3_a_wrong_attribute_is_refused_with_a_clear_message(
    catalogue_copy: Path, breaker: Callable[[Path], None], file: str, fld: str, words: str
) -> None:
    assert validate_catalogue_dirs([catalogue_copy], over_builtin=False) == []
    breaker(catalogue_copy)
    problems = validate_catalogue_dirs([catalogue_copy], over_builtin=False)
    assert any(file in p.file and fld in p.field and words in p.message for p in problems), (
        "\n".join(map(str, problems))
    )
