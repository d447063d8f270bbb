"""Verdicts into words (ARCHITECTURE "Shapes wanted next": one explain layer).

The rules of :mod:`hingecoach.coach.rules` return facts; this module is the one place that
words them, quoting the verdict's own numbers, so the words and the numbers cannot disagree.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from hingecoach.coach.decisions import AppliedModifier, Evidence
from hingecoach.coach.defaults import (
    CLEAN_SESSIONS_TO_EASE_MODIFIER,
    DOUBLE_PROGRESSION_SESSIONS,
    MIN_HOURS_AFTER_HARD_SESSION,
    MIN_HOURS_BETWEEN_HINGE_SESSIONS,
)
from hingecoach.coach.ladder import sign_name
from hingecoach.coach.load_progression import Carryover, LoadPlan
from hingecoach.coach.outcome import Why
from hingecoach.coach.rules import (
    BandStep,
    Doubt,
    Graduation,
    IntensityCut,
    LoadStep,
    SignFact,
    Verdict,
)
from hingecoach.coach.safety import BURNING_ADVICE
from hingecoach.knowledge import Catalogue, Exercise, LoadMode, Modifier, RegressionSign
from hingecoach.units import Unit, format_load

__all__ = [
    "BURNING_PERSISTS_ADVICE",
    "BURNING_SETTLED_ADVICE",
    "ROUNDING_IS_A_CUE",
    "Added",
    "CutWords",
    "LoadWords",
    "Words",
    "band_words",
    "burning_advice",
    "carryover_why",
    "doubt_words",
    "easing_text",
    "easing_words",
    "evidence",
    "first_rung_pain_stop_words",
    "first_session_words",
    "frequency_advice",
    "graduation_words",
    "hold_words",
    "intensity_cut_words",
    "kept_signs_words",
    "kit_blocks_graduation",
    "listed",
    "load_word",
    "load_words",
    "missing_kit_note",
    "pain_today_evidence",
    "pain_today_words",
    "recurrence_cause",
    "regression_words",
    "sign_evidence",
    "step_down_cause",
    "step_down_despite",
    "step_down_why",
    "step_down_words",
    "trainer_choice_reason",
    "weekly_hold_words",
    "weekly_pain_advice",
    "weekly_trend",
]

BURNING_SETTLED_ADVICE = (
    "The burning settled by the next morning, so it was local muscle fatigue: "
    "shorter range and less load next time, and add back-extensor endurance drills."
)
BURNING_PERSISTS_ADVICE = "The burning had not settled by the next morning: see a clinician."

# R-SAFE-6: rounding is a technique and load-tolerance cue, not an injury alarm.
ROUNDING_IS_A_CUE = (
    "Rounding is a technique cue, not a sign of injury: a shorter range lets your hips do "
    "the work while your back stays long."
)


@dataclass(frozen=True)
class Words:
    """A decision's words: the reason, what to do now, what would change it, and the
    reason (with its rule) for each changed field of the card."""

    reason: str
    do_now: str
    would_change: str
    why: dict[str, Why] = field(default_factory=dict)


def listed(items: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def sign_evidence(fact: SignFact, catalogue: Catalogue) -> Evidence:
    """R-REG-1..5: one piece of a sign's evidence as the decision shows it."""
    number = fact.set_number
    if fact.fault_id is not None:
        fault = catalogue.faults[fact.fault_id]
        form = fact.form.value if fact.form is not None else ""
        note = f"set {number}: {fault.name.lower()} ({form})"
        return Evidence(note=note, date=fact.date, set_number=number, fault_id=fact.fault_id)
    if fact.pain is not None:
        note = f"set {number}: pain {fact.pain}/10"
        return Evidence(note=note, date=fact.date, set_number=number, pain=fact.pain)
    if number is not None:
        return Evidence(note=f"set {number}: form broke down", date=fact.date, set_number=number)
    return Evidence(note="you flagged the session as very tiring", date=fact.date)


def recurrence_cause(
    verdict: Verdict, catalogue: Catalogue, modifiers: Sequence[AppliedModifier]
) -> str:
    """R-REG-7: why a sign that recurred steps the person down, quoting the sessions seen."""
    assert verdict.sign is not None
    labels = [m.label().lower() for m in modifiers if m.id in verdict.despite]
    despite = f", even with {listed(labels)}" if labels else ""
    seen, window = len(verdict.seen), verdict.window
    where = (
        f"in {seen} of your last {window} sessions"
        if window > seen
        else f"in each of your last {window} sessions"
    )
    cause = f"{sign_name(catalogue, verdict.sign).capitalize()} showed {where}{despite}."
    if verdict.sign is RegressionSign.BACK_ROUNDING:
        cause += " " + ROUNDING_IS_A_CUE
    return cause


def easing_text(verdict: Verdict, modifier: AppliedModifier) -> str:
    """R-REG-8: what easing changes: ``elevated start from 20 cm to 10 cm``, ``no more X``."""
    assert verdict.easing is not None
    eased = verdict.easing
    if eased.to_step is not None:
        return f"{modifier.name.lower()} from {eased.from_step} to {eased.to_step}"
    return f"no more {modifier.name.lower()}"


_NUMBER_WORDS = {2: "two", 3: "three", 4: "four"}


def easing_words(verdict: Verdict, modifier: AppliedModifier) -> Words:
    """R-REG-8: two clean sessions ease the first modifier in use one step (or take it
    away); the load goes back to what it was before a load-lowering modifier lowered it."""
    text = easing_text(verdict, modifier)
    count = _NUMBER_WORDS.get(CLEAN_SESSIONS_TO_EASE_MODIFIER, str(CLEAN_SESSIONS_TO_EASE_MODIFIER))
    return Words(
        reason=f"{count.capitalize()} clean sessions with {modifier.label().lower()}: next "
        f"time {text}.",
        do_now=f"Next session: {text}. Keep the same reps and load.",
        would_change="Any sign of the old problem brings the easier set-up back.",
        why={
            f"modifier {modifier.id}": (f"{count} clean sessions: {text}", "R-REG-8"),
            "load": ("back to the load before it was lowered", "R-REG-8"),
        },
    )


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


def weekly_hold_words() -> Words:
    """R-SAFE-5: weekly pain rising two weeks running, no sign in the last session: hold."""
    return Words(
        reason="Your weekly pain has risen two weeks running: hold this session as it is, "
        "no progression.",
        do_now="Repeat last session's dose; stop any set where pain passes 2/10.",
        would_change="A week in which pain stops rising.",
    )


def first_rung_pain_stop_words(pain: int) -> Words:
    """R-SAFE-3: pain 6+ on the first rung of the ladder, no clear screen today: there is no
    rung to step down to, so no hinging until it settles."""
    return Words(
        reason=f"Pain {pain}/10 last session, on the first rung of the ladder.",
        do_now="No hinging until it settles. Answer the safety screen again before the next "
        "session; if pain this strong comes back, see a clinician.",
        would_change="",
    )


def pain_today_words(pain: int, *, reason: str, do_now: str) -> Words:
    """R-SAFE-3: pain 3-5 at today's screen: train, but keep last session's dose; quotes
    the progression it holds back (its ``reason`` and ``do_now``)."""
    return Words(
        reason=f"Pain {pain}/10 today: keep last session's dose, no progression today. "
        f"(Without the pain: {reason[:1].lower()}{reason[1:]})",
        do_now="Repeat last session's dose; stop any set where pain reaches 6.",
        would_change=f"A day with pain back at 0-2, then: {do_now}",
    )


def pain_today_evidence(pain: int) -> Evidence:
    return Evidence(note=f"pain {pain}/10 at today's screen", pain=pain)


def trainer_choice_reason(ex: Exercise) -> str:
    """A trainer's chosen rung (never over a safety call): the decision's reason."""
    return f"Your trainer chose the {ex.name.lower()} for this session."


def frequency_advice(low: int, high: int) -> str:
    """R-RX-3: how often to train this rung, and the rest between sessions."""
    times = f"{low}" if low == high else f"{low}-{high}"
    gap, hard_gap = MIN_HOURS_BETWEEN_HINGE_SESSIONS, MIN_HOURS_AFTER_HARD_SESSION
    return (
        f"Train this {times} times a week, at least {gap} h apart ({hard_gap} h "
        "after a session with sets at RPE 9.5 or more)."
    )


def missing_kit_note(modes: Sequence[LoadMode]) -> str:
    """The rung needs equipment the person lacks: what would let them load it."""
    return f"You need one of: {', '.join(m.value for m in modes)}."


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


def load_word(mode: LoadMode | None) -> str:
    """What the person lifts, in a word: ``kettlebell``, ``trap bar``, ``barbell``."""
    return {
        LoadMode.KETTLEBELL: "kettlebell",
        LoadMode.DUMBBELL: "dumbbell",
        LoadMode.TRAP_BAR: "trap bar",
        LoadMode.CABLE: "cable",
        LoadMode.PLATE: "plate",
    }.get(mode or LoadMode.BARBELL, "barbell")


BRIDGE_TEXT = {
    1: "reps up to 15",
    2: "an extra set",
    3: "a slower tempo",
}

BRIDGE_WOULD_CHANGE = (
    "Two sessions in a row with every set at 15 reps, clean and at or under the target "
    "RPE, and the bridge moves on: reps to 15, then an extra set, then a slower tempo, "
    "then the heavier load with reps reset."
)


class LoadWords(NamedTuple):
    """A load step's words: the reason, what to do, what would change it, and the reason
    for each changed field of the card."""

    reason: str
    do_now: str
    would_change: str
    why: dict[str, Why]


def load_words(step: LoadStep, plan: LoadPlan, exercise_name: str) -> LoadWords:
    """R-PROG-2/3/6: a load step in words, quoting the step's own loads (in the person's
    unit, ``plan.said``), so the card's numbers and its reason agree."""
    label = load_word(plan.mode)
    current, new = step.current_kg, step.new_kg
    lo, hi = step.reps
    now, nxt = plan.said(current), plan.said(new)
    why: dict[str, Why] = {}
    if step.move == "rpe-first":
        reason = (
            f"Your first session on the {exercise_name.lower()} shows you can handle more: your "
            f"ratings put {lo} reps at RPE {step.rpe_target:g} at about {nxt}."
        )
        do_now = f"Next session: {nxt} {label}, {step.sets} sets of {lo}."
        would = "Sets that feel harder than planned bring the load back down."
        why["load"] = ("your first session's RPE ratings (rolling e1RM)", "R-PROG-6")
    elif step.move == "add":
        pct = (new / current - 1) * 100
        reason = (
            f"Every set reached {step.top} reps at or below RPE {step.rpe_max:g} in "
            f"{DOUBLE_PROGRESSION_SESSIONS} sessions in a row: add load, "
            f"{plan.moved(current, new)} (+{pct:.0f} %), and start again at {lo} reps."
        )
        do_now = f"Next session: {nxt} {label}, {step.sets} sets of {lo}."
        would = (
            f"Form that slips, pain of 3 or more, or RPE over {step.rpe_max:g} keeps the load "
            f"at {now}."
        )
        why["load"] = (f"{step.top} reps on every set, two sessions running", step.rules[-1])
    elif step.move == "bridge":
        if step.next_kg is not None:
            heavier = (step.next_kg / current - 1) * 100
            jump = f"the next {label}, {plan.said(step.next_kg)}, is {heavier:.0f} % heavier"
        else:
            jump = f"you have no heavier {label}"
        what = BRIDGE_TEXT[step.next_step]
        reason = (
            f"Every set reached the top of the range twice running, but {jump}: more than "
            f"a 10 % jump. Stay at {now} and bridge it first: {what}."
        )
        do_now = f"Next session: {now} {label}, {what}."
        would = BRIDGE_WOULD_CHANGE
        why["bridge"] = (f"bridging a big jump: {what}", "R-PROG-3")
    elif step.move == "outgrown":
        reason = f"You have outgrown your heaviest {label} ({now}) on this rung."
        do_now = f"Keep {now} with the slower tempo and the extra set."
        would = f"A heavier {label} than {now} in your equipment list."
    elif step.move == "cut":
        short = f", reps under {lo}" if step.missed else ""
        reason = (
            f"Last session was harder than planned (RPE {step.worst_rpe:g}{short}): "
            f"{plan.moved(current, new)} to land at RPE {step.rpe_target:g}."
        )
        do_now = f"Next session: {nxt} {label}, {step.sets} sets of {lo}-{hi}."
        would = "Sets at or under the target RPE bring the load back up."
        why["load"] = (f"RPE above {step.rpe_max:g} last session", "R-PROG-6")
    else:
        bridging = step.bridge_step
        lead = f"Bridging to the next load: {BRIDGE_TEXT.get(bridging, '')}. " if bridging else ""
        if step.at_top:  # R-PROG-2: already at the top: no rep to add, one more session
            keep = f"Keep {now}: every set reached the top of the range ({step.top} reps)."
        else:
            keep = f"Keep {now} and add a rep: aim for {step.target} a set."
        reason = f"{lead}{keep}"
        do_now = f"Next session: {now} {label}, {step.sets} sets, aiming for {step.target} reps."
        would = (
            f"{DOUBLE_PROGRESSION_SESSIONS} sessions in a row with every set at {step.top} reps, "
            f"RPE {step.rpe_max:g} or less, and you move on."
        )
    return LoadWords(reason, do_now, would, why)


# --- R-REG-6, R-REG-7, R-REG-8: regressing on the rung, or one rung down ------------------


class Added(NamedTuple):
    """A simplifying method the R-REG-6 verdict added or raised back, as applied."""

    sign: RegressionSign
    modifier: AppliedModifier
    catalogue_modifier: Modifier | None


def _calm(rounding: bool) -> str:
    return f" {ROUNDING_IS_A_CUE}" if rounding else ""


def regression_words(
    catalogue: Catalogue,
    hits: Mapping[RegressionSign, Sequence[Evidence]],
    added: Sequence[Added],
    *,
    lead: str,
    rounding: bool,
) -> Words:
    """R-REG-6/8: the signs that showed (with up to 3 pieces of evidence each), the set-up
    of next time, how each modifier is used and what undoes it."""
    signs_added = list(dict.fromkeys(a.sign for a in added))
    parts = [
        f"{sign_name(catalogue, sign)} showed"
        + (f" ({listed([e.note for e in hits[sign]][:3])})" if hits.get(sign) else "")
        for sign in signs_added
    ]
    changes = [a.modifier.label() for a in added]
    doing = [a.catalogue_modifier.description for a in added if a.catalogue_modifier is not None]
    return Words(
        reason=f"{lead}{listed(parts).capitalize()}. Next time: {listed(changes).lower()}."
        + _calm(rounding),
        do_now="Next session: " + (" ".join(doing) or f"use {listed(changes).lower()}."),
        would_change=" ".join(a.modifier.how_to_undo for a in added),
        why={
            f"modifier {a.modifier.id}": (
                f"{sign_name(catalogue, a.sign)} showed last session",
                a.modifier.rule,
            )
            for a in added
        },
    )


def kept_signs_words(
    catalogue: Catalogue,
    kept: Sequence[RegressionSign],
    active: Sequence[AppliedModifier],
    *,
    lead: str,
    rounding: bool,
) -> Words:
    """R-REG-6/7: signs with no simplifying method left to add: keep the set-up, cue."""
    names = listed([sign_name(catalogue, s) for s in kept])
    keep = listed([m.label().lower() for m in active]) or "the same set-up"
    return Words(
        reason=f"{lead}{names.capitalize()} showed last session. Keep {keep} and the cues "
        "below; no progression this time." + _calm(rounding),
        do_now="Repeat this session with the cues below, and stop each rep before form slips.",
        would_change=f"If {names} shows again in 2 of your next 3 sessions, step down a rung; "
        "two clean sessions and you progress again.",
    )


def step_down_words(cause: str, current: Exercise, lower: Exercise | None) -> Words:
    """R-REG-7/8: one rung down (what earns the way back up), or, on the floor of the
    ladder, the floor rung held with a short easy range."""
    if lower is None:
        return Words(
            reason=f"{cause} This is already the first rung of the ladder, so there is no "
            "easier exercise to step down to.",
            do_now=f"Keep practising the {current.name.lower()} with a short, easy range.",
            would_change="Two clean sessions in a row. If this keeps happening, ask a coach "
            "or physiotherapist to watch you move.",
        )
    grad = lower.graduation
    top = f"{grad.min_sets} x {grad.top_reps}"
    cue = lower.cues[0] if lower.cues else ""
    return Words(
        reason=f"{cause} Step down one rung to the {lower.name.lower()} to rebuild the "
        "pattern where it is easy to do well.",
        do_now=f"Next session: {lower.name.lower()}. {cue}".strip(),
        would_change=(
            f"{grad.sessions} sessions of {top} clean on the {lower.name.lower()} (pain 0-2, "
            f"RPE {grad.max_rpe:g} or less) and you move back up to the {current.name.lower()}."
        ),
    )


def step_down_despite(catalogue: Catalogue, sign: RegressionSign | None) -> Why:
    """R-REG-7: the card's reason for a step down when a sign recurred despite the set-up."""
    what = sign_name(catalogue, sign) if sign else "pain"
    return (f"stepped down: {what} despite the easier set-up", "R-REG-7")


# --- R-REG-4: lower the intensity ----------------------------------------------------------

LOWER_THE_INTENSITY: Why = ("lower the intensity (R-REG-4)", "R-REG-4")


class CutWords(NamedTuple):
    """An intensity cut's notes on the card and the reason of each field it changed."""

    notes: tuple[str, ...]
    why: dict[str, Why]


def intensity_cut_words(cut: IntensityCut) -> CutWords:
    """R-REG-4: the cut's words, quoting its own numbers (the lightest load kept)."""
    notes: list[str] = []
    why: dict[str, Why] = {}
    if cut.load_from is not None:
        if cut.load_to is None:
            notes.append(
                f"{cut.load_from:g} kg is your lightest: keep it and stop each set 2-3 reps "
                "short of the top of the range instead."
            )
        why["load"] = LOWER_THE_INTENSITY
    if cut.band_to is not None:
        why["band"] = LOWER_THE_INTENSITY
    return CutWords(tuple(notes), why)


# --- progressing on the rung: first session, hold, bands, a doubted log ---------------------


def carryover_why(carry: Carryover, unit: Unit) -> Why | None:
    """R-PROG-4: where a new rung's first load came from, quoting the carry-over's own ratio
    and load; ``None`` when nothing was carried (bodyweight or band)."""
    if carry.source is None:
        return None
    if carry.source == "lightest" or carry.from_id is None or carry.ratio is None:
        return ("the lightest load you own, to start light at about RPE 6-7", "R-PROG-4")
    if carry.source == "rpe":
        how = "your recent RPE ratings"
    else:
        how = f"your last load there, {format_load(carry.last_kg or 0.0, unit)}"
    return (
        f"carried over from the {carry.from_id.replace('-', ' ')} ({how}, ratio "
        f"{carry.ratio:g}) and started light, at about RPE 6-7",
        "R-PROG-4",
    )


def first_session_words(
    ex: Exercise, *, placed: bool, criterion: str, find_load_reps: int | None
) -> tuple[Words, tuple[str, ...]]:
    """R-ASSESS-3 / R-PROG-4: the first session on a rung, and (when the load is a guess)
    the note to find it by feel."""
    where = " where your screens placed you" if placed else ""
    words = Words(
        reason=f"First session on the {ex.name.lower()}{where}.",
        do_now=f"Next session: {ex.name.lower()}. {ex.cues[0]}",
        would_change=f"{ex.graduation.sessions} sessions of {criterion}, and you move up.",
    )
    notes: tuple[str, ...] = ()
    if find_load_reps is not None:
        notes = (
            f"Find your load: work up in warm-up sets until {find_load_reps} reps feel like "
            "RPE 6-7 (3-4 reps left in you), do the work sets there, and log the load you used.",
        )
    return words, notes


def graduation_words(grad: Graduation, ex: Exercise, nxt: Exercise, carried: Why | None) -> Words:
    """R-PROG-1 (with the R-PROG-4 starting load): the criterion met over the verdict's
    sessions, one rung up."""
    why: dict[str, Why] = {"exercise": (f"graduated from the {ex.name.lower()}", "R-PROG-1")}
    if carried is not None:
        why["load"] = carried
    return Words(
        reason=f"{grad.sessions} sessions in a row met the {ex.name.lower()}'s criterion: "
        f"move up to the {nxt.name.lower()}.",
        do_now=f"Next session: {nxt.name.lower()}. {nxt.cues[0]}",
        would_change="Pain of 3 or more, or form that slips on two sets, brings back the "
        "easier version.",
        why=why,
    )


def kit_blocks_graduation(grad: Graduation, up: Exercise) -> tuple[str, str]:
    """R-PROG-1 with R-RX-6: the criterion met, but the rung up needs equipment not listed:
    the advice, and what would change the decision."""
    need = " or ".join(grad.needs)
    note = (
        f"You have met the criterion to move up to the {up.name.lower()}, but it needs "
        f"equipment you have not listed ({need})."
    )
    return note, f"Add a {need} to your equipment and you move up."


def hold_words(
    ex: Exercise,
    *,
    sets: int,
    seconds: int | None,
    reps: int | None,
    criterion: str,
    lead: str = "",
    would_change: str | None = None,
) -> Words:
    """R-PROG-1/2: stay on the rung and aim for the top of the range (or a rep more)."""
    each = f"{seconds} s" if seconds is not None else f"{reps} reps"
    return Words(
        reason=f"{lead}Stay on the {ex.name.lower()} and aim for {each} a set.",
        do_now=f"Next session: {sets} sets of {each} on the {ex.name.lower()}.",
        would_change=would_change
        or f"{ex.graduation.sessions} sessions of {criterion} and you move up.",
    )


KEEP_THE_EASIER_SET_UP = "Keep the easier set-up for now. "


def band_words(step: BandStep) -> Words:
    """R-PROG-2 on a band: the next band up, quoting the verdict's bands and reps."""
    return Words(
        reason=f"Every set reached {step.top} reps two sessions running: move up from the "
        f"{step.from_band} band to the {step.to_band} band and start again at {step.reps} reps.",
        do_now=f"Next session: the {step.to_band} band, {step.sets} sets of {step.reps}.",
        would_change="Form that slips or pain of 3 or more keeps the lighter band.",
        why={"band": ("top of the range two sessions running", "R-PROG-2")},
    )


def doubt_words(doubt: Doubt, plan: LoadPlan) -> tuple[str, Words]:
    """R-RX-6: the advice on a log heavier than the equipment makes, and the words of the
    hold at the heaviest load the equipment makes (used when load would have been added)."""
    heaviest = plan.said(doubt.heaviest_kg)
    note = (
        f"Your log shows {plan.said(doubt.logged_kg)}, but the heaviest load your listed "
        f"equipment makes is {heaviest}. If you train with heavier equipment, add it to your "
        "equipment list; if the log is a typo, correct it. Until then the coach plans from "
        "your equipment."
    )
    hold = Words(
        reason=f"{note} Keep {heaviest}.",
        do_now=f"Next session: {heaviest}.",
        would_change="",
        why={"load": ("the heaviest load your equipment makes", "R-RX-6")},
    )
    return note, hold
