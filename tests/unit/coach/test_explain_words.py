"""The words of easing (R-REG-8), graduation (R-PROG-1), the first-rung pain stop and
today's pain (R-SAFE-3), the weekly hold (R-SAFE-5) and a trainer's choice come from
``explain`` and quote the facts the decision holds."""

from __future__ import annotations

import pytest

from hingecoach.coach import Action, prescribe
from hingecoach.coach.explain import (
    easing_words,
    first_rung_pain_stop_words,
    frequency_advice,
    graduation_words,
    missing_kit_note,
    pain_today_words,
)
from hingecoach.coach.history import ChosenRung
from hingecoach.coach.ladder import applied
from hingecoach.coach.rules import Easing, Graduation, Severity, Verdict
from hingecoach.knowledge import Catalogue, LoadMode, RegressionSign

from .builders import answers, history, profile, run_of, session, sets_of, work
from .test_prescribe import next_session


@pytest.mark.parametrize(
    ("from_step", "to_step", "text"),
    [
        ("20 cm", "10 cm", "elevated start from 20 cm to 10 cm"),
        ("10 cm", None, "no more elevated start"),
    ],
)
def test_r_reg_8_easing_words_quote_the_steps(
    catalogue: Catalogue, from_step: str, to_step: str | None, text: str
) -> None:
    mod = applied(
        catalogue.modifiers["elevated-start"],
        RegressionSign.LIMITED_MOBILITY,
        "R-REG-5",
        step=from_step,
    )
    verdict = Verdict(
        "R-REG-8", Severity.PROGRESS, easing=Easing("elevated-start", from_step, to_step)
    )
    words = easing_words(verdict, mod)
    assert words.reason.startswith("Two clean sessions with ")
    assert words.reason.endswith(f"next time {text}.")
    assert words.do_now == f"Next session: {text}. Keep the same reps and load."
    assert words.why["modifier elevated-start"] == (f"two clean sessions: {text}", "R-REG-8")


def test_r_prog_1_graduation_words_quote_the_verdict(catalogue: Catalogue) -> None:
    ex, nxt = catalogue.exercises["dowel-hip-hinge"], catalogue.exercises["hinge-to-squat"]
    words = graduation_words(Graduation(ex.id, nxt.id, 3), ex, nxt, None)
    assert words.reason == (
        "3 sessions in a row met the dowel hip hinge's criterion: move up to the hinge to squat."
    )
    assert words.do_now.startswith("Next session: hinge to squat.")
    assert "load" not in words.why
    carried = ("the lightest load you own, to start light at about RPE 6-7", "R-PROG-4")
    assert graduation_words(Graduation(ex.id, nxt.id, 2), ex, nxt, carried).why["load"] == carried


def test_r_prog_1_graduating_says_the_rung_it_moves_to(catalogue: Catalogue) -> None:
    decision, rx = next_session(profile(), history(*run_of("dowel-hip-hinge", 2)), catalogue)
    assert decision.action is Action.PROGRESS
    name = catalogue.exercises[rx.exercise_id].name.lower()
    assert decision.reason == (
        f"2 sessions in a row met the dowel hip hinge's criterion: move up to the {name}."
    )


def test_r_safe_3_pain_6_on_the_first_rung_stops_hinging(catalogue: Catalogue) -> None:
    past = history(session(0, "hero-squat", [work(10), work(10, pain=7)]))
    decision, rx = prescribe(profile(), past, catalogue)
    words = first_rung_pain_stop_words(7)
    assert rx is None and decision.action is Action.STOP
    assert (
        decision.reason
        == words.reason
        == "Pain 7/10 last session, on the first rung of the ladder."
    )
    assert decision.do_now == words.do_now and "clinician" in decision.do_now


def test_r_safe_3_pain_today_holds_a_progression(catalogue: Catalogue) -> None:
    past = history(*run_of("dowel-hip-hinge", 2))
    free, _ = next_session(profile(), past, catalogue)
    assert free.action is Action.PROGRESS
    decision, rx = next_session(profile(), past, catalogue, screen_answers=answers(current_pain=4))
    words = pain_today_words(4, reason=free.reason, do_now=free.do_now)
    assert decision.action is Action.HOLD and rx.exercise_id == "dowel-hip-hinge"
    assert decision.reason == words.reason
    assert decision.reason.startswith("Pain 4/10 today: keep last session's dose")
    assert free.reason[1:] in decision.reason  # the progression held back, quoted
    assert decision.would_change == f"A day with pain back at 0-2, then: {free.do_now}"
    assert [e.pain for e in decision.evidence] == [4]


def test_a_trainers_choice_is_the_reason(catalogue: Catalogue) -> None:
    past = history(*run_of("dowel-hip-hinge", 1))
    decision, rx = next_session(
        profile(), past, catalogue, placement_or_current_exercise=ChosenRung("hero-squat")
    )
    assert rx.exercise_id == "hero-squat"
    assert decision.reason == "Your trainer chose the hero squat for this session."


def test_r_safe_5_weekly_rise_holds_without_a_sign(catalogue: Catalogue) -> None:
    # pain 1, 2, 3 ... weekly means rising two weeks running, clean form: hold, see a clinician
    sessions = [
        session(day, "dowel-hip-hinge", sets_of(3, 12, pain=p))
        for day, p in ((0, 0), (2, 0), (7, 1), (9, 1), (14, 2), (16, 2))
    ]
    decision, _ = next_session(profile(), history(*sessions), catalogue)
    assert decision.action is Action.HOLD
    assert decision.reason.startswith("Your weekly pain has risen two weeks running: hold")
    assert any("clinician" in a for a in decision.advice)


@pytest.mark.parametrize(
    ("low", "high", "times"), [(2, 3, "2-3 times a week"), (3, 3, "3 times a week")]
)
def test_r_rx_3_frequency_advice_quotes_the_range(low: int, high: int, times: str) -> None:
    advice = frequency_advice(low, high)
    assert advice.startswith(f"Train this {times}, at least 48 h apart")
    assert "72 h after a session with sets at RPE 9.5 or more" in advice


def test_r_rx_6_missing_kit_note_lists_what_would_load_the_rung() -> None:
    note = missing_kit_note([LoadMode.KETTLEBELL, LoadMode.DUMBBELL])
    assert note == "You need one of: kettlebell, dumbbell."
