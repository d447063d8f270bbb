"""R-PLAN-4: cycles of 4-16 weeks, progressive overload, deloads (scheduled and early)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from hingecoach.coach import OwnedEquipment, RepTarget
from hingecoach.errors import InputError
from hingecoach.knowledge import Catalogue, LoadMode, Tempo
from hingecoach.plan import (
    BlockPurpose,
    Plan,
    PlannedExercise,
    WeekKind,
    build_plan,
    deload_exercise,
    early_deload,
    overload,
)
from tests.unit.coach.builders import DAY0, HOME_GYM, history, profile, run_of, session, sets_of

LIFTER = {"equipment": HOME_GYM, "training_history": "intermediate", "goal": "hypertrophy"}


def _plan(catalogue: Catalogue, weeks: int = 12, deload_every: int = 5, **kw: Any) -> Plan:
    past = history(*run_of("kettlebell-deadlift", 3, first_day=-9, reps=9, load=16, rpe=8))
    return build_plan(
        profile(**LIFTER), past, catalogue, weeks=weeks, start=DAY0, deload_every=deload_every, **kw
    )


@pytest.mark.parametrize(
    ("case", "weeks", "deload_every", "deloads"),
    [
        ("R-PLAN-4 week 5 is a deload", 8, 5, [5]),
        ("R-PLAN-4 16 weeks, every 5: weeks 5, 10 and 15", 16, 5, [5, 10, 15]),
        ("R-PLAN-4 every 4 weeks", 12, 4, [4, 8, 12]),
        ("R-PLAN-4 every 6 weeks", 12, 6, [6, 12]),
        ("R-PLAN-4 a 4-week cycle has no deload at 5", 4, 5, []),
    ],
)
def test_r_plan_4_scheduled_deloads(
    catalogue: Catalogue, case: str, weeks: int, deload_every: int, deloads: list[int]
) -> None:
    plan = _plan(catalogue, weeks=weeks, deload_every=deload_every)
    assert len(plan.plan_weeks) == weeks, case
    assert [w.number for w in plan.plan_weeks if w.is_deload] == deloads, case
    for week in plan.plan_weeks:
        assert "R-PLAN-4" in week.reason.rules, case


def test_week_5_is_a_deload_same_days_and_exercises_half_the_sets_lighter(
    catalogue: Catalogue,
) -> None:
    """R-PLAN-4: same days and exercises, about half the sets, load -10-20 %, RPE 6 or less."""
    plan = _plan(catalogue, weeks=8)
    build, deload = plan.plan_weeks[3], plan.plan_weeks[4]
    assert deload.kind is WeekKind.DELOAD and "not a week off" in deload.reason.text
    assert [s.date.weekday() for s in deload.sessions] == [s.date.weekday() for s in build.sessions]
    for before, after in zip(build.sessions, deload.sessions, strict=True):
        assert [e.exercise_id for e in before.exercises()] == [
            e.exercise_id for e in after.exercises()
        ]
        for block_b, block_d in zip(before.blocks, after.blocks, strict=True):
            for b, d in zip(block_b.exercises, block_d.exercises, strict=True):
                if block_b.purpose is BlockPurpose.WARM_UP:
                    assert d == b
                    continue
                assert d.sets == max(1, -(-b.sets // 2))
                assert d.rpe_max <= 6
                if b.load_kg is not None:
                    assert d.load_kg is not None
                    lightest = any("your lightest" in n for n in d.notes)
                    assert d.load_kg <= b.load_kg * 0.9 + 1e-9 or lightest
    primary = deload.sessions[0].primary
    assert primary is not None and primary.load_kg == 12  # 16 kg -> 12 kg, the next bell down


def test_after_a_deload_back_to_the_pre_deload_dose(catalogue: Catalogue) -> None:
    plan = _plan(catalogue, weeks=8)
    week4, week6 = plan.plan_weeks[3], plan.plan_weeks[5]
    assert week6.sessions[0].primary == week4.sessions[0].primary
    assert "pre-deload" in week6.reason.text


def test_progressive_overload_week_to_week(catalogue: Catalogue) -> None:
    """R-PLAN-4: one more rep a week on the primary, never less, up to the top of the range."""
    plan = _plan(catalogue, weeks=4)
    targets = []
    for week in plan.plan_weeks:
        p = week.sessions[0].primary
        assert p is not None and p.reps is not None
        targets.append((p.sets, p.reps.target, p.load_kg))
    assert targets[0][1] == 10  # the coach's prescription: 9 reps logged -> aim for 10
    assert [t[1] for t in targets] == [10, 11, 12, 12]
    assert targets[3][0] == targets[2][0] + 1  # the 20 kg bell is a 25 % jump: an extra set
    assert "R-PROG-3" in plan.plan_weeks[3].reason.text


def _planned(load: float | None, sets: int = 4, reps: int = 8, band: str | None = None) -> Any:
    return PlannedExercise(
        exercise_id="kettlebell-deadlift",
        name="Kettlebell deadlift",
        is_hinge=True,
        sets=sets,
        reps=RepTarget(min=8, max=12, target=reps),
        load_mode=LoadMode.BAND if band else LoadMode.KETTLEBELL,
        load_kg=load,
        band=band,
        tempo=Tempo(down_s=3, up_s=1),
        rest_s=90,
        rest_max_s=180,
        rpe_target=8,
        rpe_max=9,
    )


@pytest.mark.parametrize(
    ("case", "owned", "load", "expected_load", "note"),
    [
        ("R-PLAN-4 24 kg -> 20 kg (-17 %)", [12, 16, 20, 24], 24, 20, None),
        ("R-PLAN-4 16 kg -> 12 kg (-25 %, the next bell; a deload errs light)", [12, 16], 16, 12,
         "next lighter"),
        ("R-PLAN-4 nothing lighter: keep it, bottom of the range", [16], 16, 16, "lightest"),
    ],
)  # fmt: skip
def test_deload_loads_round_down_to_owned(
    case: str, owned: list[float], load: float, expected_load: float, note: str | None
) -> None:
    equipment = OwnedEquipment(kettlebells_kg=owned)
    out = deload_exercise(_planned(load, reps=10), equipment)
    assert out.load_kg == expected_load, case
    assert out.sets == 2 and out.rpe_max <= 6 and out.rpe_target <= 6
    if note:
        assert any(note in n for n in out.notes), case
    if expected_load == load:
        assert out.reps is not None and out.reps.target == 8


def test_deload_steps_a_band_down() -> None:
    equipment = OwnedEquipment(bands=["light", "medium", "heavy"])
    out = deload_exercise(_planned(None, band="medium"), equipment)
    assert out.band == "light"


def test_overload_takes_the_next_load_within_10_percent() -> None:
    """R-PLAN-4 with R-PROG-2: at the top, the next owned load (<= 10 % heavier) and reset."""
    equipment = OwnedEquipment(dumbbells_kg=[20, 20, 22, 22])
    start = _planned(40, reps=11).model_copy(update={"load_mode": LoadMode.DUMBBELL})
    out, _ = overload(start, 2, equipment, primary=True)
    assert out.load_kg == 44 and out.reps is not None and out.reps.target == 8


@pytest.mark.parametrize(
    ("case", "sessions", "why"),
    [
        (
            "R-PLAN-4 fatigue flagged on 2 sessions -> early deload",
            [(0, 10, 16, 8, True), (2, 10, 16, 8, False), (4, 10, 16, 8, True)],
            "fatigue",
        ),
        (
            "R-PLAN-4 e1RM flat for 3 sessions -> early deload",
            [(0, 8, 16, 8, False), (2, 8, 16, 8, False), (4, 8, 16, 8.5, False),
             (7, 8, 16, 8, False)],
            "flat",
        ),
        (
            "R-PLAN-4 e1RM rising -> no early deload",
            [(0, 8, 12, 8, False), (2, 8, 16, 8, False), (4, 9, 16, 8, False),
             (7, 10, 16, 8, False)],
            None,
        ),
        ("R-PLAN-4 one flag is not a rise", [(0, 10, 16, 8, True), (2, 10, 16, 8, False)], None),
    ],
)  # fmt: skip
def test_r_plan_4_early_deload_triggers(
    catalogue: Catalogue, case: str, sessions: list[tuple[int, int, float, float, bool]], why: str
) -> None:
    who = profile(**LIFTER)
    past = history(
        *[
            session(day - 14, "kettlebell-deadlift", sets_of(3, reps, load=load, rpe=rpe),
                    fatigue=flag)
            for day, reps, load, rpe, flag in sessions
        ]
    )  # fmt: skip
    reason = early_deload(who, past, catalogue)
    if why is None:
        assert reason is None, case
        return
    assert reason is not None and why in reason.text and "R-PLAN-4" in reason.rules, case
    plan = build_plan(who, past, catalogue, weeks=8, start=DAY0)
    assert plan.plan_weeks[0].is_deload and why in plan.plan_weeks[0].reason.text, case
    # the cadence restarts from the early deload: the next one 5 weeks later
    assert [w.number for w in plan.plan_weeks if w.is_deload] == [1, 6], case


def test_flags_before_the_last_deload_do_not_count(catalogue: Catalogue) -> None:
    who = profile(**LIFTER)
    past = history(
        *[session(d, "kettlebell-deadlift", sets_of(3, 10, load=16, rpe=8), fatigue=True)
          for d in (0, 2)]
    )  # fmt: skip
    assert early_deload(who, past, catalogue) is not None
    assert early_deload(who, past, catalogue, since=DAY0 + dt.timedelta(days=2)) is None


@pytest.mark.parametrize(("weeks", "every"), [(3, 5), (17, 5), (8, 3), (8, 7)])
def test_cycle_bounds_are_input_errors(catalogue: Catalogue, weeks: int, every: int) -> None:
    """R-PLAN-4: 4-16 weeks, a deload every 4-6."""
    with pytest.raises(InputError, match="R-PLAN-4"):
        _plan(catalogue, weeks=weeks, deload_every=every)
