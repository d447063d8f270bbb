"""The next session: decide, then dose (R-SAFE, R-PROG, R-REG, R-RX).

:func:`prescribe` is a pure function of the profile, the history and the catalogue. Safety
comes first (R-SAFE-1..5; a blocking screen or placement is returned as it is and can never
be overridden), then regression (R-REG), then progression (R-PROG); the chosen rung is then
dosed (R-RX-2..5) with loads the person can make (R-RX-6), and every change from last time
carries its reason and rule (R-RX-1).
"""

from __future__ import annotations

from hingecoach.coach.changes import changes_from_last_time, previous_prescription
from hingecoach.coach.decisions import (
    Action,
    Decision,
    Placement,
    Prescription,
    RepTarget,
)
from hingecoach.coach.defaults import (
    BRIDGE_EXTRA_SETS,
    BRIDGE_REPS_MAX,
    RPE_NEW_RUNG,
    RPE_NEW_RUNG_TARGET,
    TEMPO_LEARNING,
    TEMPO_SLOWER_DOWN_S,
    TEMPO_SLOWER_PAUSE_S,
)
from hingecoach.coach.dose import base_dose, sessions_per_week
from hingecoach.coach.explain import (
    carryover_why,
    frequency_advice,
    intensity_cut_words,
    missing_kit_note,
    trainer_choice_reason,
)
from hingecoach.coach.history import ChosenRung, TrainingState, last_rpe, read_state
from hingecoach.coach.history_placement import apply_history_start, history_start
from hingecoach.coach.kit import GET_ONE, fit_to_equipment, owns
from hingecoach.coach.ladder import exercise, fault_cues
from hingecoach.coach.loads import (
    UNLOADED_MODES,
    available_loads,
    choose_load_mode,
    describe_load,
    round_down,
)
from hingecoach.coach.models import History, Profile, ScreenAnswers
from hingecoach.coach.next_session import decide_next_session, no_progress_in_pain_today
from hingecoach.coach.outcome import Outcome
from hingecoach.coach.progression import carryover_load
from hingecoach.coach.rules import DOSE_PIPELINE, DoseContext
from hingecoach.coach.safety import screen
from hingecoach.errors import InputError
from hingecoach.knowledge import (
    Catalogue,
    Exercise,
    LoadMode,
    ModifierKind,
    Tempo,
)

__all__ = ["build_prescription", "prescribe"]

_EPS = 1e-6


def _is_hinge(catalogue: Catalogue, exercise_id: str) -> bool:
    found = catalogue.exercises.get(exercise_id)
    return found is not None and found.is_hinge


def _safety_call(out: Outcome) -> bool:
    return out.action.blocks_hinging or any(r.startswith("R-SAFE") for r in out.rules)


def _chosen_rung(
    chosen: ChosenRung,
    profile: Profile,
    history: History,
    catalogue: Catalogue,
    placement: Placement | None,
    cleared: bool,
) -> tuple[TrainingState, Outcome]:
    """A trainer's chosen rung is what the next session does, even the rung the coach
    would leave: a new run starts there. Only a safety call on the latest session
    (R-SAFE-*: nothing overrides those) comes first."""
    latest = read_state(history, catalogue)
    if latest is not None and latest.run:
        out = decide_next_session(
            latest, profile, history, catalogue, placement=placement, cleared=cleared
        )
        if _safety_call(out):
            return latest, out
    ex = exercise(catalogue, chosen)
    fresh = TrainingState(
        ex, (), latest.recent if latest else (), latest.last_session if latest else None
    )
    out = decide_next_session(
        fresh, profile, history, catalogue, placement=placement, cleared=cleared
    )
    out.reason = trainer_choice_reason(ex)
    return fresh, out


def prescribe(
    profile: Profile,
    history: History,
    catalogue: Catalogue,
    *,
    placement_or_current_exercise: Placement | str | None = None,
    screen_answers: ScreenAnswers | None = None,
) -> tuple[Decision, Prescription | None]:
    """The next hinge session for this person, and the decision behind it.

    ``placement_or_current_exercise`` is where to start when the history has no hinge
    session yet (a :class:`Placement` from ``place`` or an exercise id); an exercise id that
    differs from the latest session's moves the person to that rung. A blocked placement
    is returned as it is. ``screen_answers``, when given, are screened first (R-SAFE-1/2/4);
    after a session that stopped for sharp or shooting pain (R-SAFE-4) they are required
    before hinging resumes. Returns ``(decision, None)`` when no hinge work is prescribed.
    """
    cleared = False
    today: Decision | None = None
    if screen_answers is not None:
        today = screen(screen_answers, profile)
        if today.blocks_hinging:
            return today, None
        cleared = True
    start = placement_or_current_exercise
    placement = start if isinstance(start, Placement) else None
    if placement is not None and placement.blocked:
        assert placement.safety is not None
        return placement.safety, None
    if isinstance(start, ChosenRung) and not _is_hinge(catalogue, start):
        start = None  # an override stored before non-hinge ones were refused: ignored
    current_id = start if isinstance(start, str) else None
    from_history = history_start(history, catalogue) if current_id is None else None
    if from_history is not None:  # an imported history places the person (R-ASSESS-3)
        current_id = from_history.exercise_id
    state = read_state(history, catalogue, current_id)
    if state is None:
        if placement is None or placement.exercise_id is None:
            raise InputError(
                "placement_or_current_exercise: the history has no hinge session yet; pass the "
                "placement from `place` or the id of the exercise to start on"
            )
        state = TrainingState(
            exercise=exercise(catalogue, placement.exercise_id),
            run=(),
            recent=(),
            last_session=None,
        )
    if not state.exercise.is_hinge:
        raise InputError(
            f"placement_or_current_exercise: {state.exercise.id!r} is not a hinge exercise"
        )
    if isinstance(start, ChosenRung):
        state, out = _chosen_rung(start, profile, history, catalogue, placement, cleared)
    else:
        out = decide_next_session(
            state, profile, history, catalogue, placement=placement, cleared=cleared
        )
    if out.exercise is None:
        return out.decision(), None
    if from_history is not None:
        out = apply_history_start(out, from_history, profile)
    out = fit_to_equipment(out, catalogue, profile.equipment)
    if today is not None and screen_answers is not None:
        out = no_progress_in_pain_today(out, state, screen_answers.current_pain)
        out.advice.extend(today.advice)
    if out.exercise is not None:
        out.advice.append(frequency_advice(*sessions_per_week(profile, out.exercise)))
        out.rules.append("R-RX-3")
    prescription = build_prescription(profile, catalogue, state, out, history)
    return out.decision(), prescription


# --- building the prescription ---------------------------------------------------------


def _recent_faults(state: TrainingState, ex: Exercise) -> list[str]:
    """Fault ids of the last sessions on this rung, newest first (R-RX-1 cues)."""
    if ex.id != state.exercise.id:
        return []
    faults: list[str] = []
    for view in list(state.run)[-3:][::-1]:
        for set_log in view.work_sets:
            if set_log.faults:
                faults.extend(f for f in set_log.faults if f not in faults)
    return faults


def build_prescription(
    profile: Profile,
    catalogue: Catalogue,
    state: TrainingState,
    out: Outcome,
    history: History,
) -> Prescription:
    """Dose the outcome's rung (R-RX-2..6) and list every change from last time (R-RX-1)."""
    ex = out.exercise
    assert ex is not None
    same = ex.id == state.exercise.id and bool(state.run)
    rated = last_rpe(state.run[-1].session) if same else None
    dose = base_dose(profile, ex, rated)
    equipment = profile.equipment
    mode = choose_load_mode(ex, equipment, state.load_mode if same else None)
    if mode is None:
        mode = LoadMode.BODYWEIGHT
        notes = [missing_kit_note(ex.load_modes)]
    else:
        notes = []
    notes.extend(out.notes)
    loads = available_loads(equipment, mode)
    previous_ids = {m.id for m in state.modifiers} if same else set()
    new_mods = [m for m in out.modifiers if m.id not in previous_ids]
    why = dict(out.why)

    # load (R-RX-6)
    load_kg: float | None = None
    band: str | None = None
    if mode is LoadMode.BAND:
        band = out.band or (state.last.band() if same and state.last else None)
        if band not in equipment.bands:
            band = equipment.bands[0] if equipment.bands else None
    elif mode not in UNLOADED_MODES and loads:
        if out.load_kg is not None:
            load_kg = out.load_kg
        elif same and state.last is not None and state.last.work_load() is not None:
            load_kg = state.last.work_load()
        else:
            carry = carryover_load(
                ex, profile, history, catalogue, reps=dose.reps[0] if dose.reps else 8
            )
            load_kg = carry.load_kg
            carried = carryover_why(carry, profile.unit)
            if carried is not None:
                why.setdefault("load", carried)
        assert load_kg is not None
        made = round_down(load_kg, loads)
        load_kg = made if made is not None else loads[0]
        before = state.last.work_load() if state.last is not None else None
        if out.action in (Action.REGRESS, Action.STEP_DOWN) and before is not None:
            capped = round_down(min(load_kg, before), loads)  # a regression never adds load
            if capped is not None and capped < load_kg - _EPS:
                load_kg = capped
                why["load"] = ("a regression never raises the load", "R-REG-7")

    # sets, reps or seconds (R-RX-2, R-RX-3, R-PROG-3)
    sets = dose.sets
    bridge = out.bridge_step
    if bridge >= 2:
        sets += BRIDGE_EXTRA_SETS
    rest_s, rest_max_s = dose.rest_s

    # lower the intensity (R-REG-4): a verdict of numbers, applied here, worded by explain
    dctx = DoseContext(
        catalogue=catalogue,
        modifiers=out.modifiers,
        new_modifiers=frozenset(m.id for m in new_mods),
        load_kg=load_kg,
        loads=tuple(loads),
        band=band,
        bands=tuple(equipment.bands),
        sets=sets,
        rest_s=(rest_s, rest_max_s),
    )
    for verdict in filter(None, (rule(dctx) for rule in DOSE_PIPELINE)):
        cut = verdict.cut
        assert cut is not None
        if cut.load_to is not None:
            load_kg = cut.load_to
        if cut.band_to is not None:
            band = cut.band_to
        if cut.sets_to is not None and cut.rest_to is not None:
            sets = cut.sets_to
            rest_s, rest_max_s = cut.rest_to
        words = intensity_cut_words(cut)
        notes.extend(words.notes)
        why.update(words.why)
    reps: RepTarget | None = None
    seconds: int | None = dose.seconds
    if dose.reps is not None:
        lo, hi = dose.reps
        if bridge >= 1:
            hi = max(hi, BRIDGE_REPS_MAX)
        target = out.reps_target if out.reps_target is not None else hi if not loads else lo
        reps = RepTarget(min=lo, max=hi, target=max(lo, min(hi, target)))

    # tempo (R-RX-4, R-REG-6 speed control, R-PROG-3 slower tempo)
    tempo = dose.tempo
    if any(m.kind is ModifierKind.TEMPO for m in out.modifiers):
        down, up = TEMPO_LEARNING
        tempo = Tempo(down_s=down, up_s=up, bottom_s=tempo.bottom_s, top_s=tempo.top_s)
    if bridge >= 3:
        tempo = Tempo(
            down_s=tempo.down_s + TEMPO_SLOWER_DOWN_S,
            up_s=tempo.up_s,
            bottom_s=tempo.bottom_s + TEMPO_SLOWER_PAUSE_S,
            top_s=tempo.top_s,
        )

    # effort (R-RX-5, R-PROG-4)
    rpe_min, rpe_max = dose.rpe
    rpe_target = dose.rpe_target
    if out.new_rung and load_kg is not None:
        rpe_min, rpe_max = RPE_NEW_RUNG
        rpe_target = RPE_NEW_RUNG_TARGET

    # cues for this person's recent faults (R-RX-1)
    cues = list(dict.fromkeys([*out.cues, *fault_cues(catalogue, _recent_faults(state, ex))]))
    if not cues:
        cues = list(ex.cues[:2])

    for need in ex.equipment:
        if not owns(equipment, need) and need in GET_ONE:
            name, instead = GET_ONE[need]
            notes.append(f"This needs {name}: {instead}.")
    for mod in out.modifiers:
        full = catalogue.modifiers.get(mod.id)
        if full is not None:
            at = f" Set it at {mod.step}." if mod.step else ""
            notes.append(f"{full.name}: {full.description}{at}")
    if out.new_rung and load_kg is not None:
        notes.append("New rung: start light. Rate every set; RPE of 6 or more sets your loads.")

    draft = Prescription(
        exercise_id=ex.id,
        exercise_name=ex.name,
        purpose=dose.purpose,
        sets=sets,
        reps=reps,
        seconds=seconds,
        load_mode=mode,
        load_kg=load_kg,
        band=band,
        load_label=describe_load(load_kg, mode, equipment, band, profile.unit),
        tempo=tempo,
        rest_s=rest_s,
        rest_max_s=max(rest_s, rest_max_s),
        rpe_target=rpe_target,
        rpe_min=rpe_min,
        rpe_max=rpe_max,
        cues=tuple(cues),
        modifiers=out.modifiers,
        bridge_step=bridge,
        notes=tuple(dict.fromkeys(notes)),
    )
    previous = previous_prescription(state)
    changes = changes_from_last_time(previous, state, draft, why, dose, out, profile.unit)
    return draft.model_copy(update={"changes": tuple(changes)})
