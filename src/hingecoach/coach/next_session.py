"""What the next session should do: the rule cascade behind :func:`prescribe`.

Safety first (R-SAFE-4 pain quality, R-SAFE-3 pain 6+, R-SAFE-5 next-morning pain and the
weekly trend), then regression on the last session's signs (R-REG-1..8, including a work
set that missed its minimum reps twice running), then progression (R-PROG-1..6). The result
is an :class:`Outcome`; ``prescription`` doses it.
"""

from __future__ import annotations

from dataclasses import dataclass

from hingecoach.coach.decisions import Action, Decision, Evidence, Placement
from hingecoach.coach.defaults import (
    FAILED_MIN_REPS_RUNNING,
    MORNING_PAIN_RISE,
    PAIN_STOP_MIN,
    WEEKLY_PAIN_REGRESS_MIN,
)
from hingecoach.coach.dose import base_dose
from hingecoach.coach.history import TrainingState, last_rpe
from hingecoach.coach.ladder import lower_rung
from hingecoach.coach.models import History, PainQuality, Profile, Session
from hingecoach.coach.outcome import Outcome
from hingecoach.coach.progression import carryover_load, criterion_text, plan_progression
from hingecoach.coach.regression import plan_regression, session_signs, step_down
from hingecoach.coach.safety import (
    BURNING_ADVICE,
    PainBand,
    morning_rise,
    pain_band,
    pain_quality_stop,
    pain_stop,
    rising_two_weeks,
    weekly_pain,
)
from hingecoach.knowledge import Catalogue, Exercise, Modifier, ModifierKind, RegressionSign

__all__ = ["decide_next_session", "no_progress_in_pain_today"]


def no_progress_in_pain_today(out: Outcome, state: TrainingState, pain: int) -> Outcome:
    """R-SAFE-3: with pain 3-5 at today's screen, train but do not progress today."""
    if pain_band(pain) is not PainBand.CAUTION or out.action not in (
        Action.PROGRESS,
        Action.ADD_LOAD,
    ):
        return out
    last = state.last
    return Outcome(
        action=Action.HOLD,
        rules=["R-SAFE-3"],
        reason=f"Pain {pain}/10 today: keep last session's dose, no progression today. "
        f"(Without the pain: {out.reason[0].lower()}{out.reason[1:]})",
        do_now="Repeat last session's dose; stop any set where pain reaches 6.",
        would_change=f"A day with pain back at 0-2, then: {out.do_now}",
        evidence=[Evidence(note=f"pain {pain}/10 at today's screen", pain=pain)],
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
    load, how = carryover_load(ex, profile, history, catalogue, reps=reps)
    rules = ["R-ASSESS-3"] if placement is not None else ["R-RX-1"]
    why = {}
    notes: list[str] = []
    if load is not None:
        rules.append("R-PROG-4")
        why["load"] = (how, "R-PROG-4")
        if not ex.carryover or how.startswith("the lightest"):
            notes.append(
                f"Find your load: work up in warm-up sets until {reps} reps feel like RPE 6-7 "
                "(3-4 reps left in you), do the work sets there, and log the load you used."
            )
    where = " where your screens placed you" if placement is not None else ""
    return Outcome(
        action=Action.HOLD,
        rules=rules,
        reason=f"First session on the {ex.name.lower()}{where}.",
        do_now=f"Next session: {ex.name.lower()}. {ex.cues[0]}",
        would_change=(
            f"{ex.graduation.sessions} sessions of {criterion_text(ex, dose)}, and you move up."
        ),
        exercise=ex,
        modifiers=modifiers,
        load_kg=load,
        new_rung=load is not None,
        reps_target=reps if load is not None else None,
        notes=notes,
        why=why,
    )


def _failed_min_reps(state: TrainingState) -> list[Evidence]:
    """R-REG-7: a work set under its prescribed minimum reps in each of the last 2 sessions."""
    views = state.run[-FAILED_MIN_REPS_RUNNING:]
    if len(views) < FAILED_MIN_REPS_RUNNING:
        return []
    evidence: list[Evidence] = []
    for view in views:
        pres = view.session.prescription
        if pres is None or pres.reps is None:
            return []
        misses = [
            (n, s)
            for n, s in enumerate(view.session.sets, start=1)
            if s.work_set and s.reps is not None and s.reps < pres.reps.min
        ]
        if not misses:
            return []
        n, s = misses[0]
        evidence.append(
            Evidence(
                note=f"set {n}: {s.reps} reps, under the minimum of {pres.reps.min}",
                date=view.date,
                set_number=n,
            )
        )
    return evidence


def _burning_preference(catalogue: Catalogue, ex: Exercise) -> dict[RegressionSign, list[Modifier]]:
    """R-SAFE-4: burning that settled within a day is local fatigue: less range and load."""
    mods = [catalogue.modifiers[m] for m in ex.modifiers if m in catalogue.modifiers]
    chosen = []
    for kind in (ModifierKind.RANGE, ModifierKind.INTENSITY):
        for mod in mods:
            if mod.kind is kind:
                chosen.append(mod)
                break
    return {RegressionSign.LOW_BACK_STRAIN: chosen} if chosen else {}


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
    view = state.run[-1]
    last = view.session
    equipment = profile.equipment
    # R-SAFE-4 burning and R-SAFE-5 next morning: their advice holds on every path below,
    # the pain-6 step-down included (a burning back still sore the next morning always
    # comes with "see a clinician")
    burning = _burning(last, profile)
    morning_rules = ["R-SAFE-5"] if morning_rise(last, profile) else []
    # R-SAFE-4: sharp, shooting, below-knee, numbness, tingling, weakness
    stopping = [
        (n, q) for n, s in enumerate(last.sets, start=1) for q in s.pain_quality if q.stops_hinging
    ]
    if stopping:
        qualities = list(dict.fromkeys(q for _, q in stopping))
        ev = [
            Evidence(note=f"set {n}: pain felt {q.value}", date=last.date, set_number=n)
            for n, q in stopping
        ]
        if not cleared:
            stop = pain_quality_stop(qualities, ev)
            return _with_safety_advice(_from_decision(stop), burning, [])
        out = step_down(
            state,
            catalogue,
            cause="Last session you felt pain that was "
            f"{' and '.join(q.value for q in qualities)}; the red-flag screen is clear, so "
            "hinging restarts one rung lower.",
            rules=["R-SAFE-4"],
            evidence=ev,
            equipment=equipment,
        )
        return _with_safety_advice(out, burning, morning_rules)
    # R-SAFE-3: pain 6 or more -> stop today, one rung lower next session
    worst = max(((s.pain, n) for n, s in enumerate(last.sets, start=1)), default=(0, 0))
    if worst[0] >= PAIN_STOP_MIN:
        ev = [
            Evidence(
                note=f"set {worst[1]}: pain {worst[0]}/10",
                date=last.date,
                set_number=worst[1],
                pain=worst[0],
            )
        ]
        lower = lower_rung(catalogue, state.exercise, equipment)
        if lower is None and not cleared:
            stop = pain_stop(worst[0], ev)
            out = _from_decision(
                stop.model_copy(
                    update={
                        "reason": f"Pain {worst[0]}/10 last session, on the first rung of the "
                        "ladder.",
                        "do_now": "No hinging until it settles. Answer the safety screen again "
                        "before the next session; if pain this strong comes back, see a "
                        "clinician.",
                    }
                )
            )
            return _with_safety_advice(out, burning, morning_rules)
        out = step_down(
            state,
            catalogue,
            cause=f"Pain {worst[0]}/10 in set {worst[1]} last session.",
            rules=["R-SAFE-3"],
            evidence=ev,
            equipment=equipment,
        )
        return _with_safety_advice(out, burning, morning_rules)
    rules: list[str] = []
    advice: list[str] = []
    hits = session_signs(last, catalogue)
    if any(RegressionSign.LOW_BACK_STRAIN is s for s in hits):
        rules.append("R-SAFE-3")
    # R-SAFE-5: next-morning pain 2+ above baseline blocks progression, regresses
    if morning_rules:
        rules.extend(morning_rules)
        hits.setdefault(RegressionSign.LOW_BACK_STRAIN, []).append(
            Evidence(
                note=f"next morning: pain {last.next_morning_pain}/10, usual "
                f"{profile.baseline_pain}/10",
                date=last.date,
                pain=last.next_morning_pain,
            )
        )
    # R-SAFE-4: burning low back, rated like any pain
    prefer: dict[RegressionSign, list[Modifier]] | None = None
    if burning is not None:
        rules.append("R-SAFE-4")
        advice.extend(burning.advice)
        if burning.settled and RegressionSign.LOW_BACK_STRAIN in hits:
            prefer = _burning_preference(catalogue, state.exercise)
            advice.append(BURNING_SETTLED_ADVICE)
    # R-SAFE-5: weekly pain rising two weeks running
    rising = False
    if state.last_session is not None:
        means = weekly_pain(state.recent, state.last_session.date)
        rising = rising_two_weeks(means)
        if rising:
            rules.append("R-SAFE-5")
            trend = " -> ".join(f"{m:.1f}" for m in reversed([m or 0.0 for m in means[:3]]))
            advice.append(
                f"Your weekly pain has risen two weeks running ({trend}): please see a "
                "clinician to check it."
            )
            if (means[0] or 0.0) >= WEEKLY_PAIN_REGRESS_MIN:
                hits.setdefault(RegressionSign.LOW_BACK_STRAIN, []).append(
                    Evidence(note=f"weekly pain {trend}", date=state.last_session.date)
                )
    missed = _failed_min_reps(state)
    regressed = False
    if missed:
        out = step_down(
            state,
            catalogue,
            cause="A work set fell short of its minimum reps two sessions running.",
            rules=[],
            evidence=missed,
            equipment=equipment,
        )
    elif hits:
        regressed = True
        out = plan_regression(
            state,
            hits,
            catalogue,
            extra_rules=rules,
            equipment=equipment,
            prefer=prefer,
        )
    elif rising:
        out = Outcome(
            action=Action.HOLD,
            rules=["R-SAFE-5"],
            reason="Your weekly pain has risen two weeks running: hold this session as it is, "
            "no progression.",
            do_now="Repeat last session's dose; stop any set where pain passes 2/10.",
            would_change="A week in which pain stops rising.",
            exercise=state.exercise,
            modifiers=state.modifiers,
            load_kg=_hold_load(state),
        )
    else:
        dose = base_dose(profile, state.exercise, last_rpe(last))
        out = plan_progression(state, profile, history, catalogue, dose)
    if not regressed:
        out.rules = [*rules, *out.rules]
    out.advice = [*advice, *out.advice]
    return out


BURNING_SETTLED_ADVICE = (
    "The burning settled by the next morning, so it was local muscle fatigue: "
    "shorter range and less load next time, and add back-extensor endurance drills."
)
BURNING_PERSISTS_ADVICE = "The burning had not settled by the next morning: see a clinician."


@dataclass(frozen=True)
class _Burning:
    """R-SAFE-4: a burning low back last session, and whether it settled within a day."""

    settled: bool
    advice: tuple[str, ...]


def _burning(last: Session, profile: Profile) -> _Burning | None:
    if not any(PainQuality.BURNING in s.pain_quality for s in last.sets):
        return None
    morning = last.next_morning_pain
    settled = morning is not None and morning - profile.baseline_pain < MORNING_PAIN_RISE
    persists = morning is not None and not settled
    advice = (BURNING_ADVICE, BURNING_PERSISTS_ADVICE) if persists else (BURNING_ADVICE,)
    return _Burning(settled=settled, advice=advice)


def _with_safety_advice(out: Outcome, burning: _Burning | None, rules: list[str]) -> Outcome:
    """R-SAFE-4, R-SAFE-5: a stop or step-down keeps the burning and next-morning advice."""
    if burning is not None:
        out.rules = [*out.rules, "R-SAFE-4"]
        out.advice = [*burning.advice, *out.advice]
    out.rules = [*out.rules, *rules]
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
