"""The demo trainee: deterministic, plausible, big enough for benchmarks, and fast."""

from __future__ import annotations

import time

from hingecoach.coach import (
    Action,
    demo_history,
    demo_profile,
    demo_screen_answers,
    place,
    prescribe,
)
from hingecoach.knowledge import Catalogue


def test_demo_is_deterministic() -> None:
    assert demo_history(weeks=6) == demo_history(weeks=6)
    assert demo_history(weeks=6, seed=1) != demo_history(weeks=6, seed=2)


def test_two_years_of_demo_history_is_big_enough_for_benchmarks(catalogue: Catalogue) -> None:
    history = demo_history(weeks=104)
    hinge = [s for s in history.sessions if catalogue.exercises[s.exercise_id].is_hinge]
    assert len(hinge) >= 300
    assert sum(len(s.sets) for s in history.sessions) >= 3000
    assert all(
        a.date <= b.date for a, b in zip(history.sessions, history.sessions[1:], strict=False)
    )


def test_demo_placement_and_first_prescription(catalogue: Catalogue) -> None:
    who = demo_profile()
    placement = place(who, demo_screen_answers(), catalogue)
    assert placement.exercise_id == "hero-squat"
    decision, rx = prescribe(
        who, demo_history(weeks=0), catalogue, placement_or_current_exercise=placement
    )
    assert rx is not None and rx.exercise_id == "hero-squat"
    assert decision.action is Action.HOLD


def test_prescribing_from_two_years_of_history_takes_well_under_10_ms(
    catalogue: Catalogue,
) -> None:
    """The engine reads only the recent sessions it needs (best of several runs)."""
    who, history = demo_profile(), demo_history(weeks=104)
    _, rx = prescribe(who, history, catalogue)
    assert rx is not None and rx.exercise_id == "trap-bar-deadlift"
    best = float("inf")
    for _ in range(7):
        start = time.perf_counter()
        prescribe(who, history, catalogue)
        best = min(best, time.perf_counter() - start)
    assert best < 0.010, f"prescribe took {best * 1000:.1f} ms"
