"""Regressing: signs, the modifiers that answer them, and stepping down a rung (R-REG).

Signs (R-REG-1..5) come from logged faults (``Fault.sign``), pain in the caution band
(R-SAFE-3 -> lower-back strain) and the fatigue flag. Each sign is answered by the next
modifier the catalogue lists for it that the rung allows (R-REG-6), applied at once and
carried into the next session. A sign that recurs in 2 of the last 3 sessions despite its
modifiers steps the person down one rung (R-REG-7). Every regression names its sign and
what would undo it (R-REG-8). Rounding is a technique cue, never an alarm (R-SAFE-6).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from hingecoach.coach.decisions import Action, Evidence
from hingecoach.coach.explain import (
    ROUNDING_IS_A_CUE,
    Added,
    kept_signs_words,
    recurrence_cause,
    regression_words,
    sign_evidence,
    step_down_despite,
    step_down_words,
)
from hingecoach.coach.history import TrainingState
from hingecoach.coach.ladder import (
    applied,
    fault_cues,
    lower_rung,
    modifier_answers,
    ordered_signs,
    sign_rule,
)
from hingecoach.coach.models import OwnedEquipment, Session
from hingecoach.coach.outcome import Outcome
from hingecoach.coach.rules import Verdict, signs_of
from hingecoach.knowledge import Catalogue, RegressionSign

__all__ = [
    "ROUNDING_IS_A_CUE",
    "modifier_answers",
    "plan_regression",
    "session_signs",
    "step_down",
]

SignHits = Mapping[RegressionSign, Sequence[Evidence]]


def session_signs(session: Session, catalogue: Catalogue) -> dict[RegressionSign, list[Evidence]]:
    """The regression signs a session showed, each with its evidence worded (R-REG-1..5;
    the facts come from ``rules.signs_of``)."""
    return {
        sign: [sign_evidence(f, catalogue) for f in facts]
        for sign, facts in signs_of(session, catalogue).items()
    }


def step_down(
    state: TrainingState,
    catalogue: Catalogue,
    *,
    cause: str,
    rules: Sequence[str],
    evidence: Sequence[Evidence],
    sign: RegressionSign | None = None,
    equipment: OwnedEquipment | None = None,
    because: tuple[str, str] | None = None,
) -> Outcome:
    """One rung down, to the exercise's first regression (R-REG-7, R-REG-8).

    ``because`` is the exercise change's reason and rule when the cause is not a sign that
    recurred despite the modifiers (pain 6+, a stopping pain quality, missed reps).

    On the floor of the ladder there is nothing lower: the person holds the floor rung with
    the easiest dose and is pointed to a coach or clinician.
    """
    current = state.exercise
    lower = lower_rung(catalogue, current, equipment)
    rule_list = [*rules, "R-REG-7", "R-REG-8"]
    words = step_down_words(cause, current, lower)
    if lower is None:
        return Outcome(
            action=Action.HOLD,
            rules=rule_list,
            reason=words.reason,
            do_now=words.do_now,
            would_change=words.would_change,
            evidence=list(evidence),
            exercise=current,
            modifiers=state.modifiers,
        )
    return Outcome(
        action=Action.STEP_DOWN,
        rules=rule_list,
        reason=words.reason,
        do_now=words.do_now,
        would_change=words.would_change,
        evidence=list(evidence),
        exercise=lower,
        modifiers=(),
        new_rung=True,
        why={"exercise": because or step_down_despite(catalogue, sign)},
    )


def plan_regression(
    state: TrainingState,
    hits: SignHits,
    catalogue: Catalogue,
    *,
    extra_rules: Sequence[str] = (),
    lead: str = "",
    equipment: OwnedEquipment | None = None,
    recurs: Verdict | None = None,
    simplified: Verdict | None = None,
) -> Outcome:
    """Answer the signs of the last session (R-REG-1..8).

    If a sign recurred despite its modifiers (the R-REG-7 verdict ``recurs``,
    ``rules.sign_recurs``), step down a rung. Otherwise apply the R-REG-6 verdict
    ``simplified`` (``rules.simplifying_methods``): each chosen modifier is raised back a
    step or added; when nothing is left for a sign, keep the modifiers and cue the fault.
    """
    ex = state.exercise
    evidence: list[Evidence] = []
    rules: list[str] = list(extra_rules)
    fault_ids = [e.fault_id for ev in hits.values() for e in ev if e.fault_id]
    cues = fault_cues(catalogue, fault_ids)
    for sign in ordered_signs(hits):
        evidence.extend(hits[sign])
        rule = sign_rule(catalogue, sign)
        rules.append(rule)
        if recurs is not None and recurs.sign is sign:
            out = step_down(
                state,
                catalogue,
                cause=f"{lead}{recurrence_cause(recurs, catalogue, state.modifiers)}",
                rules=[*rules, rule],
                evidence=evidence,
                sign=sign,
                equipment=equipment,
            )
            out.cues = cues
            return out
    active = list(state.modifiers)
    added: list[Added] = []
    for choice in simplified.choices if simplified is not None else ():
        mod = catalogue.modifiers.get(choice.modifier_id)
        if choice.raised:
            index = next(i for i, m in enumerate(active) if m.id == choice.modifier_id)
            new = active[index].model_copy(update={"step": choice.step})
            active[index] = new
        else:
            assert mod is not None
            new = applied(mod, choice.sign, sign_rule(catalogue, choice.sign), choice.step)
            active.append(new)
        added.append(Added(choice.sign, new, mod))
    rules += ["R-REG-6", "R-REG-8"]
    rounding = RegressionSign.BACK_ROUNDING in hits
    if added:
        words = regression_words(catalogue, hits, added, lead=lead, rounding=rounding)
        return Outcome(
            action=Action.REGRESS,
            rules=rules,
            reason=words.reason,
            do_now=words.do_now,
            would_change=words.would_change,
            evidence=evidence,
            exercise=ex,
            modifiers=tuple(active),
            cues=cues,
            why=words.why,
        )
    kept = simplified.kept if simplified is not None else tuple(ordered_signs(hits))
    words = kept_signs_words(catalogue, kept, active, lead=lead, rounding=rounding)
    return Outcome(
        action=Action.HOLD,
        rules=[*rules, "R-REG-7"],
        reason=words.reason,
        do_now=words.do_now,
        would_change=words.would_change,
        evidence=evidence,
        exercise=ex,
        modifiers=tuple(active),
        cues=cues,
    )
