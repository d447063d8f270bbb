"""Safety first: red flags, pain bands and pain trends (R-SAFE-1..6).

These rules run before any prescription and nothing below them overrides them. Messages
follow R-SAFE-6: calm, specific, never frightening, and every one says what to do now.
Rounding of the back is a technique cue (see ``regression``), never a safety alarm here.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Sequence
from enum import StrEnum
from statistics import fmean

from hingecoach.coach.decisions import Action, Decision, Evidence
from hingecoach.coach.defaults import (
    MORNING_PAIN_RISE,
    NEW_BACK_PAIN_OLD_AGE,
    NEW_BACK_PAIN_YOUNG_AGE,
    OLDER_PERSON_AGE,
    PAIN_CARRY_ON_MAX,
    PAIN_CAUTION_MAX,
    PAIN_STOP_MIN,
    WEEKLY_PAIN_MIN_RISE,
    WEEKLY_PAIN_WINDOW_WEEKS,
)
from hingecoach.coach.models import PainQuality, Profile, RedFlagAnswers, Session

__all__ = [
    "BURNING_ADVICE",
    "RED_FLAG_QUESTIONS",
    "PainBand",
    "emergency_flags",
    "morning_rise",
    "pain_band",
    "pain_quality_stop",
    "pain_stop",
    "refer_flags",
    "screen",
    "session_pain",
    "weekly_pain",
]

# R-SAFE-4: the burning low back of seed 001's reader, rated like any pain (R-SAFE-3).
BURNING_ADVICE = (
    "A burning feeling in the low back is rated like any other pain. If it settles within a "
    "day, it is local muscle fatigue: next time use less load and a shorter range, and add "
    "back-extensor endurance drills (bird dogs, short back-extension holds). If it lasts "
    "longer than a day or gets stronger, see a clinician before hinging again."
)

# R-SAFE-1 and R-SAFE-2, as questions the caller can put to the person (R-SAFE-4).
RED_FLAG_QUESTIONS: tuple[str, ...] = (
    "Any numbness in the saddle area (between the legs, inner thighs, buttocks)?",
    "Any new problem controlling or feeling your bladder or bowel?",
    "Symptoms in both legs?",
    "Leg weakness that is getting worse?",
    "New sexual dysfunction together with back or leg pain?",
    "A fall or accident, a history of cancer, unexplained weight loss, fever or chills?",
    "Pain that is worse lying down or severe at night, or pain in the upper back?",
)

_EMERGENCY_ITEMS: tuple[tuple[str, str], ...] = (
    ("saddle_numbness", "numbness in the saddle area"),
    ("new_bladder_problems", "new bladder problems"),
    ("new_bowel_problems", "new bowel problems"),
    ("symptoms_in_both_legs", "symptoms in both legs"),
    ("worsening_leg_weakness", "leg weakness that is getting worse"),
    ("new_sexual_dysfunction_with_back_or_leg_pain", "new sexual dysfunction with back pain"),
)

_QUALITY_WORDS = {
    PainQuality.SHARP: "sharp pain",
    PainQuality.SHOOTING: "shooting pain",
    PainQuality.BELOW_KNEE: "pain below the knee",
    PainQuality.NUMBNESS: "numbness",
    PainQuality.TINGLING: "tingling",
    PainQuality.WEAKNESS: "weakness",
    PainQuality.BURNING: "a burning feeling",
}


class PainBand(StrEnum):
    """The three bands of R-SAFE-3."""

    CARRY_ON = "carry-on"  # 0-2
    CAUTION = "caution"  # 3-5: finish the set, no progression, regress the next set
    STOP = "stop"  # 6+: stop hinging today, one rung lower next session


def pain_band(pain: int) -> PainBand:
    """R-SAFE-3: 0-2 carry on, 3-5 caution, 6 or more stop."""
    if pain <= PAIN_CARRY_ON_MAX:
        return PainBand.CARRY_ON
    if pain <= PAIN_CAUTION_MAX:
        return PainBand.CAUTION
    assert pain >= PAIN_STOP_MIN
    return PainBand.STOP


def emergency_flags(answers: RedFlagAnswers) -> list[tuple[str, str]]:
    """The R-SAFE-1 items answered yes, as (field, plain words)."""
    return [(field, text) for field, text in _EMERGENCY_ITEMS if getattr(answers, field)]


def refer_flags(answers: RedFlagAnswers, profile: Profile) -> list[tuple[str, str]]:
    """The R-SAFE-2 items answered yes, as (field, plain words). Age comes from the profile."""
    age = profile.age
    older = age > OLDER_PERSON_AGE
    items: list[tuple[str, str]] = []
    if answers.major_trauma:
        items.append(("major_trauma", "a major fall or accident"))
    if answers.minor_trauma and (answers.osteoporosis or older):
        who = "with osteoporosis" if answers.osteoporosis else f"at {age}"
        items.append(("minor_trauma", f"a minor fall or knock {who}"))
    if answers.history_of_cancer:
        items.append(("history_of_cancer", "a history of cancer"))
    if answers.unexplained_weight_loss:
        items.append(("unexplained_weight_loss", "unexplained weight loss"))
    if answers.fever_or_chills:
        items.append(("fever_or_chills", "fever or chills"))
    if answers.immunosuppression_or_steroids:
        items.append(("immunosuppression_or_steroids", "immunosuppression or long-term steroids"))
    if answers.new_back_pain and (age < NEW_BACK_PAIN_YOUNG_AGE or age > NEW_BACK_PAIN_OLD_AGE):
        items.append(("new_back_pain", f"new back pain at {age}"))
    if answers.pain_worse_lying_down_or_at_night:
        items.append(("pain_worse_lying_down_or_at_night", "pain worse lying down or at night"))
    if answers.thoracic_pain:
        items.append(("thoracic_pain", "pain in the upper (thoracic) back"))
    return items


def _screen_evidence(items: Sequence[tuple[str, str]]) -> tuple[Evidence, ...]:
    return tuple(Evidence(note=f"you answered yes: {text}", screen=field) for field, text in items)


def _emergency(items: Sequence[tuple[str, str]]) -> Decision:
    """R-SAFE-1: seek emergency care now; no exercise."""
    listed = "; ".join(text for _, text in items)
    return Decision(
        action=Action.EMERGENCY,
        rules=("R-SAFE-1",),
        reason=(
            f"You reported {listed}. With back or leg symptoms this needs a doctor to look "
            "at it today, before any exercise. No exercise is prescribed."
        ),
        do_now=(
            "Seek emergency care now: go to an emergency department or call your local "
            "emergency number, and tell them what you told us."
        ),
        would_change="A doctor has examined you and cleared you to exercise.",
        evidence=_screen_evidence(items),
    )


def _refer(items: Sequence[tuple[str, str]]) -> Decision:
    """R-SAFE-2: see a clinician first; hinge training is blocked until cleared."""
    listed = "; ".join(text for _, text in items)
    return Decision(
        action=Action.REFER,
        rules=("R-SAFE-2",),
        reason=(
            f"You reported {listed}. These are reasons to have a clinician check your back "
            "first: hinge training is blocked until a clinician clears it."
        ),
        do_now=(
            "Book an appointment with your doctor or a physiotherapist and show them this "
            "list. Until then keep moving gently: everyday activity and walking are fine."
        ),
        would_change="A clinician clears you for hinge training (record it as clinician_cleared).",
        evidence=_screen_evidence(items),
    )


def pain_quality_stop(
    qualities: Sequence[PainQuality],
    evidence: Sequence[Evidence] = (),
    *,
    red_flags_answered: bool = False,
) -> Decision:
    """R-SAFE-4: sharp, shooting, below-knee, numbness, tingling or weakness: stop hinging and
    ask the red-flag questions (R-SAFE-1/2)."""
    words = " and ".join(_QUALITY_WORDS[q] for q in qualities) or "pain of that kind"
    if red_flags_answered:
        ask = "You answered no to every red-flag question, which is reassuring."
        do_now = (
            "No hinging today. Move gently in ways that do not bring the pain on. If it is "
            "still there in a few days, or it spreads, see a clinician."
        )
    else:
        ask = "Before the next hinge session, answer the red-flag questions below."
        do_now = (
            "Stop hinging now and rest from hinge work today. Answer the red-flag questions "
            "(run the screen) before your next session; if any answer is yes, follow its advice."
        )
    return Decision(
        action=Action.STOP,
        rules=("R-SAFE-4",),
        reason=f"You reported {words}: that is a reason to stop hinging for today. {ask}",
        do_now=do_now,
        would_change=(
            "The screen finds no red flags and the pain is gone or back to your usual level; "
            "then training restarts one rung lower."
        ),
        evidence=tuple(evidence),
        advice=() if red_flags_answered else RED_FLAG_QUESTIONS,
    )


def pain_stop(
    pain: int, evidence: Sequence[Evidence] = (), lower_rung: str | None = None
) -> Decision:
    """R-SAFE-3: pain 6 or more: stop hinging today, next session one rung lower."""
    nxt = (
        f"Next session starts one rung lower, on the {lower_rung}."
        if lower_rung
        else "Next session starts one rung lower."
    )
    return Decision(
        action=Action.STOP,
        rules=("R-SAFE-3",),
        reason=f"Pain {pain}/10 is too much to keep hinging today. {nxt}",
        do_now=(
            "Stop hinging for today. Gentle walking is fine; skip anything that brings the "
            "pain back. Note how it feels tomorrow morning."
        ),
        would_change=(
            "Pain settles back to your usual level; if it does not settle within a few days, "
            "see a clinician."
        ),
        evidence=tuple(evidence),
    )


def screen(answers: RedFlagAnswers, profile: Profile) -> Decision:
    """The safety screen before any hinge work (R-SAFE-1, -2, -3, -4).

    Order: emergency (R-SAFE-1), see a clinician (R-SAFE-2, unless a clinician has cleared
    it), pain quality (R-SAFE-4), current pain 6+ (R-SAFE-3). Otherwise ``hold``: go ahead.
    """
    urgent = emergency_flags(answers)
    if urgent:
        return _emergency(urgent)
    refer = refer_flags(answers, profile)
    if refer and not answers.clinician_cleared:
        return _refer(refer)
    stopping = [q for q in answers.pain_quality if q.stops_hinging]
    if stopping:
        ev = Evidence(note=f"pain now {answers.current_pain}/10", pain=answers.current_pain)
        return pain_quality_stop(stopping, [ev], red_flags_answered=True)
    pain = answers.current_pain
    if pain_band(pain) is PainBand.STOP:
        ev = Evidence(note=f"pain now {pain}/10", pain=pain)
        return pain_stop(pain, [ev])
    advice: list[str] = []
    if refer:
        advice.append("A clinician has cleared you for hinge training (recorded).")
    if pain_band(pain) is PainBand.CAUTION:
        advice.append(
            f"Pain {pain}/10 today: train, but keep today's loads and reps; no progression."
        )
    if PainQuality.BURNING in answers.pain_quality:
        advice.append(BURNING_ADVICE)
    return Decision(
        action=Action.HOLD,
        rules=("R-SAFE-1", "R-SAFE-2", "R-SAFE-4"),
        reason="No red flags: you can train today.",
        do_now="Go ahead with today's session; rate any pain 0-10 after each set.",
        would_change="New pain that is sharp, shooting or felt below the knee, or any red flag.",
        evidence=(Evidence(note=f"pain now {pain}/10", pain=pain),),
        advice=tuple(advice),
    )


_SET_PAIN = operator.attrgetter("pain")


def session_pain(session: Session) -> int:
    """The highest pain of a session: during any set, or the next morning."""
    during = max(map(_SET_PAIN, session.sets), default=0)
    return max(during, session.next_morning_pain or 0)


def morning_rise(session: Session, profile: Profile) -> bool:
    """R-SAFE-5: next-morning pain 2 or more above the person's baseline."""
    morning = session.next_morning_pain
    return morning is not None and morning - profile.baseline_pain >= MORNING_PAIN_RISE


def weekly_pain(sessions_newest_first: Sequence[Session], end: dt.date) -> list[float | None]:
    """Mean session pain for each of the last weeks before ``end``, newest week first.

    ``sessions_newest_first`` may be longer; reading stops at the first session older than
    the window, so the work is proportional to the window, not the history.
    """
    buckets: list[list[int]] = [[] for _ in range(WEEKLY_PAIN_WINDOW_WEEKS)]
    for session in sessions_newest_first:
        week = (end - session.date).days // 7
        if week >= WEEKLY_PAIN_WINDOW_WEEKS:
            break
        if week >= 0:
            buckets[week].append(session_pain(session))
    return [fmean(b) if b else None for b in buckets]


def rising_two_weeks(means_newest_first: Sequence[float | None]) -> bool:
    """R-SAFE-5: weekly pain rose two weeks running (each rise at least half a point)."""
    if len(means_newest_first) < 3 or any(m is None for m in means_newest_first[:3]):
        return False
    this, last, before = (float(m or 0) for m in means_newest_first[:3])
    return this - last >= WEEKLY_PAIN_MIN_RISE and last - before >= WEEKLY_PAIN_MIN_RISE
