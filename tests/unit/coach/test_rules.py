"""The rule pipeline (coach/rules.py): one parametrize table per rule id, and the policy by
which verdicts combine."""

from __future__ import annotations

from typing import Any

import pytest

from hingecoach.coach.decisions import Prescription
from hingecoach.coach.explain import burning_advice, step_down_cause
from hingecoach.coach.history import read_state
from hingecoach.coach.models import Session
from hingecoach.coach.rules import (
    PIPELINE,
    Context,
    Severity,
    burning_low_back,
    missed_min_reps,
    morning_pain_rise,
    pain_stop,
    run_pipeline,
    stopping_pain_quality,
    weekly_pain_rising,
)
from hingecoach.knowledge import Catalogue

from .builders import history, profile, session, work


def _ctx(catalogue: Catalogue, *sessions: Session, cleared: bool = False, **who: Any) -> Context:
    past = history(*sessions)
    state = read_state(past, catalogue)
    assert state is not None
    return Context(state, profile(**who), sessions[-1], cleared, catalogue, past)


@pytest.mark.parametrize(
    ("pain", "fires"),
    [(0, False), (2, False), (5, False), (6, True), (8, True), (10, True)],
)
def test_r_safe_3_pain_6_or_more_steps_down(catalogue: Catalogue, pain: int, fires: bool) -> None:
    last = session(0, "dowel-hip-hinge", [work(12), work(12, pain=pain)])
    verdict = pain_stop(_ctx(catalogue, last))
    assert (verdict is not None) == fires
    if verdict is not None:
        assert verdict.rule == "R-SAFE-3" and verdict.severity is Severity.STEP_DOWN
        assert verdict.facts[0].pain == pain and verdict.facts[0].set_number == 2
        assert step_down_cause(verdict) == f"Pain {pain}/10 in set 2 last session."


@pytest.mark.parametrize(
    ("quality", "cleared", "severity"),
    [
        ("sharp", False, Severity.STOP),
        ("shooting", False, Severity.STOP),
        ("tingling", True, Severity.STEP_DOWN),
        ("numbness", True, Severity.STEP_DOWN),
        ("burning", False, None),
    ],
)
def test_r_safe_4_stopping_pain_quality(
    catalogue: Catalogue, quality: str, cleared: bool, severity: Severity | None
) -> None:
    last = session(0, "dowel-hip-hinge", [work(12, pain=2, quality=[quality])])
    verdict = stopping_pain_quality(_ctx(catalogue, last, cleared=cleared))
    assert (verdict.severity if verdict else None) == severity


@pytest.mark.parametrize(
    ("morning", "settled", "clinician"),
    [(None, None, False), (1, True, False), (2, False, True), (8, False, True)],
)
def test_r_safe_4_burning_low_back_is_advice_with_a_clinician_when_it_persists(
    catalogue: Catalogue, morning: int | None, settled: bool | None, clinician: bool
) -> None:
    last = session(0, "dowel-hip-hinge", [work(12, pain=4, quality=["burning"])], morning=morning)
    verdict = burning_low_back(_ctx(catalogue, last))
    assert verdict is not None and verdict.severity is Severity.ADVICE
    assert verdict.settled is settled
    assert any("see a clinician" in a for a in burning_advice(verdict)[1:]) == clinician


@pytest.mark.parametrize(
    ("baseline", "morning", "fires"),
    [(0, None, False), (0, 1, False), (0, 2, True), (3, 4, False), (3, 5, True)],
)
def test_r_safe_5_next_morning_rise_regresses(
    catalogue: Catalogue, baseline: int, morning: int | None, fires: bool
) -> None:
    last = session(0, "dowel-hip-hinge", [work(12)], morning=morning)
    verdict = morning_pain_rise(_ctx(catalogue, last, baseline_pain=baseline))
    assert (verdict is not None) == fires
    if verdict is not None:
        assert (verdict.morning, verdict.baseline, verdict.severity) == (
            morning,
            baseline,
            Severity.REGRESS,
        )


def _rx(catalogue: Catalogue) -> Prescription:
    from hingecoach.coach import prescribe

    _, rx = prescribe(
        profile(), history(), catalogue, placement_or_current_exercise="dowel-hip-hinge"
    )
    assert rx is not None and rx.reps is not None
    return rx


@pytest.mark.parametrize(
    ("first", "second", "fires"),
    [(12, 12, False), (7, 12, False), (12, 7, False), (7, 6, True)],
)
def test_r_reg_7_missed_minimum_reps_twice_running(
    catalogue: Catalogue, first: int, second: int, fires: bool
) -> None:
    rx = _rx(catalogue)
    one = session(0, "dowel-hip-hinge", [work(12), work(first)], prescription=rx)
    two = session(2, "dowel-hip-hinge", [work(12), work(second)], prescription=rx)
    verdict = missed_min_reps(_ctx(catalogue, one, two))
    assert (verdict is not None) == fires
    if verdict is not None:
        assert [f.reps for f in verdict.facts] == [first, second]


def test_verdicts_combine_most_severe_first_and_keep_every_advice(catalogue: Catalogue) -> None:
    """The policy: a stop beats a step down beats a regression; advice is kept from all."""
    last = session(
        0,
        "dowel-hip-hinge",
        [work(12, pain=7, quality=["burning"]), work(12, quality=["sharp"])],
        morning=8,
    )
    verdicts = run_pipeline(_ctx(catalogue, last))
    assert [v.rule for v in verdicts.fired] == ["R-SAFE-4", "R-SAFE-3", "R-SAFE-5", "R-SAFE-4"]
    deciding = verdicts.deciding
    assert deciding is not None and deciding.severity is Severity.STOP
    assert verdicts.of(burning_low_back) is not None
    assert len(verdicts.results) == len(PIPELINE)


@pytest.mark.parametrize(
    ("modifier_id", "effect"),
    [("reduced-load", "load"), ("reduced-volume", "volume"), ("elevated-start", None)],
)
def test_r_reg_4_what_a_modifier_lowers_is_catalogue_data(
    catalogue: Catalogue, modifier_id: str, effect: str | None
) -> None:
    from hingecoach.coach.ladder import lowers

    assert lowers(catalogue, modifier_id) == effect
    assert catalogue.modifiers[modifier_id].lowers == effect


@pytest.mark.parametrize(
    ("weekly", "severity"),
    [
        ((0, 0, 0), None),
        ((1, 2, 3), Severity.REGRESS),
        ((0, 1, 2), Severity.HOLD),
        ((3, 2, 1), None),
    ],
)
def test_r_safe_5_weekly_pain_rising_two_weeks_running(
    catalogue: Catalogue, weekly: tuple[int, int, int], severity: Severity | None
) -> None:
    sessions = [
        session(week * 7, "dowel-hip-hinge", [work(12, pain=pain)])
        for week, pain in enumerate(weekly)
    ]
    verdict = weekly_pain_rising(_ctx(catalogue, *sessions))
    assert (verdict.severity if verdict else None) == severity
    if verdict is not None:
        assert verdict.weekly_means == tuple(float(p) for p in reversed(weekly))
