"""The first assessment, one question set for the CLI (``hingecoach assess``) and the
browser (``/start``): the red-flag questions first, then the movement screens, each with
what to do and what to look for. Answers go into the one model, ``ScreenAnswers``, and
the one use case, :func:`hingecoach.services.coaching.assess_trainee`.

A person with no trainee records yet (signed up, or invited) gets them here, made from
"About you" and their account, coached by the trainer who invited them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import Engine

from hingecoach.coach import Decision, Profile, RedFlagAnswers, ScreenAnswers, screen
from hingecoach.errors import PermissionDeniedError
from hingecoach.knowledge import Catalogue
from hingecoach.services.accounts import Account
from hingecoach.services.coaching import Assessment, assess_trainee
from hingecoach.services.uow import UnitOfWork

__all__ = [
    "RED_FLAGS",
    "SCREENS",
    "Question",
    "ScreenStep",
    "ask_again",
    "finish_assessment",
    "placed",
    "profile_of",
    "record_stop",
    "safety_stop",
]


@dataclass(frozen=True)
class Question:
    field: str
    text: str


@dataclass(frozen=True)
class ScreenStep:
    """One movement screen: what to do, what to look for, how the answer is given."""

    field: str
    title: str
    do: str
    look_for: str
    question: str
    kind: Literal["yes-no", "aslr", "seconds", "pain"]


RED_FLAGS: tuple[Question, ...] = (
    Question("saddle_numbness", "Numbness in the saddle area (between the legs, buttocks)?"),
    Question("new_bladder_problems", "New problems controlling or feeling your bladder?"),
    Question("new_bowel_problems", "New problems controlling or feeling your bowel?"),
    Question("symptoms_in_both_legs", "Pain, numbness or pins and needles in both legs?"),
    Question("worsening_leg_weakness", "Leg weakness that is getting worse?"),
    Question(
        "new_sexual_dysfunction_with_back_or_leg_pain",
        "New sexual problems together with back or leg pain?",
    ),
    Question("major_trauma", "A serious fall or accident recently?"),
    Question("minor_trauma", "A minor fall or knock to the back recently?"),
    Question("osteoporosis", "Osteoporosis (thin bones)?"),
    Question("history_of_cancer", "Ever had cancer?"),
    Question("unexplained_weight_loss", "Weight loss you cannot explain?"),
    Question("fever_or_chills", "Fever or chills?"),
    Question(
        "immunosuppression_or_steroids",
        "Medicines that lower your immunity, or long-term steroids?",
    ),
    Question("new_back_pain", "Is your back pain new (a new episode)?"),
    Question("pain_worse_lying_down_or_at_night", "Pain worse lying down, or severe at night?"),
    Question("thoracic_pain", "Pain in the upper back (between the shoulder blades)?"),
)

SCREENS: tuple[ScreenStep, ...] = (
    ScreenStep(
        "wall_touch_pass",
        "Wall touch",
        "Stand with your back to a wall, heels 15-20 cm from it. Push your hips back to "
        "touch the wall, knees soft.",
        "Your hips reach the wall without your knees bending into a squat.",
        "Did your hips touch the wall without squatting?",
        "yes-no",
    ),
    ScreenStep(
        "dowel_hinge_pass",
        "Dowel hinge",
        "Hold a broom handle along your back: touching your head, upper back and tailbone. "
        "Hinge forward five times, knees soft.",
        "All three points stay on the stick, heels stay down.",
        "Did all three points stay on the stick for all five?",
        "yes-no",
    ),
    ScreenStep(
        "aslr_score",
        "Straight-leg raise",
        "Lie on your back, legs straight. Lift one leg as high as you can, knee straight, "
        "then the other.",
        "How high the raised heel goes, and whether it hurts.",
        "How high, for the lower of the two legs?",
        "aslr",
    ),
    ScreenStep(
        "toe_touch_clean",
        "Toe touch",
        "Stand tall, feet together, and reach down slowly toward your toes.",
        "A smooth reach, back rounding evenly, no pain.",
        "Could you reach your toes smoothly, without pain?",
        "yes-no",
    ),
    ScreenStep(
        "single_leg_stance_s",
        "Single-leg stance",
        "Stand on one leg, hands on hips, and count the seconds until the other foot touches "
        "down (stop at 30).",
        "Count for the weaker side.",
        "How many seconds on one leg?",
        "seconds",
    ),
    ScreenStep(
        "unloaded_hinge_pain",
        "Five hinges",
        "Hands on hips, do five slow hinges: hips back, flat back, stand tall.",
        "Any pain while you move, 0 (none) to 10 (worst).",
        "Pain during the five hinges, 0 to 10?",
        "pain",
    ),
)


def placed(engine: Engine, name: str) -> bool:
    """Whether the trainee has a placement or a logged session to coach from."""
    with UnitOfWork(engine) as uow:
        trainee = uow.trainees.get(name)
        return uow.screens.latest(trainee) is not None or uow.sessions.count(trainee) > 0


def ask_again(engine: Engine, name: str) -> None:
    """A trainer asks their client to take the assessment again: their next page is /start."""
    with UnitOfWork(engine) as uow:
        uow.trainees.get(name).assessment_due = True
        uow.commit()


def profile_of(engine: Engine, name: str | None) -> Profile | None:
    """The trainee's stored profile; None for someone whose records are not made yet."""
    if name is None:
        return None
    with UnitOfWork(engine) as uow:
        return uow.trainees.profile(uow.trainees.get(name))


def safety_stop(answers: RedFlagAnswers, profile: Profile) -> Decision | None:
    """The safety screen's decision when it stops hinge training, else None."""
    decision = screen(answers, profile)
    return decision if decision.blocks_hinging else None


def _free_name(uow: UnitOfWork, wanted: str) -> str:
    name, number = wanted, 1
    while uow.trainees.find(name) is not None:
        number += 1
        name = f"{wanted} {number}"
    return name


def _ensure_trainee(engine: Engine, account: Account, profile: Profile | None) -> str:
    """The account's trainee records, made now from ``profile`` if they are not yet. A
    trainer's account here stands for the client named in ``account.trainee_name``
    (access already checked)."""
    if account.role == "trainer" and account.trainee_name is not None:
        return account.trainee_name
    if account.role != "trainee":
        raise PermissionDeniedError("the first assessment is a trainee's")
    if account.trainee_name is not None:
        return account.trainee_name
    if profile is None:
        raise PermissionDeniedError("start from 'About you' on /start")
    with UnitOfWork(engine, write=True) as uow:
        user = uow.users.by_id(account.id)
        assert user is not None
        record = uow.trainees.add(_free_name(uow, user.display_name), profile)
        record.user_id, record.trainer_id = user.id, user.trainer_id
        name = record.name
        uow.commit()
    return name


def record_stop(
    engine: Engine, account: Account, profile: Profile | None, decision: Decision
) -> str:
    """Keep a red-flag stop in the trainee's decisions (their trainer sees it first in
    Clients); no placement, so the assessment is asked again next time."""
    name = _ensure_trainee(engine, account, profile)
    with UnitOfWork(engine, write=True) as uow:
        uow.decisions.add(uow.trainees.get(name), "screen", decision, exercise_id=None)
        uow.commit()
    return name


def finish_assessment(
    engine: Engine,
    account: Account,
    profile: Profile | None,
    answers: ScreenAnswers,
    catalogue: Catalogue,
    today: dt.date,
) -> Assessment:
    """Screen and place (the one use case ``hingecoach assess`` runs too)."""
    name = _ensure_trainee(engine, account, profile)
    return assess_trainee(engine, name, answers, catalogue, today)
