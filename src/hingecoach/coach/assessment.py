"""Where a person starts on the ladder, from their screens (R-ASSESS-1..4).

The safety screen comes first and can never be overridden (R-SAFE-1/2/4). Then R-ASSESS-3
exactly as written: ASLR 0 or unloaded pain 6+ -> refer; fails the wall touch -> hero squat;
passes it but fails the dowel hinge (or ASLR 1, or pain 3-5) -> wall hip hinge; passes the
dowel hinge -> hinge practice on the dowel; with ASLR 3, a clean toe touch and a kettlebell
-> elevated kettlebell deadlift; intermediate or advanced with a clean technique video ->
the loaded lift the video showed, never above it; single-leg rungs need 30 s of single-leg
stance, else the supported variant. Every placement gives one reason line per screen that
decided it (R-ASSESS-4).
"""

from __future__ import annotations

from hingecoach.coach.decisions import Action, AppliedModifier, Decision, Evidence, Placement
from hingecoach.coach.decisions import ReasonLine as Line
from hingecoach.coach.defaults import (
    ASLR_FULL,
    ASLR_LOADED_START_MIN,
    ASLR_REFER,
    ASLR_WALL_HINGE,
    KETTLEBELL_START_EXERCISES,
    LEARNING_STAGE_MAX,
    SINGLE_LEG_STANCE_MIN_S,
    START_FAILS_DOWEL,
    START_FAILS_WALL_TOUCH,
    START_LOADED_NOVICE,
    START_PASSES_DOWEL,
    UNLOADED_PAIN_REFER_MIN,
    UNLOADED_PAIN_WALL_MIN,
)
from hingecoach.coach.kit import GET_ONE, owns
from hingecoach.coach.ladder import (
    applied,
    exercise,
    is_free_single_leg,
    lower_rung,
    modifiers_for_sign,
    sign_rule,
)
from hingecoach.coach.loads import choose_load_mode
from hingecoach.coach.models import Experience, Profile, ScreenAnswers
from hingecoach.coach.safety import screen
from hingecoach.knowledge import Catalogue, Equipment, Exercise, RegressionSign, SingleLeg

__all__ = ["place"]


def _refer(answers: ScreenAnswers) -> Placement | None:
    """R-ASSESS-3: ASLR 0 or pain 6+ in unloaded hinges: refer, no hinging."""
    lines: list[Line] = []
    if answers.aslr_score == ASLR_REFER:
        lines.append(
            Line(
                screen="aslr",
                text="The straight-leg raise was painful (score 0).",
                rules=("R-ASSESS-3",),
            )
        )
    if answers.unloaded_hinge_pain >= UNLOADED_PAIN_REFER_MIN:
        lines.append(
            Line(
                screen="unloaded-hinge-pain",
                text=f"Five unloaded hinges brought pain of {answers.unloaded_hinge_pain}/10.",
                rules=("R-ASSESS-3",),
            )
        )
    if not lines:
        return None
    decision = Decision(
        action=Action.REFER,
        rules=("R-ASSESS-3", "R-ASSESS-4"),
        reason=" ".join(line.text for line in lines)
        + " That is a reason to have a clinician look at it before any hinge training.",
        do_now=(
            "No hinge training for now. Book a physiotherapist or doctor and show them these "
            "results; everyday movement and walking are fine meanwhile."
        ),
        would_change=(
            "A clinician clears you, and the straight-leg raise and unloaded hinges are "
            "pain-free; then screen again."
        ),
        evidence=tuple(Evidence(note=line.text, screen=line.screen) for line in lines),
    )
    return Placement(exercise_id=None, reasons=tuple(lines), safety=decision)


def _loadable_at_or_below(
    catalogue: Catalogue, ex: Exercise, profile: Profile, lines: list[Line]
) -> Exercise:
    """The rung itself if the person can load it, else the nearest one below (R-RX-6)."""
    if choose_load_mode(ex, profile.equipment) is not None:
        return ex
    lower = lower_rung(catalogue, ex, profile.equipment)
    if lower is None:
        return ex
    lines.append(
        Line(
            screen="equipment",
            text=f"Your equipment cannot load the {ex.name.lower()}, so you start one rung "
            f"below it, on the {lower.name.lower()}.",
            rules=("R-RX-6",),
        )
    )
    return lower


def _without_missing_kit(
    catalogue: Catalogue, ex: Exercise, profile: Profile, lines: list[Line]
) -> Exercise:
    """R-ASSESS-3 with R-RX-6: a start that needs a dowel the person has not listed moves to
    the rung below, and the line says what to get to move up."""
    missing = [n for n in ex.equipment if n is Equipment.DOWEL and not owns(profile.equipment, n)]
    lower = lower_rung(catalogue, ex, profile.equipment) if missing else None
    if lower is None:
        return ex
    name, instead = GET_ONE[missing[0]]
    lines.append(
        Line(
            screen="equipment",
            text=f"The {ex.name.lower()} needs {name} ({instead}), and you have not listed one: "
            f"start on the {lower.name.lower()}, and get one to move up.",
            rules=("R-ASSESS-3", "R-RX-6"),
        )
    )
    return lower


def _single_leg(
    catalogue: Catalogue, ex: Exercise, answers: ScreenAnswers, lines: list[Line]
) -> Exercise:
    """R-ASSESS-3: single-leg rungs need 30 s single-leg stance, else the supported one."""
    if not is_free_single_leg(ex):
        return ex
    stance = answers.single_leg_stance_s
    if stance is not None and stance >= SINGLE_LEG_STANCE_MIN_S:
        lines.append(
            Line(
                screen="single-leg-stance",
                text=f"You stood on one leg for {stance:g} s (30 s needed): free single-leg work.",
                rules=("R-ASSESS-3",),
            )
        )
        return ex
    supported = next(
        (
            catalogue.exercises[r]
            for r in ex.regresses_to
            if r in catalogue.exercises and catalogue.exercises[r].single_leg is SingleLeg.SUPPORTED
        ),
        None,
    ) or lower_rung(catalogue, ex)
    shown = "not tested" if stance is None else f"{stance:g} s"
    if supported is None:
        return ex
    lines.append(
        Line(
            screen="single-leg-stance",
            text=f"Single-leg stance {shown} (30 s needed): start with the "
            f"{supported.name.lower()}.",
            rules=("R-ASSESS-3",),
        )
    )
    return supported


def _mobility_modifier(
    catalogue: Catalogue, ex: Exercise, answers: ScreenAnswers, lines: list[Line]
) -> tuple[AppliedModifier, ...]:
    """A loaded start with ASLR 2 or a toe touch that is not clean starts with the
    limited-mobility modifier (R-REG-5) at its easiest step."""
    if answers.aslr_score >= ASLR_FULL and answers.toe_touch_clean:
        return ()
    options = modifiers_for_sign(catalogue, ex, RegressionSign.LIMITED_MOBILITY)
    if not options:
        return ()
    rule = sign_rule(catalogue, RegressionSign.LIMITED_MOBILITY)
    mod = applied(options[0], RegressionSign.LIMITED_MOBILITY, rule)
    why = (
        f"straight-leg raise {answers.aslr_score}"
        if answers.aslr_score < ASLR_FULL
        else "a toe touch that is not yet clean"
    )
    lines.append(
        Line(
            screen="aslr" if answers.aslr_score < ASLR_FULL else "toe-touch",
            text=f"With {why}, start with {mod.label().lower()} and lower it as your hips free up.",
            rules=(rule, "R-ASSESS-3"),
        )
    )
    return (mod,)


def _video_start(
    catalogue: Catalogue, profile: Profile, answers: ScreenAnswers, lines: list[Line]
) -> Exercise | None:
    """R-ASSESS-3: intermediate or advanced with a clean technique video: the loaded lift
    the video showed, never above it."""
    video_id = answers.technique_video_exercise_id
    if video_id is None:
        return None
    shown = exercise(catalogue, video_id)
    if not shown.is_hinge or shown.stage is None or int(shown.stage) <= LEARNING_STAGE_MAX:
        return None
    if profile.training_history is Experience.NOVICE:
        lines.append(
            Line(
                screen="technique-video",
                text="Your video looked clean, but a loaded start needs about 6 months of "
                "consistent training; you start on the pattern rungs and will climb fast.",
                rules=("R-ASSESS-3",),
            )
        )
        return None
    if answers.aslr_score < ASLR_LOADED_START_MIN:
        return None
    lines.append(
        Line(
            screen="technique-video",
            text=f"Your video showed a clean {shown.name.lower()}: you may start there "
            "(never above what the video showed).",
            rules=("R-ASSESS-3",),
        )
    )
    return shown


def place(profile: Profile, answers: ScreenAnswers, catalogue: Catalogue) -> Placement:
    """The starting rung and modifiers, with one reason line per deciding screen."""
    safety = screen(answers, profile)
    if safety.blocks_hinging:
        return Placement(
            exercise_id=None,
            reasons=(Line(screen="safety", text=safety.reason, rules=safety.rules),),
            safety=safety,
        )
    referred = _refer(answers)
    if referred is not None:
        return referred
    lines: list[Line] = []
    pain = answers.unloaded_hinge_pain
    video_id = answers.technique_video_exercise_id
    dowel_pass = answers.dowel_hinge_pass or video_id == START_PASSES_DOWEL
    modifiers: tuple[AppliedModifier, ...] = ()
    if not answers.wall_touch_pass:
        lines.append(
            Line(
                screen="wall-touch",
                text="Your hips did not reach the wall without squatting: start by unlocking "
                "the hips with the hero squat.",
                rules=("R-ASSESS-3",),
            )
        )
        start = exercise(catalogue, START_FAILS_WALL_TOUCH)
    elif not dowel_pass or answers.aslr_score == ASLR_WALL_HINGE or pain >= UNLOADED_PAIN_WALL_MIN:
        if not dowel_pass:
            lines.append(
                Line(
                    screen="dowel-hinge",
                    text="The dowel lost a point of contact during the five hinges.",
                    rules=("R-ASSESS-3",),
                )
            )
        if answers.aslr_score == ASLR_WALL_HINGE:
            lines.append(
                Line(
                    screen="aslr",
                    text="Straight-leg raise 1: the hamstrings need unloaded practice first.",
                    rules=("R-ASSESS-3",),
                )
            )
        if pain >= UNLOADED_PAIN_WALL_MIN:
            lines.append(
                Line(
                    screen="unloaded-hinge-pain",
                    text=f"Unloaded hinges brought pain of {pain}/10: keep the first rungs "
                    "easy and short.",
                    rules=("R-ASSESS-3",),
                )
            )
        lines.append(
            Line(
                screen="wall-touch",
                text="Your hips reached the wall: start with the wall hip hinge (butt taps).",
                rules=("R-ASSESS-3",),
            )
        )
        start = exercise(catalogue, START_FAILS_DOWEL)
    else:
        lines.append(
            Line(
                screen="dowel-hinge",
                text="You kept head, upper back and tailbone on the dowel for five hinges.",
                rules=("R-ASSESS-3",),
            )
        )
        video = _video_start(catalogue, profile, answers, lines)
        owns_bell = bool(profile.equipment.kettlebells_kg)
        if video is not None:
            start = _loadable_at_or_below(catalogue, video, profile, lines)
            start = _single_leg(catalogue, start, answers, lines)
            modifiers = _mobility_modifier(catalogue, start, answers, lines)
        elif answers.aslr_score >= ASLR_FULL and answers.toe_touch_clean and owns_bell:
            lines.append(
                Line(
                    screen="aslr",
                    text="Straight-leg raise 3, a clean toe touch and a kettlebell at home: "
                    "start lifting with the elevated kettlebell deadlift.",
                    rules=("R-ASSESS-3",),
                )
            )
            start = exercise(catalogue, START_LOADED_NOVICE)
            assert start.id in KETTLEBELL_START_EXERCISES
        else:
            missing = []
            if answers.aslr_score < ASLR_FULL:
                missing.append(f"straight-leg raise {answers.aslr_score} (3 needed)")
            if not answers.toe_touch_clean:
                missing.append("a toe touch that is not yet clean")
            if not owns_bell:
                missing.append("no kettlebell listed")
            first = (
                "aslr"
                if answers.aslr_score < ASLR_FULL
                else "toe-touch"
                if not answers.toe_touch_clean
                else "equipment"
            )
            lines.append(
                Line(
                    screen=first,
                    text="Hinge practice on the dowel first: " + ", ".join(missing) + ".",
                    rules=("R-ASSESS-3",),
                )
            )
            start = exercise(catalogue, START_PASSES_DOWEL)
    start = _without_missing_kit(catalogue, start, profile, lines)
    return Placement(
        exercise_id=start.id,
        exercise_name=start.name,
        modifiers=modifiers,
        reasons=tuple(lines),
        safety=safety,
    )
