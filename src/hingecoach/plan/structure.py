"""A session's layout: warm-up, primary, secondary, accessory (R-PLAN-2).

The primary is the person's current rung, dosed exactly as the coach prescribes it
(:func:`hingecoach.coach.prescribe`), straight after the warm-up: technical work first,
while fresh, and never paired (R-PLAN-3). Around it:

- warm-up: 2 x 8-10 of a bodyweight hinge below the primary on the ladder (R-RX-2);
- secondary: 3 x 8-12 of a hinge the person has earned (a rung below, or one they have
  trained), loaded under a loaded primary, paired with a push (R-PLAN-3);
- accessory: 2 x 12-15 of a light hinge (pull-through, banded or single-leg work) when one
  is earned and fits the equipment.

Every exercise is one the person owns the kit for (R-RX-6); sessions alternate between two
variants (A and B) that differ in the secondary and accessory choice when there is more
than one fitting choice.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Sequence
from typing import Literal

from hingecoach.coach import History, OwnedEquipment, Prescription, Profile, RepTarget
from hingecoach.coach.defaults import (
    ACCESSORY_REPS,
    ACCESSORY_REST_S,
    SECONDARY_REPS,
    SECONDARY_REST_S,
    SECONDARY_SETS,
    TEMPO_LEARNING,
    WARM_UP_REPS,
    WARM_UP_REST_S,
    WARM_UP_SETS,
)
from hingecoach.coach.ladder import is_learning_rung
from hingecoach.coach.loads import available_loads, choose_load_mode, describe_load, round_down
from hingecoach.coach.models import Experience, Goal
from hingecoach.knowledge import Catalogue, Exercise, LoadMode, Tempo
from hingecoach.plan.defaults import (
    ACCESSORY_SETS,
    PUSH_FOR_DEADLIFTS,
    PUSH_REPS,
    PUSH_SETS,
    RAMP_UP,
    SECONDARY_LOAD_OF_PRIMARY,
    SECONDARY_MIN_STAGE_LOADED,
    SUPPORT_RPE,
    WARM_UP_RPE,
)
from hingecoach.plan.equipment import fits_equipment
from hingecoach.plan.models import BlockPurpose, PlannedExercise, Reason, SessionBlock
from hingecoach.plan.supersets import choose_push, pair
from hingecoach.units import Unit, format_load

__all__ = [
    "RAMP_PREFIX",
    "Variant",
    "from_prescription",
    "ladder_below",
    "lay_out",
    "ramp_up_note",
    "ramp_up_sets",
    "ranked",
]

Variant = Literal["A", "B"]


def ranked(catalogue: Catalogue, rank: Literal["warm_up_rank", "accessory_rank"]) -> list[Exercise]:
    """The exercises with a ``rank`` in the catalogue, in order of preference (R-PLAN-2):
    lowest rank first, ties by id."""
    order: list[tuple[int, str, Exercise]] = []
    for ex in catalogue.exercises.values():
        value = ex.warm_up_rank if rank == "warm_up_rank" else ex.accessory_rank
        if value is not None:
            order.append((value, ex.id, ex))
    return [ex for _, _, ex in sorted(order, key=lambda t: t[:2])]


def ladder_below(catalogue: Catalogue, ex: Exercise) -> list[Exercise]:
    """Every rung below ``ex`` along its regressions, nearest first (breadth first)."""
    seen = {ex.id}
    order: list[Exercise] = []
    queue = deque([ex])
    while queue:
        rung = queue.popleft()
        for down_id in rung.regresses_to:
            down = catalogue.exercises.get(down_id)
            if down is not None and down.id not in seen:
                seen.add(down.id)
                order.append(down)
                queue.append(down)
    return order


def _hinges_trained(history: History, catalogue: Catalogue) -> Iterator[Exercise]:
    """Hinge exercises in the history, most recent first, each once."""
    seen: set[str] = set()
    for session in reversed(history.sessions):
        ex = catalogue.exercises.get(session.exercise_id)
        if ex is not None and ex.is_hinge and ex.id not in seen:
            seen.add(ex.id)
            yield ex


def _last_logged(history: History, exercise_id: str) -> tuple[float | None, str | None]:
    """The last work load and band logged on this exercise."""
    for session in reversed(history.sessions):
        if session.exercise_id != exercise_id:
            continue
        for set_log in reversed(session.work_sets):
            if set_log.load_kg is not None or set_log.band is not None:
                return set_log.load_kg, set_log.band
    return None, None


def _tempo(ex: Exercise, profile: Profile) -> Tempo:
    """R-RX-4: 3 s down, 2 s up on learning rungs and for hypertrophy; else the exercise's."""
    t = ex.tempo
    if ex.is_hinge and t.up_s != 0 and (is_learning_rung(ex) or profile.goal is Goal.HYPERTROPHY):
        down, up = TEMPO_LEARNING
        return Tempo(down_s=down, up_s=up, bottom_s=t.bottom_s, top_s=t.top_s)
    return t


def dose(
    ex: Exercise,
    profile: Profile,
    history: History,
    *,
    sets: int,
    reps: tuple[int, int],
    rest_s: tuple[int, int],
    rpe: tuple[float, float],
    primary: PlannedExercise | None = None,
    notes: Sequence[str] = (),
) -> PlannedExercise:
    """``ex`` at a purpose's dose, loaded with what the person owns (R-RX-2, R-RX-6).

    The load is the last one logged on the exercise, else (for a hinge under a loaded
    primary) 60 % of the primary's load, else the lightest owned, with a note to find it.
    """
    equipment = profile.equipment
    mode = choose_load_mode(ex, equipment) or LoadMode.BODYWEIGHT
    last_kg, last_band = _last_logged(history, ex.id)
    load_kg: float | None = None
    band: str | None = None
    extra: list[str] = []
    if mode is LoadMode.BAND:
        band = last_band if last_band in equipment.bands else equipment.bands[0]
    elif mode is not LoadMode.BODYWEIGHT:
        loads = available_loads(equipment, mode)
        if last_kg is not None:
            load_kg = round_down(last_kg, loads)
        if load_kg is None and primary is not None and primary.load_kg and ex.is_hinge:
            load_kg = round_down(primary.load_kg * SECONDARY_LOAD_OF_PRIMARY, loads)
        if load_kg is None:
            load_kg = loads[0]
            extra.append(
                f"Find your load: {format_load(load_kg, profile.unit)} is your lightest. Go up "
                f"between sets until {reps[0]} reps feel like RPE {rpe[0]:g}, and log what you "
                "used."
            )
    lo, hi = reps
    return PlannedExercise(
        exercise_id=ex.id,
        name=ex.name,
        is_hinge=ex.is_hinge,
        sets=sets,
        reps=RepTarget(min=lo, max=hi, target=lo),
        load_mode=mode,
        load_kg=load_kg,
        band=band,
        load_label=describe_load(load_kg, mode, equipment, band, profile.unit),
        tempo=_tempo(ex, profile),
        rest_s=rest_s[0],
        rest_max_s=max(rest_s),
        rpe_target=rpe[0],
        rpe_max=rpe[1],
        cues=tuple(ex.cues[:2]),
        notes=(*notes, *extra),
    )


RAMP_PREFIX = "Ramp up first:"


def ramp_up_sets(
    load_kg: float | None, mode: LoadMode, equipment: OwnedEquipment
) -> tuple[tuple[float, int], ...]:
    """R-PLAN-2 warm-up for a loaded primary: ``(kg, reps)`` of a few lighter sets up to
    the work load, each a load the person can make, lightest first (empty: none needed)."""
    if load_kg is None:
        return ()
    loads = available_loads(equipment, mode)
    steps: list[tuple[float, int]] = []
    seen: set[float] = set()
    for pct, reps in RAMP_UP:
        kg = round_down(load_kg * pct, loads)
        if kg is not None and kg < load_kg and kg not in seen:
            seen.add(kg)
            steps.append((kg, reps))
    return tuple(steps)


def ramp_up_note(
    load_kg: float | None, mode: LoadMode, equipment: OwnedEquipment, unit: Unit = "kg"
) -> str | None:
    """The ramp-up sets (:func:`ramp_up_sets`) in words."""
    steps = ramp_up_sets(load_kg, mode, equipment)
    if not steps:
        return None
    listed = ", ".join(f"{format_load(kg, unit)} x {reps}" for kg, reps in steps)
    return f"{RAMP_PREFIX} {listed}; then the work sets."


def from_prescription(rx: Prescription, catalogue: Catalogue, profile: Profile) -> PlannedExercise:
    """The coach's prescription as the session's primary (R-PLAN-2)."""
    ex = catalogue.exercises[rx.exercise_id]
    ramp = ramp_up_note(rx.load_kg, rx.load_mode, profile.equipment, profile.unit)
    return PlannedExercise(
        exercise_id=rx.exercise_id,
        name=rx.exercise_name,
        is_hinge=ex.is_hinge,
        sets=rx.sets,
        reps=rx.reps,
        seconds=rx.seconds,
        load_mode=rx.load_mode,
        load_kg=rx.load_kg,
        band=rx.band,
        load_label=rx.load_label,
        tempo=rx.tempo,
        rest_s=rx.rest_s,
        rest_max_s=rx.rest_max_s,
        rpe_target=rx.rpe_target,
        rpe_max=rx.rpe_max,
        cues=rx.cues,
        notes=(*((ramp,) if ramp else ()), *rx.notes),
    )


def _earned(catalogue: Catalogue, primary: Exercise, history: History) -> list[Exercise]:
    """Hinges the person has earned: rungs below the primary (nearest first), then rungs
    they have trained, then any rung of a lower stage."""
    found: dict[str, Exercise] = {}
    for ex in (*ladder_below(catalogue, primary), *_hinges_trained(history, catalogue)):
        found.setdefault(ex.id, ex)
    stage = int(primary.stage) if primary.stage is not None else 0
    for ex in catalogue.exercises.values():
        if ex.is_hinge and ex.stage is not None and int(ex.stage) < stage:
            found.setdefault(ex.id, ex)
    found.pop(primary.id, None)
    return list(found.values())


def _pick(options: Sequence[Exercise], variant: Variant) -> Exercise | None:
    if not options:
        return None
    return options[1] if variant == "B" and len(options) > 1 else options[0]


def _secondary_options(
    catalogue: Catalogue,
    primary: Exercise,
    loaded_primary: bool,
    earned: Sequence[Exercise],
    profile: Profile,
    history: History,
    used: set[str],
) -> list[Exercise]:
    options: list[Exercise] = []
    if is_learning_rung(primary):
        # the drill for a fault seen lately comes first, if it is not above the primary
        stage = int(primary.stage) if primary.stage is not None else 0
        for session in reversed(history.sessions[-3:]):
            for set_log in session.work_sets:
                for fault_id in set_log.faults:
                    fault = catalogue.faults.get(fault_id)
                    drill = catalogue.exercises.get(fault.drill) if fault else None
                    if drill is not None and drill.stage is not None and int(drill.stage) <= stage:
                        options.append(drill)
    options.extend(earned)
    picked: dict[str, Exercise] = {}
    for ex in options:
        if ex.id in used or ex.id in picked or not ex.is_hinge:
            continue
        if not fits_equipment(ex, profile.equipment):
            continue
        if loaded_primary and (
            not ex.is_loaded or ex.stage is None or int(ex.stage) < SECONDARY_MIN_STAGE_LOADED
        ):
            continue
        picked[ex.id] = ex
    result = list(picked.values())
    if loaded_primary:
        result.sort(key=lambda e: -int(e.stage or 0))  # stable: nearest first within a stage
    return result


def lay_out(
    profile: Profile,
    history: History,
    catalogue: Catalogue,
    rx: Prescription,
    *,
    variant: Variant = "A",
) -> tuple[SessionBlock, ...]:
    """The blocks of one session around the coach's prescription (R-PLAN-2, R-PLAN-3)."""
    equipment = profile.equipment
    primary_ex = catalogue.exercises[rx.exercise_id]
    below = ladder_below(catalogue, primary_ex)
    below_ids = {e.id for e in below}
    used = {primary_ex.id}
    blocks: list[SessionBlock] = []

    # warm-up (R-RX-2): a bodyweight hinge below the primary; on the floor, the rung itself
    warm_ex = next(
        (
            ex
            for ex in ranked(catalogue, "warm_up_rank")
            if ex.id in below_ids and fits_equipment(ex, equipment)
        ),
        primary_ex,
    )
    used.add(warm_ex.id)
    on_floor = warm_ex.id == primary_ex.id
    warm = dose(
        warm_ex,
        profile,
        History(),
        sets=WARM_UP_SETS,
        reps=WARM_UP_REPS,
        rest_s=WARM_UP_REST_S,
        rpe=(WARM_UP_RPE, WARM_UP_RPE),
    )
    if warm.load_mode is not LoadMode.BODYWEIGHT:  # warm-up sets are unloaded (R-RX-2)
        warm = warm.model_copy(
            update={
                "load_mode": LoadMode.BODYWEIGHT,
                "load_kg": None,
                "band": None,
                "load_label": "bodyweight",
                "notes": (),
            }
        )
    blocks.append(
        SessionBlock(
            purpose=BlockPurpose.WARM_UP,
            exercises=(warm,),
            reason=Reason(
                text=(
                    "Warm-up: easy sets of your rung itself, to get the hips moving."
                    if on_floor
                    else f"Warm-up: easy {warm_ex.name.lower()} to groove the pattern "
                    "before the work sets."
                ),
                rules=("R-PLAN-2", "R-RX-2"),
            ),
        )
    )

    # primary: the coach's prescription, first while fresh, never paired (R-PLAN-2/3)
    primary = from_prescription(rx, catalogue, profile)
    blocks.append(
        SessionBlock(
            purpose=BlockPurpose.PRIMARY,
            exercises=(primary,),
            reason=Reason(
                text=f"Primary: {rx.exercise_name.lower()}, your current rung, as the coach "
                "prescribes it; the technical work comes first while you are fresh, on its "
                "own.",
                rules=("R-PLAN-2", "R-PLAN-3", "R-RX-1"),
            ),
        )
    )

    earned = _earned(catalogue, primary_ex, history)
    loaded_primary = rx.load_kg is not None
    sec_ex = _pick(
        _secondary_options(catalogue, primary_ex, loaded_primary, earned, profile, history, used),
        variant,
    )
    support_rpe = SUPPORT_RPE
    secondary: PlannedExercise | None = None
    if sec_ex is not None:
        used.add(sec_ex.id)
        secondary = dose(
            sec_ex,
            profile,
            history,
            sets=SECONDARY_SETS,
            reps=SECONDARY_REPS,
            rest_s=SECONDARY_REST_S,
            rpe=support_rpe,
            primary=primary,
        )

    acc_options = [
        ex
        for ex in ranked(catalogue, "accessory_rank")
        if ex.id not in used
        and any(e.id == ex.id for e in earned)
        and fits_equipment(ex, equipment)
    ]
    acc_ex = _pick(acc_options, variant)
    accessory: PlannedExercise | None = None
    if acc_ex is not None:
        used.add(acc_ex.id)
        accessory = dose(
            acc_ex,
            profile,
            history,
            sets=ACCESSORY_SETS,
            reps=ACCESSORY_REPS,
            rest_s=ACCESSORY_REST_S,
            rpe=support_rpe,
            primary=primary,
        )

    # the push pairs with the secondary hinge, else the accessory one (R-PLAN-3)
    partner_ex = sec_ex or acc_ex or primary_ex
    push_ex = choose_push(partner_ex, profile, history, catalogue)
    push: PlannedExercise | None = None
    if push_ex is not None:
        notes = []
        if push_ex.id == PUSH_FOR_DEADLIFTS and profile.training_history is Experience.NOVICE:
            notes.append("Too hard for now? Hands on a sturdy table or kitchen counter.")
        push = dose(
            push_ex,
            profile,
            history,
            sets=secondary.sets if secondary else accessory.sets if accessory else PUSH_SETS,
            reps=PUSH_REPS,
            rest_s=SECONDARY_REST_S,
            rpe=support_rpe,
            notes=notes,
        )

    if secondary is not None:
        why = (
            f"Secondary: {secondary.name.lower()}, a rung you have earned, for more hinge "
            "practice at moderate effort."
        )
        if push is not None:
            blocks.append(pair(BlockPurpose.SECONDARY, secondary, push, why))
        else:
            blocks.append(
                SessionBlock(
                    purpose=BlockPurpose.SECONDARY,
                    exercises=(secondary,),
                    reason=Reason(text=why, rules=("R-PLAN-2", "R-RX-2")),
                )
            )
    if accessory is not None:
        why = f"Accessory: light {accessory.name.lower()} for the glutes and hamstrings."
        if push is not None and secondary is None:
            blocks.append(pair(BlockPurpose.ACCESSORY, accessory, push, why))
        else:
            blocks.append(
                SessionBlock(
                    purpose=BlockPurpose.ACCESSORY,
                    exercises=(accessory,),
                    reason=Reason(text=why, rules=("R-PLAN-2", "R-RX-2")),
                )
            )
    if push is not None and secondary is None and accessory is None:
        blocks.append(
            SessionBlock(
                purpose=BlockPurpose.ACCESSORY,
                exercises=(push,),
                reason=Reason(
                    text=f"Accessory: {push.name.lower()} for the upper body; no second hinge "
                    "yet at this rung, so it stands on its own.",
                    rules=("R-PLAN-2", "R-PLAN-3"),
                ),
            )
        )
    return tuple(blocks)
