"""The decisions about the next session as a rule pipeline (ARCHITECTURE "Shapes wanted next").

Each rule is one small function over a read-only :class:`Context` that returns a frozen
:class:`Verdict` of facts (numbers, dates, set numbers, ids) or ``None``. :data:`PIPELINE`
lists the rules in precedence order. How verdicts combine (:func:`run_pipeline`):

1. every rule runs; the verdicts are kept in pipeline order;
2. the *deciding* verdict is the most severe one (:class:`Severity`: a safety stop beats a
   step down, beats a regression, beats a hold, beats a progression); between equals the
   earlier rule in the pipeline wins;
3. the advice of every verdict that fired is kept (``explain`` words it), so a pain-6
   step-down still carries a burning back's "see a clinician".

Verdicts never hold prose: :mod:`hingecoach.coach.explain` turns them into words. This step
covers the safety rules (R-SAFE-3, R-SAFE-4, R-SAFE-5 morning and weekly trend) and R-REG-7
missed reps; the regression signs and progression still run as before after them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum

from hingecoach.coach.defaults import (
    FAILED_MIN_REPS_RUNNING,
    MORNING_PAIN_RISE,
    PAIN_STOP_MIN,
    WEEKLY_PAIN_REGRESS_MIN,
)
from hingecoach.coach.history import TrainingState
from hingecoach.coach.models import PainQuality, Profile, Session
from hingecoach.coach.safety import rising_two_weeks, weekly_pain

__all__ = [
    "PIPELINE",
    "Context",
    "Severity",
    "Verdict",
    "Verdicts",
    "burning_low_back",
    "missed_min_reps",
    "morning_pain_rise",
    "pain_stop",
    "run_pipeline",
    "stopping_pain_quality",
    "weekly_pain_rising",
]


class Severity(IntEnum):
    """How strongly a verdict changes the next session; lower is more severe."""

    STOP = 0
    STEP_DOWN = 1
    REGRESS = 2
    HOLD = 3
    PROGRESS = 4
    ADVICE = 5  # changes nothing by itself; its advice is kept


@dataclass(frozen=True)
class Context:
    """What every rule may read: never changed by a rule."""

    state: TrainingState
    profile: Profile
    last: Session
    cleared: bool  # today's red-flag screen came back clear


@dataclass(frozen=True)
class SetFact:
    """A fact about one logged set: its number in the session, and what was seen."""

    set_number: int
    date: dt.date
    pain: int | None = None
    quality: PainQuality | None = None
    reps: int | None = None
    min_reps: int | None = None


@dataclass(frozen=True)
class Verdict:
    """What one rule found: its id, how severe, and the facts, never words."""

    rule: str
    severity: Severity
    facts: tuple[SetFact, ...] = ()
    morning: int | None = None
    baseline: int | None = None
    settled: bool | None = None  # R-SAFE-4: the burning settled by the next morning
    cleared: bool = False
    weekly_means: tuple[float, ...] = ()  # R-SAFE-5: mean pain per week, newest first
    date: dt.date | None = None


Rule = Callable[[Context], Verdict | None]


def stopping_pain_quality(ctx: Context) -> Verdict | None:
    """R-SAFE-4: sharp, shooting, below-knee, numbness, tingling or weakness last session:
    stop (or, after a clear red-flag screen today, one rung lower)."""
    facts = tuple(
        SetFact(set_number=n, date=ctx.last.date, quality=q)
        for n, s in enumerate(ctx.last.sets, start=1)
        for q in s.pain_quality
        if q.stops_hinging
    )
    if not facts:
        return None
    severity = Severity.STEP_DOWN if ctx.cleared else Severity.STOP
    return Verdict("R-SAFE-4", severity, facts, cleared=ctx.cleared)


def pain_stop(ctx: Context) -> Verdict | None:
    """R-SAFE-3: pain 6 or more in a set last session: one rung lower next session."""
    worst = max(((s.pain, n) for n, s in enumerate(ctx.last.sets, start=1)), default=(0, 0))
    if worst[0] < PAIN_STOP_MIN:
        return None
    fact = SetFact(set_number=worst[1], date=ctx.last.date, pain=worst[0])
    return Verdict("R-SAFE-3", Severity.STEP_DOWN, (fact,), cleared=ctx.cleared)


def morning_pain_rise(ctx: Context) -> Verdict | None:
    """R-SAFE-5: next-morning pain 2+ above the person's baseline: no progression, regress."""
    morning = ctx.last.next_morning_pain
    baseline = ctx.profile.baseline_pain
    if morning is None or morning - baseline < MORNING_PAIN_RISE:
        return None
    return Verdict("R-SAFE-5", Severity.REGRESS, morning=morning, baseline=baseline)


def weekly_pain_rising(ctx: Context) -> Verdict | None:
    """R-SAFE-5: weekly mean pain rising two weeks running: hold, or regress when this week's
    mean is in the caution band; always suggest a clinician."""
    if ctx.state.last_session is None:
        return None
    means = weekly_pain(ctx.state.recent, ctx.state.last_session.date)
    if not rising_two_weeks(means):
        return None
    weeks = tuple(m or 0.0 for m in means[:3])
    severity = Severity.REGRESS if weeks[0] >= WEEKLY_PAIN_REGRESS_MIN else Severity.HOLD
    return Verdict("R-SAFE-5", severity, weekly_means=weeks, date=ctx.state.last_session.date)


def burning_low_back(ctx: Context) -> Verdict | None:
    """R-SAFE-4: a burning low back is rated like any pain; it settled within a day (local
    fatigue) or it did not (see a clinician). Advice only: the pain rating decides."""
    if not any(PainQuality.BURNING in s.pain_quality for s in ctx.last.sets):
        return None
    morning = ctx.last.next_morning_pain
    baseline = ctx.profile.baseline_pain
    settled = None if morning is None else morning - baseline < MORNING_PAIN_RISE
    return Verdict("R-SAFE-4", Severity.ADVICE, morning=morning, baseline=baseline, settled=settled)


def missed_min_reps(ctx: Context) -> Verdict | None:
    """R-REG-7: a work set under its prescribed minimum reps in each of the last 2 sessions."""
    views = ctx.state.run[-FAILED_MIN_REPS_RUNNING:]
    if len(views) < FAILED_MIN_REPS_RUNNING:
        return None
    facts: list[SetFact] = []
    for view in views:
        pres = view.session.prescription
        if pres is None or pres.reps is None:
            return None
        misses = [
            SetFact(set_number=n, date=view.date, reps=s.reps, min_reps=pres.reps.min)
            for n, s in enumerate(view.session.sets, start=1)
            if s.work_set and s.reps is not None and s.reps < pres.reps.min
        ]
        if not misses:
            return None
        facts.append(misses[0])
    return Verdict("R-REG-7", Severity.STEP_DOWN, tuple(facts))


PIPELINE: tuple[Rule, ...] = (
    stopping_pain_quality,
    pain_stop,
    morning_pain_rise,
    weekly_pain_rising,
    burning_low_back,
    missed_min_reps,
)


@dataclass(frozen=True)
class Verdicts:
    """One result per rule of :data:`PIPELINE`, in order (``None``: the rule did not fire)."""

    results: tuple[Verdict | None, ...]

    @property
    def fired(self) -> tuple[Verdict, ...]:
        return tuple(v for v in self.results if v is not None)

    @property
    def deciding(self) -> Verdict | None:
        """The most severe verdict; between equals, the earlier rule of the pipeline."""
        deciding = [v for v in self.fired if v.severity is not Severity.ADVICE]
        return min(deciding, key=lambda v: v.severity) if deciding else None

    def of(self, rule: Rule) -> Verdict | None:
        """The verdict of one rule of the pipeline, if it fired."""
        return self.results[PIPELINE.index(rule)]


def run_pipeline(ctx: Context) -> Verdicts:
    """Run every rule of :data:`PIPELINE` over ``ctx`` (see the module docstring)."""
    return Verdicts(tuple(rule(ctx) for rule in PIPELINE))
