"""The next session: seed questions, progression (R-PROG) and dosing (R-RX)."""

from __future__ import annotations

from typing import Any

import pytest

from hingecoach.coach import (
    Action,
    Decision,
    History,
    Prescription,
    Profile,
    Purpose,
    estimate_e1rm,
    load_for,
    place,
    prescribe,
    round_down,
)
from hingecoach.coach.e1rm import rolling_e1rm
from hingecoach.coach.loads import available_loads
from hingecoach.errors import InputError, UnknownIdError
from hingecoach.knowledge import Catalogue, Graduation, LoadMode

from .builders import (
    HOME_GYM,
    KETTLEBELLS_12_16_20,
    answers,
    follow,
    history,
    profile,
    run_of,
    session,
    sets_of,
    to_target,
    to_top,
    work,
)


def next_session(
    who: Profile, past: History, catalogue: Catalogue, **kwargs: Any
) -> tuple[Decision, Prescription]:
    decision, rx = prescribe(who, past, catalogue, **kwargs)
    assert rx is not None, decision
    return decision, rx


# --- the seed readers -------------------------------------------------------------------


def test_seed_3x10_hero_squats_easily_keep_the_rung_go_to_12(catalogue: Catalogue) -> None:
    """Seed 001 reader: "I did 3x10 for hero squats but I think I can do more. Daily or
    day-after-day? When should I progress?" (R-PROG-1, R-RX-2, R-RX-3)."""
    past = history(session(0, "hero-squat", sets_of(3, 10, rpe=5)))
    decision, rx = next_session(profile(goal="pain-free"), past, catalogue)
    assert decision.action is Action.HOLD
    assert rx.exercise_id == "hero-squat"
    assert rx.sets == 3 and rx.reps is not None
    assert (rx.reps.min, rx.reps.max, rx.reps.target) == (8, 12, 12)
    assert "12 reps" in decision.reason
    assert "2 sessions of 3 x 12" in decision.would_change
    assert "wall hip hinge" in decision.would_change
    advice = " ".join(decision.advice)
    assert "2-3 times a week" in advice and "48 h apart" in advice
    assert {"R-PROG-1", "R-RX-3"} <= set(decision.rules)
    assert rx.tempo.down_s == 3 and rx.tempo.up_s == 2  # R-RX-4


def test_seed_hero_squats_timed_for_someone_who_prefers_time(catalogue: Catalogue) -> None:
    """Seed 001 author: "we focus on time rather than reps: 1 minute of hinges" (R-RX-2)."""
    past = history(session(0, "hero-squat", [work(seconds=45) for _ in range(3)]))
    _, rx = next_session(profile(preferred_dose="seconds"), past, catalogue)
    assert rx.seconds == 60 and rx.reps is None and rx.sets == 3


def test_seed_burning_low_back_every_time_on_the_dowel(catalogue: Catalogue) -> None:
    """Seed 001 reader: burning in the low back every time they hinge with the dowel. It is
    rated like any pain (R-SAFE-3), the coach says what to do now, and explains when it is
    local fatigue and when to see a clinician (R-SAFE-4, R-SAFE-6)."""
    burning = sets_of(3, 10, pain=3, quality=["burning"])
    decision, rx = next_session(
        profile(), history(session(0, "dowel-hip-hinge", burning)), catalogue
    )
    assert decision.action is Action.REGRESS
    assert {"R-SAFE-3", "R-SAFE-4", "R-REG-3"} <= set(decision.rules)
    assert decision.do_now
    advice = " ".join(decision.advice)
    assert "rated like any other pain" in advice
    assert "local muscle fatigue" in advice and "back-extensor endurance" in advice
    assert "see a clinician" in advice
    assert rx.modifiers and rx.modifiers[0].sign == "low-back-strain"
    # every time they hinge: the sign recurs despite the modifier -> one rung down (R-REG-7)
    again, _, _ = follow(
        profile(),
        catalogue,
        history(session(0, "dowel-hip-hinge", burning)),
        lambda rx: sets_of(3, 10, pain=3, quality=["burning"]),
    )
    decision2, rx2 = next_session(profile(), again, catalogue)
    assert decision2.action is Action.STEP_DOWN
    assert rx2.exercise_id == "bodyweight-hip-hinge"


def test_r_safe_4_burning_that_settled_overnight_means_less_load_and_range(
    catalogue: Catalogue,
) -> None:
    past = history(
        session(0, "dowel-hip-hinge", sets_of(3, 12, pain=3, quality=["burning"]), morning=0)
    )
    decision, rx = next_session(profile(), past, catalogue)
    kinds = {m.kind for m in rx.modifiers}
    assert kinds == {"range", "intensity"}
    assert any("settled by the next morning" in a for a in decision.advice)


# --- R-PROG-1 graduation ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("sessions", "action", "exercise"),
    [
        pytest.param(
            run_of("dowel-hip-hinge", 2, rpe=7),
            Action.PROGRESS,
            "hinge-to-squat",
            id="two sessions of 3x12 clean on the dowel hinge -> progress to hinge-to-squat (R-PROG-1)",  # noqa: E501
        ),
        pytest.param(
            run_of("dowel-hip-hinge", 1, rpe=7),
            Action.HOLD,
            "dowel-hip-hinge",
            id="one clean session of 3x12 is not yet two -> hold (R-PROG-1)",
        ),
        pytest.param(
            run_of("dowel-hip-hinge", 2, rpe=9),
            Action.HOLD,
            "dowel-hip-hinge",
            id="3x12 clean twice but at RPE 9 -> hold (R-PROG-1)",
        ),
        pytest.param(
            run_of("dowel-hip-hinge", 2, reps=11),
            Action.HOLD,
            "dowel-hip-hinge",
            id="3x11 is short of the top of the range -> hold (R-PROG-1)",
        ),
        pytest.param(
            run_of("dowel-hip-hinge", 2, sets=2),
            Action.HOLD,
            "dowel-hip-hinge",
            id="only two sets -> hold, at least three are needed (R-PROG-1)",
        ),
        pytest.param(
            [*run_of("dowel-hip-hinge", 1), session(2, "dowel-hip-hinge", sets_of(3), morning=1)],
            Action.HOLD,
            "dowel-hip-hinge",
            id="a next-morning rise blocks graduation (R-PROG-1)",
        ),
        pytest.param(
            [
                *run_of("dowel-hip-hinge", 1),
                session(
                    2,
                    "dowel-hip-hinge",
                    [work(), work(), work(form="minor", faults=["knees-locked"])],
                ),
            ],
            Action.HOLD,
            "dowel-hip-hinge",
            id="a minor fault is not clean form -> hold (R-PROG-1)",
        ),
        pytest.param(
            run_of("wall-hip-hinge", 2, seconds=60),
            Action.PROGRESS,
            "bodyweight-hip-hinge",
            id="two sessions of 3x60 s clean on the wall hinge -> bodyweight hinge (R-PROG-1)",
        ),
    ],
)
def test_r_prog_1_graduation(
    catalogue: Catalogue, sessions: list[Any], action: Action, exercise: str
) -> None:
    decision, rx = next_session(profile(), history(*sessions), catalogue)
    assert decision.action is action
    assert rx.exercise_id == exercise
    assert "R-PROG-1" in decision.rules
    if action is Action.PROGRESS:
        change = next(c for c in rx.changes if c.what == "exercise")
        assert change.rule == "R-PROG-1" and change.reason


def test_r_prog_1_the_criterion_is_catalogue_data(catalogue: Catalogue) -> None:
    """A coach who asks for three sessions on the dowel hinge gets three (R-PROG-1)."""
    dowel = catalogue.exercises["dowel-hip-hinge"]
    stricter = dowel.model_copy(update={"graduation": Graduation(sessions=3)})
    tuned = catalogue.model_copy(
        update={"exercises": {**catalogue.exercises, "dowel-hip-hinge": stricter}}
    )
    two = history(*run_of("dowel-hip-hinge", 2, rpe=7))
    three = history(*run_of("dowel-hip-hinge", 3, rpe=7))
    assert next_session(profile(), two, tuned)[0].action is Action.HOLD
    assert next_session(profile(), three, tuned)[0].action is Action.PROGRESS


def test_r_prog_1_minimum_load_relative_to_body_mass(catalogue: Catalogue) -> None:
    """Kettlebell deadlift asks for 0.25 x body mass: 16 kg at 80 kg is not enough, so the
    coach adds load instead of moving on (R-PROG-1, R-PROG-2)."""
    who = profile(equipment={"kettlebells_kg": [16, 20, 24]}, body_mass_kg=60)
    decision, rx = next_session(
        who, history(*run_of("kettlebell-deadlift", 2, load=16, rpe=7)), catalogue
    )
    assert decision.action is Action.PROGRESS  # 16 kg >= 0.25 x 60 kg
    heavier = profile(equipment={"kettlebells_kg": [16, 17, 24]}, body_mass_kg=80)
    decision, rx = next_session(
        heavier, history(*run_of("kettlebell-deadlift", 2, load=16, rpe=7)), catalogue
    )
    assert decision.action is Action.ADD_LOAD and rx.load_kg == 17


def test_r_prog_1_power_goal_prefers_the_pull_through(catalogue: Catalogue) -> None:
    who = profile(goal="power", equipment=HOME_GYM, body_mass_kg=60)
    decision, rx = next_session(
        who, history(*run_of("kettlebell-deadlift", 2, load=16, rpe=7)), catalogue
    )
    assert decision.action is Action.PROGRESS
    assert rx.exercise_id == "banded-pull-through"
    other = profile(goal="strength", equipment=HOME_GYM, body_mass_kg=60)
    _, rx = next_session(
        other, history(*run_of("kettlebell-deadlift", 2, load=16, rpe=7)), catalogue
    )
    assert rx.exercise_id == "romanian-deadlift"


def test_r_prog_1_progress_needs_equipment_for_the_next_rung(catalogue: Catalogue) -> None:
    decision, _ = next_session(
        profile(), history(*run_of("banded-hip-hinge", 2, band="red")), catalogue
    )
    assert decision.action is Action.HOLD
    assert "equipment" in decision.would_change


# --- R-PROG-2 / R-PROG-3 load -------------------------------------------------------------


def test_r_prog_3_16_kg_owns_12_16_20_reps_to_15_first_not_20_kg(catalogue: Catalogue) -> None:
    """16 kg kettlebell, owns 12/16/20, 3x12 clean twice -> reps to 15 first, not 20 kg."""
    who = profile(equipment=KETTLEBELLS_12_16_20)
    decision, rx = next_session(
        who, history(*run_of("kettlebell-deadlift", 2, load=16, rpe=7)), catalogue
    )
    assert decision.action is Action.HOLD
    assert {"R-PROG-2", "R-PROG-3"} <= set(decision.rules)
    assert rx.load_kg == 16
    assert rx.reps is not None and rx.reps.max == 15
    assert rx.bridge_step == 1
    assert "25 %" in decision.reason


def test_r_prog_3_bridge_reps_then_a_set_then_tempo_then_the_jump(catalogue: Catalogue) -> None:
    """16 -> 20 kg is 25 %: reps up to 15, then an extra set, then a slower tempo, then the
    jump with reps reset (R-PROG-3)."""
    who = profile(equipment=KETTLEBELLS_12_16_20, body_mass_kg=100)
    past = history(*run_of("kettlebell-deadlift", 2, load=16, rpe=7))
    seen: list[tuple[str, float | None, int, int, float]] = []
    for _ in range(8):
        past, decision, rx = follow(who, catalogue, past, lambda rx: to_top(rx, rpe=7))
        seen.append((decision.action, rx.load_kg, rx.sets, rx.bridge_step, rx.tempo.down_s))
    decision, rx = next_session(who, past, catalogue)
    assert [s[3] for s in seen[:6]] == [1, 1, 2, 2, 3, 3]
    assert seen[2][2] == seen[0][2] + 1  # the extra set (step 2)
    assert seen[4][4] > seen[0][4]  # the slower tempo (step 3)
    jump = seen[6]
    assert jump[0] == Action.ADD_LOAD and jump[1] == 20 and jump[3] == 0


def test_r_prog_2_add_load_when_the_step_is_small(catalogue: Catalogue) -> None:
    """A barbell can take 2.5 kg: 3x12 twice at 40 kg -> 42.5 kg, reps back to 8 (R-PROG-2)."""
    who = profile(equipment=HOME_GYM, body_mass_kg=120)  # 0.5 x 120 = 60 kg: no graduation
    decision, rx = next_session(who, history(*run_of("trap-bar-deadlift", 2, load=40)), catalogue)
    assert decision.action is Action.ADD_LOAD
    assert rx.load_kg == 42.5
    assert rx.reps is not None and rx.reps.target == rx.reps.min == 8
    change = next(c for c in rx.changes if c.what == "load") if rx.changes else None
    assert change is None or change.rule.startswith("R-PROG")


def test_r_prog_2_hold_the_load_and_add_a_rep(catalogue: Catalogue) -> None:
    who = profile(equipment=HOME_GYM, body_mass_kg=120)
    decision, rx = next_session(
        who, history(*run_of("trap-bar-deadlift", 1, load=40, reps=9, rpe=7)), catalogue
    )
    assert decision.action is Action.HOLD and "R-PROG-2" in decision.rules
    assert rx.load_kg == 40 and rx.reps is not None and rx.reps.target == 10


def test_r_prog_2_bands_move_up_one_band(catalogue: Catalogue) -> None:
    who = profile(equipment={"bands": ["light", "medium"]})
    decision, rx = next_session(
        who, history(*run_of("banded-hip-hinge", 2, band="light")), catalogue
    )
    assert decision.action is Action.ADD_LOAD and rx.band == "medium"


# --- R-PROG-4 carry-over -----------------------------------------------------------------


def test_r_prog_4_new_rung_load_carries_over_conservatively(catalogue: Catalogue) -> None:
    """Kettlebell deadlift 24 kg -> RDL: 0.8 x, started at RPE 6-7 (R-PROG-4)."""
    who = profile(equipment=HOME_GYM, body_mass_kg=80)
    past = history(*run_of("kettlebell-deadlift", 2, load=24, rpe=7))
    decision, rx = next_session(who, past, catalogue)
    assert decision.action is Action.PROGRESS and rx.exercise_id == "romanian-deadlift"
    assert "R-PROG-4" in decision.rules
    assert rx.load_kg is not None and rx.load_kg <= 24 * 0.8
    assert rx.load_kg in available_loads(who.equipment, rx.load_mode)
    assert (rx.rpe_min, rx.rpe_max, rx.rpe_target) == (6, 7, 6.5)
    # 12-rep sets give no e1RM (R-PROG-5), so the last load x ratio x 0.9 is used
    assert rolling_e1rm([s for sess in past.sessions for s in sess.work_sets]) is None
    loads = available_loads(who.equipment, rx.load_mode)
    assert rx.load_kg == round_down(24 * 0.8 * 0.9, loads) == 16
    assert any(c.rule == "R-PROG-4" for c in rx.changes)


def test_r_prog_4_carry_over_uses_rated_sets_when_there_are_some(catalogue: Catalogue) -> None:
    """Trap bar from the kettlebell deadlift at 1.5 x, sized by the e1RM at RPE 6.5."""
    who = profile(equipment=HOME_GYM, body_mass_kg=80)
    rated = [work(8, load=24, rpe=8), work(8, load=24, rpe=8), work(8, load=24, rpe=8)]
    past = history(session(0, "kettlebell-deadlift", rated))
    decision, rx = next_session(
        who, past, catalogue, placement_or_current_exercise="trap-bar-deadlift"
    )
    e1rm = rolling_e1rm(rated)
    assert e1rm is not None
    loads = available_loads(who.equipment, LoadMode.TRAP_BAR)
    assert rx.load_kg == round_down(load_for(e1rm * 1.5, 8, 6.5), loads)
    assert "R-PROG-4" in decision.rules


# --- R-PROG-6 next load from RPE ----------------------------------------------------------


def test_r_prog_6_too_hard_last_time_next_load_from_rolling_e1rm(catalogue: Catalogue) -> None:
    """Strength block, 4x5 at 100 kg at RPE 9.5: next load = median e1RM of the last three
    valid sets x chart % for (4 reps, RPE 8), rounded down (R-PROG-6)."""
    who = profile(
        equipment={**HOME_GYM, "plates_kg": [20, 20, 10, 10, 5, 2.5, 1.25]},
        goal="strength",
        training_history="intermediate",
        body_mass_kg=90,
    )
    past = history(*run_of("trap-bar-deadlift", 2, load=100, reps=5, sets=4, rpe=9.5))
    decision, rx = next_session(who, past, catalogue)
    assert "R-PROG-6" in decision.rules
    assert (
        rx.purpose is Purpose.PRIMARY
        and rx.reps is not None
        and (rx.reps.min, rx.reps.max) == (4, 6)
    )
    est = estimate_e1rm(100, 5, 9.5)
    assert est is not None
    expected = round_down(
        load_for(est.e1rm_kg, 4, 8), available_loads(who.equipment, LoadMode.TRAP_BAR)
    )
    assert expected is not None and rx.load_kg == expected < 100


def test_r_prog_6_first_session_calibrates_the_load_from_ratings(catalogue: Catalogue) -> None:
    who = profile(
        equipment=HOME_GYM, goal="strength", training_history="intermediate", body_mass_kg=90
    )
    past = history(session(0, "trap-bar-deadlift", sets_of(4, 6, load=60, rpe=7)))
    decision, rx = next_session(who, past, catalogue)
    assert decision.action is Action.ADD_LOAD and "R-PROG-6" in decision.rules
    assert rx.load_kg is not None and rx.load_kg > 60


# --- R-RX dose ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "purpose", "reps", "rest", "tempo", "rpe"),
    [
        pytest.param(
            {"goal": "strength", "training_history": "intermediate"},
            Purpose.PRIMARY,
            (4, 6),
            (120, 180),
            (3, 0),
            (7, 9),
            id="strength, intermediate -> 4-6 reps, 2-3 min, fast up (R-RX-3, R-RX-4, R-RX-5)",
        ),
        pytest.param(
            {"goal": "strength", "training_history": "novice"},
            Purpose.SECONDARY,
            (8, 12),
            (90, 180),
            None,
            (6, 8),
            id="strength, novice -> 8-12 reps first, RPE 6-8 (R-RX-3, R-RX-5)",
        ),
        pytest.param(
            {"goal": "hypertrophy", "training_history": "advanced"},
            Purpose.SECONDARY,
            (8, 12),
            (90, 180),
            (3, 2),
            (7, 9),
            id="hypertrophy -> 8-12 reps, 90-180 s, 3 s down 2 s up (R-RX-3, R-RX-4)",
        ),
        pytest.param(
            {"goal": "learn", "training_history": "intermediate"},
            Purpose.SECONDARY,
            (8, 12),
            (90, 180),
            None,
            (7, 9),
            id="learn, loaded rung -> secondary 3 x 8-12 with 90-180 s (R-RX-2)",
        ),
    ],
)
def test_r_rx_2_r_rx_3_dose_by_goal_on_a_lifting_rung(
    catalogue: Catalogue,
    who: dict[str, Any],
    purpose: Purpose,
    reps: tuple[int, int],
    rest: tuple[int, int],
    tempo: tuple[float, float] | None,
    rpe: tuple[float, float],
) -> None:
    person = profile(equipment=HOME_GYM, body_mass_kg=120, **who)
    past = history(*run_of("trap-bar-deadlift", 1, load=60, reps=reps[0], rpe=8))
    _, rx = next_session(person, past, catalogue)
    assert rx.purpose is purpose
    assert rx.reps is not None and (rx.reps.min, rx.reps.max) == reps
    assert (rx.rest_s, rx.rest_max_s) == rest
    if tempo is not None:
        assert (rx.tempo.down_s, rx.tempo.up_s) == tempo
    assert (rx.rpe_min, rx.rpe_max) == rpe


def test_r_rx_2_learning_rung_dose(catalogue: Catalogue) -> None:
    _, rx = next_session(
        profile(goal="strength", training_history="advanced"),
        history(*run_of("hinge-to-squat", 1, reps=10)),
        catalogue,
    )
    assert rx.purpose is Purpose.LEARNING and rx.sets == 3
    assert rx.reps is not None and (rx.reps.min, rx.reps.max) == (8, 12)
    assert (rx.tempo.down_s, rx.tempo.up_s) == (3, 2)  # R-RX-4


def test_r_rx_2_long_rest_after_a_hard_primary_set(catalogue: Catalogue) -> None:
    who = profile(
        equipment=HOME_GYM, goal="strength", training_history="advanced", body_mass_kg=120
    )
    _, rx = next_session(
        who, history(*run_of("trap-bar-deadlift", 1, load=60, reps=5, rpe=8.5)), catalogue
    )
    assert rx.rest_max_s == 300


def test_r_rx_1_every_change_from_last_time_has_a_reason_and_rule(catalogue: Catalogue) -> None:
    who = profile(equipment=HOME_GYM, body_mass_kg=100)
    past = history(*run_of("kettlebell-deadlift", 1, load=16, rpe=7))
    past, _, _ = follow(
        who,
        catalogue,
        past,
        lambda rx: [
            work(10, load=16, rpe=7),
            work(10, load=16, rpe=7, form="breakdown", faults=["back-rounding"]),
            work(10, load=16, rpe=7),
        ],
    )
    decision, rx = next_session(who, past, catalogue)
    assert decision.action is Action.REGRESS
    assert rx.changes, "a regression changes something"
    for change in rx.changes:
        assert change.reason and change.rule.startswith("R-")
    assert any(c.what == "modifier elevated-start" and c.rule == "R-REG-1" for c in rx.changes)
    # R-RX-1: the prescription names exercise, sets, reps, load, tempo, rest and cues
    assert rx.exercise_name and rx.sets and rx.reps and rx.load_label and rx.tempo
    assert rx.rest_s > 0 and "Brace like you're about to take a punch." in rx.cues


def test_r_rx_6_loads_come_from_the_persons_equipment(catalogue: Catalogue) -> None:
    """A 10 % cut from 16 kg is 14.4 kg: they own 12/16/20, so 12 kg (R-RX-6, R-REG-4)."""
    who = profile(equipment=KETTLEBELLS_12_16_20, body_mass_kg=100)
    past = history(session(0, "kettlebell-deadlift", sets_of(3, 10, load=16, rpe=8), fatigue=True))
    decision, rx = next_session(who, past, catalogue)
    assert decision.action is Action.REGRESS and "R-REG-4" in decision.rules
    assert rx.load_kg == 12 and rx.load_label == "one 12 kg kettlebell"


# --- R-SAFE in prescribe -------------------------------------------------------------------


def test_r_safe_3_pain_7_in_set_2_stop_today_one_rung_lower_next_time(catalogue: Catalogue) -> None:
    past = history(session(0, "dowel-hip-hinge", [work(12), work(8, pain=7)]))
    decision, rx = next_session(profile(), past, catalogue)
    assert decision.action is Action.STEP_DOWN
    assert "R-SAFE-3" in decision.rules and "R-REG-7" in decision.rules
    assert rx.exercise_id == "bodyweight-hip-hinge"
    assert decision.evidence[0].set_number == 2 and decision.evidence[0].pain == 7


def test_r_safe_4_sharp_pain_last_time_stop_until_the_red_flags_are_answered(
    catalogue: Catalogue,
) -> None:
    past = history(session(0, "romanian-deadlift", [work(10, load=16, pain=4, quality=["sharp"])]))
    who = profile(equipment=HOME_GYM)
    decision, rx = prescribe(who, past, catalogue)
    assert decision.action is Action.STOP and rx is None
    assert decision.rules == ("R-SAFE-4",)
    assert any("saddle" in q for q in decision.advice)
    cleared, rx2 = prescribe(who, past, catalogue, screen_answers=answers())
    assert cleared.action is Action.STEP_DOWN and rx2 is not None
    assert rx2.exercise_id == "kettlebell-deadlift"
    blocked, rx3 = prescribe(who, past, catalogue, screen_answers=answers(saddle_numbness=True))
    assert blocked.action is Action.EMERGENCY and rx3 is None


def test_r_safe_5_next_morning_pain_2_above_baseline_regresses(catalogue: Catalogue) -> None:
    past = history(
        *run_of("dowel-hip-hinge", 1), session(2, "dowel-hip-hinge", sets_of(3), morning=3)
    )
    decision, rx = next_session(profile(baseline_pain=1), past, catalogue)
    assert decision.action is Action.REGRESS
    assert "R-SAFE-5" in decision.rules
    assert rx.modifiers and rx.exercise_id == "dowel-hip-hinge"


def test_r_safe_5_weekly_pain_rising_two_weeks_hold_and_suggest_a_clinician(
    catalogue: Catalogue,
) -> None:
    sessions = [
        session(0, "dowel-hip-hinge", sets_of(3, 12, pain=0)),
        session(7, "dowel-hip-hinge", sets_of(3, 12, pain=1)),
        session(14, "dowel-hip-hinge", sets_of(3, 12, pain=2)),
    ]
    decision, rx = next_session(profile(), history(*sessions), catalogue)
    assert decision.action is Action.HOLD and "R-SAFE-5" in decision.rules
    assert any("clinician" in a for a in decision.advice)
    assert rx.exercise_id == "dowel-hip-hinge"


def test_r_safe_1_a_blocked_placement_is_never_overridden(catalogue: Catalogue) -> None:
    placement = place(profile(), answers(saddle_numbness=True), catalogue)
    long_clean = history(*run_of("dowel-hip-hinge", 4))
    decision, rx = prescribe(
        profile(), long_clean, catalogue, placement_or_current_exercise=placement
    )
    assert decision.action is Action.EMERGENCY and rx is None


def test_first_session_from_a_placement(catalogue: Catalogue) -> None:
    who = profile(equipment=KETTLEBELLS_12_16_20)
    placement = place(who, answers(aslr_score=3), catalogue)
    decision, rx = next_session(who, history(), catalogue, placement_or_current_exercise=placement)
    assert rx.exercise_id == "elevated-kettlebell-deadlift"
    assert rx.load_kg == 12  # R-PROG-4 with nothing to carry over: the lightest they own
    assert "R-ASSESS-3" in decision.rules
    assert any("Find your load" in n for n in rx.notes)


def test_an_empty_history_needs_a_starting_point(catalogue: Catalogue) -> None:
    with pytest.raises(InputError, match="placement_or_current_exercise"):
        prescribe(profile(), history(), catalogue)
    with pytest.raises(InputError, match="not a hinge"):
        prescribe(profile(), history(), catalogue, placement_or_current_exercise="push-up")


def test_unknown_ids_in_the_history_are_input_errors(catalogue: Catalogue) -> None:
    with pytest.raises(UnknownIdError, match="dowel-hip-hinge"):
        prescribe(profile(), history(session(0, "dowel-hip-hinges", sets_of(3))), catalogue)
    with pytest.raises(UnknownIdError):
        prescribe(profile(), history(session(0, "pvc-pipe-hinge", sets_of(3))), catalogue)
    with pytest.raises(UnknownIdError, match="back-rounding"):
        prescribe(
            profile(),
            history(session(0, "dowel-hip-hinge", [work(form="minor", faults=["back-roundin"])])),
            catalogue,
        )


def test_a_coach_can_move_the_person_to_another_rung(catalogue: Catalogue) -> None:
    _, rx = next_session(
        profile(),
        history(*run_of("dowel-hip-hinge", 1)),
        catalogue,
        placement_or_current_exercise="hinge-to-squat",
    )
    assert rx.exercise_id == "hinge-to-squat"
    assert any(c.what == "exercise" for c in rx.changes)


def test_push_sessions_in_the_history_are_skipped(catalogue: Catalogue) -> None:
    past = history(*run_of("dowel-hip-hinge", 1), session(1, "push-up", sets_of(3, 10)))
    _, rx = next_session(profile(), past, catalogue)
    assert rx.exercise_id == "dowel-hip-hinge"


def test_steady_learning_progress_follows_the_prescriptions(catalogue: Catalogue) -> None:
    """Following every prescription to its target, clean, climbs one rung every two sessions."""
    who = profile()
    past = history()
    rungs = []
    start: Any = "hero-squat"
    for _ in range(10):
        past, _, rx = follow(who, catalogue, past, lambda rx: to_target(rx, rpe=7), start=start)
        start = None
        rungs.append(rx.exercise_id)
    assert rungs[:6] == [
        "hero-squat",
        "hero-squat",
        "wall-hip-hinge",
        "wall-hip-hinge",
        "bodyweight-hip-hinge",
        "bodyweight-hip-hinge",
    ]


def test_r_safe_3_pain_4_at_todays_screen_trains_without_progressing(
    catalogue: Catalogue,
) -> None:
    past = history(*run_of("dowel-hip-hinge", 2, rpe=7))
    ready, rx = next_session(profile(), past, catalogue, screen_answers=answers(current_pain=1))
    assert ready.action is Action.PROGRESS and rx.exercise_id == "hinge-to-squat"
    sore, rx = next_session(profile(), past, catalogue, screen_answers=answers(current_pain=4))
    assert sore.action is Action.HOLD and "R-SAFE-3" in sore.rules
    assert rx.exercise_id == "dowel-hip-hinge"
    assert "hinge to squat" in sore.would_change
