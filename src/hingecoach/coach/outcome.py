"""The working result of the rule modules before it becomes a Decision and a Prescription.

``safety``, ``regression`` and ``progression`` each return an :class:`Outcome`; the
``prescription`` module turns it into the public :class:`Decision` and
:class:`Prescription`, adding the dose and the reasons for every change (R-RX-1).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hingecoach.coach.decisions import Action, AppliedModifier, Decision, Evidence
from hingecoach.knowledge import Exercise

__all__ = ["Outcome", "Why"]

Why = tuple[str, str]  # (reason in plain words, rule id)


@dataclass
class Outcome:
    """What a rule decided, and how the next session should differ."""

    action: Action
    rules: list[str]
    reason: str
    do_now: str
    would_change: str
    evidence: list[Evidence] = field(default_factory=list)
    advice: list[str] = field(default_factory=list)
    exercise: Exercise | None = None  # the rung to train; None: no prescription
    modifiers: tuple[AppliedModifier, ...] = ()
    load_kg: float | None = None  # None: decided by the prescription builder
    band: str | None = None
    reps_target: int | None = None
    bridge_step: int = 0
    new_rung: bool = False  # R-PROG-4: first session on this rung, start conservatively
    cues: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    why: dict[str, Why] = field(default_factory=dict)  # changed field -> its reason

    def decision(self) -> Decision:
        rules = tuple(dict.fromkeys(self.rules))
        return Decision(
            action=self.action,
            rules=rules,
            reason=self.reason,
            do_now=self.do_now,
            would_change=self.would_change,
            evidence=tuple(self.evidence),
            advice=tuple(dict.fromkeys(self.advice)),
        )
