"""Regressing: signs -> modifiers, stepping down, and undoing it (R-REG-1..8)."""

from __future__ import annotations

from typing import Any

import pytest

from hingecoach.coach import (
    Action,
    History,
    Prescription,
    Profile,
    SetLog,
    available_loads,
    prescribe,
    round_down,
)
from hingecoach.knowledge import Catalogue, LoadMode

from .builders import HOME_GYM, follow, history, profile, session, sets_of, to_target, work
from .test_safety import assert_calm


def _bad_set(fault: str, load: float | None = None, form: str = "breakdown") -> SetLog:
    return work(10, load=load, rpe=7, form=form, faults=[fault])


def _session_with(fault: str, exercise_id: str, load: float | None, form: str = "breakdown") -> Any:
    return session(
        0,
        exercise_id,
        [work(10, load=load, rpe=7), _bad_set(fault, load, form), _bad_set(fault, load, form)],
    )


@pytest.mark.parametrize(
    ("exercise_id", "load", "fault", "modifier", "step", "rule"),
    [
        pytest.param(
            "kettlebell-deadlift",
            16,
            "back-rounding",
            "elevated-start",
            "40 cm",
            "R-REG-1",
            id="back rounding on the KB deadlift -> elevated start at 40 cm, brace (R-REG-1)",
        ),
        pytest.param(
            "single-leg-rdl",
            12,
            "balance-loss",
            "hand-support",
            None,
            "R-REG-2",
            id="balance loss on the single-leg RDL -> hand support (R-REG-2)",
        ),
        pytest.param(
            "bodyweight-hip-hinge",
            None,
            "hyperextension",
            "dowel-on-spine",
            None,
            "R-REG-3",
            id="leaning back at the top on the bodyweight hinge -> dowel on the spine (R-REG-3)",
        ),
        pytest.param(
            "dowel-hip-hinge",
            None,
            "rushed-tempo",
            "reduced-volume",
            None,
            "R-REG-4",
            id="rushing reps from fatigue on the dowel hinge -> fewer sets, longer rest (R-REG-4)",
        ),
        pytest.param(
            "romanian-deadlift",
            16,
            "past-hamstring-tension",
            "shortened-range",
            "hands or weight to mid-thigh",
            "R-REG-5",
            id="going past the hamstring stretch on the RDL -> shortened range (R-REG-5)",
        ),
    ],
)
def test_r_reg_signs_map_to_their_first_modifier(
    catalogue: Catalogue,
    exercise_id: str,
    load: float | None,
    fault: str,
    modifier: str,
    step: str | None,
    rule: str,
) -> None:
    who = profile(equipment=HOME_GYM)
    decision, rx = prescribe(who, history(_session_with(fault, exercise_id, load)), catalogue)
    assert rx is not None
    assert decision.action is Action.REGRESS
    assert rule in decision.rules and "R-REG-6" in decision.rules and "R-REG-8" in decision.rules
    applied = {m.id: m for m in rx.modifiers}
    assert modifier in applied and applied[modifier].step == step and applied[modifier].rule == rule
    assert rx.exercise_id == exercise_id  # a modifier, not a new rung
    # R-REG-8: the sign is named and what would undo it is said
    sign = applied[modifier].sign
    assert sign is not None
    assert catalogue.signs[sign.value].name.lower() in decision.reason.lower()
    assert catalogue.modifiers[modifier].how_to_undo in decision.would_change
    assert catalogue.faults[fault].cue in rx.cues  # R-RX-1
    assert any(e.fault_id == fault for e in decision.evidence)
    assert_calm(decision)  # R-SAFE-6


def test_r_reg_1_rounding_is_a_cue_not_an_alarm(catalogue: Catalogue) -> None:
    decision, _ = prescribe(
        profile(equipment=HOME_GYM),
        history(_session_with("back-rounding", "kettlebell-deadlift", 16)),
        catalogue,
    )
    assert "technique cue, not a sign of injury" in decision.reason  # R-SAFE-6


def test_r_reg_a_single_minor_fault_is_a_cue_not_a_regression(catalogue: Catalogue) -> None:
    one_minor = session(
        0,
        "kettlebell-deadlift",
        [
            work(12, load=16, rpe=7),
            _bad_set("back-rounding", 16, "minor"),
            work(12, load=16, rpe=7),
        ],
    )
    decision, rx = prescribe(
        profile(equipment=HOME_GYM, body_mass_kg=100), history(one_minor), catalogue
    )
    assert rx is not None and decision.action is Action.HOLD
    assert not rx.modifiers
    assert "Brace like you're about to take a punch." in rx.cues


def test_r_reg_4_fatigue_flag_lowers_the_load(catalogue: Catalogue) -> None:
    who = profile(equipment=HOME_GYM, body_mass_kg=120)
    past = history(session(0, "trap-bar-deadlift", sets_of(3, 10, load=60, rpe=8), fatigue=True))
    decision, rx = prescribe(who, past, catalogue)
    assert rx is not None and decision.action is Action.REGRESS
    assert "R-REG-4" in decision.rules
    loads = available_loads(who.equipment, LoadMode.TRAP_BAR)
    assert rx.load_kg == round_down(60 * 0.9, loads)  # R-RX-6: rounded down to what they own
    assert [m.id for m in rx.modifiers] == ["reduced-load"]


def _log_rounding(rx: Prescription) -> list[SetLog]:
    return [
        work(10, load=rx.load_kg, rpe=7),
        _bad_set("back-rounding", rx.load_kg),
        work(10, load=rx.load_kg, rpe=7),
    ]


def _start_with_rounding(who: Profile, catalogue: Catalogue) -> History:
    return history(_session_with("back-rounding", "kettlebell-deadlift", 16))


def test_r_reg_6_two_clean_sessions_lower_the_blocks_one_step(catalogue: Catalogue) -> None:
    """Lower the blocks one step: two clean sessions at this height (R-REG-6, R-REG-8)."""
    who = profile(equipment=HOME_GYM, body_mass_kg=100)
    past = _start_with_rounding(who, catalogue)
    steps = []
    for _ in range(6):
        past, decision, rx = follow(who, catalogue, past, lambda rx: to_target(rx, rpe=7))
        steps.append((decision.action, [m.label() for m in rx.modifiers]))
    assert steps[0] == (Action.REGRESS, ["Elevated start (40 cm)"])
    assert steps[1] == (Action.HOLD, ["Elevated start (40 cm)"])
    assert steps[2] == (Action.PROGRESS, ["Elevated start (30 cm)"])
    assert steps[4] == (Action.PROGRESS, ["Elevated start (20 cm)"])
    decision, final = prescribe(who, past, catalogue)
    assert final is not None
    change = next(c for c in final.changes if c.what == "modifier elevated-start")
    assert change.rule == "R-REG-8" and "two clean sessions" in change.reason


def test_r_reg_6_sign_back_at_a_lower_step_raises_the_blocks_again(catalogue: Catalogue) -> None:
    who = profile(equipment=HOME_GYM, body_mass_kg=100)
    past = _start_with_rounding(who, catalogue)
    for _ in range(3):  # 40 cm, 40 cm, then lowered to 30 cm
        past, _, rx = follow(who, catalogue, past, lambda rx: to_target(rx, rpe=7))
    assert [m.step for m in rx.modifiers] == ["30 cm"]
    past, _, _ = follow(who, catalogue, past, _log_rounding)
    decision, again = prescribe(who, past, catalogue)
    assert again is not None and decision.action is Action.REGRESS
    assert [m.step for m in again.modifiers] == ["40 cm"]


def test_r_reg_6_slow_tempo_modifier_sets_3_down_2_up(catalogue: Catalogue) -> None:
    """Speed control (R-REG-6): while slow tempo is in use, 3 s down and 2 s up, even on a
    rung whose own tempo is 3 s down, 1 s up."""
    from hingecoach.coach.ladder import applied
    from hingecoach.knowledge import RegressionSign

    who = profile(equipment=HOME_GYM, body_mass_kg=100)
    first = history(session(0, "kettlebell-deadlift", sets_of(3, 10, load=16, rpe=7)))
    _, rx = prescribe(who, first, catalogue)
    assert rx is not None and (rx.tempo.down_s, rx.tempo.up_s) == (3, 1)
    slow = applied(catalogue.modifiers["slow-tempo"], RegressionSign.LOW_BACK_STRAIN, "R-REG-3")
    with_slow = rx.model_copy(update={"modifiers": (slow,)})
    past = history(
        *first.sessions,
        session(2, "kettlebell-deadlift", sets_of(3, 11, load=16, rpe=7), prescription=with_slow),
    )
    decision, rx2 = prescribe(who, past, catalogue)
    assert rx2 is not None and [m.id for m in rx2.modifiers] == ["slow-tempo"]
    assert (rx2.tempo.down_s, rx2.tempo.up_s) == (3, 2)
    assert decision.action is Action.HOLD  # one clean session: not yet time to drop it


def test_r_reg_7_rounding_again_despite_the_blocks_steps_down_one_rung(
    catalogue: Catalogue,
) -> None:
    """Back rounding in 2 of the last 3 sessions despite the elevated start -> step down to
    the exercise's first regression (R-REG-7), which is said with what would undo it."""
    who = profile(equipment=HOME_GYM, body_mass_kg=100)
    past, _, rx = follow(who, catalogue, _start_with_rounding(who, catalogue), _log_rounding)
    assert [m.id for m in rx.modifiers] == ["elevated-start"]
    decision, lower = prescribe(who, past, catalogue)
    assert lower is not None
    rx = lower
    assert decision.action is Action.STEP_DOWN
    assert {"R-REG-1", "R-REG-7", "R-REG-8"} <= set(decision.rules)
    assert rx.exercise_id == catalogue.exercises["kettlebell-deadlift"].regresses_to[0]
    assert rx.load_kg is not None and rx.load_kg <= 16  # a regression never raises load
    assert "even with elevated start" in decision.reason
    assert "move back up to the kettlebell deadlift" in decision.would_change
    assert not rx.modifiers
    assert_calm(decision)


def test_r_reg_7_failing_the_minimum_reps_twice_running_steps_down(catalogue: Catalogue) -> None:
    who = profile(equipment=HOME_GYM, body_mass_kg=100)
    past = history(session(0, "kettlebell-deadlift", sets_of(3, 10, load=16, rpe=8)))
    past, _, rx = follow(who, catalogue, past, lambda rx: [work(10, load=16), work(6, load=16)])
    decision, _ = prescribe(who, past, catalogue)
    assert decision.action is not Action.STEP_DOWN  # once is not twice running
    past, _, _ = follow(
        who, catalogue, past, lambda rx: [work(10, load=rx.load_kg), work(5, load=rx.load_kg)]
    )
    decision, lower = prescribe(who, past, catalogue)
    assert lower is not None and decision.action is Action.STEP_DOWN
    assert "R-REG-7" in decision.rules
    rx = lower
    assert rx.exercise_id == "elevated-kettlebell-deadlift"
    assert [e.set_number for e in decision.evidence] == [2, 2]


def test_r_reg_7_on_the_floor_there_is_nowhere_lower(catalogue: Catalogue) -> None:
    sore = session(0, "hero-squat", sets_of(3, 10, form="breakdown", faults=["back-rounding"]))
    past, _, _ = follow(
        profile(),
        catalogue,
        history(sore),
        lambda rx: sets_of(3, 10, form="breakdown", faults=["back-rounding"]),
    )
    decision, rx = prescribe(profile(), past, catalogue)
    assert rx is not None and rx.exercise_id == "hero-squat"
    assert decision.action is Action.HOLD and "first rung" in decision.reason
    assert "physiotherapist" in decision.would_change


def test_r_reg_8_removing_reduced_load_goes_back_to_the_previous_load(catalogue: Catalogue) -> None:
    who = profile(equipment=HOME_GYM, body_mass_kg=120)
    past = history(session(0, "trap-bar-deadlift", sets_of(3, 10, load=60, rpe=8), fatigue=True))
    loads = []
    for _ in range(3):
        past, decision, rx = follow(who, catalogue, past, lambda rx: to_target(rx, rpe=7))
        loads.append((decision.action, rx.load_kg, [m.id for m in rx.modifiers]))
    assert loads[0][0] is Action.REGRESS and loads[0][1] is not None and loads[0][1] < 60
    assert loads[2] == (Action.PROGRESS, 60, [])
