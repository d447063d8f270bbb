"""Within a session: after each logged set, what to do with the next one.

Pain decides first (R-SAFE-3 bands, R-SAFE-4 qualities; a burning low back is rated like
any pain). Faults regress the next set at once with the modifier their sign calls for
(R-REG-1..6). Effort off target changes the load 2 % per 0.5 RPE, capped at +/-10 %, and
rounded to a load the person owns (R-PROG-6, R-RX-6); ratings of RPE under 6 (more than
4 RIR) are not used for load (R-RX-5). The function replays the sets logged so far, so it
is pure: the same prescription and sets always give the same answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from hingecoach.coach.decisions import (
    Action,
    AppliedModifier,
    Change,
    Decision,
    Evidence,
    NextSet,
    Prescription,
    RepTarget,
)
from hingecoach.coach.defaults import (
    INTENSITY_CUT_PCT,
    RPE_ADJUST_CAP_PCT,
    RPE_ADJUST_ROUNDING_SLACK_PCT,
    RPE_MIN_USABLE,
    RPE_STEP,
    RPE_STEP_LOAD_PCT,
    TEMPO_LEARNING,
)
from hingecoach.coach.ladder import applied, exercise, fault_cues, lower_rung, sign_name, sign_rule
from hingecoach.coach.ladder import modifiers_for_sign as sign_modifiers
from hingecoach.coach.loads import available_loads, describe_load, round_down
from hingecoach.coach.models import FormRating, PainQuality, Profile, SetLog
from hingecoach.coach.regression import ROUNDING_IS_A_CUE, modifier_answers
from hingecoach.coach.safety import (
    BURNING_ADVICE,
    PainBand,
    pain_band,
    pain_quality_stop,
    pain_stop,
)
from hingecoach.errors import UnknownIdError
from hingecoach.knowledge import Catalogue, ModifierKind, RegressionSign, Tempo, find_fault
from hingecoach.units import format_change, format_load

__all__ = ["adjust_set"]

_EPS = 1e-6


@dataclass
class _Next:
    """The next set while the session is replayed."""

    reps: RepTarget | None
    seconds: int | None
    load_kg: float | None
    band: str | None
    tempo: Tempo
    modifiers: list[AppliedModifier]
    cues: list[str]
    no_progress: bool = False
    changes: list[Change] = field(default_factory=list)


def _start(prescription: Prescription) -> _Next:
    return _Next(
        reps=prescription.reps,
        seconds=prescription.seconds,
        load_kg=prescription.load_kg,
        band=prescription.band,
        tempo=prescription.tempo,
        modifiers=list(prescription.modifiers),
        cues=list(prescription.cues),
    )


def _as_next_set(
    number: int, prescription: Prescription, state: _Next, profile: Profile
) -> NextSet:
    return NextSet(
        set_number=number,
        exercise_id=prescription.exercise_id,
        reps=state.reps,
        seconds=state.seconds,
        load_kg=state.load_kg,
        band=state.band,
        load_label=describe_load(
            state.load_kg, prescription.load_mode, profile.equipment, state.band, profile.unit
        ),
        tempo=state.tempo,
        rest_s=prescription.rest_s,
        modifiers=tuple(state.modifiers),
        cues=tuple(dict.fromkeys(state.cues)),
        changes=tuple(state.changes),
    )


def _lighter(
    state: _Next, prescription: Prescription, profile: Profile, rule: str, why: str
) -> str:
    """Lower the intensity of the next set (R-REG-4): -10 % load, a lighter band, or the
    bottom of the rep range. Returns what changed, in words."""
    loads = available_loads(profile.equipment, prescription.load_mode)
    if state.load_kg is not None and loads:
        lighter = round_down(state.load_kg * (1 - INTENSITY_CUT_PCT), loads)
        if lighter is not None and lighter < state.load_kg - _EPS:
            state.changes.append(
                Change(
                    what="load",
                    before=format_load(state.load_kg, profile.unit),
                    after=format_load(lighter, profile.unit),
                    reason=why,
                    rule=rule,
                )
            )
            state.load_kg = lighter
            return format_load(lighter, profile.unit)
    bands = profile.equipment.bands
    if state.band is not None and state.band in bands and bands.index(state.band) > 0:
        new = bands[bands.index(state.band) - 1]
        state.changes.append(
            Change(what="band", before=state.band, after=new, reason=why, rule=rule)
        )
        state.band = new
        return f"the {new} band"
    if state.reps is not None and state.reps.target > state.reps.min:
        new_reps = state.reps.model_copy(update={"target": state.reps.min})
        state.changes.append(
            Change(what="reps", before=str(state.reps), after=str(new_reps), reason=why, rule=rule)
        )
        state.reps = new_reps
        return f"{new_reps.min} reps"
    return "an easy, short range"


def _add_modifier(
    state: _Next,
    catalogue: Catalogue,
    prescription: Prescription,
    sign: RegressionSign,
    why: str,
) -> AppliedModifier | None:
    """The sign's next modifier the rung allows, at once (R-REG-1..6); a lowered stepped
    modifier goes back up a step first."""
    ex = exercise(catalogue, prescription.exercise_id)
    rule = sign_rule(catalogue, sign)
    for index, mod in enumerate(state.modifiers):
        full = catalogue.modifiers.get(mod.id)
        if full is None or not modifier_answers(catalogue, mod.id, sign) or mod.step is None:
            continue
        if mod.step in full.steps and full.steps.index(mod.step) > 0:
            raised = mod.model_copy(update={"step": full.steps[full.steps.index(mod.step) - 1]})
            state.modifiers[index] = raised
            state.changes.append(
                Change(
                    what=f"modifier {mod.id}",
                    before=mod.label(),
                    after=raised.label(),
                    reason=why,
                    rule=rule,
                )
            )
            return raised
    active = {m.id for m in state.modifiers}
    for option in sign_modifiers(catalogue, ex, sign):
        if option.id in active:
            continue
        new = applied(option, sign, rule)
        state.modifiers.append(new)
        state.changes.append(
            Change(what=f"modifier {new.id}", before=None, after=new.label(), reason=why, rule=rule)
        )
        if option.kind is ModifierKind.TEMPO:
            down, up = TEMPO_LEARNING
            state.tempo = Tempo(
                down_s=down, up_s=up, bottom_s=state.tempo.bottom_s, top_s=state.tempo.top_s
            )
        return new
    return None


def _from_load_lifted(
    state: _Next, set_log: SetLog, prescription: Prescription, profile: Profile
) -> None:
    """R-PROG-6: the next set is judged from the load actually lifted, not the one planned
    (rounded down to a load the person can make, R-RX-6)."""
    loads = available_loads(profile.equipment, prescription.load_mode)
    if set_log.load_kg is None or not loads:
        return
    state.load_kg = round_down(set_log.load_kg, loads) or loads[0]


def _never_above(state: _Next, planned: float | None) -> None:
    """R-REG-4: a regression starts from the lighter of the planned and the lifted load, so
    an easier next set is never heavier than the one planned."""
    if planned is not None and state.load_kg is not None and state.load_kg > planned:
        state.load_kg = planned


def _rpe_adjust(
    state: _Next, prescription: Prescription, profile: Profile, rpe: float
) -> tuple[str, list[str]] | None:
    """R-PROG-6: 2 % per 0.5 RPE off target, capped at +/-10 %, rounded to an owned load
    (R-RX-6). When no owned load fits, or the set is unloaded, the reps move instead (one
    rep per RPE point, the chart's own exchange rate)."""
    diff = rpe - prescription.rpe_target
    steps = round(diff / RPE_STEP)
    if steps == 0 or (steps < 0 and state.no_progress):
        return None
    pct = max(-RPE_ADJUST_CAP_PCT, min(RPE_ADJUST_CAP_PCT, -steps * RPE_STEP_LOAD_PCT))
    loads = available_loads(profile.equipment, prescription.load_mode)
    go_up = steps < 0  # the set felt easier than planned
    felt = (
        f"That set was {'easier' if go_up else 'harder'} than planned "
        f"(RPE {rpe:g}, target {prescription.rpe_target:g})"
    )
    why = f"RPE {rpe:g} against a target of {prescription.rpe_target:g}"
    loaded = state.load_kg is not None and bool(loads)
    if state.load_kg is not None and loads:
        current = state.load_kg
        new = round_down(current * (1 + pct), loads)
        limit = RPE_ADJUST_CAP_PCT + RPE_ADJUST_ROUNDING_SLACK_PCT + _EPS
        if new is not None and abs(new - current) > _EPS and abs(new / current - 1) <= limit:
            before, after = format_load(current, profile.unit), format_load(new, profile.unit)
            state.changes.append(
                Change(what="load", before=before, after=after, reason=why, rule="R-PROG-6")
            )
            state.load_kg = new
            return (
                f"{felt}: {format_change(current, new, profile.unit)} for the next set "
                f"({pct * 100:+.0f} %, rounded to a load you own).",
                ["R-PROG-6", "R-RX-6"],
            )
    if loaded:
        lightest = state.load_kg is not None and state.load_kg <= loads[0] + _EPS
        why_not = (
            "this is already the lightest load you can make"
            if lightest and not go_up
            else "no load you own is within a 2 % step of this one"
        )
        felt = f"{felt}, but {why_not}"
        why = f"{why}; {why_not}"
    rules = ["R-PROG-6", "R-RX-6"] if loaded else ["R-PROG-6"]
    if state.reps is None:
        return (f"{felt}: keep going as planned.", rules) if loaded else None
    shift = -round(diff) or (1 if go_up else -1)
    target = max(state.reps.min, min(state.reps.max, state.reps.target + shift))
    if target == state.reps.target:
        tail = "keep going as planned." if go_up else "stop each set with 2-3 reps in reserve."
        edge = "top" if go_up else "bottom"
        return f"{felt}; the reps are already at the {edge} of the range: {tail}", rules
    new_reps = state.reps.model_copy(update={"target": target})
    state.changes.append(
        Change(what="reps", before=str(state.reps), after=str(new_reps), reason=why,
               rule="R-PROG-6")
    )  # fmt: skip
    state.reps = new_reps
    return f"{felt}: aim for {target} reps next set.", rules


def _signs_now(
    set_log: SetLog, previous: SetLog | None, catalogue: Catalogue
) -> dict[RegressionSign, list[str]]:
    """Signs shown by this set: a breakdown at once, a minor fault on two sets running."""
    before = set(previous.faults) if previous is not None else set()
    signs: dict[RegressionSign, list[str]] = {}
    for fault_id in set_log.faults:
        fault = catalogue.faults.get(fault_id)
        if fault is None or fault.sign is None:
            continue
        if set_log.form is FormRating.BREAKDOWN or fault_id in before:
            signs.setdefault(fault.sign, []).append(fault_id)
    if set_log.form is FormRating.BREAKDOWN and not set_log.faults:
        signs.setdefault(RegressionSign.FATIGUE, [])
    return signs


def _safety_stop(
    number: int,
    set_log: SetLog,
    prescription: Prescription,
    profile: Profile,
    catalogue: Catalogue,
    ev: list[Evidence],
) -> Decision | None:
    """R-SAFE-4 pain quality or R-SAFE-3 pain 6+ on any set, warm-ups included."""
    stopping = list(set_log.stopping_qualities)
    if stopping:
        return pain_quality_stop(stopping, ev)
    if pain_band(set_log.pain) is PainBand.STOP:
        ex = exercise(catalogue, prescription.exercise_id)
        lower = lower_rung(catalogue, ex, profile.equipment)
        decision = pain_stop(set_log.pain, ev, lower.name.lower() if lower else None)
        burning = PainQuality.BURNING in set_log.pain_quality
        return decision.model_copy(update={"advice": (BURNING_ADVICE,) if burning else ()})
    return None


def _evidence(number: int, set_log: SetLog) -> list[Evidence]:
    dose = f"{set_log.reps} reps" if set_log.reps is not None else f"{set_log.seconds:g} s"
    kind = "" if set_log.work_set else " (warm-up)"
    return [
        Evidence(
            note=f"set {number}{kind}: {dose}, pain {set_log.pain}/10, form {set_log.form.value}",
            set_number=number,
            pain=set_log.pain,
        )
    ]


def _after_set(
    number: int,
    set_log: SetLog,
    previous: SetLog | None,
    prescription: Prescription,
    state: _Next,
    profile: Profile,
    catalogue: Catalogue,
) -> tuple[Decision, bool]:
    """The decision after the set at position ``number`` of the log (warm-ups count, as in
    the log); ``state`` becomes the next set. Returns (decision, whether the session goes on)."""
    ev = _evidence(number, set_log)
    state.changes = []
    stop = _safety_stop(number, set_log, prescription, profile, catalogue, ev)
    if stop is not None:
        return stop, False
    planned = state.load_kg
    _from_load_lifted(state, set_log, prescription, profile)
    band = pain_band(set_log.pain)
    burning = PainQuality.BURNING in set_log.pain_quality
    advice = (BURNING_ADVICE,) if burning else ()
    cues = fault_cues(catalogue, set_log.faults)
    state.cues = list(dict.fromkeys([*cues, *state.cues]))
    if band is PainBand.CAUTION:
        state.no_progress = True
        _never_above(state, planned)
        why = f"pain {set_log.pain}/10 in set {number}"
        mod = _add_modifier(state, catalogue, prescription, RegressionSign.LOW_BACK_STRAIN, why)
        lighter = _lighter(state, prescription, profile, "R-REG-4", why)
        change = f"{mod.label().lower()} and {lighter}" if mod else lighter
        rules = ("R-SAFE-3", "R-REG-3", "R-REG-6", "R-REG-8") + (("R-SAFE-4",) if burning else ())
        return (
            Decision(
                action=Action.REGRESS,
                rules=rules,
                reason=f"Pain {set_log.pain}/10 is in the caution zone: that set counts, no "
                "progression this session, and the next set is easier.",
                do_now=f"Next set: {change}. If pain reaches 6, stop hinging for today.",
                would_change="Pain back to 0-2 for the rest of the session and tomorrow "
                "morning; then the plan carries on next time.",
                evidence=tuple(ev),
                advice=advice,
            ),
            True,
        )
    signs = _signs_now(set_log, previous, catalogue)
    if signs:
        _never_above(state, planned)
        parts: list[str] = []
        rules_list: list[str] = []
        undo: list[str] = []
        for sign, faults in signs.items():
            why = f"{sign_name(catalogue, sign)} in set {number}"
            rules_list.append(sign_rule(catalogue, sign))
            mod = _add_modifier(state, catalogue, prescription, sign, why)
            if mod is not None:
                parts.append(mod.label().lower())
                undo.append(mod.how_to_undo)
            else:
                parts.append(_lighter(state, prescription, profile, "R-REG-4", why))
                rules_list.append("R-REG-4")
            for fault_id in faults:
                ev.append(
                    Evidence(
                        note=f"set {number}: fault {fault_id}", set_number=number, fault_id=fault_id
                    )
                )
        calm = f" {ROUNDING_IS_A_CUE}" if RegressionSign.BACK_ROUNDING in signs else ""
        names = ", ".join(sign_name(catalogue, s) for s in signs)
        return (
            Decision(
                action=Action.REGRESS,
                rules=(*rules_list, "R-REG-6", "R-REG-8"),
                reason=f"{names.capitalize()} showed in set {number}: the next set is easier "
                f"({', '.join(parts)}).{calm}",
                do_now=f"Next set: {', '.join(parts)}. " + " ".join(cues),
                would_change=" ".join(undo) or "Clean sets bring the plan back next session.",
                evidence=tuple(ev),
                advice=advice,
            ),
            True,
        )
    rpe = set_log.effort_rpe
    short = set_log.reps is not None and state.reps is not None and set_log.reps < state.reps.min
    if rpe is None and short:
        rpe = 10.0  # reps short of the minimum: treated as a maximal set
    if rpe is not None and rpe < RPE_MIN_USABLE:
        return (
            Decision(
                action=Action.HOLD,
                rules=("R-RX-5",),
                reason=f"RPE {rpe:g} means more than 4 reps in reserve; ratings that low are "
                "not used to change loads.",
                do_now="Same again next set, and rate it honestly: how many more reps could "
                "you have done?",
                would_change="A rating of 6 or more on the next set.",
                evidence=tuple(ev),
                advice=advice,
            ),
            True,
        )
    if rpe is not None:
        adjusted = _rpe_adjust(state, prescription, profile, rpe)
        if adjusted is not None:
            text, rpe_rules = adjusted
            return (
                Decision(
                    action=Action.HOLD,
                    rules=tuple(rpe_rules),
                    reason=text,
                    do_now="Next set: "
                    + (", ".join(c.after for c in state.changes) or "same again")
                    + ".",
                    would_change=f"Sets at RPE {prescription.rpe_target:g} keep the load.",
                    evidence=tuple(ev),
                    advice=advice,
                ),
                True,
            )
    if cues:
        reason = f"A minor fault in set {number}: keep going with the cue."
        do_now = "Next set: same dose. " + " ".join(cues)
    else:
        reason = f"Set {number} went to plan" + (
            f" (pain {set_log.pain}/10 is fine)." if set_log.pain else "."
        )
        do_now = "Next set: same again."
    return (
        Decision(
            action=Action.HOLD,
            rules=("R-SAFE-3",) if not cues else ("R-SAFE-3", "R-RX-1"),
            reason=reason,
            do_now=do_now,
            would_change="Pain of 3 or more, a form breakdown, or effort off the target.",
            evidence=tuple(ev),
            advice=advice,
        ),
        True,
    )


def adjust_set(
    profile: Profile,
    prescription: Prescription,
    logged_sets_so_far: Sequence[SetLog],
    catalogue: Catalogue,
) -> tuple[Decision, NextSet | None]:
    """What to do after the sets logged so far, and the next set (``None`` when the session
    is over: every set done, or hinging stopped for today)."""
    exercise(catalogue, prescription.exercise_id)  # unknown ids fail early
    for set_log in logged_sets_so_far:
        for fault_id in set_log.faults:
            if fault_id not in catalogue.faults:
                close = find_fault(catalogue, fault_id)
                raise UnknownIdError("fault", fault_id, [close.id])
    state = _start(prescription)
    if not logged_sets_so_far:
        decision = Decision(
            action=Action.HOLD,
            rules=("R-RX-1",),
            reason="First set of the session.",
            do_now=f"Set 1: {prescription.dose_label()}, {prescription.load_label}.",
            would_change="How the set goes: pain, form and effort.",
        )
        return decision, _as_next_set(1, prescription, state, profile)
    work = [s for s in logged_sets_so_far if s.work_set]
    last: Decision | None = None
    previous: SetLog | None = None
    warm_pain = 0
    for number, set_log in enumerate(logged_sets_so_far, start=1):
        if not set_log.work_set:
            stop = _safety_stop(
                number, set_log, prescription, profile, catalogue, _evidence(number, set_log)
            )
            if stop is not None:
                return stop, None
            if pain_band(set_log.pain) is PainBand.CAUTION:
                state.no_progress = True
                warm_pain = max(warm_pain, set_log.pain)
            continue
        last, going_on = _after_set(
            number, set_log, previous, prescription, state, profile, catalogue
        )
        previous = set_log
        if not going_on:
            return last, None
    if last is None:  # only warm-up sets so far
        return (
            Decision(
                action=Action.HOLD,
                rules=("R-RX-2", "R-SAFE-3") if warm_pain else ("R-RX-2",),
                reason="Warm-up done."
                + (
                    f" Pain {warm_pain}/10 in the warm-up: keep today's plan, no progression."
                    if warm_pain
                    else ""
                ),
                do_now=f"Set 1: {prescription.dose_label()}, {prescription.load_label}.",
                would_change="How the first work set goes.",
            ),
            _as_next_set(1, prescription, state, profile),
        )
    if len(work) >= prescription.sets:
        done = " That was your last set: the session is done."
        if state.no_progress:
            done += " No progression from this session."
        return last.model_copy(update={"do_now": last.do_now + done}), None
    return last, _as_next_set(len(work) + 1, prescription, state, profile)
