"""R-PLAN-2 session structure and R-PLAN-3 supersets."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from hingecoach.coach import History, prescribe
from hingecoach.knowledge import Catalogue
from hingecoach.plan import (
    BlockPurpose,
    Reason,
    SessionBlock,
    build_plan,
    choose_push,
    fits_equipment,
    lay_out,
)
from tests.unit.coach.builders import DAY0, HOME_GYM, history, profile, run_of

ORDER = [BlockPurpose.WARM_UP, BlockPurpose.PRIMARY, BlockPurpose.SECONDARY, BlockPurpose.ACCESSORY]


def _blocks(catalogue: Catalogue, start: str, past: History | None = None, **who: Any) -> Any:
    person = profile(**who)
    past = past or history()
    _, rx = prescribe(person, past, catalogue, placement_or_current_exercise=start)
    assert rx is not None
    return person, rx, lay_out(person, past, catalogue, rx)


@pytest.mark.parametrize(
    ("case", "start", "who", "secondary", "accessory"),
    [
        ("R-PLAN-2 learner on the dowel: a drill from below as secondary", "dowel-hip-hinge",
         {}, "wall-hip-hinge", None),
        ("R-PLAN-2 loaded rung: a loaded secondary, a light accessory", "kettlebell-deadlift",
         {"equipment": HOME_GYM, "training_history": "intermediate"},
         "elevated-kettlebell-deadlift", "banded-hip-hinge"),
        ("R-PLAN-2 the floor rung: no second hinge yet", "hero-squat", {}, None, None),
    ],
)  # fmt: skip
def test_r_plan_2_session_is_warm_up_primary_secondary_accessory(
    catalogue: Catalogue,
    case: str,
    start: str,
    who: dict[str, Any],
    secondary: str | None,
    accessory: str | None,
) -> None:
    _, rx, blocks = _blocks(catalogue, start, **who)
    purposes = [b.purpose for b in blocks]
    assert purposes == sorted(purposes, key=ORDER.index), case  # always in R-PLAN-2 order
    assert purposes[:2] == [BlockPurpose.WARM_UP, BlockPurpose.PRIMARY], case  # technical first
    primary = blocks[1].exercises[0]
    assert (primary.exercise_id, primary.sets, primary.reps, primary.load_kg) == (
        rx.exercise_id,
        rx.sets,
        rx.reps,
        rx.load_kg,
    ), case
    by_purpose = {b.purpose: b for b in blocks}
    sec = by_purpose.get(BlockPurpose.SECONDARY)
    hinge = sec.hinge if sec else None
    assert (hinge.exercise_id if hinge else None) == secondary, case
    acc = by_purpose.get(BlockPurpose.ACCESSORY)
    acc_hinge = acc.hinge if acc else None
    assert (acc_hinge.exercise_id if acc_hinge else None) == accessory, case
    for block in blocks:
        assert "R-PLAN-2" in block.reason.rules


def test_r_rx_2_doses_of_each_block(catalogue: Catalogue) -> None:
    """R-PLAN-2 with R-RX-2: warm-up 2 x 8-10, secondary 3 x 8-12, accessory 2 x 12-15."""
    _, _, blocks = _blocks(
        catalogue, "kettlebell-deadlift", equipment=HOME_GYM, training_history="intermediate"
    )
    by = {b.purpose: b for b in blocks}
    warm = by[BlockPurpose.WARM_UP].exercises[0]
    assert (warm.sets, warm.reps and (warm.reps.min, warm.reps.max)) == (2, (8, 10))
    assert warm.load_kg is None and (warm.rest_s, warm.rest_max_s) == (30, 45)
    sec = by[BlockPurpose.SECONDARY].hinge
    assert sec is not None and sec.reps is not None
    assert (sec.sets, sec.reps.min, sec.reps.max) == (3, 8, 12)
    acc = by[BlockPurpose.ACCESSORY].hinge
    assert acc is not None and acc.reps is not None
    assert (acc.sets, acc.reps.min, acc.reps.max, acc.rest_s) == (2, 12, 15, 60)


def test_primary_is_never_paired_and_supersets_are_hinge_plus_push(catalogue: Catalogue) -> None:
    """R-PLAN-3: heavy primary sets are not paired; a pair is one hinge and one push."""
    _, _, blocks = _blocks(
        catalogue, "trap-bar-deadlift", equipment=HOME_GYM, training_history="intermediate"
    )
    primary = next(b for b in blocks if b.purpose is BlockPurpose.PRIMARY)
    assert not primary.superset
    pairs = [b for b in blocks if b.superset]
    assert pairs, "a superset is planned"
    for block in pairs:
        assert [e.is_hinge for e in block.exercises] == [True, False]
        assert "R-PLAN-3" in block.reason.rules and block.rest_s


def test_a_hinge_hinge_superset_cannot_be_built(catalogue: Catalogue) -> None:
    """R-PLAN-3: the model itself refuses hinge + hinge, and a paired primary."""
    _, _, blocks = _blocks(catalogue, "dowel-hip-hinge")
    hinge = blocks[1].exercises[0]
    why = Reason(text="x", rules=("R-PLAN-3",))
    with pytest.raises(ValidationError, match="R-PLAN-3"):
        SessionBlock(
            purpose=BlockPurpose.SECONDARY, exercises=(hinge, hinge), rest_s=90, reason=why
        )
    push = blocks[2].exercises[1]
    with pytest.raises(ValidationError, match="R-PLAN-3"):
        SessionBlock(purpose=BlockPurpose.PRIMARY, exercises=(hinge, push), rest_s=90, reason=why)


@pytest.mark.parametrize(
    ("case", "hinge", "equipment", "experience", "push"),
    [
        ("R-PLAN-3 deadlift + push-up", "kettlebell-deadlift", HOME_GYM, "intermediate",
         "push-up"),
        ("R-PLAN-3 swing + bench press", "kettlebell-swing", {**HOME_GYM, "bench": True},
         "intermediate", "bench-press"),
        ("R-PLAN-3 swing + bench press, no bench -> push-up", "kettlebell-swing", HOME_GYM,
         "intermediate", "push-up"),
        ("R-PLAN-3 single-leg RDL + overhead press", "single-leg-rdl", HOME_GYM, "advanced",
         "overhead-press"),
        ("R-PLAN-3 single-leg RDL, no weights -> push-up", "single-leg-rdl", {}, "advanced",
         "push-up"),
        ("R-PLAN-3 novice with a bench -> incline push-up", "dowel-hip-hinge", {"bench": True},
         "novice", "incline-push-up"),
        ("R-PLAN-3 novice without a bench -> push-up", "dowel-hip-hinge", {}, "novice",
         "push-up"),
    ],
)  # fmt: skip
def test_r_plan_3_push_is_complementary_and_scaled_to_equipment(
    catalogue: Catalogue,
    case: str,
    hinge: str,
    equipment: dict[str, Any],
    experience: str,
    push: str,
) -> None:
    who = profile(equipment=equipment, training_history=experience)
    chosen = choose_push(catalogue.exercises[hinge], who, history(), catalogue)
    assert chosen is not None and chosen.id == push, case
    assert not chosen.is_hinge and fits_equipment(chosen, who.equipment), case


def test_variants_a_and_b_differ_when_there_is_a_choice(catalogue: Catalogue) -> None:
    who = profile(equipment=HOME_GYM, training_history="intermediate", goal="hypertrophy")
    past = history(*run_of("kettlebell-deadlift", 3, first_day=-9, reps=10, load=16, rpe=8))
    plan = build_plan(who, past, catalogue, weeks=4, start=DAY0)
    first = plan.plan_weeks[0].sessions
    assert [s.variant for s in first] == ["A", "B", "A"]
    ids = [[e.exercise_id for e in s.exercises()] for s in first]
    assert ids[0] != ids[1] and ids[0] == ids[2]
    assert {s.primary.exercise_id for s in first if s.primary} == {"kettlebell-deadlift"}
