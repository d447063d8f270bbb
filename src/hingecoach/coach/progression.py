"""Progressing: easing modifiers, graduating to the next rung, adding load (R-PROG-1..6).

Order on a clean run: a modifier in use is eased first (two clean sessions lower it one step
or take it away, R-REG-8); a rung graduates when its catalogue criterion is met
(R-PROG-1, see ``graduation``) and the new rung's load carries over (R-PROG-4); otherwise a
loaded rung adds load (R-PROG-2, R-PROG-3, R-PROG-6, see ``load_progression``) or the
person holds the rung and aims for the top of the range.
"""

from __future__ import annotations

from hingecoach.coach.decisions import Action, AppliedModifier, Evidence
from hingecoach.coach.dose import BaseDose, base_dose
from hingecoach.coach.explain import (
    KEEP_THE_EASIER_SET_UP,
    band_words,
    carryover_why,
    doubt_words,
    easing_words,
    graduation_words,
    hold_words,
    kit_blocks_graduation,
    load_words,
)
from hingecoach.coach.graduation import (
    criterion_text,
    summarise_session,
)
from hingecoach.coach.history import TrainingState
from hingecoach.coach.ladder import lowers, progression_choices
from hingecoach.coach.load_progression import (
    LoadPlan,
    carryover_load,
    load_plan,
)
from hingecoach.coach.models import History, Profile
from hingecoach.coach.outcome import Outcome
from hingecoach.coach.rules import BandStep, Doubt, Graduation, Verdict
from hingecoach.knowledge import Catalogue, Exercise

__all__ = ["carryover_load", "criterion_text", "plan_progression"]


def _load_before(
    state: TrainingState, removed: AppliedModifier, catalogue: Catalogue
) -> float | None:
    """The load used before a load-lowering modifier lowered it (R-REG-8 undo), if any."""
    if lowers(catalogue, removed.id) != "load":
        return None
    current = state.last.work_load() if state.last is not None else None
    for view in reversed(state.run):
        if removed.id not in {m.id for m in view.modifiers}:
            load = view.work_load()
            if load is not None and current is not None and load > current:
                return load
            return None
    return None


def plan_progression(
    state: TrainingState,
    profile: Profile,
    history: History,
    catalogue: Catalogue,
    dose: BaseDose,
    *,
    eased: Verdict | None,
    graduated: Verdict | None,
    loaded: Verdict | None,
    banded: Verdict | None = None,
    doubted: Verdict | None = None,
) -> Outcome:
    """The clean-run path: ease a modifier (the R-REG-8 verdict ``eased``), graduate (the
    R-PROG-1 verdict ``graduated``), add load (``loaded``, R-PROG-2/3/6) or a band
    (``banded``, R-PROG-2), or hold and add reps; a log heavier than the equipment makes
    (``doubted``, R-RX-6) is questioned and adds no load."""
    ex = state.exercise
    last = state.last
    assert last is not None
    grad = ex.graduation
    # 1. a modifier in use is eased before the rung graduates (R-REG-8)
    if state.modifiers:
        if eased is not None and eased.easing is not None:
            old, rest = state.modifiers[0], state.modifiers[1:]
            to_step = eased.easing.to_step
            modifiers = (old.model_copy(update={"step": to_step}), *rest) if to_step else rest
            words = easing_words(eased, old)
            back = (
                _load_before(state, old, catalogue)
                if old.id not in {m.id for m in modifiers}
                else None
            )
            pres = last.prescription
            keep_reps = pres.reps.target if pres is not None and pres.reps is not None else None
            return Outcome(
                action=Action.PROGRESS,
                rules=["R-REG-6", "R-REG-8", old.rule],
                reason=words.reason,
                do_now=words.do_now,
                would_change=words.would_change,
                evidence=[Evidence(note="clean", date=v.date) for v in state.run[-2:]],
                exercise=ex,
                modifiers=modifiers,
                load_kg=back,
                reps_target=keep_reps,
                why=dict(words.why),
            )
        undo = " ".join(m.how_to_undo for m in state.modifiers)
        return _hold(state, profile, dose, reason_lead=KEEP_THE_EASIER_SET_UP, would_change=undo)
    # 2. graduate (R-PROG-1), never on a log heavier than the equipment makes (R-RX-6)
    plan = load_plan(state, profile)
    grad_to = graduated.graduation if graduated is not None else None
    if grad_to is not None and grad_to.to_id is not None:
        return _graduate(
            state, profile, history, catalogue, grad_to, catalogue.exercises[grad_to.to_id]
        )
    choices = progression_choices(catalogue, ex, profile.goal, profile.equipment)
    met = grad_to is not None
    blocked_by_kit = grad_to is not None and grad_to.to_id is None
    # 3. loaded rung: double progression with bridging (R-PROG-2, R-PROG-3, R-PROG-6)
    if loaded is not None and loaded.load is not None:
        out = _load_outcome(loaded, state, plan)
    elif banded is not None and banded.band is not None:
        out = _band_outcome(banded.band, state)
    else:
        criterion = criterion_text(ex, dose)
        would = None
        if choices and not met:
            would = (
                f"{grad.sessions} sessions of {criterion} and you move up to the "
                f"{choices[0].name.lower()}."
            )
        out = _hold(state, profile, dose, reason_lead="", would_change=would)
        out.band = plan.band
    if doubted is not None and doubted.doubt is not None:
        out = _doubt_the_log(out, doubted.doubt, plan)
    if blocked_by_kit and grad_to is not None:
        note, would_change = kit_blocks_graduation(grad_to, choices[0])
        out.advice.append(note)
        out.rules = ["R-PROG-1", "R-RX-6", *out.rules]
        if out.action is Action.HOLD:
            out.reason = f"{note} {out.reason}"
            out.would_change = would_change
    return out


def _load_outcome(verdict: Verdict, state: TrainingState, plan: LoadPlan) -> Outcome:
    """The R-PROG-2/3/6 verdict as the next session's outcome (words from ``explain``)."""
    step = verdict.load
    assert step is not None
    words = load_words(step, plan, state.exercise.name)
    adds = step.move in ("rpe-first", "add")
    return Outcome(
        action=Action.ADD_LOAD if adds else Action.HOLD,
        rules=list(step.rules),
        reason=words.reason,
        do_now=words.do_now,
        would_change=words.would_change,
        evidence=[
            Evidence(note=summarise_session(v, plan.unit), date=v.date) for v in state.run[-2:]
        ],
        exercise=state.exercise,
        modifiers=state.modifiers,
        load_kg=step.new_kg,
        reps_target=step.target,
        bridge_step=step.next_step,
        why=words.why,
    )


def _band_outcome(step: BandStep, state: TrainingState) -> Outcome:
    """The R-PROG-2 band verdict as the next session's outcome (words from ``explain``)."""
    words = band_words(step)
    return Outcome(
        action=Action.ADD_LOAD,
        rules=["R-PROG-2"],
        reason=words.reason,
        do_now=words.do_now,
        would_change=words.would_change,
        exercise=state.exercise,
        modifiers=state.modifiers,
        band=step.to_band,
        reps_target=step.reps,
        why=words.why,
    )


def _doubt_the_log(out: Outcome, doubt: Doubt, plan: LoadPlan) -> Outcome:
    """R-RX-6: a log heavier than the listed equipment makes is questioned, not graduated;
    the load held is the heaviest the equipment makes."""
    note, hold = doubt_words(doubt, plan)
    out.advice.append(note)
    out.rules = ["R-RX-6", *out.rules]
    if out.action is Action.ADD_LOAD:
        out.action = Action.HOLD
        out.load_kg = doubt.heaviest_kg
        out.reason = hold.reason
        out.do_now = hold.do_now
        out.why = dict(hold.why)
    return out


def _hold(
    state: TrainingState,
    profile: Profile,
    dose: BaseDose,
    *,
    reason_lead: str,
    would_change: str | None = None,
) -> Outcome:
    """Stay on the rung; aim for the top of the range (R-PROG-1, R-PROG-2)."""
    ex = state.exercise
    last = state.last
    assert last is not None
    target = None
    if dose.reps is not None:
        lo, hi = dose.reps
        target = hi
        reps = [s.reps for s in last.work_sets if s.reps is not None]
        if last.work_load() is not None and reps:
            target = max(lo, min(hi, min(reps) + 1))  # R-PROG-2: add reps within the range
    words = hold_words(
        ex,
        sets=dose.sets,
        seconds=dose.seconds,
        reps=target,
        criterion=criterion_text(ex, dose),
        lead=reason_lead,
        would_change=would_change,
    )
    return Outcome(
        action=Action.HOLD,
        rules=["R-PROG-1", "R-RX-2"],
        reason=words.reason,
        do_now=words.do_now,
        would_change=words.would_change,
        evidence=[Evidence(note=summarise_session(last, profile.unit), date=last.date)],
        exercise=ex,
        modifiers=state.modifiers,
        reps_target=target,
    )


def _graduate(
    state: TrainingState,
    profile: Profile,
    history: History,
    catalogue: Catalogue,
    grad: Graduation,
    nxt: Exercise,
) -> Outcome:
    """R-PROG-1 graduation (the verdict ``grad``), one rung up, with the R-PROG-4 starting
    load; the words from ``explain``."""
    ex = state.exercise
    new_dose = base_dose(profile, nxt)
    reps = new_dose.reps[0] if new_dose.reps is not None else ex.graduation.top_reps
    carry = carryover_load(nxt, profile, history, catalogue, reps=reps)
    load = carry.load_kg
    rules = ["R-PROG-1"]
    carried = carryover_why(carry, profile.unit) if load is not None else None
    if carried is not None:
        rules.append("R-PROG-4")
    words = graduation_words(grad, ex, nxt, carried)
    return Outcome(
        action=Action.PROGRESS,
        rules=rules,
        reason=words.reason,
        do_now=words.do_now,
        would_change=words.would_change,
        evidence=[
            Evidence(note=summarise_session(v, profile.unit), date=v.date)
            for v in state.run[-grad.sessions :]
        ],
        exercise=nxt,
        load_kg=load,
        new_rung=True,
        reps_target=reps if new_dose.reps is not None and load is not None else None,
        why=dict(words.why),
    )
