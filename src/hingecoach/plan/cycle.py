"""Cycles: progressive overload week to week, and deloads (R-PLAN-4).

A cycle runs 4-16 weeks. Build weeks add a small step each (one more rep in the range; at
the top, the next load the person owns when it is no more than 10 % heavier, else an extra
set while the coach bridges the jump, R-PROG-2/3). Every ``deload_every`` weeks (4-6,
default 5) comes a deload week: the same days and exercises, about half the sets, loads
10-20 % lighter (rounded down to what the person owns), nothing harder than RPE 6. A deload
comes early when the estimated 1RM has been flat for 3 sessions or fatigue/soreness flags
show on 2 of the last 3 sessions. A deload is never a week off. After a deload the plan
picks up at the pre-deload dose, then builds again.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

from hingecoach.coach import (
    History,
    OwnedEquipment,
    Profile,
    RepTarget,
    SetLog,
    estimate_e1rm,
)
from hingecoach.coach.loads import available_loads, describe_load, next_increment, round_down
from hingecoach.errors import InputError
from hingecoach.knowledge import Catalogue
from hingecoach.plan.defaults import (
    BIG_JUMP_PCT,
    CYCLE_WEEKS,
    DELOAD_EVERY_RANGE,
    DELOAD_LOAD_CUT,
    DELOAD_RPE_MAX,
    DELOAD_SETS_FRACTION,
    E1RM_FLAT_TOLERANCE,
    EARLY_DELOAD_FLAG_SESSIONS,
    EARLY_DELOAD_FLAG_WINDOW,
    EARLY_DELOAD_FLAT_SESSIONS,
    PRIMARY_SETS_MAX,
    REPS_STEP_PER_WEEK,
    SORENESS_RISE,
)
from hingecoach.plan.models import (
    BlockPurpose,
    PlannedExercise,
    Reason,
    SessionBlock,
    WeekKind,
    day_label,
)
from hingecoach.plan.structure import RAMP_PREFIX, ramp_up_note
from hingecoach.units import Unit, format_load, to_unit

__all__ = [
    "check_cycle",
    "deload_block",
    "deload_exercise",
    "early_deload",
    "overload",
    "week_blocks",
]

_EPS = 1e-6


def check_cycle(weeks: int, deload_every: int) -> None:
    """R-PLAN-4: 4-16 weeks, a deload every 4-6 weeks."""
    lo, hi = CYCLE_WEEKS
    if not lo <= weeks <= hi:
        raise InputError(f"weeks: a cycle is {lo}-{hi} weeks (R-PLAN-4), got {weeks}")
    dlo, dhi = DELOAD_EVERY_RANGE
    if not dlo <= deload_every <= dhi:
        raise InputError(
            f"deload every: a deload week comes every {dlo}-{dhi} weeks (R-PLAN-4), "
            f"got {deload_every}"
        )


# --- progressive overload --------------------------------------------------------------


def overload(
    ex: PlannedExercise,
    steps: int,
    equipment: OwnedEquipment,
    *,
    primary: bool,
    unit: Unit = "kg",
) -> tuple[PlannedExercise, str | None]:
    """``ex`` after ``steps`` build weeks of double progression (R-PLAN-4, R-PROG-2/3).

    One more rep a week up to the top of the range; then, for the primary, the next load
    owned if it is at most 10 % heavier (and back to the bottom of the range), else one
    extra set (up to 5) while the coach bridges the jump. Returns the exercise and a note
    when the step needs explaining.
    """
    if steps <= 0 or ex.reps is None:
        return ex, None
    lo, hi, target = ex.reps.min, ex.reps.max, ex.reps.target
    load = ex.load_kg
    sets = ex.sets
    loads = available_loads(equipment, ex.load_mode) if load is not None else ()
    note: str | None = None
    bridged = False
    for _ in range(steps):
        note = None  # only the last step's news is told; a hold explains itself in the week
        if target + REPS_STEP_PER_WEEK <= hi:
            target += REPS_STEP_PER_WEEK
            continue
        if not primary or load is None:
            continue
        nxt = next_increment(load, loads)
        if nxt is not None and nxt <= load * (1 + BIG_JUMP_PCT) + _EPS:
            load, target = nxt, lo
        elif nxt is not None and not bridged and sets < PRIMARY_SETS_MAX:
            sets += 1
            bridged = True
            note = (
                f"The next load you own, {format_load(nxt, unit)}, is more than 10 % heavier: "
                "one more set for now, and the coach bridges the jump (R-PROG-3)."
            )
    if (target, load, sets) == (ex.reps.target, ex.load_kg, ex.sets):
        return ex, note
    update: dict[str, object] = {
        "reps": RepTarget(min=lo, max=hi, target=target),
        "load_kg": load,
        "sets": sets,
    }
    if load != ex.load_kg:
        update["load_label"] = describe_load(load, ex.load_mode, equipment, ex.band, unit)
    return ex.model_copy(update=update), note


# --- deloads ---------------------------------------------------------------------------


def deload_exercise(
    ex: PlannedExercise, equipment: OwnedEquipment, unit: Unit = "kg"
) -> PlannedExercise:
    """The deload version of ``ex`` (R-PLAN-4): about half the sets, 10-20 % lighter
    (rounded down to an owned load), RPE 6 or less. Never more sets or load than ``ex``."""
    sets = max(1, math.ceil(ex.sets * DELOAD_SETS_FRACTION))
    update: dict[str, object] = {
        "sets": min(sets, ex.sets),
        "rpe_target": min(ex.rpe_target, DELOAD_RPE_MAX),
        "rpe_max": min(ex.rpe_max, DELOAD_RPE_MAX),
    }
    notes = list(ex.notes)
    cut_lo, cut_hi = DELOAD_LOAD_CUT
    if ex.load_kg is not None:
        loads = available_loads(equipment, ex.load_mode)
        lighter = round_down(ex.load_kg * (1 - cut_lo), loads)
        if lighter is None:
            if ex.reps is not None:
                update["reps"] = RepTarget(min=ex.reps.min, max=ex.reps.max, target=ex.reps.min)
            notes.append(
                f"Deload: {format_load(ex.load_kg, unit)} is your lightest, so keep it and do "
                "the bottom of the rep range."
            )
        else:
            update["load_kg"] = lighter
            update["load_label"] = describe_load(lighter, ex.load_mode, equipment, ex.band, unit)
            if lighter < ex.load_kg * (1 - cut_hi) - _EPS:
                notes.append(
                    f"Deload: {format_load(lighter, unit)} is the next lighter load you own "
                    f"({(1 - lighter / ex.load_kg) * 100:.0f} % lighter); that is fine for "
                    "a deload week."
                )
    elif ex.band is not None and ex.band in equipment.bands:
        index = equipment.bands.index(ex.band)
        if index > 0:
            band = equipment.bands[index - 1]
            update["band"] = band
            update["load_label"] = describe_load(None, ex.load_mode, equipment, band, unit)
    update["notes"] = tuple(notes)
    return ex.model_copy(update=update)


def deload_block(block: SessionBlock, equipment: OwnedEquipment, unit: Unit = "kg") -> SessionBlock:
    """A block in a deload week; the warm-up stays as it is (it is not training volume)."""
    if block.purpose is BlockPurpose.WARM_UP:
        return block
    return block.model_copy(
        update={"exercises": tuple(deload_exercise(e, equipment, unit) for e in block.exercises)}
    )


def week_blocks(
    template: Sequence[SessionBlock],
    *,
    kind: WeekKind,
    steps: int,
    equipment: OwnedEquipment,
    unit: Unit = "kg",
) -> tuple[tuple[SessionBlock, ...], list[str]]:
    """A session's blocks for a week: ``steps`` of overload, then the deload if it is one."""
    blocks: list[SessionBlock] = []
    notes: list[str] = []
    for block in template:
        if block.purpose is BlockPurpose.WARM_UP:  # warm-ups stay easy; they are not overload
            blocks.append(block)
            continue
        exercises = []
        for ex in block.exercises:
            moved, note = overload(
                ex, steps, equipment, primary=block.purpose is BlockPurpose.PRIMARY, unit=unit
            )
            exercises.append(moved)
            if note:
                notes.append(note)
        built = block.model_copy(update={"exercises": tuple(exercises)})
        if kind is WeekKind.DELOAD:
            built = deload_block(built, equipment, unit)
        if block.purpose is BlockPurpose.PRIMARY:
            built = _with_ramp(built, block.exercises[0], equipment, unit)
        blocks.append(built)
    return tuple(blocks), notes


def _with_ramp(
    block: SessionBlock, template: PlannedExercise, equipment: OwnedEquipment, unit: Unit
) -> SessionBlock:
    """The primary's ramp-up note, redone when this week's load is not the template's."""
    ex = block.exercises[0]
    if ex.load_kg == template.load_kg:
        return block
    notes = [n for n in ex.notes if not n.startswith(RAMP_PREFIX)]
    ramp = ramp_up_note(ex.load_kg, ex.load_mode, equipment, unit)
    if ramp is not None:
        notes.insert(0, ramp)
    return block.model_copy(update={"exercises": (ex.model_copy(update={"notes": tuple(notes)}),)})


# --- early deload triggers -------------------------------------------------------------


def _session_e1rm(sets: Sequence[SetLog]) -> float | None:
    """The best estimate of the session's rated work sets (R-PROG-5)."""
    best: float | None = None
    for set_log in sets:
        rpe = set_log.effort_rpe
        if set_log.load_kg is None or set_log.reps is None or rpe is None:
            continue
        est = estimate_e1rm(set_log.load_kg, set_log.reps, rpe)
        if est is not None and (best is None or est.e1rm_kg > best):
            best = est.e1rm_kg
    return best


def early_deload(
    profile: Profile,
    history: History,
    catalogue: Catalogue,
    *,
    since: dt.date | None = None,
) -> Reason | None:
    """Why a deload should come early, if it should (R-PLAN-4); sessions after ``since``
    (the end of the last deload week) only.

    Flat: the estimated 1RM (R-PROG-5) on the current exercise has not beaten the session
    before the last 3 by more than 1 % in any of them. Flags: fatigue (``fatigue_flag``) or
    next-morning soreness 2+ above the person's baseline on 2 of the last 3 hinge sessions.
    """
    hinge = [
        s
        for s in reversed(history.sessions)
        if (since is None or s.date > since)
        and (ex := catalogue.exercises.get(s.exercise_id)) is not None
        and ex.is_hinge
    ]
    if not hinge:
        return None
    window = hinge[:EARLY_DELOAD_FLAG_WINDOW]
    flagged = [
        s
        for s in window
        if s.fatigue_flag
        or (
            s.next_morning_pain is not None
            and s.next_morning_pain - profile.baseline_pain >= SORENESS_RISE
        )
    ]
    if len(flagged) >= EARLY_DELOAD_FLAG_SESSIONS:
        days = ", ".join(day_label(s.date, short=True) for s in reversed(flagged))
        return Reason(
            text=f"Deload brought forward: fatigue or soreness was flagged in {len(flagged)} of "
            f"your last {len(window)} hinge sessions ({days}).",
            rules=("R-PLAN-4",),
        )
    current = hinge[0].exercise_id
    estimates: list[tuple[dt.date, float]] = []
    for session in hinge:
        if session.exercise_id != current:
            break
        value = _session_e1rm(session.work_sets)
        if value is not None:
            estimates.append((session.date, value))
        if len(estimates) > EARLY_DELOAD_FLAT_SESSIONS:
            break
    if len(estimates) <= EARLY_DELOAD_FLAT_SESSIONS:
        return None
    reference = estimates[EARLY_DELOAD_FLAT_SESSIONS][1]
    latest = [v for _, v in estimates[:EARLY_DELOAD_FLAT_SESSIONS]]
    if max(latest) > reference * (1 + E1RM_FLAT_TOLERANCE):
        return None
    name = catalogue.exercises[current].name.lower()
    unit = profile.unit
    values = ", ".join(f"{to_unit(v, unit):.0f}" for v in reversed(latest))
    return Reason(
        text=f"Deload brought forward: your estimated 1RM on the {name} has been flat for "
        f"{EARLY_DELOAD_FLAT_SESSIONS} sessions ({to_unit(reference, unit):.0f} {unit} before, "
        f"then {values} {unit}).",
        rules=("R-PLAN-4", "R-PROG-5"),
    )
