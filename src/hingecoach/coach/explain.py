"""Verdicts into words (ARCHITECTURE "Shapes wanted next": one explain layer).

The rules of :mod:`hingecoach.coach.rules` return facts; this module is the one place that
words them, quoting the verdict's own numbers, so the words and the numbers cannot disagree.
"""

from __future__ import annotations

from hingecoach.coach.decisions import Evidence
from hingecoach.coach.rules import Verdict
from hingecoach.coach.safety import BURNING_ADVICE

__all__ = [
    "BURNING_PERSISTS_ADVICE",
    "BURNING_SETTLED_ADVICE",
    "burning_advice",
    "evidence",
    "step_down_cause",
    "step_down_why",
    "weekly_pain_advice",
    "weekly_trend",
]

BURNING_SETTLED_ADVICE = (
    "The burning settled by the next morning, so it was local muscle fatigue: "
    "shorter range and less load next time, and add back-extensor endurance drills."
)
BURNING_PERSISTS_ADVICE = "The burning had not settled by the next morning: see a clinician."


def evidence(verdict: Verdict) -> list[Evidence]:
    """The verdict's facts as the evidence a decision shows."""
    if verdict.rule == "R-SAFE-5" and verdict.morning is not None:
        return []  # worded with the regression signs it joins
    out: list[Evidence] = []
    for fact in verdict.facts:
        if fact.quality is not None:
            note = f"set {fact.set_number}: pain felt {fact.quality.value}"
        elif fact.min_reps is not None:
            note = f"set {fact.set_number}: {fact.reps} reps, under the minimum of {fact.min_reps}"
        else:
            note = f"set {fact.set_number}: pain {fact.pain}/10"
        out.append(Evidence(note=note, date=fact.date, set_number=fact.set_number, pain=fact.pain))
    return out


def step_down_cause(verdict: Verdict) -> str:
    """Why the next session is one rung lower, for R-SAFE-4, R-SAFE-3 and R-REG-7."""
    if verdict.rule == "R-SAFE-4":
        qualities = dict.fromkeys(f.quality.value for f in verdict.facts if f.quality)
        return (
            f"Last session you felt pain that was {' and '.join(qualities)}; the red-flag "
            "screen is clear, so hinging restarts one rung lower."
        )
    if verdict.rule == "R-SAFE-3":
        fact = verdict.facts[0]
        return f"Pain {fact.pain}/10 in set {fact.set_number} last session."
    return "A work set fell short of its minimum reps two sessions running."


def step_down_why(verdict: Verdict) -> tuple[str, str]:
    """The exercise change's reason and rule, in the card's short form (R-RX-1)."""
    if verdict.rule == "R-SAFE-4":
        qualities = dict.fromkeys(f.quality.value for f in verdict.facts if f.quality)
        return (f"stepped down: pain felt {' and '.join(qualities)}", verdict.rule)
    if verdict.rule == "R-SAFE-3":
        fact = verdict.facts[0]
        return (f"stepped down: pain {fact.pain}/10 in set {fact.set_number}", verdict.rule)
    return ("stepped down: a work set short of its minimum reps two sessions running", verdict.rule)


def weekly_trend(verdict: Verdict) -> str:
    """R-SAFE-5: the weekly means, oldest first: ``1.0 -> 2.0 -> 3.5``."""
    return " -> ".join(f"{m:.1f}" for m in reversed(verdict.weekly_means))


def weekly_pain_advice(verdict: Verdict) -> str:
    return (
        f"Your weekly pain has risen two weeks running ({weekly_trend(verdict)}): please see a "
        "clinician to check it."
    )


def burning_advice(verdict: Verdict | None) -> tuple[str, ...]:
    """R-SAFE-4: the burning advice, with "see a clinician" when it had not settled."""
    if verdict is None:
        return ()
    if verdict.settled is False:
        return (BURNING_ADVICE, BURNING_PERSISTS_ADVICE)
    return (BURNING_ADVICE,)
