"""An lb trainee reads the coach's sentences in lb: the decision's reason and next step,
the changes from last time and the adjustment within a session (storage stays in kg)."""

from __future__ import annotations

from hingecoach.coach import adjust_set, prescribe
from hingecoach.knowledge import Catalogue

from .builders import HOME_GYM, KETTLEBELLS_12_16_20, history, profile, run_of, work

STRENGTH = {"goal": "strength", "training_history": "intermediate"}


def test_an_lb_trainee_reads_the_decision_and_its_changes_in_lb(catalogue: Catalogue) -> None:
    past = history(*run_of("kettlebell-deadlift", 1, sets=3, reps=10, load=16, rpe=7))
    in_kg, _ = prescribe(profile(**STRENGTH, equipment=KETTLEBELLS_12_16_20), past, catalogue)
    who = profile(**STRENGTH, equipment=KETTLEBELLS_12_16_20, unit="lb")
    decision, rx = prescribe(who, past, catalogue)
    assert rx is not None and rx.load_kg == 20, "stored in kg"
    assert "about 20 kg" in in_kg.reason
    assert decision.reason == in_kg.reason.replace("20 kg", "44 lb"), "the same words, in lb"
    assert "kg" not in decision.do_now and "44 lb" in decision.do_now
    load = next(c for c in rx.changes if c.what == "load")
    assert (load.before, load.after) == ("35.25 lb", "44 lb")


def test_an_lb_trainee_reads_the_next_set_and_its_change_in_lb(catalogue: Catalogue) -> None:
    who = profile(**STRENGTH, equipment=HOME_GYM, unit="lb")
    _, rx = prescribe(who, history(), catalogue, placement_or_current_exercise="trap-bar-deadlift")
    assert rx is not None
    decision, nxt = adjust_set(who, rx, [work(5, load=100, rpe=9)], catalogue)
    assert nxt is not None and nxt.load_kg == 90
    assert "220.5 -> 198.5 lb" in decision.reason and "kg" not in decision.reason
    load = next(c for c in nxt.changes if c.what == "load")
    assert (load.before, load.after) == ("220.5 lb", "198.5 lb")


def test_an_lb_trainees_progress_insights_say_lb(catalogue: Catalogue) -> None:
    from hingecoach.coach.tracking import progress

    from .builders import session, sets_of

    past = history(
        session(0, "kettlebell-deadlift", sets_of(3, 10, load=20, rpe=8)),
        session(2, "kettlebell-deadlift", sets_of(3, 10, load=24, rpe=8)),
    )
    shown = progress(past, catalogue, profile=profile(unit="lb"))
    words = " ".join(i.text for i in shown.insights)
    assert "rose from" in words and "New best on kettlebell deadlift: 53 lb x 10" in words
    assert " kg" not in words, words
