"""What the next session should do: the rule cascade behind :func:`prescribe`.

Safety first (R-SAFE-4 pain quality, R-SAFE-3 pain 6+, R-SAFE-5 next-morning pain and the
weekly trend), then regression on the last session's signs (R-REG-1..8, including a work
set that missed its minimum reps twice running), then progression (R-PROG-1..6). The result
is an :class:`Outcome`; ``prescription`` doses it.
"""

from __future__ import annotations

from hingecoach.coach.decisions import Action, Decision, Evidence, Placement
from hingecoach.coach.defaults import (
    PAIN_STOP_MIN,
)
from hingecoach.coach.dose import base_dose
from hingecoach.coach.explain import (
    BURNING_SETTLED_ADVICE,
    burning_advice,
    carryover_why,
    first_rung_pain_stop_words,
    first_session_words,
    pain_today_evidence,
    pain_today_words,
    sign_evidence,
    step_down_cause,
    step_down_why,
    weekly_hold_words,
    weekly_pain_advice,
    weekly_trend,
)
from hingecoach.coach.explain import evidence as explain_evidence
from hingecoach.coach.history import TrainingState, last_rpe
from hingecoach.coach.ladder import lower_rung
from hingecoach.coach.models import History, OwnedEquipment, Profile
from hingecoach.coach.outcome import Outcome
from hingecoach.coach.progression import carryover_load, criterion_text, plan_progression
from hingecoach.coach.regression import plan_regression, step_down
from hingecoach.coach.rules import (
    Context,
    Severity,
    Verdict,
    band_progression,
    burning_low_back,
    graduation,
    load_progression,
    log_beyond_equipment,
    missed_min_reps,
    modifier_easing,
    morning_pain_rise,
    run_pipeline,
    sign_recurs,
    simplifying_methods,
    weekly_pain_rising,
)
from hingecoach.coach.safety import (
    PainBand,
    pain_band,
    pain_quality_stop,
    pain_stop,
)
from hingecoach.knowledge import Catalogue, RegressionSign

__all__ = ["decide_next_session", "no_progress_in_pain_today"]


def no_progress_in_pain_today(out: Outcome, state: TrainingState, pain: int) -> Outcome:
    """R-SAFE-3: with pain 3-5 at today's screen, train but do not progress today."""
    if pain_band(pain) is not PainBand.CAUTION or out.action not in (
        Action.PROGRESS,
        Action.ADD_LOAD,
    ):
        return out
    last = state.last
    words = pain_today_words(pain, reason=out.reason, do_now=out.do_now)
    return Outcome(
        action=Action.HOLD,
        rules=["R-SAFE-3"],
        reason=words.reason,
        do_now=words.do_now,
        would_change=words.would_change,
        evidence=[pain_today_evidence(pain)],
        exercise=state.exercise,
        modifiers=state.modifiers,
        load_kg=last.work_load() if last is not None else None,
        bridge_step=state.bridge_step,
    )


def _first_session(
    state: TrainingState,
    profile: Profile,
    history: History,
    catalogue: Catalogue,
    placement: Placement | None,
) -> Outcome:
    """The first session on a rung: the placement's modifiers, an R-PROG-4 starting load."""
    ex = state.exercise
    modifiers = placement.modifiers if placement and placement.exercise_id == ex.id else ()
    dose = base_dose(profile, ex)
    reps = dose.reps[0] if dose.reps is not None else 0
    carry = carryover_load(ex, profile, history, catalogue, reps=reps)
    load = carry.load_kg
    rules = ["R-ASSESS-3"] if placement is not None else ["R-RX-1"]
    why = {}
    find_load = False
    carried = carryover_why(carry, profile.unit)
    if load is not None and carried is not None:
        rules.append("R-PROG-4")
        why["load"] = carried
        # the lightest owned load is a guess: the card says how to find the load by feel
        find_load = not ex.carryover or carry.source == "lightest"
    words, notes = first_session_words(
        ex,
        placed=placement is not None,
        criterion=criterion_text(ex, dose),
        find_load_reps=reps if find_load else None,
    )
    return Outcome(
        action=Action.HOLD,
        rules=rules,
        reason=words.reason,
        do_now=words.do_now,
        would_change=words.would_change,
        exercise=ex,
        modifiers=modifiers,
        load_kg=load,
        new_rung=load is not None,
        reps_target=reps if load is not None else None,
        notes=list(notes),
        why=why,
    )


def decide_next_session(
    state: TrainingState,
    profile: Profile,
    history: History,
    catalogue: Catalogue,
    *,
    placement: Placement | None,
    cleared: bool,
) -> Outcome:
    """What the next session does, in rule order: R-SAFE-4, R-SAFE-3, then the signs of the
    last session with R-SAFE-5 (R-REG-1..8), then progression (R-PROG-1..6).

    ``cleared`` means today's red-flag screen came back clear (needed after R-SAFE-4).
    """
    if not state.run:
        return _first_session(state, profile, history, catalogue, placement)
    last = state.run[-1].session
    equipment = profile.equipment
    ctx = Context(state, profile, last, cleared, catalogue, history)
    verdicts = run_pipeline(ctx)
    burning = verdicts.of(burning_low_back)
    morning = verdicts.of(morning_pain_rise)
    deciding = verdicts.deciding
    if deciding is not None and deciding.rule in ("R-SAFE-4", "R-SAFE-3"):
        return _with_safety_advice(
            _safety_outcome(deciding, state, catalogue, equipment), burning, morning
        )
    rules: list[str] = []
    advice: list[str] = []
    hits = {
        v.sign: [sign_evidence(f, catalogue) for f in v.signs]
        for v in verdicts.fired
        if v.sign is not None and v.signs
    }
    if any(RegressionSign.LOW_BACK_STRAIN is s for s in hits):
        rules.append("R-SAFE-3")
    # R-SAFE-5: next-morning pain 2+ above baseline blocks progression, regresses
    if morning is not None:
        rules.append(morning.rule)
        hits.setdefault(RegressionSign.LOW_BACK_STRAIN, []).append(
            Evidence(
                note=f"next morning: pain {morning.morning}/10, usual {morning.baseline}/10",
                date=last.date,
                pain=morning.morning,
            )
        )
    # R-SAFE-4: burning low back, rated like any pain
    if burning is not None:
        rules.append(burning.rule)
        advice.extend(burning_advice(burning))
        if burning.settled is True and RegressionSign.LOW_BACK_STRAIN in hits:
            advice.append(BURNING_SETTLED_ADVICE)
    # R-SAFE-5: weekly pain rising two weeks running
    weekly = verdicts.of(weekly_pain_rising)
    rising = weekly is not None
    if weekly is not None:
        rules.append(weekly.rule)
        advice.append(weekly_pain_advice(weekly))
        if weekly.severity is Severity.REGRESS:
            hits.setdefault(RegressionSign.LOW_BACK_STRAIN, []).append(
                Evidence(note=f"weekly pain {weekly_trend(weekly)}", date=weekly.date)
            )
    regressed = False
    if deciding is not None and deciding is verdicts.of(missed_min_reps):
        out = step_down(
            state,
            catalogue,
            cause=step_down_cause(deciding),
            rules=[],
            evidence=explain_evidence(deciding),
            equipment=equipment,
            because=step_down_why(deciding),
        )
    elif hits:
        regressed = True
        out = plan_regression(
            state,
            hits,
            catalogue,
            extra_rules=rules,
            equipment=equipment,
            recurs=verdicts.of(sign_recurs),
            simplified=verdicts.of(simplifying_methods),
        )
    elif rising:
        words = weekly_hold_words()
        out = Outcome(
            action=Action.HOLD,
            rules=["R-SAFE-5"],
            reason=words.reason,
            do_now=words.do_now,
            would_change=words.would_change,
            exercise=state.exercise,
            modifiers=state.modifiers,
            load_kg=_hold_load(state),
        )
    else:
        dose = base_dose(profile, state.exercise, last_rpe(last))
        out = plan_progression(
            state,
            profile,
            history,
            catalogue,
            dose,
            eased=verdicts.of(modifier_easing),
            graduated=verdicts.of(graduation),
            loaded=verdicts.of(load_progression),
            banded=verdicts.of(band_progression),
            doubted=verdicts.of(log_beyond_equipment),
        )
    if not regressed:
        out.rules = [*rules, *out.rules]
    out.advice = [*advice, *out.advice]
    return out


def _safety_outcome(
    verdict: Verdict, state: TrainingState, catalogue: Catalogue, equipment: OwnedEquipment
) -> Outcome:
    """R-SAFE-4 (stopping pain quality) and R-SAFE-3 (pain 6+): stop hinging, or restart one
    rung lower next session."""
    ev = explain_evidence(verdict)
    if verdict.rule == "R-SAFE-4" and verdict.severity is Severity.STOP:
        qualities = list(dict.fromkeys(f.quality for f in verdict.facts if f.quality))
        return _from_decision(pain_quality_stop(qualities, ev))
    first_rung = lower_rung(catalogue, state.exercise, equipment) is None
    if verdict.rule == "R-SAFE-3" and not verdict.cleared and first_rung:
        pain = verdict.facts[0].pain or PAIN_STOP_MIN
        words = first_rung_pain_stop_words(pain)
        stop = pain_stop(pain, ev)
        return _from_decision(
            stop.model_copy(update={"reason": words.reason, "do_now": words.do_now})
        )
    return step_down(
        state,
        catalogue,
        cause=step_down_cause(verdict),
        rules=[verdict.rule],
        evidence=ev,
        equipment=equipment,
        because=step_down_why(verdict),
    )


def _with_safety_advice(out: Outcome, burning: Verdict | None, morning: Verdict | None) -> Outcome:
    """R-SAFE-4, R-SAFE-5: a stop or step-down keeps the burning and next-morning advice
    (policy of ``rules``: the advice of every verdict that fired is kept)."""
    if burning is not None:
        out.rules = [*out.rules, burning.rule]
        out.advice = [*burning_advice(burning), *out.advice]
    if morning is not None and out.action is not Action.STOP:
        out.rules = [*out.rules, morning.rule]
    return out


def _hold_load(state: TrainingState) -> float | None:
    return state.last.work_load() if state.last is not None else None


def _from_decision(decision: Decision) -> Outcome:
    return Outcome(
        action=decision.action,
        rules=list(decision.rules),
        reason=decision.reason,
        do_now=decision.do_now,
        would_change=decision.would_change,
        evidence=list(decision.evidence),
        advice=list(decision.advice),
        exercise=None,
    )
