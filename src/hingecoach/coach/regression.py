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

from hingecoach.coach.decisions import Action, AppliedModifier, Evidence
from hingecoach.coach.explain import ROUNDING_IS_A_CUE, recurrence_cause, sign_evidence
from hingecoach.coach.explain import listed as _list
from hingecoach.coach.history import TrainingState
from hingecoach.coach.ladder import (
    applied,
    fault_cues,
    lower_rung,
    modifiers_for_sign,
    ordered_signs,
    sign_name,
    sign_rule,
)
from hingecoach.coach.models import OwnedEquipment, Session
from hingecoach.coach.outcome import Outcome
from hingecoach.coach.rules import Verdict, signs_of
from hingecoach.knowledge import Catalogue, Modifier, RegressionSign

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


def modifier_answers(catalogue: Catalogue, modifier_id: str, sign: RegressionSign) -> bool:
    """Whether a modifier is one the catalogue lists for ``sign``."""
    found = catalogue.signs.get(sign.value)
    return found is not None and modifier_id in found.modifiers


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
    if lower is None:
        return Outcome(
            action=Action.HOLD,
            rules=rule_list,
            reason=f"{cause} This is already the first rung of the ladder, so there is no "
            "easier exercise to step down to.",
            do_now=f"Keep practising the {current.name.lower()} with a short, easy range.",
            would_change="Two clean sessions in a row. If this keeps happening, ask a coach "
            "or physiotherapist to watch you move.",
            evidence=list(evidence),
            exercise=current,
            modifiers=state.modifiers,
        )
    grad = lower.graduation
    top = f"{grad.min_sets} x {grad.top_reps}"
    cue = lower.cues[0] if lower.cues else ""
    return Outcome(
        action=Action.STEP_DOWN,
        rules=rule_list,
        reason=f"{cause} Step down one rung to the {lower.name.lower()} to rebuild the "
        "pattern where it is easy to do well.",
        do_now=f"Next session: {lower.name.lower()}. {cue}".strip(),
        would_change=(
            f"{grad.sessions} sessions of {top} clean on the {lower.name.lower()} (pain 0-2, "
            f"RPE {grad.max_rpe:g} or less) and you move back up to the {current.name.lower()}."
        ),
        evidence=list(evidence),
        exercise=lower,
        modifiers=(),
        new_rung=True,
        why={
            "exercise": because
            or (
                f"stepped down: {sign_name(catalogue, sign) if sign else 'pain'} "
                "despite the easier set-up",
                "R-REG-7",
            )
        },
    )


def _raise_back(modifier: AppliedModifier, steps: Sequence[str]) -> AppliedModifier | None:
    """The same modifier one step easier, if it has been lowered (R-REG-6)."""
    if modifier.step is None or modifier.step not in steps:
        return None
    index = steps.index(modifier.step)
    if index == 0:
        return None
    return modifier.model_copy(update={"step": steps[index - 1]})


def plan_regression(
    state: TrainingState,
    hits: SignHits,
    catalogue: Catalogue,
    *,
    extra_rules: Sequence[str] = (),
    lead: str = "",
    equipment: OwnedEquipment | None = None,
    prefer: Mapping[RegressionSign, Sequence[Modifier]] | None = None,
    recurs: Verdict | None = None,
) -> Outcome:
    """Answer the signs of the last session (R-REG-1..8).

    For each sign in rule order: if it is the sign the R-REG-7 verdict ``recurs`` names
    (it recurred despite its modifiers, ``rules.sign_recurs``), step down a rung. Otherwise raise a
    lowered modifier back one step, or add the sign's next modifier the rung allows; when
    nothing is left, keep the modifiers and cue the fault.

    ``prefer`` replaces a sign's modifiers with the given ones, all added at once (used for
    the burning low back of R-SAFE-4: less load and range).
    """
    ex = state.exercise
    active = list(state.modifiers)
    added: list[tuple[RegressionSign, AppliedModifier, Modifier | None]] = []
    kept: list[RegressionSign] = []
    evidence: list[Evidence] = []
    rules: list[str] = list(extra_rules)
    fault_ids = [e.fault_id for ev in hits.values() for e in ev if e.fault_id]
    cues = fault_cues(catalogue, fault_ids)
    for sign in ordered_signs(hits):
        evidence.extend(hits[sign])
        rule = sign_rule(catalogue, sign)
        rules.append(rule)
        preferred = list(prefer.get(sign, ())) if prefer else []
        options = preferred or modifiers_for_sign(catalogue, ex, sign)
        answering = [m for m in active if modifier_answers(catalogue, m.id, sign)]
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
        raised = None
        for m in answering:
            steps = catalogue.modifiers[m.id].steps if m.id in catalogue.modifiers else []
            raised = _raise_back(m, steps)
            if raised is not None:
                active[active.index(m)] = raised
                added.append((sign, raised, catalogue.modifiers.get(m.id)))
                break
        if raised is not None:
            continue
        fresh = [m for m in options if m.id not in {a.id for a in active}]
        for mod in fresh if preferred else fresh[:1]:
            new = applied(mod, sign, rule)
            active.append(new)
            added.append((sign, new, mod))
        if not fresh:
            kept.append(sign)
    rules += ["R-REG-6", "R-REG-8"]
    rounding = RegressionSign.BACK_ROUNDING in hits
    calm = f" {ROUNDING_IS_A_CUE}" if rounding else ""
    if added:
        signs_added = list(dict.fromkeys(sign for sign, _, _ in added))
        parts = [
            f"{sign_name(catalogue, sign)} showed"
            + (f" ({_list([e.note for e in hits[sign]][:3])})" if hits[sign] else "")
            for sign in signs_added
        ]
        changes = [m.label() for _, m, _ in added]
        how = [m.how_to_undo for _, m, _ in added]
        doing = [mod.description for _, _, mod in added if mod is not None]
        return Outcome(
            action=Action.REGRESS,
            rules=rules,
            reason=f"{lead}{_list(parts).capitalize()}. Next time: {_list(changes).lower()}."
            + calm,
            do_now="Next session: " + (" ".join(doing) or f"use {_list(changes).lower()}."),
            would_change=" ".join(how),
            evidence=evidence,
            exercise=ex,
            modifiers=tuple(active),
            cues=cues,
            why={
                f"modifier {m.id}": (f"{sign_name(catalogue, sign)} showed last session", m.rule)
                for sign, m, _ in added
            },
        )
    names = _list([sign_name(catalogue, s) for s in kept])
    keep = _list([m.label().lower() for m in active]) or "the same set-up"
    return Outcome(
        action=Action.HOLD,
        rules=[*rules, "R-REG-7"],
        reason=f"{lead}{names.capitalize()} showed last session. Keep {keep} and the cues "
        "below; no progression this time." + calm,
        do_now="Repeat this session with the cues below, and stop each rep before form slips.",
        would_change=f"If {names} shows again in 2 of your next 3 sessions, step down a rung; "
        "two clean sessions and you progress again.",
        evidence=evidence,
        exercise=ex,
        modifiers=tuple(active),
        cues=cues,
    )
