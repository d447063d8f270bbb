"""R-PLAN-2: the warm-up and accessory hinges are chosen in the catalogue's order of
preference (``warm_up_rank``, ``accessory_rank``), which is the order the plan always used."""

from __future__ import annotations

from hingecoach.coach import prescribe
from hingecoach.knowledge import Catalogue
from hingecoach.plan import BlockPurpose, lay_out
from hingecoach.plan.structure import ranked
from tests.unit.coach.builders import HOME_GYM, history, profile

# the plan's ordered lists before they became catalogue data
WARM_UP_BEFORE = ("dowel-hip-hinge", "bodyweight-hip-hinge", "wall-hip-hinge", "hero-squat")
ACCESSORY_BEFORE = (
    "cable-pull-through",
    "banded-pull-through",
    "supported-single-leg-rdl",
    "banded-hip-hinge",
    "weighted-hip-hinge",
)


def test_r_plan_2_catalogue_order_is_the_former_lists(catalogue: Catalogue) -> None:
    assert tuple(e.id for e in ranked(catalogue, "warm_up_rank")) == WARM_UP_BEFORE
    assert tuple(e.id for e in ranked(catalogue, "accessory_rank")) == ACCESSORY_BEFORE


def test_r_plan_2_ranked_orders_by_rank_then_id(catalogue: Catalogue) -> None:
    exercises = dict(catalogue.exercises)
    exercises["hero-squat"] = exercises["hero-squat"].model_copy(update={"warm_up_rank": 1})
    exercises["dowel-hip-hinge"] = exercises["dowel-hip-hinge"].model_copy(
        update={"warm_up_rank": None}
    )
    moved = catalogue.model_copy(update={"exercises": exercises})
    assert [e.id for e in ranked(moved, "warm_up_rank")] == [
        "hero-squat",
        "bodyweight-hip-hinge",
        "wall-hip-hinge",
    ]


def _warm_up_and_accessory(catalogue: Catalogue) -> tuple[str, str | None]:
    person = profile(equipment=HOME_GYM, training_history="intermediate")
    past = history()
    _, rx = prescribe(person, past, catalogue, placement_or_current_exercise="kettlebell-deadlift")
    assert rx is not None
    blocks = {b.purpose: b for b in lay_out(person, past, catalogue, rx)}
    warm = blocks[BlockPurpose.WARM_UP].exercises[0].exercise_id
    acc = blocks.get(BlockPurpose.ACCESSORY)
    return warm, acc.hinge.exercise_id if acc and acc.hinge else None


def test_r_plan_2_the_session_follows_the_catalogue_ranks(catalogue: Catalogue) -> None:
    warm, acc = _warm_up_and_accessory(catalogue)
    assert (warm, acc) == ("dowel-hip-hinge", "banded-hip-hinge")
    exercises = dict(catalogue.exercises)
    exercises["dowel-hip-hinge"] = exercises["dowel-hip-hinge"].model_copy(
        update={"warm_up_rank": 9}
    )
    exercises["banded-hip-hinge"] = exercises["banded-hip-hinge"].model_copy(
        update={"accessory_rank": None}
    )
    moved = catalogue.model_copy(update={"exercises": exercises})
    assert _warm_up_and_accessory(moved) == ("bodyweight-hip-hinge", "weighted-hip-hinge")
