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

Verdicts never hold prose: :mod:`hingecoach.coach.explain` turns them into words. The
pipeline holds the safety rules (R-SAFE-3, R-SAFE-4, R-SAFE-5 morning and weekly trend),
R-REG-7 missed reps, the regression signs (R-REG-1..5), R-REG-7 a sign that recurs despite
its modifiers, R-REG-8 easing a modifier after clean sessions, and R-PROG-1 graduation; the
modules ``regression`` and ``progression`` dose what the deciding verdict says.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import IntEnum
from functools import cached_property
from typing import Any, Literal

from hingecoach.coach.decisions import AppliedModifier
from hingecoach.coach.defaults import (
    BIG_JUMP_PCT,
    BRIDGE_REPS_MAX,
    BRIDGE_STEPS,
    CLEAN_SESSIONS_TO_EASE_MODIFIER,
    DOUBLE_PROGRESSION_SESSIONS,
    FAILED_MIN_REPS_RUNNING,
    INTENSITY_CUT_PCT,
    INTENSITY_EXTRA_REST_S,
    INTENSITY_SETS_CUT,
    MIN_SETS,
    MINOR_FAULT_SETS_FOR_SIGN,
    MORNING_PAIN_RISE,
    NEXT_LOAD_CAP_PCT,
    PAIN_CARRY_ON_MAX,
    PAIN_CAUTION_MAX,
    PAIN_STOP_MIN,
    SIGN_RECUR_MIN,
    SIGN_RECUR_SESSIONS,
    WEEKLY_PAIN_REGRESS_MIN,
)
from hingecoach.coach.dose import base_dose
from hingecoach.coach.graduation import (
    graduation_check,
    load_beyond_equipment,
    session_is_clean,
)
from hingecoach.coach.history import SessionView, TrainingState, last_rpe
from hingecoach.coach.ladder import (
    modifier_answers,
    modifiers_for_sign,
    ordered_signs,
    progression_choices,
)
from hingecoach.coach.load_progression import (
    load_plan,
    next_bridge_step,
    reached_top,
    rpe_load,
    sets_needed,
    streak,
)
from hingecoach.coach.loads import choose_load_mode, next_increment, round_down
from hingecoach.coach.models import FormRating, History, PainQuality, Profile, Session
from hingecoach.coach.safety import rising_two_weeks, weekly_pain
from hingecoach.knowledge import Catalogue, LoadMode, ModifierKind, RegressionSign

__all__ = [
    "DOSE_PIPELINE",
    "PIPELINE",
    "BandStep",
    "Context",
    "DoseContext",
    "Doubt",
    "Easing",
    "Graduation",
    "IntensityCut",
    "LoadStep",
    "ModifierChoice",
    "Severity",
    "SignFact",
    "Verdict",
    "Verdicts",
    "back_rounding",
    "balance_problems",
    "band_progression",
    "burning_low_back",
    "excessive_fatigue",
    "graduation",
    "intensity_cut",
    "limited_mobility",
    "load_progression",
    "log_beyond_equipment",
    "low_back_strain",
    "missed_min_reps",
    "modifier_easing",
    "morning_pain_rise",
    "pain_stop",
    "run_pipeline",
    "sign_recurs",
    "signs_of",
    "simplifying_methods",
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
    catalogue: Catalogue
    history: History

    @cached_property
    def signs_of_last(self) -> dict[RegressionSign, list[SignFact]]:
        """``signs_of(last)``: worked out once for the rules that read it (read only)."""
        return signs_of(self.last, self.catalogue)


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
class SignFact:
    """One piece of evidence for a regression sign (R-REG-1..5): a fault on a set (with its
    form rating), a breakdown without a named fault, pain 3-5 in a set, or the fatigue flag
    (``set_number`` None)."""

    sign: RegressionSign
    date: dt.date
    set_number: int | None = None
    fault_id: str | None = None
    form: FormRating | None = None
    pain: int | None = None


@dataclass(frozen=True)
class ModifierChoice:
    """R-REG-6: the simplifying method chosen for a sign. ``from_step`` set: a modifier in
    use raised back one step (easier) to ``step``; otherwise a modifier added at ``step``
    (its easiest step, or ``None`` for a modifier without steps)."""

    sign: RegressionSign
    modifier_id: str
    step: str | None
    from_step: str | None = None

    @property
    def raised(self) -> bool:
        return self.from_step is not None


@dataclass(frozen=True)
class Easing:
    """R-REG-8: two clean sessions with a modifier: its next step (``None``: it goes)."""

    modifier_id: str
    from_step: str | None
    to_step: str | None


@dataclass(frozen=True)
class Graduation:
    """R-PROG-1: the rung's criterion met; the next rung up (``None``: none the person can
    load, ``needs`` says what the best one would need)."""

    from_id: str
    to_id: str | None
    sessions: int
    needs: tuple[str, ...] = ()
    blocked_id: str | None = None


LoadMove = Literal["rpe-first", "add", "bridge", "outgrown", "cut", "hold"]


@dataclass(frozen=True)
class LoadStep:
    """R-PROG-2/3/6 on a loaded rung: what happens to the load, and the numbers behind it.

    ``move``: ``rpe-first`` (a first session's ratings size the load up, R-PROG-6), ``add``
    (2-for-2 at the top: the next load, R-PROG-2), ``bridge`` (the next load is a big jump:
    the next bridge step, R-PROG-3), ``outgrown`` (the bridge is done and no heavier load is
    owned), ``cut`` (harder than planned: a lighter load, R-PROG-6), ``hold`` (keep the load,
    add a rep within the range, R-PROG-2)."""

    move: LoadMove
    current_kg: float
    new_kg: float  # the load of the next session
    reps: tuple[int, int]  # the dose's range
    top: int  # the top the sets must reach (15 while bridging)
    rpe_max: float
    rpe_target: float
    sets: int  # the dose's sets
    bridge_step: int  # the step in effect last session
    next_step: int  # the bridge step of the next session
    target: int  # the reps to aim for next session
    next_kg: float | None = None  # the next load up the person owns
    rules: tuple[str, ...] = ()
    worst_rpe: float | None = None  # cut: the hardest usable rating last session
    missed: bool = False  # cut: a set under the bottom of the range
    at_top: bool = False  # hold: every set already at the top


@dataclass(frozen=True)
class BandStep:
    """R-PROG-2 on a band: every set at the top of the range two sessions running: the next
    band up, reps back to the bottom of the range."""

    from_band: str | None
    to_band: str
    top: int
    reps: int  # the reps to start again at
    sets: int


@dataclass(frozen=True)
class Doubt:
    """R-RX-6: a logged work load heavier than anything the listed equipment makes."""

    logged_kg: float
    heaviest_kg: float


@dataclass(frozen=True)
class IntensityCut:
    """R-REG-4, lower the intensity: the numbers before and after.

    Load (a load-lowering modifier added this time): ``load_from`` -> ``load_to``, -10 %
    rounded down to a load the person makes; ``load_to`` None: ``load_from`` is already their
    lightest, kept (stop each set short instead). On a band: ``band_from`` -> ``band_to``,
    the next lighter band (None: none lighter). Volume (a volume-lowering modifier in use):
    ``sets_from`` -> ``sets_to`` (one fewer, never below 2) and ``rest_from`` -> ``rest_to``
    (+30 s)."""

    load_from: float | None = None
    load_to: float | None = None
    band_from: str | None = None
    band_to: str | None = None
    sets_from: int | None = None
    sets_to: int | None = None
    rest_from: tuple[int, int] | None = None
    rest_to: tuple[int, int] | None = None

    @property
    def cuts_load(self) -> bool:
        return self.load_from is not None

    @property
    def cuts_volume(self) -> bool:
        return self.sets_from is not None


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
    sign: RegressionSign | None = None  # R-REG-1..5, R-REG-7
    signs: tuple[SignFact, ...] = ()  # R-REG-1..5: the evidence, in the order it was seen
    seen: tuple[dt.date, ...] = ()  # R-REG-7: sessions that showed the sign, oldest first
    window: int = 0  # R-REG-7: how many of the last sessions were looked at
    despite: tuple[str, ...] = ()  # R-REG-7: the modifiers in use that answer the sign
    easing: Easing | None = None  # R-REG-8
    choices: tuple[ModifierChoice, ...] = ()  # R-REG-6: the modifiers chosen, sign by sign
    kept: tuple[RegressionSign, ...] = ()  # R-REG-6: signs with no modifier left to add
    graduation: Graduation | None = None  # R-PROG-1
    load: LoadStep | None = None  # R-PROG-2, R-PROG-3, R-PROG-6
    cut: IntensityCut | None = None  # R-REG-4: the dose cut of a load or volume modifier
    band: BandStep | None = None  # R-PROG-2 on a band
    doubt: Doubt | None = None  # R-RX-6: a log heavier than the equipment makes


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


def signs_of(session: Session, catalogue: Catalogue) -> dict[RegressionSign, list[SignFact]]:
    """The regression signs a session showed, each with its evidence (R-REG-1..5).

    A fault that breaks the set down is a sign at once; a minor fault is a cue until it
    shows on two sets. Pain 3-5 is lower-back strain (R-SAFE-3, R-REG-3); the fatigue flag
    and a breakdown without a named fault are fatigue (R-REG-4).
    """
    hits: dict[RegressionSign, list[SignFact]] = {}
    minor: dict[RegressionSign, list[SignFact]] = {}
    for number, set_log in enumerate(session.sets, start=1):
        if not set_log.work_set:
            continue
        for fault_id in set_log.faults:
            fault = catalogue.faults.get(fault_id)
            if fault is None or fault.sign is None:
                continue
            fact = SignFact(fault.sign, session.date, number, fault_id, set_log.form)
            target = hits if set_log.form is FormRating.BREAKDOWN else minor
            target.setdefault(fault.sign, []).append(fact)
        if set_log.form is FormRating.BREAKDOWN and not set_log.faults:
            sign = RegressionSign.FATIGUE
            hits.setdefault(sign, []).append(SignFact(sign, session.date, number))
        if PAIN_CARRY_ON_MAX < set_log.pain <= PAIN_CAUTION_MAX:
            sign = RegressionSign.LOW_BACK_STRAIN
            hits.setdefault(sign, []).append(
                SignFact(sign, session.date, number, pain=set_log.pain)
            )
    for sign, facts in minor.items():
        if len({f.set_number for f in facts}) >= MINOR_FAULT_SETS_FOR_SIGN:
            hits.setdefault(sign, []).extend(facts)
    if session.fatigue_flag:
        sign = RegressionSign.FATIGUE
        hits.setdefault(sign, []).append(SignFact(sign, session.date))
    return hits


def _sign_rule(sign: RegressionSign, rule: str) -> Rule:
    def check(ctx: Context) -> Verdict | None:
        facts = ctx.signs_of_last.get(sign)
        if not facts:
            return None
        return Verdict(rule, Severity.REGRESS, sign=sign, signs=tuple(facts))

    check.__name__ = sign.value.replace("-", "_")
    check.__doc__ = f"{rule}: {sign.value} showed last session (evidence: ``signs_of``)."
    return check


back_rounding = _sign_rule(RegressionSign.BACK_ROUNDING, "R-REG-1")
balance_problems = _sign_rule(RegressionSign.BALANCE, "R-REG-2")
low_back_strain = _sign_rule(RegressionSign.LOW_BACK_STRAIN, "R-REG-3")
excessive_fatigue = _sign_rule(RegressionSign.FATIGUE, "R-REG-4")
limited_mobility = _sign_rule(RegressionSign.LIMITED_MOBILITY, "R-REG-5")


def burning_settled_strain(ctx: Context, signs: set[RegressionSign]) -> bool:
    """R-SAFE-4: a burning low back that settled within a day, with lower-back strain among
    the signs: local fatigue, answered by less range and load."""
    burning = burning_low_back(ctx)
    return (
        burning is not None and burning.settled is True and RegressionSign.LOW_BACK_STRAIN in signs
    )


def preferred_modifiers(ctx: Context) -> tuple[str, ...]:
    """R-SAFE-4: for local fatigue, the rung's first range and first intensity modifier."""
    catalogue = ctx.catalogue
    ids = ctx.state.exercise.modifiers
    mods = [catalogue.modifiers[m] for m in ids if m in catalogue.modifiers]
    chosen: list[str] = []
    for kind in (ModifierKind.RANGE, ModifierKind.INTENSITY):
        for mod in mods:
            if mod.kind is kind:
                chosen.append(mod.id)
                break
    return tuple(chosen)


def last_signs(ctx: Context) -> set[RegressionSign]:
    """The signs the regression answers: the last session's, plus lower-back strain from a
    next-morning rise or a weekly trend in the caution band (R-SAFE-5)."""
    signs = set(ctx.signs_of_last)
    weekly = weekly_pain_rising(ctx)
    if morning_pain_rise(ctx) is not None or (
        weekly is not None and weekly.severity is Severity.REGRESS
    ):
        signs.add(RegressionSign.LOW_BACK_STRAIN)
    return signs


def _showed(view: SessionView, sign: RegressionSign, catalogue: Catalogue) -> bool:
    return sign in signs_of(view.session, catalogue)


def sign_recurs(ctx: Context) -> Verdict | None:
    """R-REG-7: a sign of the last session that showed in 2 of the last 3 sessions on the
    rung while a modifier for it was in use (or the rung has none for it): one rung down.
    Signs are tried in rule order (R-REG-1 first); the first that recurs decides."""
    signs = last_signs(ctx)
    if not signs:
        return None
    prefer = preferred_modifiers(ctx) if burning_settled_strain(ctx, signs) else ()
    catalogue = ctx.catalogue
    for sign in ordered_signs(signs):
        found = catalogue.signs.get(sign.value)
        answers = set(found.modifiers) if found is not None else set()
        options = (
            prefer
            if sign is RegressionSign.LOW_BACK_STRAIN and prefer
            else tuple(m.id for m in modifiers_for_sign(catalogue, ctx.state.exercise, sign))
        )
        answering = tuple(m.id for m in ctx.state.modifiers if m.id in answers)
        seen = [v for v in ctx.state.run[-SIGN_RECUR_SESSIONS:] if _showed(v, sign, catalogue)]
        if len(seen) >= SIGN_RECUR_MIN and (answering or not options):
            return Verdict(
                "R-REG-7",
                Severity.STEP_DOWN,
                sign=sign,
                seen=tuple(v.date for v in seen),
                window=min(len(ctx.state.run), SIGN_RECUR_SESSIONS),
                despite=answering,
            )
    return None


def _leaves_the_rung(ctx: Context) -> bool:
    """The next session stops hinging or steps down a rung (R-SAFE-3, R-SAFE-4, R-REG-7):
    no simplifying method is chosen for this rung."""
    return (
        stopping_pain_quality(ctx) is not None
        or pain_stop(ctx) is not None
        or missed_min_reps(ctx) is not None
        or sign_recurs(ctx) is not None
    )


def _raised_step(step: str | None, steps: list[str]) -> str | None:
    """The step before ``step`` (one easier), if the modifier has been lowered."""
    if step is None or step not in steps:
        return None
    index = steps.index(step)
    return steps[index - 1] if index > 0 else None


def simplifying_methods(ctx: Context) -> Verdict | None:
    """R-REG-6: the simplifying methods that answer the signs the regression answers, sign
    by sign in rule order: a modifier in use for the sign that has been lowered is raised
    back one step; else the sign's next modifier the rung allows is added (all of the
    preferred ones for a burning low back that settled, R-SAFE-4); a sign with nothing
    left to add is kept (hold, cue the fault). Not when the person stops or steps down."""
    signs = last_signs(ctx)
    if not signs or _leaves_the_rung(ctx):
        return None
    catalogue = ctx.catalogue
    prefer = preferred_modifiers(ctx) if burning_settled_strain(ctx, signs) else ()
    active = {m.id: m.step for m in ctx.state.modifiers}
    choices: list[ModifierChoice] = []
    kept: list[RegressionSign] = []
    for sign in ordered_signs(signs):
        raised = None
        for mod_id, step in active.items():
            if not modifier_answers(catalogue, mod_id, sign):
                continue
            found = catalogue.modifiers.get(mod_id)
            to_step = _raised_step(step, found.steps if found is not None else [])
            if to_step is not None:
                raised = ModifierChoice(sign, mod_id, to_step, from_step=step)
                break
        if raised is not None:
            active[raised.modifier_id] = raised.step
            choices.append(raised)
            continue
        preferred = list(prefer) if sign is RegressionSign.LOW_BACK_STRAIN else []
        options = [catalogue.modifiers[m] for m in preferred] or modifiers_for_sign(
            catalogue, ctx.state.exercise, sign
        )
        fresh = [m for m in options if m.id not in active]
        for mod in fresh if preferred else fresh[:1]:
            step = mod.steps[0] if mod.steps else None
            active[mod.id] = step
            choices.append(ModifierChoice(sign, mod.id, step))
        if not fresh:
            kept.append(sign)
    severity = Severity.REGRESS if choices else Severity.HOLD
    return Verdict("R-REG-6", severity, choices=tuple(choices), kept=tuple(kept))


def modifier_easing(ctx: Context) -> Verdict | None:
    """R-REG-8 (with R-REG-6): two clean sessions with the same modifiers lower the first
    one a step, or take it away when it has no lower step."""
    state = ctx.state
    if not state.modifiers or not state.run:
        return None
    key = state.run[-1].modifier_key()
    max_pain = state.exercise.graduation.max_pain
    streak = 0
    for view in reversed(state.run):
        if view.modifier_key() != key or not session_is_clean(view, ctx.profile, max_pain):
            break
        streak += 1
    if streak < CLEAN_SESSIONS_TO_EASE_MODIFIER:
        return None
    first = state.modifiers[0]
    catalogue_mod = ctx.catalogue.modifiers.get(first.id)
    steps = catalogue_mod.steps if catalogue_mod is not None else []
    to_step = None
    if first.step is not None and first.step in steps:
        index = steps.index(first.step)
        if index + 1 < len(steps):
            to_step = steps[index + 1]
    return Verdict(
        "R-REG-8",
        Severity.PROGRESS,
        easing=Easing(first.id, first.step, to_step),
        seen=tuple(v.date for v in state.run[-streak:]),
    )


def graduation(ctx: Context) -> Verdict | None:
    """R-PROG-1: the rung's catalogue criterion met over its last sessions, without the
    easier set-up: move up to the best next rung the person can load. Met but with no rung
    up the person can load: advice to get the equipment (R-RX-6)."""
    state = ctx.state
    if state.modifiers or not state.run:
        return None
    ex = state.exercise
    check = graduation_check(state, ctx.profile, load_plan(state, ctx.profile).loads)
    if not check.met:
        return None
    equipment = ctx.profile.equipment
    choices = progression_choices(ctx.catalogue, ex, ctx.profile.goal, equipment)
    if not choices:
        return None
    loadable = [c for c in choices if choose_load_mode(c, equipment) is not None]
    sessions = ex.graduation.sessions
    if loadable:
        return Verdict(
            "R-PROG-1", Severity.PROGRESS, graduation=Graduation(ex.id, loadable[0].id, sessions)
        )
    needs = tuple(m.value for m in choices[0].load_modes)
    return Verdict(
        "R-PROG-1",
        Severity.ADVICE,
        graduation=Graduation(ex.id, None, sessions, needs, choices[0].id),
    )


_EPS = 1e-6


def load_progression(ctx: Context) -> Verdict | None:
    """R-PROG-2 double progression with the R-PROG-3 bridge and R-PROG-6 sizing, on a loaded
    rung without the easier set-up. ``cut`` (harder than planned) is a hold; every other move
    is a progression step (adding reps within the range is how double progression moves)."""
    state, profile = ctx.state, ctx.profile
    last = state.last
    if state.modifiers or last is None:
        return None
    dose = base_dose(profile, state.exercise, last_rpe(last.session))
    plan = load_plan(state, profile)
    if plan.current_kg is None or dose.reps is None:
        return None
    current = plan.current_kg
    lo, hi = dose.reps
    step = state.bridge_step
    sets = dose.sets + (1 if step >= 2 else 0)
    top = BRIDGE_REPS_MAX if step >= 1 else hi
    rpe_max = dose.rpe[1]
    min_sets = state.exercise.graduation.min_sets
    done = streak(
        state.run,
        lambda v: (
            v.bridge_step == step
            and reached_top(v, top, sets_needed(v, sets, min_sets), rpe_max, current)
        ),
    )
    by_rpe = rpe_load(state.run, lo if step == 0 else hi, dose.rpe_target, plan.loads)
    nxt = next_increment(current, plan.loads)

    base = LoadStep(
        move="hold",
        current_kg=current,
        new_kg=current,
        reps=(lo, hi),
        top=top,
        rpe_max=rpe_max,
        rpe_target=dose.rpe_target,
        sets=dose.sets,
        bridge_step=step,
        next_step=step,
        target=lo,
        next_kg=nxt,
    )

    def verdict(severity: Severity, **change: Any) -> Verdict:
        load = replace(base, **change)
        return Verdict(load.rules[0], severity, load=load)

    first = len(state.run) == 1 and step == 0 and reached_top(last, lo, 1, rpe_max, None)
    if first and by_rpe is not None and by_rpe > current:
        return verdict(
            Severity.PROGRESS, move="rpe-first", new_kg=by_rpe, rules=("R-PROG-6", "R-PROG-4")
        )
    if done >= DOUBLE_PROGRESSION_SESSIONS:
        big = nxt is not None and nxt > current * (1 + BIG_JUMP_PCT) + _EPS
        if nxt is not None and (not big or step >= BRIDGE_STEPS):
            new = nxt
            rules: tuple[str, ...] = ("R-PROG-2",) if not big else ("R-PROG-2", "R-PROG-3")
            if by_rpe is not None and not big:
                capped = round_down(current * (1 + NEXT_LOAD_CAP_PCT), plan.loads) or nxt
                if min(by_rpe, capped) > new:
                    new = min(by_rpe, capped)
                    rules = (*rules, "R-PROG-6")
            return verdict(Severity.PROGRESS, move="add", new_kg=new, rules=rules, next_step=0)
        if step < BRIDGE_STEPS:
            bridge = next_bridge_step(state, step)
            first_reps = hi + 1 if bridge == 1 else BRIDGE_REPS_MAX
            return verdict(
                Severity.PROGRESS,
                move="bridge",
                rules=("R-PROG-2", "R-PROG-3"),
                next_step=bridge,
                target=min(first_reps, BRIDGE_REPS_MAX),
            )
        return verdict(
            Severity.PROGRESS,
            move="outgrown",
            rules=("R-PROG-3", "R-RX-6"),
            target=BRIDGE_REPS_MAX,
        )
    # too heavy: RPE over the range or reps under the minimum -> a lighter load (R-PROG-6)
    rated = [rpe for s in last.work_sets if (rpe := s.usable_rpe) is not None]
    missed = any(s.reps is not None and s.reps < lo for s in last.work_sets)
    if (rated and max(rated) > rpe_max) or missed:
        cut = current * (1 - INTENSITY_CUT_PCT)
        lower = by_rpe if by_rpe is not None else round_down(cut, plan.loads)
        if lower is not None and lower < current - _EPS:
            return verdict(
                Severity.HOLD,
                move="cut",
                new_kg=lower,
                rules=("R-PROG-6", "R-RX-5"),
                worst_rpe=max(rated, default=10),
                missed=missed,
            )
    # hold the load, add reps within the range (R-PROG-2)
    work_reps = [s.reps for s in last.work_sets if s.reps is not None]
    at_top = bool(work_reps) and min(work_reps) >= top
    target = min(top, max(lo, (min(work_reps) + 1) if work_reps else lo))
    rules = ("R-PROG-2", "R-PROG-3") if step else ("R-PROG-2",)
    return verdict(
        Severity.PROGRESS,
        rules=rules,
        target=target,
        at_top=at_top,
        sets=sets,
    )


def band_progression(ctx: Context) -> Verdict | None:
    """R-PROG-2 on a banded rung without the easier set-up: bands progress like loads,
    2-for-2 at the top of the range -> the next band up the person owns."""
    state, profile = ctx.state, ctx.profile
    last = state.last
    if state.modifiers or last is None:
        return None
    plan = load_plan(state, profile)
    dose = base_dose(profile, state.exercise, last_rpe(last.session))
    if plan.mode is not LoadMode.BAND or dose.reps is None:
        return None
    bands = profile.equipment.bands
    lo, hi = dose.reps
    done = streak(state.run, lambda v: reached_top(v, hi, dose.sets, dose.rpe[1], None))
    index = bands.index(plan.band) if plan.band in bands else 0
    if done < DOUBLE_PROGRESSION_SESSIONS or index + 1 >= len(bands):
        return None
    step = BandStep(plan.band, bands[index + 1], hi, lo, dose.sets)
    return Verdict("R-PROG-2", Severity.PROGRESS, band=step)


def log_beyond_equipment(ctx: Context) -> Verdict | None:
    """R-RX-6: on a clean run (no easier set-up), a logged work load over the rung's last
    sessions heavier than anything the listed equipment makes is questioned: advice, and
    no load is added from it (``progression`` holds the heaviest the equipment makes)."""
    state = ctx.state
    if state.modifiers or not state.run:
        return None
    views = state.run[-state.exercise.graduation.sessions :]
    found = load_beyond_equipment(views, load_plan(state, ctx.profile).loads)
    if found is None:
        return None
    return Verdict("R-RX-6", Severity.ADVICE, doubt=Doubt(*found))


PIPELINE: tuple[Rule, ...] = (
    stopping_pain_quality,
    pain_stop,
    morning_pain_rise,
    weekly_pain_rising,
    burning_low_back,
    missed_min_reps,
    back_rounding,
    balance_problems,
    low_back_strain,
    excessive_fatigue,
    limited_mobility,
    sign_recurs,
    simplifying_methods,
    modifier_easing,
    graduation,
    load_progression,
    band_progression,
    log_beyond_equipment,
)


@dataclass(frozen=True)
class DoseContext:
    """What a dosing rule may read: the next session's dose before the rule (read-only)."""

    catalogue: Catalogue
    modifiers: tuple[AppliedModifier, ...]  # in use next session
    new_modifiers: frozenset[str]  # ids added since last session on this rung
    load_kg: float | None
    loads: tuple[float, ...]  # the loads the person's equipment makes, lightest first
    band: str | None
    bands: tuple[str, ...]  # the person's bands, lightest first
    sets: int
    rest_s: tuple[int, int]


def _lowers(catalogue: Catalogue, modifier_id: str) -> str | None:
    found = catalogue.modifiers.get(modifier_id)
    return found.lowers if found is not None else None


def intensity_cut(dctx: DoseContext) -> Verdict | None:
    """R-REG-4, lower the intensity. A modifier that lowers the load (catalogue ``lowers:
    load``), added this time: load -10 % rounded down to one the person makes (or their
    lightest kept), or the next lighter band. A modifier in use that lowers the volume: one
    set fewer, never below 2, and 30 s more rest."""
    lowered = {_lowers(dctx.catalogue, m.id) for m in dctx.modifiers}
    new_load = any(_lowers(dctx.catalogue, m) == "load" for m in dctx.new_modifiers)
    change: dict[str, Any] = {}
    if new_load and dctx.load_kg is not None:
        lighter = round_down(dctx.load_kg * (1 - INTENSITY_CUT_PCT), dctx.loads)
        made = lighter is not None and lighter < dctx.load_kg - _EPS
        change.update(load_from=dctx.load_kg, load_to=lighter if made else None)
    elif new_load and dctx.band is not None and dctx.band in dctx.bands:
        index = dctx.bands.index(dctx.band)
        change.update(band_from=dctx.band, band_to=dctx.bands[index - 1] if index else None)
    if "volume" in lowered:
        extra = INTENSITY_EXTRA_REST_S
        change.update(
            sets_from=dctx.sets,
            sets_to=max(MIN_SETS, dctx.sets - INTENSITY_SETS_CUT),
            rest_from=dctx.rest_s,
            rest_to=(dctx.rest_s[0] + extra, dctx.rest_s[1] + extra),
        )
    if not change:
        return None
    return Verdict("R-REG-4", Severity.REGRESS, cut=IntensityCut(**change))


# The dosing rules, run by ``prescription.build_prescription`` once the rung, its load and
# its sets are known; each verdict is applied to the prescription and worded by ``explain``.
DOSE_PIPELINE: tuple[Callable[[DoseContext], Verdict | None], ...] = (intensity_cut,)


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
